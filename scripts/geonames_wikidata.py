"""Write workers/tagging/data/kb_geonames_wikidata.tsv: the Wikidata ids of the knowledge
base's GeoNames places, from sources that give a place both its GeoNames and its Wikidata id.

- **Natural Earth** (public domain; its ~7,300 populated places as GeoJSON in
  martynafford/natural-earth-geojson, CC0): ``GEONAMEID`` and ``wikidataid``, with the
  place's name and German name.
- **Who's On First**, its per-country repositories ``whosonfirst-data-admin-XX`` at the
  commits ``wikidata_ids.WOF_COUNTRIES`` names (licence: KB_LICENSE_whosonfirst.md; "Data
  from Who's On First"): a current town's ``wof:concordances`` ``gn:id`` and ``wd:id``, with its
  ``wof:name`` and preferred German and English names. Germany's repository is larger than a
  mirror may be (595 MB) and Russia's has too many files, so neither is read.

The file keeps, for every GeoNames id the built knowledge base draws on (``geonames:N`` in an
entry's ``source``), the pair, the source that gave it, Natural Earth's German name and the
sources' names; the KB build
(``kb_geonames.give_wikidata``) gives a place the id only where its names agree too. A
Wikidata id one source pairs with two GeoNames ids, or a GeoNames id the sources pair with
two Wikidata ids, is left out: one of them is wrong and nothing says which (``pairs``).

    python scripts/geonames_wikidata.py [--mirrors DIR] [--json FILE]

The mirrors (git directories the search tool's ``fetch`` brings) hold Natural Earth's 10m
file as a 7z archive only; reading it needs ``py7zr`` (the ``kb`` extra), or pass the
extracted ``ne_10m_populated_places.json`` with ``--json``. Then rebuild the KB
(``python -m workers.tagging.build_kb``) and ``python scripts/war_places.py``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wikidata_ids import (
    MIRRORS,
    NATURAL_EARTH,
    WOF_COUNTRIES,
    WOF_REPO,
    git_blobs,
    git_bytes,
    git_files,
    unpack_7z,
    wof_record,
)

DATA = Path(__file__).resolve().parents[1] / "workers" / "tagging" / "data"
OUT = DATA / "kb_geonames_wikidata.tsv"
HEADER = "geonameid\twikidata\tsource\tgerman\tnames"
WIKIDATA = re.compile(r"^Q[1-9]\d*$")
#: Who's On First's kinds of town: its municipalities (``localadmin``) carry GeoNames'
#: administrative ids, which no KB city has
WOF_TOWNS = ("locality", "borough", "macrohood", "neighbourhood")
#: the names of a record the file keeps, in this order
WOF_NAMES = ("wof:name", "name:deu_x_preferred", "name:eng_x_preferred")


class Pair(NamedTuple):
    """A source's GeoNames id, Wikidata id and names of one place."""

    geonames: int
    wikidata: str
    source: str
    names: tuple[str, ...]
    #: the source's German name of the place (Natural Earth's ``NAME_DE``), or ""
    german: str = ""


def natural_earth(places: Iterable[dict[str, Any]]) -> Iterator[Pair]:
    """Natural Earth's populated places (their properties) with both ids."""
    for p in places:
        gid, qid = p.get("GEONAMEID"), str(p.get("wikidataid") or "")
        if gid and gid > 0 and WIKIDATA.match(qid):
            names = (str(p.get(k) or "").strip() for k in ("NAME", "NAME_DE"))
            german = str(p.get("NAME_DE") or "").strip()
            yield Pair(int(gid), qid, "naturalearth", tuple(n for n in names if n), german)


def read_natural_earth(mirrors: Path, json_file: Path | None = None) -> list[dict[str, Any]]:
    """Natural Earth's populated places (their properties)."""
    if json_file is not None:
        raw = json_file.read_bytes()
    else:
        archive = unpack_7z(git_bytes(mirrors, *NATURAL_EARTH))
        raw = archive["ne_10m_populated_places.json"]
    return [f["properties"] for f in json.loads(raw)["features"]]


def whosonfirst(records: Iterable[dict[str, Any]]) -> Iterator[Pair]:
    """Who's On First's current towns (their properties) with both ids; a deprecated,
    superseded or no longer current record is passed over."""
    for p in records:
        if p.get("wof:placetype") not in WOF_TOWNS or p.get("mz:is_current") == 0:
            continue
        if p.get("edtf:deprecated") or p.get("wof:superseded_by"):
            continue
        ids = p.get("wof:concordances") or {}
        gid, qid = ids.get("gn:id"), str(ids.get("wd:id") or "")
        if not isinstance(gid, int) or gid <= 0 or not WIKIDATA.match(qid):
            continue
        names: list[str] = []
        for key in WOF_NAMES:
            value = p.get(key) or []
            names += [value] if isinstance(value, str) else value
        kept = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
        yield Pair(gid, qid, f"whosonfirst:{p['wof:id']}", kept)


def read_whosonfirst(mirrors: Path, country: str, commit: str) -> list[dict[str, Any]]:
    """The properties of a Who's On First country repository's records (no alternate
    geometries)."""
    repo = WOF_REPO.format(country)
    paths = [p for p in git_files(mirrors, repo, commit, "data") if wof_record(p)]
    return [json.loads(blob)["properties"] for blob in git_blobs(mirrors, repo, commit, paths)]


def needed_ids(kb: Path) -> set[int]:
    """The GeoNames ids the knowledge base's entries draw on."""
    out: set[int] = set()
    with gzip.open(kb, "rt", encoding="utf-8") as fh:
        for line in fh:
            for source in json.loads(line)["source"].split("+"):
                if source.startswith("geonames:"):
                    out.add(int(source.split(":", 1)[1]))
    return out


def source_name(pair: Pair) -> str:
    """ "naturalearth", "whosonfirst": the source, without the record's id."""
    return pair.source.split(":")[0]


def pairs(found: Iterable[Pair], wanted: set[int]) -> list[Pair]:
    """One pair per wanted GeoNames id: the first source's, with every source's names of it.
    Left out: a Wikidata id a source pairs with two GeoNames ids (that source's pairs of it:
    one is wrong and nothing says which), a GeoNames id the sources pair with two Wikidata
    ids, and a Wikidata id the sources' remaining pairs give two wanted GeoNames ids."""
    found = list(found)
    gids_of: dict[tuple[str, str], set[int]] = defaultdict(set)
    for pair in found:
        gids_of[(source_name(pair), pair.wikidata)].add(pair.geonames)
    by_gid: dict[int, list[Pair]] = defaultdict(list)
    for pair in found:
        if pair.geonames in wanted and len(gids_of[(source_name(pair), pair.wikidata)]) == 1:
            by_gid[pair.geonames].append(pair)
    single = {g: rows for g, rows in by_gid.items() if len({p.wikidata for p in rows}) == 1}
    holders: dict[str, int] = defaultdict(int)
    for rows in single.values():
        holders[rows[0].wikidata] += 1
    out = []
    for _, rows in sorted(single.items()):
        if holders[rows[0].wikidata] == 1:
            names = tuple(dict.fromkeys(n for p in rows for n in p.names))
            german = next((p.german for p in rows if p.german), "")
            out.append(rows[0]._replace(names=names, german=german))
    return out


def write_pairs(rows: Iterable[Pair], out: Path) -> None:
    lines = [HEADER] + [
        "\t".join((str(p.geonames), p.wikidata, p.source, p.german, *p.names)) for p in rows
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirrors", type=Path, default=MIRRORS, help="the fetched mirrors")
    parser.add_argument("--json", type=Path, help="ne_10m_populated_places.json, extracted")
    parser.add_argument("--kb", type=Path, default=DATA / "kb.jsonl.gz")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    found = list(natural_earth(read_natural_earth(args.mirrors, args.json)))
    for country, commit in WOF_COUNTRIES:
        found += whosonfirst(read_whosonfirst(args.mirrors, country, commit))
    wanted = needed_ids(args.kb)
    rows = pairs(found, wanted)
    write_pairs(rows, args.out)
    by_source: dict[str, int] = defaultdict(int)
    for row in rows:
        by_source[source_name(row)] += 1
    print(f"{len(found)} pairs found, {len(wanted)} GeoNames ids in the KB: {len(rows)} "
          f"({dict(by_source)}) -> {args.out}")  # fmt: skip


if __name__ == "__main__":
    main()
