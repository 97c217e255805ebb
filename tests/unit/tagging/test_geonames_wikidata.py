"""scripts/geonames_wikidata.py on Natural Earth- and Who's On First-shaped places of our own:
only the pairs the KB needs, and none a source or the sources together make ambiguous."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import geonames_wikidata
from geonames_wikidata import Pair


def place(gid: float | None, qid: str | None, name: str, name_de: str | None = None) -> dict:
    return {"GEONAMEID": gid, "wikidataid": qid, "NAME": name, "NAME_DE": name_de}


def record(wof: int, gid: int | None, qid: str | None, name: str, **more) -> dict:
    """A Who's On First record's properties."""
    ids = {k: v for k, v in (("gn:id", gid), ("wd:id", qid)) if v is not None}
    return {"wof:id": wof, "wof:name": name, "wof:placetype": "locality",
            "mz:is_current": 1, "wof:concordances": ids, **more}  # fmt: skip


def kb_file(tmp_path: Path, gids: list[int], curated: int = 3173435) -> Path:
    kb = tmp_path / "kb.jsonl.gz"
    rows = [
        {"id": "Q1726", "source": f"curated+geonames:{curated}"},
        *({"id": f"geonames:{g}", "source": f"geonames:{g}"} for g in gids),
    ]
    with gzip.open(kb, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    return kb


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
    wanted = geonames_wikidata.needed_ids(kb_file(tmp_path, [2935517, 1, 2, 3, 4]))
    assert wanted == {2935517, 3173435, 1, 2, 3, 4}
    assert geonames_wikidata.pairs(geonames_wikidata.natural_earth(places), wanted) == [
        Pair(2935517, "Q1295", "naturalearth", ("Dortmund",), "Dortmund"),
        Pair(3173435, "Q490", "naturalearth", ("Milan", "Mailand"), "Mailand"),
    ]


def test_who_s_on_first_towns_join_natural_earth_s_pairs() -> None:
    names = {"name:deu_x_preferred": ["Wien"], "name:eng_x_preferred": ["Vienna"]}
    records = [
        record(101, 2761369, "Q1741", "Wien", **names),
        record(102, 2772400, "Q41329", "Linz"),
        record(103, 2772400, "Q41329", "Linz", **{"mz:is_current": 0}),  # not current
        record(104, 7, "Q70", "Altdorf", **{"edtf:deprecated": "2019-08-05"}),
        record(105, 8, "Q80", "Neudorf", **{"wof:superseded_by": [106]}),
        record(107, 9, "Q90", "Bezirk", **{"wof:placetype": "localadmin"}),  # not a town
        record(108, 10, None, "Ohne"),
        # Who's On First pairs Q598 with Rzeszów and a suburb: its pairs of Q598 are dropped,
        # Natural Earth's one pair stands
        record(109, 759734, "Q598", "Rzeszów"),
        record(110, 753027, "Q598", "Zwięczyca", **{"wof:placetype": "neighbourhood"}),
        # Natural Earth and Who's On First disagree on Graz's Wikidata id: left out
        record(111, 2778067, "Q999", "Graz"),
    ]
    ne = [place(2761369.0, "Q1741", "Vienna", "Wien"), place(759734.0, "Q598", "Rzeszów"),
          place(2778067.0, "Q13298", "Graz")]  # fmt: skip
    wof = list(geonames_wikidata.whosonfirst(records))
    assert [p.source for p in wof] == [f"whosonfirst:{n}" for n in (101, 102, 109, 110, 111)]
    assert wof[0].names == ("Wien", "Vienna")
    wanted = {2761369, 2772400, 759734, 2778067, 7, 8, 9}
    found = [*geonames_wikidata.natural_earth(ne), *wof]
    assert geonames_wikidata.pairs(found, wanted) == [
        Pair(759734, "Q598", "naturalearth", ("Rzeszów",)),
        # Natural Earth's German name is kept with the pair
        Pair(2761369, "Q1741", "naturalearth", ("Vienna", "Wien"), "Wien"),
        Pair(2772400, "Q41329", "whosonfirst:102", ("Linz",)),
    ]


def test_two_wanted_places_with_one_wikidata_id_get_none() -> None:
    found = [Pair(1, "Q5", "naturalearth", ("Au",)), Pair(2, "Q5", "whosonfirst:3", ("Au",))]
    assert geonames_wikidata.pairs(found, {1, 2}) == []
    assert geonames_wikidata.pairs(found, {1}) == [found[0]]


def test_records_are_read_from_a_mirror_and_written_as_the_build_reads_them(
    tmp_path: Path,
) -> None:
    from workers.tagging.kb_geonames import CityPair, read_wikidata_pairs

    work = tmp_path / "work"
    (work / "data" / "101").mkdir(parents=True)
    (work / "data" / "101" / "101.geojson").write_text(
        json.dumps({"type": "Feature", "properties": record(101, 2772400, "Q41329", "Linz")})
    )
    (work / "data" / "101" / "101-alt-x.geojson").write_text("not read")
    mirror = tmp_path / "mirrors" / "whosonfirst-data+whosonfirst-data-admin-at" / "repo"

    def git(*args: str) -> str:
        command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    git("init", "-q", str(work))
    git("-C", str(work), "add", ".")
    git("-C", str(work), "commit", "-qm", "records")
    git("clone", "-q", "--bare", str(work), str(mirror))
    commit = git("-C", str(work), "rev-parse", "HEAD").strip()
    records = geonames_wikidata.read_whosonfirst(tmp_path / "mirrors", "at", commit)
    assert [r["wof:name"] for r in records] == ["Linz"]
    out = tmp_path / "pairs.tsv"
    geonames_wikidata.write_pairs(geonames_wikidata.whosonfirst(records), out)
    assert read_wikidata_pairs(out) == {2772400: CityPair("Q41329", "whosonfirst:101", ["Linz"])}
