"""Checked Wikidata ids for curated entries: what scripts/wikidata_ids.py takes from a source,
and how the KB build merges them (small fixtures written here, not the real sources)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import load_script
from workers.tagging.build_kb import build

REPO = Path(__file__).resolve().parents[3]


def _mangled(cyrillic: str) -> str:
    """What the source made of a Cyrillic name: each letter's low byte, 'л' as ','."""
    return "".join(c if c == " " else "," if c == "л" else chr(ord(c) - 0x400) for c in cyrillic)


ENTITY = "http://www.wikidata.org/entity/"
PICTURES = "http://commons.wikimedia.org/wiki/Special:FilePath/"
PEOPLE = "\n".join(
    [
        "politician,politicianDescription,image,name_in_native_language,date_of_birth,country,,,",
        # a Russian minister under his Cyrillic name (high bytes lost)
        f"{ENTITY}Q100,Russian minister,{PICTURES}A.jpg,{_mangled('Илья Петрович Волков')},"
        "1950-03-21T00:00:00Z,RU,,,",
        # a namesake in another country: the curated entry's country rules it out
        f"{ENTITY}Q200,Bulgarian mayor,{PICTURES}B.jpg,Ilja Wolkow,1970-01-01T00:00:00Z,BG,,,",
        # someone else on a picture of an event named after the person: not that person
        f"{ENTITY}Q300,Russian politician,{PICTURES}Funeral%20of%20Anna%20Berg-22.jpg,"
        "Maria Roth,1960-01-17T00:00:00Z,RU,,,",
        # named only by the picture's file name
        f"{ENTITY}Q400,Ukrainian politician,{PICTURES}Official%20portrait%20of%20Oleh%20Marko"
        f".jpg,{_mangled('Олег Марко')}Ż,1965-09-26T00:00:00Z,UA,,,",
    ]
)
BODIES = """
World Health Organization:
  Wikidata_code: Q7
  Name_en: World Health Organization
  Abbreviation_en: WHO
  Name_de: Weltgesundheitsorganisation
Council of Things:
  Wikidata_code: Q8
  Name_en: Council of Things
  Name_de: Dingrat
"""
CURATED = [
    {"id": None, "name": "Ilja Wolkow", "type": "PER", "aliases": ["Wolkow"], "country": ["RU"]},
    {"id": None, "name": "Anna Berg", "type": "PER", "aliases": [], "country": ["RU"]},
    {"id": None, "name": "Oleh Marko", "type": "PER", "aliases": [], "country": ["UA"]},
    {"id": None, "name": "Weltgesundheitsorganisation", "type": "ORG", "aliases": ["WHO"]},
    # only its German name agrees: not enough
    {"id": None, "name": "Dingrat", "type": "ORG", "aliases": []},
]


def test_an_id_is_taken_where_name_and_country_or_two_names_agree() -> None:
    script = load_script("wikidata_ids")
    people = list(script.people(PEOPLE))
    assert "Ilja Wolkow" in next(p for p in people if p.qid == "Q100").names
    rows = list(script.person_ids(CURATED, people)) + list(script.body_ids(CURATED, BODIES))
    taken = {r["name"]: r["qid"] for r in rows}
    assert taken == {
        "Ilja Wolkow": "Q100",
        "Oleh Marko": "Q400",
        "Weltgesundheitsorganisation": "Q7",
    }
    wolkow = next(r for r in rows if r["qid"] == "Q100")
    assert wolkow["curated"] == "lagebild:PER:ilja-wolkow"
    assert "country RU" in wolkow["evidence"] and "born 1950-03-21" in wolkow["evidence"]


def test_the_build_merges_checked_ids_after_the_curated_entry(tmp_path: Path) -> None:
    curated = tmp_path / "entities.jsonl"
    rows = [
        {"id": None, "name": "Ilja Wolkow", "type": "PER", "aliases": ["Wolkow"]},
        {"id": "Q9", "name": "Vera Kurz", "type": "PER", "aliases": []},
        {"id": None, "name": "Dingrat", "type": "ORG", "aliases": []},
    ]
    curated.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    checked = tmp_path / "kb_wikidata_ids.jsonl"
    line = {
        "qid": "Q100",
        "curated": "lagebild:PER:ilja-wolkow",
        # the source's spelling: the curated name wins, the source's joins the aliases
        "name": "Ilya Volkov",
        "type": "PER",
        "source": "fixture",
        "evidence": "fixture: name 'Ilja Wolkow', country RU",
    }
    # a curated id the source confirmed: the entry says so
    confirms = {**line, "qid": "Q9", "curated": "Q9", "name": "Vera Kurz", "evidence": "seen"}
    checked.write_text(json.dumps(line) + "\n" + json.dumps(confirms) + "\n", encoding="utf-8")
    entries = {
        e.id: e for e in build(tmp_path / "none", curated, None, False, checked_file=checked)
    }
    wolkow = entries["Q100"]
    assert (wolkow.name, wolkow.wikidata) == ("Ilja Wolkow", "Q100")
    assert "Ilya Volkov" in wolkow.aliases and "Wolkow" in wolkow.aliases
    assert wolkow.sources == ["curated", "fixture:Q100"]
    assert wolkow.id_source == "fixture: name 'Ilja Wolkow', country RU"
    assert "lagebild:PER:ilja-wolkow" not in entries
    assert (entries["Q9"].name, entries["Q9"].id_source) == ("Vera Kurz", "seen")
    # an entry the file does not name keeps its own id
    assert entries["lagebild:ORG:dingrat"].wikidata is None
    # another id for a curated Wikidata id is refused
    checked.write_text(json.dumps({**confirms, "qid": "Q10"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Q9 is a curated Wikidata id"):
        build(tmp_path / "none", curated, None, False, checked_file=checked)
    # an id for a curated entry that has a Wikidata id already, or for none, is refused
    line["curated"] = "lagebild:PER:vera-kurz"
    checked.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no such curated entry"):
        build(tmp_path / "none", curated, None, False, checked_file=checked)


def _item(qid: str, en: str, *, ru: str = "", human: bool = True, **claims: list[str]) -> str:
    """One line of the war harvest (its fields, our made-up values)."""
    return json.dumps(
        {
            "qid": qid,
            "labels": {"en": en, "ru": ru or None, "uk": None},
            "descriptions": {"en": f"about {en}"},
            "aliases": {"en": [], "ru": [], "uk": []},
            "instance_of": ["Q5"] if human else ["Q43229"],
            "raw_attrib_qids": {"P27": [], "P17": [], **claims},
        },
        ensure_ascii=False,
    )


COUNTRY_OF = {"Q159": "RU", "Q212": "UA", "Q30": "US"}
HARVEST = [
    "\n".join(
        [
            # a Russian general by his Russian label, transliterated the German way
            _item("Q500", "Ilya Volkov", ru="Илья Петрович Волков", P27=["Q159"]),
            # a namesake of another country: the curated country rules him out
            _item("Q501", "Ilja Wolkow", P27=["Q30"]),
            # two Ukrainians of one name: neither is taken
            _item("Q502", "Oleh Marko", P27=["Q212"]),
            _item("Q503", "Oleh Marko", P27=["Q212"]),
            # a unit: English name and country agree; a person of that name is no unit
            _item("Q600", "Thing Brigade", human=False, P17=["Q212"]),
            _item("Q601", "Thing Brigade", P27=["Q212"]),
            # the curated Vera Kurz is Q9: the harvest's Q9 confirms it
            _item("Q9", "Vera Kurz", P27=["Q159"]),
        ]
    ),
    # the same item in another file: names and claims add up
    _item("Q600", "Thing Brigade (unit)", human=False, P17=["Q159"]),
]
WAR_CURATED = [
    {"id": None, "name": "Ilja Wolkow", "type": "PER", "aliases": [], "country": ["RU"]},
    {"id": None, "name": "Oleh Marko", "type": "PER", "aliases": [], "country": ["UA"]},
    {"id": "Q9", "name": "Vera Kurz", "type": "PER", "aliases": []},
    {
        "id": None,
        "name": "Dingbrigade",
        "type": "ORG",
        "aliases": ["Ding"],
        "name_en": "Thing Brigade",
        "country": ["UA"],
    },
    # no country to agree on: nothing is taken
    {"id": None, "name": "Thing Brigade", "type": "ORG", "aliases": []},
]


def test_the_war_harvest_gives_ids_where_name_kind_and_country_agree() -> None:
    script = load_script("wikidata_ids")
    items = {i.qid: i for i in script.war_items(HARVEST, COUNTRY_OF)}
    assert items["Q500"].names["Ilja Wolkow"] == "ru label (German transliteration)"
    assert items["Q600"].countries == {"UA", "RU"} and not items["Q600"].human
    rows = list(script.war_person_ids(WAR_CURATED, items.values()))
    rows += script.war_body_ids(WAR_CURATED, items.values())
    taken = {r["curated"]: r["qid"] for r in rows}
    assert taken == {
        "lagebild:PER:ilja-wolkow": "Q500",
        "Q9": "Q9",  # confirmed
        "lagebild:ORG:dingbrigade": "Q600",
    }
    wolkow = next(r for r in rows if r["qid"] == "Q500")
    assert "a human" in wolkow["evidence"] and "country RU" in wolkow["evidence"]
    assert next(r for r in rows if r["qid"] == "Q9")["evidence"].startswith("curated, confirmed")


def test_one_id_each_merges_agreeing_sources_and_drops_disagreeing_ones() -> None:
    script = load_script("wikidata_ids")

    def row(curated: str, qid: str, source: str) -> dict:
        return {"qid": qid, "curated": curated, "name": curated, "type": "PER",
                "source": source, "evidence": f"{source} says {qid}"}  # fmt: skip

    rows = [
        row("lagebild:PER:a", "Q1", "ruwar"),
        row("lagebild:PER:a", "Q1", "captainfact"),  # two sources agree: one row
        row("lagebild:PER:b", "Q2", "captainfact"),
        row("lagebild:PER:b", "Q3", "ruwar"),  # two ids for one entry: none
        row("lagebild:PER:c", "Q4", "ruwar"),
        row("lagebild:PER:d", "Q4", "captainfact"),  # one id for two entries: neither
    ]
    out = script.one_id_each(rows)
    assert out == [
        {
            **row("lagebild:PER:a", "Q1", "captainfact,ruwar"),
            "evidence": "captainfact says Q1; ruwar says Q1",
        }
    ]
    # the build credits both sources
    assert out[0]["source"].split(",") == ["captainfact", "ruwar"]


def test_the_earlier_runs_claims_and_an_own_name_before_an_alias() -> None:
    script = load_script("wikidata_ids")
    earlier = {  # the earlier run's shape: one list of claimed ids, no aliases
        "qid": "Q700",
        "labels": {"en": "Pipe Pair", "ru": None, "uk": None},
        "descriptions": {"en": "two pipelines"},
        "instance_of": ["Q1262712"],
        "attribution_detail": {"structured_qids": ["Q159", "Q649"]},
    }
    lines = [
        json.dumps(earlier),
        _item("Q701", "Pipe Pair 2", human=False, P17=["Q159"]),
    ]
    items = script.war_items(["\n".join(lines)], COUNTRY_OF)
    assert next(i for i in items if i.qid == "Q700").countries == {"RU"}
    pair = {"id": None, "name": "Pipe Pair", "type": "MISC", "aliases": ["Pipe Pair 2"],
            "country": ["RU"]}  # fmt: skip
    [row] = script.war_body_ids([pair], items)
    assert row["qid"] == "Q700"  # the entry's own name, not its alias's item


def _town(qid: str, german: str, english: str, country: str, geonames: int) -> dict:
    """A Natural Earth populated place as its GeoJSON feature (only the fields read)."""
    return {"type": "Feature", "properties": {
        "wikidataid": qid, "NAME_DE": german, "NAME_EN": english, "NAME": english,
        "NAMEASCII": english, "ISO_A2": country, "GEONAMEID": float(geonames),
        "FEATURECLA": "Admin-1 capital"}}  # fmt: skip


TOWNS = json.dumps({"type": "FeatureCollection", "features": [
    _town("Q10", "Dingsk", "Dingsk", "RU", 100),
    # a namesake elsewhere: the entry's country tells them apart
    _town("Q11", "Dingsk", "Dingsk", "MX", 101),
    # two towns of one German name in the entry's countries: neither
    _town("Q12", "Zweistadt", "Twotown", "BY", 102),
    _town("Q13", "Zweistadt", "Twotown", "FR", 103),
    # the name agrees, the country does not: no id
    _town("Q14", "Pokrowo", "Pokrovo", "RU", 104),
    _town("", "Ohneid", "Ohneid", "RU", 105),  # no Wikidata id: not a town of the source
]})  # fmt: skip
TOWN_CURATED = [
    {"id": None, "name": "Dingsk", "type": "LOC", "aliases": [], "country": ["RU"]},
    {"id": None, "name": "Zweistadt", "type": "LOC", "aliases": [], "country": ["BY", "FR"]},
    {"id": None, "name": "Pokrowo", "type": "LOC", "aliases": ["Pokrovo"], "country": ["UA"]},
    # no country: German and English name alone are not enough
    {"id": None, "name": "Ohneland", "type": "LOC", "aliases": []},
]


def test_natural_earth_gives_a_town_where_german_name_and_country_agree() -> None:
    script = load_script("wikidata_ids")
    towns = script.towns(TOWNS)
    assert {t.qid for t in towns} == {"Q10", "Q11", "Q12", "Q13", "Q14"}
    dingsk = next(t for t in towns if t.qid == "Q10")
    assert dingsk.country == "RU" and dingsk.geonames == "100"
    rows = list(script.town_ids(TOWN_CURATED, towns))
    assert {r["name"]: r["qid"] for r in rows} == {"Dingsk": "Q10"}
    assert "country RU" in rows[0]["evidence"] and "GeoNames 100" in rows[0]["evidence"]
    assert rows[0]["source"] == "naturalearth"
    # an entry the build keys by its own id is named so ("geonames:N", not its name's)
    keyed = {**TOWN_CURATED[0], "own_id": "geonames:100"}
    assert next(script.town_ids([keyed], towns))["curated"] == "geonames:100"


def _wof(qid: str, kind: str, german: list[str], english: list[str], **more: object) -> bytes:
    props = {"wof:placetype": kind, "wof:id": 1, "wof:concordances": {"wd:id": qid} if qid else {},
             "name:deu_x_preferred": german, "name:eng_x_preferred": english, **more}  # fmt: skip
    return json.dumps({"type": "Feature", "properties": props}).encode()


def test_who_s_on_first_gives_a_sea_where_german_and_english_names_agree() -> None:
    script = load_script("wikidata_ids")
    records = [
        _wof("Q20", "marinearea", ["Dingsee"], ["Thing Sea"]),
        _wof("Q21", "marinearea", ["Dingsee"], ["Thing Sea"]),  # the same sea twice: none
        _wof("Q22", "continent", ["Dingland"], ["Thingland"]),
        # a sea named after a town ("Kaliningrad", Frisches Haff): the German name rules
        _wof("Q23", "marinearea", ["Haffsee"], ["Dingstadt"]),
        _wof("Q24", "locality", ["Dorf"], ["Village"]),  # not a continent or sea
    ]
    places = script.wof_places(records)
    assert {p.qid for p in places} == {"Q20", "Q21", "Q22", "Q23"}
    curated = [
        {"id": None, "name": "Dingsee", "type": "LOC", "aliases": [], "name_en": "Thing Sea"},
        {"id": None, "name": "Dingland", "type": "LOC", "aliases": [], "name_en": "Thingland"},
        {"id": None, "name": "Dingstadt", "type": "LOC", "aliases": []},
        {"id": None, "name": "Dorf", "type": "LOC", "aliases": [], "name_en": "Village"},
    ]
    rows = list(script.wof_place_ids(curated, places))
    assert {r["name"]: r["qid"] for r in rows} == {"Dingland": "Q22"}
    assert "English name 'Thingland'" in rows[0]["evidence"]


def test_who_s_on_first_gives_a_region_of_the_entry_s_country_where_both_names_agree() -> None:
    script = load_script("wikidata_ids")
    repo = script.WOF_REPO.format("zz")
    records = [
        _wof("Q40", "region", ["Dingstreifen"], ["Thing Strip"], **{"wof:country": "ZZ"}),
        # the same name's former record (deprecated, no longer current): passed over
        _wof("Q41", "region", ["Dingstreifen"], ["Thing Strip"],
             **{"wof:country": "ZZ", "mz:is_current": 0, "edtf:deprecated": "2017-02-02"}),
        _wof("Q42", "macroregion", ["Dingien"], ["Thingia"], **{"wof:country": "ZZ"}),
        _wof("Q46", "macroregion", ["Autonome Gemeinschaft Dingonien"], ["Thingonia"],
             **{"wof:country": "ZZ"}),
        _wof("Q43", "region", ["Dorfland"], ["Village Land"], **{"wof:superseded_by": [7]}),
        _wof("Q44", "continent", ["Dingkontinent"], ["Thing Continent"]),  # admin-xy's kind
        _wof("Q45", "locality", ["Dingstadt"], ["Thing Town"], **{"wof:country": "ZZ"}),
    ]  # fmt: skip
    places = script.wof_places(records, repo)
    assert {p.qid: p.country for p in places} == {"Q40": "ZZ", "Q42": "ZZ", "Q46": "ZZ"}
    curated = [
        {"id": None, "name": "Dingstreifen", "type": "LOC", "aliases": [],
         "name_en": "Thing Strip", "country": ["ZZ"]},
        # its names, but another country's: the region is not it
        {"id": None, "name": "Dingien", "type": "LOC", "aliases": [], "name_en": "Thingia",
         "country": ["YY"]},
        # the source's German name is an alias of the entry's ("Katalonien")
        {"id": None, "name": "Dingonien", "type": "LOC",
         "aliases": ["Autonome Gemeinschaft Dingonien"], "name_en": "Thingonia",
         "country": ["ZZ"]},
    ]  # fmt: skip
    rows = list(script.wof_place_ids(curated, places))
    assert [(r["name"], r["qid"], r["source"]) for r in rows] == [
        ("Dingstreifen", "Q40", "wofregion"),
        ("Dingonien", "Q46", "wofregion"),
    ]
    assert "whosonfirst-data-admin-zz, region 1" in rows[0]["evidence"]
    assert "country ZZ" in rows[0]["evidence"]


def _nsi(path: str, items: list[dict]) -> tuple[str, str]:
    return path, json.dumps({"properties": {"path": path}, "items": items})


def test_the_name_suggestion_index_gives_an_operator_found_in_the_entry_s_country() -> None:
    script = load_script("wikidata_ids")
    files = [
        _nsi("data/operators/landuse/military.json", [
            {"locationSet": {"include": ["de"]},
             "tags": {"operator": "Dingwehr", "operator:wikidata": "Q30"}},
            # the same name in two countries the entry names: two ids, none taken
            {"locationSet": {"include": ["de"]},
             "tags": {"operator": "Dingpolizei", "operator:wikidata": "Q31"}},
            {"locationSet": {"include": ["at"]},
             "tags": {"operator": "Dingpolizei", "operator:wikidata": "Q32"}},
            # found in a part of a country: that country
            {"locationSet": {"include": ["de-by.geojson"]},
             "tags": {"operator": "Landesdingamt", "operator:wikidata": "Q35"}},
        ]),
        _nsi("data/brands/shop/newsagent.json", [
            # a brand found worldwide: no country agrees
            {"locationSet": {"include": ["001"]},
             "tags": {"brand": "Dingwerke", "brand:wikidata": "Q33"}},
            # a restaurant chain named like a sea: a place is no brand
            {"locationSet": {"include": ["de"]},
             "tags": {"brand": "Dingsee", "brand:wikidata": "Q34"}},
        ]),
    ]  # fmt: skip
    brands = script.brands(files)
    assert next(b for b in brands if b.qid == "Q30").countries == {"DE"}
    assert next(b for b in brands if b.qid == "Q33").countries == frozenset()
    curated = [
        {"id": None, "name": "Dingwehr", "type": "ORG", "aliases": [], "country": ["DE"]},
        {"id": None, "name": "Dingpolizei", "type": "ORG", "aliases": [], "country": ["DE", "AT"]},
        {"id": None, "name": "Dingwerke", "type": "ORG", "aliases": [], "country": ["DE"]},
        {"id": None, "name": "Dingsee", "type": "LOC", "aliases": [], "country": ["DE"]},
        {"id": None, "name": "Landesdingamt", "type": "ORG", "aliases": [], "country": ["DE"]},
    ]
    rows = list(script.brand_ids(curated, brands))
    assert {r["name"]: r["qid"] for r in rows} == {"Dingwehr": "Q30", "Landesdingamt": "Q35"}
    assert "operators/landuse operator 'Dingwehr'" in rows[0]["evidence"]


def _ror_v1(ror: str, name: str, country: str, wikidata: list[str], **more: object) -> bytes:
    record = {"id": f"https://ror.org/{ror}", "name": name, "status": "active",
              "aliases": [], "acronyms": [], "labels": [],
              "country": {"country_code": country},
              "external_ids": {"Wikidata": {"all": wikidata, "preferred": None}}}  # fmt: skip
    return json.dumps({**record, **more}).encode()


def _ror_v2(ror: str, names: list[tuple[str, str]], country: str, wikidata: list[str]) -> bytes:
    return json.dumps({
        "id": f"https://ror.org/{ror}", "status": "active",
        "names": [{"value": v, "types": [t], "lang": None} for v, t in names],
        "locations": [{"geonames_details": {"country_code": country}}],
        "external_ids": [{"type": "wikidata", "all": wikidata, "preferred": None}],
    }).encode()  # fmt: skip


def test_ror_records_give_an_id_where_a_name_and_the_country_agree() -> None:
    script = load_script("wikidata_ids")
    # a record changed in several releases is read as its latest release has it
    paths = ["v1.0/01abc.json", "v1.10/01abc.json", "v1.9/01abc.json", "v2.1/v2/02def.json",
             "v2.1/v1/02def.json", "v1.17.1/02def.json", "README.md"]  # fmt: skip
    assert script.latest_records(paths) == ["v1.10/01abc.json", "v2.1/v2/02def.json"]
    records = [
        _ror_v1("01abc", "Dinginstitut", "DE", ["Q50"], acronyms=["DI"],
                labels=[{"label": "Thing Institute", "iso639": "en"}]),
        _ror_v2("02def", [("Thing Space Agency", "ror_display"), ("TSA", "acronym")],
                "US", ["Q51"]),
        # withdrawn, or of two ids: nothing from them
        _ror_v1("03ghi", "Dingbank", "DE", ["Q52"], status="withdrawn"),
        _ror_v1("04jkl", "Dingwerk", "DE", ["Q53", "Q54"]),
        # an id two records name (one of them with two ids) holds two things: none
        _ror_v1("05mno", "Dingkonzern", "DE", ["Q53"]),
    ]  # fmt: skip
    brands = script.ror_brands(records)
    assert {b.qid for b in brands} == {"Q50", "Q51"}
    assert next(b for b in brands if b.name == "TSA").countries == {"US"}
    curated = [
        # its English name is a record's label, in its country
        {"id": None, "name": "Dinginstitut", "type": "ORG", "aliases": [], "country": ["DE"]},
        {"id": None, "name": "TSA", "type": "ORG", "aliases": [], "country": ["US"]},
        # a namesake in another country
        {"id": None, "name": "DI", "type": "ORG", "aliases": [], "country": ["AT"]},
        {"id": None, "name": "Dingkonzern", "type": "ORG", "aliases": [], "country": ["DE"]},
    ]
    rows = list(script.brand_ids(curated, brands, "ror"))
    assert {r["name"]: r["qid"] for r in rows} == {"Dinginstitut": "Q50", "TSA": "Q51"}
    assert rows[0]["source"] == "ror" and "ror.org/01abc name 'Dinginstitut'" in rows[0]["evidence"]


def test_party_facts_give_a_party_of_german_spelling_its_id() -> None:
    script = load_script("wikidata_ids")
    text = (
        "country,partyfacts_id,wikidata_id,name,name_short,name_native\n"
        "LBN,1,Q60,Party of Things,,Hizb al-Ashya\n"
        # a code ISO 3166 does not know gives no country
        "PSG,2,Q61,Movement of Things,,\n"
    )
    brands = script.party_brands(text)
    assert {(b.name, b.qid, tuple(b.countries)) for b in brands} == {
        ("Party of Things", "Q60", ("LB",)),
        ("Hizb al-Ashya", "Q60", ("LB",)),
    }
    curated = [
        {"id": None, "name": "Partei der Dinge", "type": "ORG", "aliases": [],
         "name_en": "Party of Things", "country": ["LB"]},
        {"id": None, "name": "Movement of Things", "type": "ORG", "aliases": [], "country": ["PS"]},
    ]  # fmt: skip
    rows = list(script.brand_ids(curated, brands, "partyfacts"))
    assert [(r["name"], r["qid"], r["source"]) for r in rows] == [
        ("Partei der Dinge", "Q60", "partyfacts")
    ]
    assert "partyfacts:1 name 'Party of Things', country LB" in rows[0]["evidence"]


def test_the_build_merges_a_curated_party_with_the_party_facts_entry_of_its_id(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "kb"
    (shared / "partyfacts").mkdir(parents=True)
    (shared / "partyfacts" / "wikidata.csv").write_text(
        "country,partyfacts_id,wikidata_id,name,name_short,name_native\n"
        "LBN,1,Q60,Party of Things,,\n",
        encoding="utf-8",
    )
    curated = tmp_path / "entities.jsonl"
    row = {"id": None, "name": "Partei der Dinge", "type": "ORG", "aliases": ["Dingpartei"]}
    curated.write_text(json.dumps(row) + "\n", encoding="utf-8")
    checked = tmp_path / "kb_wikidata_ids.jsonl"
    line = {"qid": "Q60", "curated": "lagebild:ORG:partei-der-dinge", "name": "Partei der Dinge",
            "type": "ORG", "source": "partyfacts", "evidence": "partyfacts:1"}  # fmt: skip
    checked.write_text(json.dumps(line) + "\n", encoding="utf-8")
    entries = {e.id: e for e in build(shared, curated, None, False, checked_file=checked)}
    assert "lagebild:ORG:partei-der-dinge" not in entries
    party = entries["Q60"]
    # the curated name and forms, matched anywhere (a foreign party alone is not)
    assert (party.name, party.wikidata, party.anywhere) == ("Partei der Dinge", "Q60", True)
    assert {"Dingpartei", "Party of Things"} <= set(party.aliases)
    assert party.sources == ["curated", "partyfacts:Q60", "partyfacts:1"]


US_PEOPLE = """
- id: {wikidata: Q40, wikipedia: Anna Dingley}
  name: {first: Anna, middle: B., last: Dingley, official_full: Anna B. Dingley}
  bio: {birthday: '1960-01-02'}
  terms: [{type: viceprez, start: '2021-01-20'}]
- id: {wikidata: Q41}
  name: {first: James Carl, nickname: J.C., last: Thing, official_full: J.C. Thing}
  terms: [{type: sen, start: '2023-01-03'}]
- id: {wikidata: Q42}
  name: {first: Bob, last: Same}
- id: {wikidata: Q43}
  name: {first: Bob, last: Same}
"""


def test_congress_legislators_give_a_us_person_one_record_names() -> None:
    script = load_script("wikidata_ids")
    people = script.us_people([US_PEOPLE])
    assert "Anna Dingley" in next(p for p in people if p.qid == "Q40").names
    curated = [
        {"id": None, "name": "Anna Dingley", "type": "PER", "aliases": [], "country": ["US"]},
        {"id": None, "name": "JC Thing", "type": "PER", "aliases": ["J.C. Thing"],
         "country": ["US"]},
        {"id": None, "name": "Bob Same", "type": "PER", "aliases": [], "country": ["US"]},
        # a namesake of another country: not a US record's
        {"id": None, "name": "Anna Dingley", "type": "PER", "aliases": [], "country": ["GB"]},
    ]  # fmt: skip
    rows = list(script.us_person_ids(curated, people))
    assert [(r["name"], r["qid"]) for r in rows] == [("Anna Dingley", "Q40"), ("JC Thing", "Q41")]
    assert "born 1960-01-02" in rows[0]["evidence"] and "country US" in rows[0]["evidence"]


def test_everypolitician_lists_give_the_one_holder_of_a_name_in_the_entry_s_country() -> None:
    script = load_script("wikidata_ids")
    cabinet = "\n".join([
        "item,itemLabel,position,positionLabel,start,psid",
        "Q50,Iwan Dingko,Q1,Minister of Things,2020-03-04,x",
        # a namesake listed too (a son in parliament): the name is no longer one person's
        "Q51,Petro Same,Q2,President,2010-01-01,x",
        "Q52,Petro Same,Q3,People's Deputy,2012-01-01,x",
    ])  # fmt: skip
    leaders = "\n".join([
        "countryid,country,position,positionLabel,officeholder,officeholderLabel,start_year,end_year",
        "Q191,Estonia,Q4,Prime Minister of Estonia,Q53,Kaja Dingas,2021,",
        "Q999,Nowhere,Q5,President of Nowhere,Q54,Anna Nobody,2021,",  # no known country
    ])  # fmt: skip
    bio = "id,name,gender,dob,dobp,dod,dodp,image,enwiki\n"
    bio += "Q50,Iwan B. Dingko,male,,,,,,Iwan Dingko (politician)"
    family = "id,name,relationship,relative,relativename\nQ50,Iwan Dingko,spouse,Q59,Anna Foreign"
    lists = [("wikidata/results/current-cabinet.csv", "UA", cabinet),
             ("data/wikidata.csv", "", leaders), ("html/bio.csv", "UA", bio),
             ("html/family.csv", "UA", family)]  # fmt: skip
    holders = script.officeholders(lists, {"Q191": "EE"})
    # a holder's relative (a spouse of another country) is no holder of the list's
    assert {(p.qid, p.country) for p in holders} == {
        ("Q50", "UA"),
        ("Q51", "UA"),
        ("Q52", "UA"),
        ("Q53", "EE"),
    }
    # the Wikipedia title, less its "(politician)", is a name of the holder too
    assert {"Iwan B. Dingko", "Iwan Dingko"} <= next(p for p in holders if p.qid == "Q50").names
    curated = [
        {"id": None, "name": "Iwan Dingko", "type": "PER", "aliases": [], "country": ["UA"]},
        {"id": None, "name": "Petro Same", "type": "PER", "aliases": [], "country": ["UA"]},
        {"id": None, "name": "Kaja Dingas", "type": "PER", "aliases": [], "country": ["EE"]},
        # the label agrees, the country does not
        {"id": None, "name": "Iwan Dingko", "type": "PER", "aliases": [], "country": ["RU"]},
    ]
    rows = list(script.officeholder_ids(curated, holders))
    assert [(r["name"], r["qid"]) for r in rows] == [("Iwan Dingko", "Q50"), ("Kaja Dingas", "Q53")]
    assert "Minister of Things" in rows[0]["evidence"] and "country UA" in rows[0]["evidence"]


def test_a_worldwide_brand_gives_a_company_of_its_name_its_id() -> None:
    """No country to agree: the brand's name is the company's own, and the index has one id
    for that name; not for a company's alias, nor for a name two ids share."""
    script = load_script("wikidata_ids")
    brands = [
        script.Brand("Q40", "Dingmotoren", frozenset(), "brands/shop brand"),
        script.Brand("Q40", "Dingmotoren", frozenset(), "brands/amenity operator"),
        script.Brand("Q41", "Dingbank", frozenset(), "brands/amenity brand"),
        script.Brand("Q42", "Dingbank", frozenset({"US"}), "brands/amenity brand"),
        script.Brand("Q43", "DM", frozenset(), "brands/shop brand"),
    ]
    curated = [
        {"id": None, "name": "Dingmotoren", "type": "ORG", "aliases": [], "kind": "company"},
        {"id": None, "name": "Dingbank", "type": "ORG", "aliases": [], "kind": "company"},
        {"id": None, "name": "Dingmarkt", "type": "ORG", "aliases": ["DM"], "kind": "company"},
        # not a company: a brand is no evidence for an authority
        {"id": None, "name": "Dingmotoren", "type": "ORG", "aliases": [], "kind": "authority"},
    ]
    rows = list(script.world_brand_ids(curated, brands))
    assert [(r["name"], r["qid"]) for r in rows] == [("Dingmotoren", "Q40")]
    assert "worldwide" in rows[0]["evidence"]
