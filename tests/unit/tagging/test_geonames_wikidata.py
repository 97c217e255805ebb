"""scripts/geonames_wikidata.py on Natural Earth-shaped places of our own: only the pairs the
KB needs, and none Natural Earth itself makes ambiguous."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import geonames_wikidata


def place(gid: float | None, qid: str | None, name: str, name_de: str | None = None) -> dict:
    return {"GEONAMEID": gid, "wikidataid": qid, "NAME": name, "NAME_DE": name_de}


def test_only_needed_unambiguous_pairs(tmp_path: Path) -> None:
    places = [
        place(2935517.0, "Q1295", "Dortmund", "Dortmund"),
        place(3173435.0, "Q490", "Milan", "Mailand"),
        place(2950159.0, "Q64", "Berlin"),  # not among the KB's ids: left out
        place(1.0, "Q7", "Twin"),  # one Wikidata id on two GeoNames ids: neither kept
        place(2.0, "Q7", "Twin"),
        place(3.0, "Q8", "Split"),  # one GeoNames id with two Wikidata ids: left out
        place(3.0, "Q9", "Split"),
        place(-99.0, "Q10", "No GeoNames id"),
        place(4.0, None, "No Wikidata id"),
    ]
    kb = tmp_path / "kb.jsonl.gz"
    rows = [
        {"id": "geonames:2935517", "source": "geonames:2935517"},
        {"id": "Q1726", "source": "curated+geonames:3173435"},
        *({"id": f"geonames:{g}", "source": f"geonames:{g}"} for g in (1, 2, 3, 4)),
    ]
    with gzip.open(kb, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    wanted = geonames_wikidata.needed_ids(kb)
    assert wanted == {2935517, 3173435, 1, 2, 3, 4}
    assert geonames_wikidata.pairs(places, wanted) == [
        (2935517, "Q1295", "Dortmund", "Dortmund"),
        (3173435, "Q490", "Milan", "Mailand"),
    ]
