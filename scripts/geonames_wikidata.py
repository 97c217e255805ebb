"""Write workers/tagging/data/kb_geonames_wikidata.tsv: the Wikidata ids of the knowledge
base's GeoNames places, from Natural Earth's populated places.

Natural Earth (public domain) gives each of its ~7,300 populated places both its GeoNames id
(``GEONAMEID``) and its Wikidata id (``wikidataid``), with its name and German name. The file
keeps, for every GeoNames id the built knowledge base draws on (``geonames:N`` in an entry's
``source``), the pair and Natural Earth's names; the KB build (``kb_geonames.give_wikidata``)
gives a place the id only where its names agree too. A GeoNames id Natural Earth pairs with
two Wikidata ids, or a Wikidata id it pairs with two GeoNames ids, is left out: one of them
is wrong and nothing says which.

    python scripts/geonames_wikidata.py [--mirror DIR] [--json FILE]

The mirror (martynafford/natural-earth-geojson, a git directory) holds the 10m file as a 7z
archive only; reading it needs ``py7zr`` (``pip install py7zr``), or pass the extracted
``ne_10m_populated_places.json`` with ``--json``. Then rebuild the KB
(``python -m workers.tagging.build_kb``).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "workers" / "tagging" / "data"
MIRROR = Path("/work/.mirror/martynafford+natural-earth-geojson/repo")
ARCHIVE = "10m/cultural/ne_10m_populated_places.7z"
OUT = DATA / "kb_geonames_wikidata.tsv"
HEADER = "geonameid\twikidata\tname\tname_de"
WIKIDATA = re.compile(r"^Q[1-9]\d*$")


def read_places(mirror: Path, json_file: Path | None = None) -> list[dict[str, Any]]:
    """Natural Earth's populated places (their properties)."""
    if json_file is not None:
        raw = json_file.read_bytes()
    else:
        import py7zr

        blob = subprocess.run(
            ["git", "--git-dir", str(mirror), "show", f"HEAD:{ARCHIVE}"],
            check=True,
            capture_output=True,
        ).stdout
        with tempfile.TemporaryDirectory() as tmp, py7zr.SevenZipFile(io.BytesIO(blob)) as z:
            z.extractall(tmp)
            raw = next(Path(tmp).glob("*.json")).read_bytes()
    return [f["properties"] for f in json.loads(raw)["features"]]


def needed_ids(kb: Path) -> set[int]:
    """The GeoNames ids the knowledge base's entries draw on."""
    out: set[int] = set()
    with gzip.open(kb, "rt", encoding="utf-8") as fh:
        for line in fh:
            for source in json.loads(line)["source"].split("+"):
                if source.startswith("geonames:"):
                    out.add(int(source.split(":", 1)[1]))
    return out


def pairs(places: list[dict[str, Any]], wanted: set[int]) -> list[tuple[int, str, str, str]]:
    """(GeoNames id, Wikidata id, name, German name) of the wanted ids, unambiguous ones only."""
    by_gid: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
    gids_of: dict[str, set[int]] = defaultdict(set)
    for p in places:
        gid, qid = p.get("GEONAMEID"), p.get("wikidataid")
        if not gid or gid <= 0 or not qid or not WIKIDATA.match(qid):
            continue
        gid = int(gid)
        gids_of[qid].add(gid)
        if gid in wanted:
            name = (p.get("NAME") or "").strip()
            by_gid[gid].add((qid, name, (p.get("NAME_DE") or "").strip()))
    out = []
    for gid, rows in sorted(by_gid.items()):
        qids = {q for q, _, _ in rows}
        if len(qids) == 1 and gids_of[next(iter(qids))] == {gid}:
            qid, name, name_de = sorted(rows)[0]
            out.append((gid, qid, name, name_de))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirror", type=Path, default=MIRROR, help="natural-earth-geojson git dir")
    parser.add_argument("--json", type=Path, help="ne_10m_populated_places.json, extracted")
    parser.add_argument("--kb", type=Path, default=DATA / "kb.jsonl.gz")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    places = read_places(args.mirror, args.json)
    wanted = needed_ids(args.kb)
    rows = pairs(places, wanted)
    lines = [HEADER] + [f"{g}\t{q}\t{n}\t{d}" for g, q, n, d in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(places)} places, {len(wanted)} GeoNames ids in the KB: {len(rows)} -> {args.out}")


if __name__ == "__main__":
    main()
