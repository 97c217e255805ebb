"""The knowledge-base build on a small fixture of our own (not the shared sources)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from workers.tagging.build_kb import Entry, build, check, curated, missing_wikidata, write
from workers.tagging.knowledge import Gazetteer, link_all, load_entities

REGION = {"continent_id": 1, "country_id": 85633805}


def wof(wof_id, placetype, names, *, wikidata=None, geonames=None, parent=-1, pop=None, **kw):
    return {
        "wof_id": wof_id,
        "placetype": placetype,
        "name": names.get("ukr_x_preferred", ["?"])[0],
        "wikidata": wikidata,
        "geonames": geonames,
        "names": names,
        "lat": 47.5,
        "lon": 35.8,
        "parent_id": parent,
        "hierarchy": REGION,
        "is_current": kw.get("is_current", -1),
        "deprecated": kw.get("deprecated"),
        "superseded_by": [],
        "population": pop,
        "lastmodified": 0,
    }


RECORDS = [
    # an oblast with a Wikidata id and a German name
    wof(10, "region", {"deu_x_preferred": ["Oblast Saporischschja"],
                       "ukr_x_preferred": ["Запорізька область"]}, wikidata="Q171331"),
    # a raion that carries its oblast's name as well as its own: the oblast name is dropped
    wof(20, "county", {"deu_x_preferred": ["Oblast Saporischschja"],
                       "ukr_x_preferred": ["Пологівський район"]}, parent=10),
    # a village without Wikidata id or German name: GeoNames id, transliterated names
    wof(30, "locality", {"ukr_x_preferred": ["Роботине"], "rus_x_preferred": ["Работино"]},
        geonames=695586, parent=20),
    # the same city twice (one Wikidata id): merged into one entry
    wof(40, "locality", {"deu_x_preferred": ["Melitopol"], "ukr_x_preferred": ["Мелітополь"]},
        wikidata="Q189555", geonames=702320, parent=10, pop=150768),
    wof(41, "locality", {"eng_x_preferred": ["Melitopol'"]}, wikidata="Q189555", parent=10),
    # neither Wikidata nor GeoNames: the gazetteer's own id
    wof(50, "locality", {"ukr_x_preferred": ["Кринки"]}, parent=10),
    # a village named like a common German word: found only where a place name was found
    wof(60, "locality", {"deu_x_preferred": ["Bar"], "ukr_x_preferred": ["Бар"]},
        geonames=712000, parent=10),
    # retired, and one the repairs file says carries another place's names
    wof(70, "locality", {"deu_x_preferred": ["Altort"]}, is_current=0, geonames=1),
    wof(80, "locality", {"deu_x_preferred": ["Melitopol"]}, wikidata="Q999999", geonames=2),
    # a village whose German name is the label of another thing (WOF took it from a wrong
    # Wikidata item), and a large city's exonym unlike its own names: the exonym stays
    wof(90, "locality", {"deu_x_preferred": ["Usbekische Nationalhymne"],
                         "ukr_x_preferred": ["Токи"]}, wikidata="Q120143", parent=10),
    wof(91, "locality", {"deu_x_preferred": ["Lemberg"], "ukr_x_preferred": ["Львів"]},
        wikidata="Q36036", parent=10, pop=758400),
]  # fmt: skip
PARTIES = (
    "country,partyfacts_id,wikidata_id,name,name_short,name_native\n"
    "DEU,1,Q49768,Social Democratic Party of Germany,SPD,Sozialdemokratische Partei "
    "Deutschlands\n"
    "DEU,2,Q49766,Alliance '90/The Greens,GRÜNE,Bündnis 90/Die Grünen\n"
    "UKR,3,Q1234567,Servant of the People,,Слуга народу\n"
    "SWE,4,Q1234568,Sweden Democrats,SD,Sverigedemokraterna\n"
    "SWE,5,Q1234569,Left Party,V,Vänsterpartiet\n"
)
CURATED = [
    {"id": "Q49768", "name": "SPD", "type": "ORG", "aliases": []},
    # a curated place without an id takes the source place's id and coordinates
    {"id": None, "name": "Robotyne", "type": "LOC", "aliases": ["Robotino"]},
    {"id": None, "name": "Jewgeni Prigoschin", "type": "PER", "aliases": ["Prigoschin"]},
]
REPAIRS = "[whosonfirst]\nskip = [80]\n"


@pytest.fixture
def built(tmp_path: Path) -> dict[str, dict]:
    shared = tmp_path / "kb"
    (shared / "whosonfirst_ua").mkdir(parents=True)
    (shared / "partyfacts").mkdir()
    with gzip.open(shared / "whosonfirst_ua" / "records.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS)
    (shared / "partyfacts" / "wikidata.csv").write_text(PARTIES, encoding="utf-8")
    curated = tmp_path / "entities.jsonl"
    curated.write_text("\n".join(json.dumps(c) for c in CURATED) + "\n", encoding="utf-8")
    repairs = tmp_path / "repairs.toml"
    repairs.write_text(REPAIRS, encoding="utf-8")
    entries = build(shared, curated, repairs, with_territories=False)
    out = tmp_path / "kb.jsonl.gz"
    write(entries, out)
    with gzip.open(out, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    assert len({r["id"] for r in rows}) == len(rows), "one entry per id"
    loaded = load_entities(out)  # the shipped loader reads what the build wrote
    assert len(loaded) == len(rows)
    return {r["id"]: r for r in rows}


def test_every_place_has_an_id_coordinates_and_parent(built: dict[str, dict]) -> None:
    robotyne = built["geonames:695586"]
    assert robotyne["name"] == "Robotyne" and robotyne["wikidata"] is None
    assert "Robotino" in robotyne["aliases"]  # the curated entry merged into it
    assert "Rabotino" in robotyne["aliases"]  # Russian name, German transliteration
    assert robotyne["lat"] == 47.5 and robotyne["parent"] == "wof:20"
    assert "curated" in robotyne["source"] and "whosonfirst:30" in robotyne["source"]
    assert built["wof:50"]["name"] == "Krynky" and built["wof:50"]["parent"] == "Q171331"
    assert built["wof:20"]["parent"] == "Q171331"
    oblast = built["Q171331"]
    assert {"Gebiet Saporischschja", "Region Saporischschja"} <= set(oblast["aliases"])


def test_merged_by_id_repaired_and_ranked(built: dict[str, dict]) -> None:
    melitopol = built["Q189555"]
    assert melitopol["population"] == 150768
    assert {"whosonfirst:40", "whosonfirst:41"} <= set(melitopol["source"].split("+"))
    assert "Q999999" not in built  # skipped by the repairs file
    assert not any(r["name"] == "Altort" for r in built.values())  # retired record
    raion = built["wof:20"]
    assert "Oblast Saporischschja" not in [raion["name"], *raion["aliases"]]
    assert built["geonames:712000"].get("anywhere") is False  # "Bar"


def test_parties_curated_first_and_codes_left_out(built: dict[str, dict]) -> None:
    spd = built["Q49768"]
    assert spd["name"] == "SPD" and spd["source"] == "curated+partyfacts:1"
    assert "Sozialdemokratische Partei Deutschlands" in spd["aliases"]
    greens = built["Q49766"]
    assert greens["name"] == "Bündnis 90/Die Grünen" and "GRÜNE" not in greens["aliases"]
    assert built["Q1234567"].get("anywhere") is False  # a foreign party's English name
    # a foreign party's abbreviation needs its country named
    sd = built["Q1234568"]
    assert "SD" in sd["aliases"] and (sd["ambiguous"], sd["context"]) == (["SD"], ["Schweden"])
    assert "ambiguous" not in spd and "context" not in spd
    assert "V" not in built["Q1234569"]["aliases"]  # a ballot letter, as in "Vitamin D"
    assert built["lagebild:PER:jewgeni-prigoschin"]["id_source"].startswith("own id")


def test_the_built_file_is_what_the_gazetteer_matches(tmp_path: Path, built) -> None:
    path = tmp_path / "kb.jsonl.gz"
    gazetteer = Gazetteer(load_entities(path))
    text = "Kämpfe bei Melitopol und in der Region Saporischschja, nicht in der Bar."
    found = {(text[s:e], link.entity.id) for s, e, link in link_all(gazetteer, text)}
    assert found == {("Melitopol", "Q189555"), ("Region Saporischschja", "Q171331")}
    assert "Robotyne" in gazetteer.lookup and "Bar" in gazetteer.lookup


def test_territories_from_rigour_and_pycountry() -> None:
    pytest.importorskip("rigour")
    pytest.importorskip("pycountry")
    from workers.tagging.build_kb import territories

    by_id = {e.id: e for e in territories()}
    assert by_id["Q183"].name == "Deutschland" and by_id["Q183"].kind == "country"
    kursk = next(e for e in by_id.values() if e.name == "Oblast Kursk")
    assert "Gebiet Kursk" in kursk.aliases and kursk.parent == "Q159"


def test_a_curated_id_twice_or_not_a_wikidata_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entities.jsonl"
    twice = [
        {"id": "Q61053", "name": "Olaf Scholz", "type": "PER", "aliases": []},
        {"id": "Q61053", "name": "Olaf Schubert", "type": "PER", "aliases": []},
    ]
    path.write_text("\n".join(json.dumps(c) for c in twice) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"entities.jsonl:2: .*Q61053 already on line 1"):
        list(curated(path))
    path.write_text(json.dumps({"id": "61053", "name": "X", "type": "PER"}) + "\n")
    with pytest.raises(ValueError, match="not a Wikidata id"):
        list(curated(path))


def test_a_curated_entry_given_an_id_stays_followable_by_its_own_id(tmp_path: Path) -> None:
    from workers.tagging.build_kb import renamed_ids

    path = tmp_path / "entities.jsonl"
    club = {"id": "Q15789", "name": "FC Bayern München", "type": "ORG",
            "former_id": "lagebild:ORG:fc-bayern-münchen"}  # fmt: skip
    path.write_text(json.dumps(club) + "\n", encoding="utf-8")
    assert renamed_ids(list(curated(path))) == [("lagebild:ORG:fc-bayern-münchen", "Q15789")]
    for wrong in ({**club, "id": None}, {**club, "former_id": "geonames:1"}):
        path.write_text(json.dumps(wrong) + "\n", encoding="utf-8")
        with pytest.raises(ValueError, match="former_id"):
            list(curated(path))


def test_one_wikidata_id_on_two_entries_fails_the_check() -> None:
    ship = Entry(id="lagebild:MISC:deutschland-schiff", name="Deutschland", type="MISC")
    country = Entry(id="Q183", name="Deutschland", type="LOC", wikidata="Q183")
    check([ship, country])
    ship.wikidata = "Q183"
    with pytest.raises(ValueError, match="Q183"):
        check([ship, country])


def test_curated_entries_left_without_a_wikidata_id_are_listed() -> None:
    entries = [
        Entry(id="lagebild:PER:x", name="X", type="PER", sources=["curated"]),
        Entry(id="geonames:1", name="Y", type="LOC", sources=["curated", "whosonfirst:1"]),
        Entry(id="Q1", name="Z", type="ORG", wikidata="Q1", sources=["curated"]),
        Entry(id="Q2", name="W", type="LOC", wikidata="Q2", sources=["rigour:ua"]),
    ]
    assert [e.name for e in missing_wikidata(entries)] == ["X", "Y"]


def test_curated_people_get_every_spelling_of_a_slavic_ending(tmp_path: Path) -> None:
    curated = tmp_path / "entities.jsonl"
    rows = [
        {"id": None, "name": "Walerij Saluschnyj", "type": "PER", "aliases": ["Saluschnyj"]},
        {"id": None, "name": "Rafael Grossi", "type": "PER", "aliases": ["Grossi"]},
        # a form another curated entry has stays that entry's
        {"id": None, "name": "Saluschny", "type": "LOC", "aliases": []},
    ]
    curated.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    entries = {e.name: e for e in build(tmp_path / "none", curated, None, False)}
    aliases = set(entries["Walerij Saluschnyj"].aliases)
    assert {"Saluschnyi", "Saluschnij", "Walerij Saluschny"} <= aliases
    assert "Saluschny" not in aliases
    assert entries["Rafael Grossi"].aliases == ["Grossi"]


def test_dependent_territories_with_an_iso_code_are_places_too() -> None:
    pytest.importorskip("rigour")
    pytest.importorskip("pycountry")
    from workers.tagging.build_kb import territories

    by_id = {e.id: e for e in territories(skip=["us-ny"])}
    by_name = {e.name: e for e in by_id.values()}
    assert by_name["Hongkong"].kind == "territory" and by_name["Hongkong"].parent == "Q148"
    # British nations and US states in German, a state called like its city left out
    assert by_name["Schottland"].parent == "Q145" and by_name["Kalifornien"].parent == "Q30"
    assert "Wales" in by_name and "New York" not in by_name


def test_names_beginning_with_an_adjective_are_matched_in_every_case(tmp_path: Path) -> None:
    curated = tmp_path / "entities.jsonl"
    rows = [
        {"id": None, "name": "Europäischer Fischereirat", "type": "ORG", "aliases": []},
        {"id": None, "name": "Grüne Küstenwache", "type": "ORG", "aliases": []},
        {"id": None, "name": "Rotes Moor", "type": "LOC", "aliases": []},
        # an entry of that form already: it is not made another's inflected form
        {"id": None, "name": "Roten Moor", "type": "MISC", "aliases": []},
        {"id": None, "name": "Zürcher Seebund", "type": "ORG", "aliases": []},  # no adjective
    ]
    curated.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    entries = build(tmp_path / "none", curated, None, False)
    by_name = {e.name: e for e in entries}
    assert "Roten Moor" not in by_name["Rotes Moor"].aliases
    assert by_name["Zürcher Seebund"].aliases == []
    out = tmp_path / "kb.jsonl.gz"
    write(entries, out)
    gazetteer = Gazetteer(load_entities(out))
    text = (
        "Der Europäische Fischereirat tagte. Ein Sprecher des Europäischen Fischereirates sagte, "
        "man habe mit der Grünen Küstenwache gesprochen. Am Roten Moor und im Rotem Moor "
        "brannte es, wie der Roten Moor berichtete."
    )
    linked = [(text[s:e], link.entity.name) for s, e, link in link_all(gazetteer, text)]
    assert ("Europäische Fischereirat", "Europäischer Fischereirat") in linked
    assert ("Europäischen Fischereirates", "Europäischer Fischereirat") in linked
    assert ("Grünen Küstenwache", "Grüne Küstenwache") in linked
    assert ("Rotem Moor", "Rotes Moor") in linked
    assert [n for f, n in linked if f == "Roten Moor"] == ["Roten Moor", "Roten Moor"]


def test_geonames_city_merged_with_the_gazetteer_by_id(tmp_path: Path) -> None:
    shared = tmp_path / "kb"
    (shared / "whosonfirst_ua").mkdir(parents=True)
    with gzip.open(shared / "whosonfirst_ua" / "records.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS[:4])
    curated = tmp_path / "entities.jsonl"
    curated.write_text(json.dumps(CURATED[0]) + "\n", encoding="utf-8")
    cities = [
        {"geonameid": 702320, "name": "Melitopol'", "latitude": 46.85, "longitude": 35.37,
         "countrycode": "UA", "population": 150768, "alternatenames": ["MLT", "Melitopol"]},
        {"geonameid": 2950159, "name": "Berlin", "latitude": 52.52, "longitude": 13.41,
         "countrycode": "DE", "population": 3426354, "alternatenames": ["BER", "Berlin"]},
    ]  # fmt: skip
    entries = {e.id: e for e in build(shared, curated, None, False, cities=cities)}
    melitopol = entries["Q189555"]
    assert "geonames:702320" in melitopol.sources and "whosonfirst:40" in melitopol.sources
    assert melitopol.lat == 47.5  # the gazetteer's coordinates win
    assert "geonames:702320" not in entries and "MLT" not in melitopol.aliases
    berlin = entries["geonames:2950159"]
    assert berlin.kind == "city" and berlin.lat == 52.52 and "BER" not in berlin.aliases


def test_a_small_places_german_name_unlike_its_own_names_is_dropped(
    built: dict[str, dict],
) -> None:
    village = built["Q120143"]
    assert village["name"].startswith("Tok")  # its Ukrainian name, transliterated
    assert "Usbekische Nationalhymne" not in [village["name"], *village["aliases"]]
    assert built["Q36036"]["name"] == "Lemberg"


def test_a_party_the_repairs_name_is_left_out(tmp_path: Path) -> None:
    from workers.tagging.build_kb import partyfacts

    csv_file = tmp_path / "wikidata.csv"
    csv_file.write_text(PARTIES + "NOR,3698,Q1512994,Red,Rødt,Rødt\n", encoding="utf-8")
    assert "Q1512994" in {e.id for e in partyfacts(csv_file)}
    kept = {e.id for e in partyfacts(csv_file, skip=[3698])}
    assert "Q1512994" not in kept and "Q49768" in kept


def test_names_are_also_matched_without_the_diacritics_german_drops(tmp_path: Path) -> None:
    """ "Bertrand Delanoe", "Recep Tayyip Erdogan": German news drops the diacritics German has
    not, keeps its own ("Gülen"); a person's given names alone get no plain form, and a plain
    form another entry has stays that entry's."""
    curated = tmp_path / "entities.jsonl"
    rows = [
        {"id": None, "name": "Bertrand Delanoë", "type": "PER", "aliases": []},
        {"id": None, "name": "Fethullah Gülen", "type": "PER", "aliases": ["Fetullah Gülen"]},
        {"id": None, "name": "Lech Wałęsa", "type": "PER", "aliases": ["José Luís"]},
        {"id": None, "name": "São Paulo", "type": "LOC", "aliases": []},
        {"id": None, "name": "Bogotá", "type": "LOC", "aliases": []},
        {"id": None, "name": "Bogota", "type": "ORG", "aliases": []},  # a club called so
    ]
    curated.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    by_name = {e.name: e for e in build(tmp_path / "none", curated, None, False)}
    assert "Bertrand Delanoe" in by_name["Bertrand Delanoë"].aliases
    assert by_name["Fethullah Gülen"].aliases == ["Fetullah Gülen"]
    assert by_name["Lech Wałęsa"].aliases == ["José Luís", "Lech Walesa"]
    assert "Sao Paulo" in by_name["São Paulo"].aliases
    assert by_name["Bogotá"].aliases == []


def test_a_regnal_number_is_also_matched_with_its_dot(tmp_path: Path) -> None:
    """German writes a monarch's number as an ordinal: "Elizabeth II." """
    curated = tmp_path / "entities.jsonl"
    rows = [{"id": None, "name": "Elizabeth II", "type": "PER", "aliases": []},
            {"id": None, "name": "Haldensleben I", "type": "LOC", "aliases": []}]  # fmt: skip
    curated.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    by_name = {e.name: e for e in build(tmp_path / "none", curated, None, False)}
    assert by_name["Elizabeth II"].aliases == ["Elizabeth II."]
    assert by_name["Haldensleben I"].aliases == []


def test_a_geonames_city_with_a_wikidata_id_is_followed_by_its_geonames_id() -> None:
    """Whichever source gave a city its Wikidata id (here a curated entry it merged into), a
    subscriber's ``geonames:N`` finds it; a city without one needs no former id."""
    from workers.tagging.build_kb import renamed_ids

    kiel = Entry(id="Q1707", name="Kiel", type="LOC", wikidata="Q1707",
                 sources=["curated", "geonames:2891122"])  # fmt: skip
    town = Entry(id="geonames:1", name="Dorf", type="LOC", sources=["geonames:1"])
    assert renamed_ids([kiel, town]) == [("geonames:2891122", "Q1707")]
