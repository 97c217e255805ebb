"""Write workers/tagging/data/kb_geonames_wikidata_nrw.tsv: the Wikidata ids of the knowledge
base's towns of North Rhine-Westphalia, from the Wikidata query result of NRW's municipalities
that the North Rhine-Westphalian Bibliography (NWBib, hbz) committed to hbz/nwbib.

- **The source**: ``conf/wikidata.json`` of github.com/hbz/nwbib at commit ``f6a13dc``
  (2017-09-22; the file left the repository three days later): the answer of Wikidata's query
  service to ``conf/wikidata.sparql`` (administrative areas of NRW, ``P131*`` ``Q1198``), each
  an item's Wikidata id, its German label and the ids of the areas it lies in (``P131``).
  Wikidata's data is CC0; only ids and names are taken.
- **A municipality** is an item lying in NRW itself, in one of its Regierungsbezirke, or in
  one of their districts (Kreis, Städteregion): an item lying in a town (a quarter, a former
  village: "Hamm" in Stolberg) is none.
- **The pair**: a GeoNames town of NRW (``admin1code`` 07) the KB draws on (``geonames:N``)
  and the one municipality whose label is its GeoNames name ("Krefeld"), or that name with
  the river or region a town's name adds ("Mülheim an der Ruhr", "Hennef (Sieg)"). A town two
  municipalities' labels fit, or a municipality two towns fit, is left out.

The file has the columns of kb_geonames_wikidata.tsv (``source`` ``nwbib``); the KB build
(``kb_geonames.give_wikidata``) gives a place the id only where its names agree too and no
other entry has it.

    python scripts/nwbib_wikidata.py [--mirrors DIR]

The mirror is the git directory the search tool's ``fetch`` brings (github:hbz/nwbib). Then
rebuild the KB (``python -m workers.tagging.build_kb``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from geonames_wikidata import HEADER, needed_ids  # noqa: E402
from wikidata_ids import MIRRORS, git_bytes  # noqa: E402

from workers.tagging.kb_geonames import geonames_cities, name_key  # noqa: E402

DATA = ROOT / "workers" / "tagging" / "data"
OUT = DATA / "kb_geonames_wikidata_nrw.tsv"
NWBIB = ("hbz+nwbib", "f6a13dcc02eecf91994bd7fa6a8a75649933ab22", "conf/wikidata.json")
NRW = "Q1198"
#: GeoNames' first-order division of Germany that is North Rhine-Westphalia
NRW_ADMIN1 = "07"
#: what a municipality's label may add to a town's name: "an der Ruhr", "(Sieg)", "im Sauerland"
ADDITION = re.compile(r"^(?:an der|an|am|im|in der|in|bei|ob der) \S.*$|^\(.+\)$")


def qid(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def municipalities(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Wikidata id -> German label of the query result's municipalities: items lying in NRW,
    a Regierungsbezirk or a district of one (Kreis, Städteregion)."""
    label: dict[str, str] = {}
    within: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        item = qid(row["item"]["value"])
        label[item] = row["itemLabel"]["value"]
        if "partOf" in row:
            within[item].add(qid(row["partOf"]["value"]))
    regions = {i for i, name in label.items() if name.startswith("Regierungsbezirk ")}
    districts = {
        i
        for i, name in label.items()
        if within[i] & (regions | {NRW}) and re.search(r"kreis|Städteregion", name, re.I)
    }
    above = regions | districts | {NRW}
    return {i: label[i] for i in label if i not in above and within[i] & above}


def fits(town: str, label: str) -> bool:
    """A municipality's label is the town's name, or it with a river or region added."""
    a, b = name_key(town), name_key(label)
    if a == b:
        return True
    if not label.startswith(town + " "):
        return False
    return bool(ADDITION.match(label[len(town) + 1 :]))


def pairs(places: dict[str, str], towns: Iterable[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """(GeoNames id, Wikidata id, label) of the towns one municipality fits, and that no other
    town fits."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for item, label in places.items():
        by_key[name_key(label).split(" ")[0]].append(item)
    found: dict[int, list[str]] = {}
    for town in towns:
        name = town["name"]
        candidates = by_key.get(name_key(name).split(" ")[0], [])
        found[town["geonameid"]] = [i for i in candidates if fits(name, places[i])]
    holders: dict[str, int] = defaultdict(int)
    for items in found.values():
        for item in items:
            holders[item] += 1
    return sorted(
        (gid, items[0], places[items[0]])
        for gid, items in found.items()
        if len(items) == 1 and holders[items[0]] == 1
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirrors", type=Path, default=MIRRORS, help="the fetched mirrors")
    parser.add_argument("--kb", type=Path, default=DATA / "kb.jsonl.gz")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    places = municipalities(json.loads(git_bytes(args.mirrors, *NWBIB)))
    wanted = needed_ids(args.kb)
    towns = [
        c
        for c in geonames_cities()
        if c["countrycode"] == "DE"
        and c.get("admin1code") == NRW_ADMIN1
        and c["geonameid"] in wanted
    ]
    rows = pairs(places, towns)
    lines = [HEADER] + [f"{gid}\t{item}\tnwbib\t\t{label}" for gid, item, label in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(places)} municipalities, {len(towns)} NRW towns in the KB: {len(rows)}")


if __name__ == "__main__":
    main()
