"""Write workers/tagging/data/kb_geonames_wikidata_nrw.tsv: the Wikidata ids of the knowledge
base's towns of North Rhine-Westphalia, from the spatial classification of the North
Rhine-Westphalian Bibliography (NWBib, hbz), which names each of NRW's 396 municipalities by
its Wikidata id and its official municipality key (AGS).

- **The source**: ``nwbib/nwbib-spatial.ttl`` of github.com/hbz/lobid-vocabs at commit
  ``dba084f`` (modified 2026-06-29; ``dct:license`` CC0 1.0): SKOS concepts
  ``nwbib-spatial:Q…`` with ``foaf:focus wd:Q…``, a German ``skos:prefLabel`` and, for a
  municipality or district, its AGS as ``skos:notation`` (eight digits: a municipality of a
  district, "05974056" Wickede; five: a district-free city, "05911" Bochum, or a district,
  "05170" Kreis Wesel). Only ids, names and keys are taken.
- **A municipality** is a concept with an eight-digit key, or a five-digit one whose label
  names no district ("Kreis", "Städteregion"): quarters and former villages have no key.
- **The pair**: a GeoNames town of NRW (``admin1code`` 07) the KB draws on (``geonames:N``)
  and the one municipality whose label is its GeoNames name ("Krefeld"), or that name with
  the river or region a town's name adds ("Mülheim an der Ruhr", "Hennef (Sieg)"). A town two
  municipalities' labels fit, or a municipality two towns fit, is left out.

The file has the columns of kb_geonames_wikidata.tsv (``source`` ``nwbib:AGS``); the KB build
(``kb_geonames.give_wikidata``) gives a place the id only where its names agree too and no
other entry has it.

    python scripts/nwbib_wikidata.py [--mirrors DIR]

The mirror is the git directory the search tool's ``fetch`` brings (github:hbz/lobid-vocabs).
Then rebuild the KB (``python -m workers.tagging.build_kb``).
"""

from __future__ import annotations

import argparse
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
NWBIB = ("hbz+lobid-vocabs", "dba084f1ed9bb62a03d28c593499ee1902d68da8", "nwbib/nwbib-spatial.ttl")
#: GeoNames' first-order division of Germany that is North Rhine-Westphalia
NRW_ADMIN1 = "07"
#: what a municipality's label may add to a town's name: "an der Ruhr", "(Sieg)", "im Sauerland"
ADDITION = re.compile(r"^(?:an der|an|am|im|in der|in|bei|ob der) \S.*$|^\(.+\)$")


def concepts(ttl: str) -> dict[str, tuple[str, str]]:
    """Wikidata id -> (AGS, German label) of the classification's concepts with a key."""
    out: dict[str, tuple[str, str]] = {}
    for block in re.split(r"\n\s*\n", ttl):
        focus = re.search(r"foaf:focus\s+wd:(Q\d+)", block)
        key = re.search(r'skos:notation\s+"(\d+)"', block)
        label = re.search(r'skos:prefLabel\s+"([^"]+)"@de', block)
        if focus and key and label:
            out[focus.group(1)] = (key.group(1), label.group(1))
    return out


def municipalities(found: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The concepts that are municipalities: an eight-digit key, or a five-digit one of a
    district-free city (no "Kreis", no "Städteregion" in the label)."""
    return {
        item: (key, label)
        for item, (key, label) in found.items()
        if len(key) == 8 or (len(key) == 5 and not re.search(r"kreis|Städteregion", label, re.I))
    }


def fits(town: str, label: str) -> bool:
    """A municipality's label is the town's name, or it with a river or region added."""
    a, b = name_key(town), name_key(label)
    if a == b:
        return True
    if not label.startswith(town + " "):
        return False
    return bool(ADDITION.match(label[len(town) + 1 :]))


def pairs(
    places: dict[str, tuple[str, str]], towns: Iterable[dict[str, Any]]
) -> list[tuple[int, str, str, str]]:
    """(GeoNames id, Wikidata id, AGS, label) of the towns one municipality fits, and that no
    other town fits."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for item, (_, label) in places.items():
        by_key[name_key(label).split(" ")[0]].append(item)
    found: dict[int, list[str]] = {}
    for town in towns:
        name = town["name"]
        candidates = by_key.get(name_key(name).split(" ")[0], [])
        found[town["geonameid"]] = [i for i in candidates if fits(name, places[i][1])]
    holders: dict[str, int] = defaultdict(int)
    for items in found.values():
        for item in items:
            holders[item] += 1
    return sorted(
        (gid, items[0], *places[items[0]])
        for gid, items in found.items()
        if len(items) == 1 and holders[items[0]] == 1
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirrors", type=Path, default=MIRRORS, help="the fetched mirrors")
    parser.add_argument("--kb", type=Path, default=DATA / "kb.jsonl.gz")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    places = municipalities(concepts(git_bytes(args.mirrors, *NWBIB).decode("utf-8")))
    wanted = needed_ids(args.kb)
    towns = [
        c
        for c in geonames_cities()
        if c["countrycode"] == "DE"
        and c.get("admin1code") == NRW_ADMIN1
        and c["geonameid"] in wanted
    ]
    rows = pairs(places, towns)
    lines = [HEADER] + [f"{gid}\t{q}\tnwbib:{ags}\t\t{label}" for gid, q, ags, label in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(places)} municipalities, {len(towns)} NRW towns in the KB: {len(rows)}")


if __name__ == "__main__":
    main()
