"""GeoNames cities in the KB build, on GeoNames-shaped records of our own."""

from __future__ import annotations

import json
from pathlib import Path

from workers.tagging.build_kb import Entry
from workers.tagging.kb_geonames import (
    CityChoice,
    attach_cities,
    city_names,
    name_key,
    read_cities,
)


def city(gid: int, name: str, cc: str, pop: int, *alternates: str) -> dict:
    return {
        "geonameid": gid,
        "name": name,
        "latitude": 48.1,
        "longitude": 11.6,
        "countrycode": cc,
        "admin1code": "02",
        "population": pop,
        "alternatenames": list(alternates),
    }


CITIES = [
    # English name first, the German one among codes and other languages' forms
    city(2867714, "Munich", "DE", 1_505_005, "MUC", "Muenchen", "München", "Münih", "Minga",
         "Мюнхен", "ミュンヘン"),
    # called like a common word German reads as a name first, and large: kept, but matched
    # only where the name tagger found a name ("das Essen" is food)
    city(2928810, "Essen", "DE", 593_085, "ESS", "Essen"),
    # a smaller town of the same name loses it to the larger one
    city(2928809, "Essen", "DE", 8_185, "Essen"),
    # the gazetteer's place of this GeoNames id has names of its own: they win
    city(702320, "Melitopol'", "UA", 150_768, "Melitopol", "Мелитополь"),
    # a Russian city: the German transliteration of its own Cyrillic name, not an old one
    city(1486209, "Yekaterinburg", "RU", 1_495_066, "Ekaterinburg", "Екатеринбург",
         "Свердловск"),
    # "Mark" is a German word (and a given name): never a form of the town
    city(1, "Markstadt", "DE", 20_000, "Mark"),
]  # fmt: skip


def entries() -> list[Entry]:
    return [
        Entry(id="Q183", name="Deutschland", type="LOC", kind="country",
              sources=["curated", "rigour:de"]),
        Entry(id="Q159", name="Russland", type="LOC", kind="country", sources=["rigour:ru"]),
        Entry(id="Q212", name="Ukraine", type="LOC", kind="country", sources=["rigour:ua"]),
        # curated, without coordinates: the city merges into it by name
        Entry(id="Q1726", name="München", type="LOC", sources=["curated"], priority=0),
        Entry(id="Q189555", name="Melitopol", type="LOC", kind="locality", lat=46.8, lon=35.4,
              parent="Q171331", sources=["whosonfirst:40"], geonames=702320),
    ]  # fmt: skip


def built() -> dict[str, Entry]:
    return {e.id: e for e in attach_cities(entries(), CITIES, Entry)}


def test_german_name_kept_codes_and_foreign_forms_dropped() -> None:
    name, forms = city_names(CITIES[0])
    assert name == "München"
    assert "München" in forms and "Munich" in forms
    assert not {"MUC", "Münih", "Minga", "Мюнхен"} & set(forms)
    assert city_names(CITIES[4])[0] == "Jekaterinburg"
    assert "Swerdlowsk" not in city_names(CITIES[4])[1]
    assert "Mark" not in city_names(CITIES[5])[1]
    # a town called like a noun HanTa analyses, though its word table lacks it
    kuchen = city(2883151, "Kuchen", "DE", 5_790, "Kuchen")
    assert "geonames:2883151" not in {e.id for e in attach_cities(entries(), [kuchen], Entry)}
    # a city quarter called like a common noun
    assert city_names(city(12214069, "Landstraße", "AT", 89_000, "Landstrasse"))[1] == []


def test_merged_with_curated_and_gazetteer_places_parent_set() -> None:
    kb = built()
    munich = kb["Q1726"]
    assert munich.name == "München" and munich.kind == "city"
    assert munich.parent == "Q183" and munich.lat == 48.1 and munich.population == 1_505_005
    assert "geonames:2867714" not in kb  # one entry per real place
    melitopol = kb["Q189555"]
    assert melitopol.name == "Melitopol" and melitopol.lat == 46.8  # the gazetteer's wins
    assert melitopol.parent == "Q171331" and "geonames:702320" in melitopol.sources
    assert "geonames:702320" not in kb
    assert kb["geonames:1486209"].parent == "Q159"


def test_common_word_city_matched_only_as_a_name_and_shared_names_to_the_larger() -> None:
    kb = built()
    assert not kb["geonames:2928810"].anywhere and "geonames:2928809" not in kb
    # a smaller town called like a word, or a large one German reads as a noun or verb
    # first ("Bergen", "Erlangen"): left out
    words = [city(2902768, "Hof", "DE", 45_000), city(3161732, "Bergen", "NO", 294_029),
             city(2929567, "Erlangen", "DE", 102_675)]  # fmt: skip
    kept = {e.name for e in attach_cities(entries(), words, Entry)}
    assert not {"Hof", "Bergen", "Erlangen"} & kept
    towns = [city(5, "Neustadt", "DE", 40_000), city(6, "Neustadt", "DE", 9_000)]
    kept = {e.id for e in attach_cities(entries(), towns, Entry)}
    assert "geonames:5" in kept and "geonames:6" not in kept


def test_population_thresholds_by_country(tmp_path: Path) -> None:
    path = tmp_path / "cities.json"
    small = [city(10, "Kleinstadt", "DE", 6_000), city(11, "Petite", "FR", 50_000),
             city(12, "Malyj", "RU", 14_000), city(13, "Grand", "FR", 150_000)]  # fmt: skip
    path.write_text(json.dumps({str(c["geonameid"]): c for c in small}), encoding="utf-8")
    kept = {c["name"] for c in read_cities(path, CityChoice())}
    assert kept == {"Kleinstadt", "Grand"}


def test_world_towns_need_a_german_known_name_and_are_no_surnames() -> None:
    people = [Entry(id="Q9696", name="John F. Kennedy", type="PER", sources=["curated"])]
    towns = [
        city(3688689, "Kennedy", "CO", 1_000_000, "Kennedy"),  # a Bogotá locality
        city(6544489, "Latina", "IT", 126_000, "Latina"),  # a word more often than a town
        city(3173435, "Milan", "IT", 1_371_498, "Mailand"),  # HanTa knows "Mailand"
        city(1849814, "Toyota", "JP", 426_000, "Toyota"),  # the repairs file's carmaker
    ]
    kept = {e.name for e in attach_cities(entries() + people, towns, Entry, skip=[1849814])}
    assert "Mailand" in kept
    assert not {"Kennedy", "Latina", "Toyota"} & kept


def test_a_far_city_german_lacks_the_name_of_is_matched_only_as_a_name_when_its_own() -> None:
    """Below 500,000 a name HanTa and Wiktionary lack ("Jayapura") is the town only where the
    name tagger found a place's name; one several large cities share ("Springfield"), or a
    surname ("Davenport"), names none."""
    towns = [city(2082600, "Jayapura", "ID", 134_895, "Jayapura"),
             city(4409896, "Springfield", "US", 166_810),
             city(4951788, "Springfield", "US", 155_929),
             city(4853828, "Davenport", "US", 101_724),
             city(3173435, "Milan", "IT", 1_371_498, "Mailand")]  # fmt: skip
    kb = {e.name: e for e in attach_cities(entries(), towns, Entry)}
    assert not kb["Jayapura"].anywhere and kb["Mailand"].anywhere
    assert "Springfield" not in kb and "Davenport" not in kb


def test_a_gazetteer_place_called_like_a_common_word_stays_matched_only_as_a_name() -> None:
    """WOF's Bar (Ukraine) is matched only where the name tagger found a name; the GeoNames
    city merged into it must not make every "Bar" a place ("in eine Bar")."""
    bar = Entry(id="Q737925", name="Bar", type="LOC", kind="locality", lat=49.1, lon=27.7,
                sources=["whosonfirst:41"], geonames=712861, anywhere=False)  # fmt: skip
    cities = [city(712861, "Bar", "UA", 16_641, "Bar"), city(702320, "Melitopol'", "UA", 150_768)]
    kb = {e.id: e for e in attach_cities([*entries(), bar], cities, Entry)}
    assert "geonames:712861" in kb["Q737925"].sources and not kb["Q737925"].anywhere
    assert kb["Q189555"].anywhere  # a city's own name still counts everywhere


def test_a_citys_other_name_that_is_a_given_name_is_left_out() -> None:
    """GeoNames lists "Ben" for Bern: "Ben Stiller" and the Ben-Gurion airport became Bern."""
    name, forms = city_names(city(2661552, "Bern", "CH", 121_631, "Ben"))
    assert (name, forms) == ("Bern", ["Bern"])  # HanTa knows "Ben" as a proper noun


def test_a_source_built_politicians_surname_takes_no_town_away() -> None:
    """Only curated people's surnames keep a town of that name out: a politician of the
    politicians file ("Jan Wattenheim") has no surname form of their own to collide with."""
    politician = Entry(id="Q9000010", name="Jan Wattenheim", type="PER",
                       sources=["captainfact:Q9000010"])  # fmt: skip
    curated = Entry(id="Q9000011", name="Eva Kennedy", type="PER", sources=["curated"])
    towns = [
        city(9000001, "Wattenheim", "DE", 8_000, "Wattenheim"),
        city(9000002, "Kennedy", "DE", 8_000, "Kennedy"),
    ]
    kept = {e.name for e in attach_cities([*entries(), politician, curated], towns, Entry)}
    assert "Wattenheim" in kept and "Kennedy" not in kept


# -- Wikidata ids from GeoNames/Wikidata pairs (Natural Earth, Who's On First) ---------------


def pairs_file(tmp_path: Path) -> Path:
    """A kb_geonames_wikidata.tsv of our own: the pairs the sources would give."""
    rows = [
        "geonameid\twikidata\tsource\tgerman\tnames",
        "2935517\tQ1295\tnaturalearth\tDortmund\tDortmund",  # names agree: taken
        "2867714\tQ1726\tnaturalearth\tMünchen\tMunich",  # the curated München has it already
        "3173435\tQ490\tnaturalearth\tMailand\tMilan",  # the German name agrees
        "2950159\tQ64\tnaturalearth\tBerlin\tBerlin",  # the pair is wrong: it is Lüneburg
        "703448\tQ1899\tnaturalearth\tKiew\tKiev",  # names agree, but Q1899 is another's
        "709930\tQ5092\tnaturalearth\t\tDnipropetrovsk",  # its renamed city: too unlike
        "2772400\tQ41329\twhosonfirst:101748087\t\tLinz",  # a Who's On First town
        # the German name becomes a form of the place it is spelled like
        "344979\tQ9000001\tnaturalearth\tAddis Abeba\tAddis Ababa",
        # a German name unlike the place's own names is none of its forms
        "1185241\tQ9000002\tnaturalearth\tChittagong\tIslamabad",
    ]
    path = tmp_path / "pairs.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def place(gid: int, name: str, *aliases: str, **fields) -> Entry:
    return Entry(id=f"geonames:{gid}", name=name, type="LOC", aliases=list(aliases),
                 sources=[f"geonames:{gid}"], geonames=gid, kind="city", **fields)  # fmt: skip


def test_a_city_takes_natural_earths_wikidata_id_only_where_the_names_agree(
    tmp_path: Path,
) -> None:
    from workers.tagging.kb_geonames import (
        NATURAL_EARTH,
        WHOS_ON_FIRST_PAIR,
        give_wikidata,
        read_wikidata_pairs,
    )

    kyiv = Entry(id="Q1899", name="Kyjiw", type="LOC", wikidata="Q1899", sources=["curated"])
    munich = Entry(id="Q1726", name="München", type="LOC", wikidata="Q1726", geonames=2867714,
                   sources=["curated", "geonames:2867714"])  # fmt: skip
    district = Entry(id="x", name="Dortmund-Mitte", type="LOC", parent="geonames:2935517")
    entries = [
        place(2935517, "Dortmund", population=588_250),
        place(3173435, "Mailand", "Milano"),
        place(2950159, "Lüneburg"),
        place(703448, "Kiew-Stadt"),
        place(709930, "Dnipro"),
        place(2772400, "Linz"),
        place(344979, "Addis Ababa"),
        place(1185241, "Islamabad"),
        kyiv,
        munich,
        district,
    ]
    renamed = give_wikidata(entries, read_wikidata_pairs(pairs_file(tmp_path)))
    by_id = {e.id: e for e in entries}

    dortmund = by_id["Q1295"]
    assert dortmund.wikidata == "Q1295" and dortmund.name == "Dortmund"
    assert dortmund.id_source == NATURAL_EARTH and "naturalearth" in dortmund.sources
    assert dortmund.former_id == "geonames:2935517"
    assert district.parent == "Q1295"  # a parent naming the old id follows it
    assert by_id["Q490"].name == "Mailand"  # Natural Earth's German name
    assert by_id["Q9000001"].aliases == ["Addis Abeba"] and by_id["Q9000002"].aliases == []
    # a name that does not agree, and an id another entry holds: nothing given
    assert by_id["geonames:2950159"].wikidata is None
    assert by_id["geonames:703448"].wikidata is None
    assert [e.id for e in entries if e.wikidata == "Q1899"] == ["Q1899"]
    # a place's own Wikidata id stays; a name only the start of the other's does not agree
    assert munich.id == "Q1726" and munich.id_source == ""
    assert "Q5092" not in by_id
    linz = by_id["Q41329"]
    assert linz.id_source == WHOS_ON_FIRST_PAIR and "whosonfirst:101748087" in linz.sources
    assert renamed == {
        "geonames:2935517": "Q1295",
        "geonames:3173435": "Q490",
        "geonames:2772400": "Q41329",
        "geonames:344979": "Q9000001",
        "geonames:1185241": "Q9000002",
    }


def test_names_agree_loosely() -> None:
    from workers.tagging.kb_geonames import names_agree

    assert names_agree(["Mönchengladbach"], ["Monchengladbach"])
    assert names_agree(["Frankfurt am Main"], ["Frankfurt"])
    assert names_agree(["Charkiw"], ["Kharkiv"])
    assert names_agree(["Lwiw"], ["Lviv"])
    assert not names_agree(["Lüneburg"], ["Berlin"])
    assert not names_agree(["Bengaluru"], ["Bangalore"])


def test_the_shipped_pairs_are_one_to_one_and_a_city_carries_its_id() -> None:
    """kb_geonames_wikidata.tsv as scripts/geonames_wikidata.py wrote it, and the built KB."""
    import gzip

    from workers.tagging.kb_geonames import WIKIDATA_PAIRS, read_wikidata_pairs

    pairs = read_wikidata_pairs(WIKIDATA_PAIRS)
    qids = [p.wikidata for p in pairs.values()]
    assert len(pairs) > 1900 and len(set(qids)) == len(qids)
    assert pairs[2935517].wikidata == "Q1295"  # Dortmund
    assert pairs[2657970].source.startswith("whosonfirst:")  # Winterthur: Who's On First's
    with gzip.open(WIKIDATA_PAIRS.parent / "kb.jsonl.gz", "rt", encoding="utf-8") as kb:
        by_id = {e["id"]: e for e in map(json.loads, kb)}
    assert by_id["Q1295"]["name"] == "Dortmund" and "geonames:2935517" not in by_id
    assert by_id["Q9125"]["name"] == "Winterthur" and "geonames:2657970" not in by_id
    assert by_id["Q9125"]["id_source"] == "Who's On First (GeoNames id and name agree)"


def test_natural_earths_id_does_not_make_a_city_notable() -> None:
    """The tag stage matches a source-built entry without a name the tagger saw only when a
    source chose it for its Wikidata id; Natural Earth gives one to every city it has
    ("Columbia" the shuttle, "OCHA" the UN office stayed no cities)."""
    from workers.tagging.knowledge import (
        NATURAL_EARTH,
        WHOS_ON_FIRST_PAIR,
        KnownEntity,
        entity_from_json,
        well_known,
    )

    def known(id_source: str, population: int = 7_000) -> KnownEntity:
        return entity_from_json({"id": "Q1", "wikidata": "Q1", "name": "Ocha", "type": "LOC",
                                 "priority": -1, "population": population,
                                 "id_source": id_source})  # fmt: skip

    ocha = known(NATURAL_EARTH)
    assert ocha.wikidata == "Q1" and not ocha.notable and not well_known(ocha)
    assert not known(WHOS_ON_FIRST_PAIR).notable
    assert known("Who's On First (wd:id)").notable
    assert well_known(known(NATURAL_EARTH, population=150_000))  # a city, by its size


def test_wiktionary_place_names_abroad() -> None:
    """Abroad, a German name only the Wiktionary knows is the city's ("Pjöngjang"), if it is
    spelled like GeoNames' own: GeoNames lists other places' names among a city's."""
    name, forms = city_names(city(1871859, "Pyongyang", "KP", 3_222_000, "Pjöngjang", "Heijo"))
    assert name == "Pjöngjang" and "Pyongyang" in forms and "Heijo" not in forms
    # "Bethlehem" is among Belém's names: unlike the city's own, not taken
    assert city_names(city(405870, "Belém", "BR", 1_407_737, "Bethlehem"))[1] == ["Belém"]
    # a name the repairs file takes from the city, or a town's at home, is not taken
    assert "Osterode" not in city_names(city(3089779, "Ostróda", "PL", 33_000, "Osterode"),
                                        avoid={"Osterode"})[1]  # fmt: skip
    # at home GeoNames' names are German already: no Wiktionary name from the alternates
    assert city_names(city(2, "Testhausen", "DE", 9_000, "Osterode"))[1] == ["Testhausen"]


def test_a_name_wiktionary_has_as_a_place_alone_is_no_common_word() -> None:
    """HanTa lists "Karlsruhe" and "Chicago" as nouns too; Wiktionary knows them as places only,
    so they are cities. "Halle" is a noun for Wiktionary too: a large city, matched only where
    the name tagger found a place's name; "Leer" is an adjective, and small."""
    towns = [
        city(2892794, "Karlsruhe", "DE", 283_799, "Karlsruhe"),
        city(4887398, "Chicago", "US", 2_664_452, "Chicago"),
        city(2911522, "Halle", "DE", 238_762, "Halle"),
        city(2879697, "Leer", "DE", 33_886, "Leer"),
    ]
    kept = {e.name: e for e in attach_cities(entries(), towns, Entry)}
    assert kept["Karlsruhe"].anywhere and kept["Chicago"].anywhere
    assert not kept["Halle"].anywhere and "Leer" not in kept


def test_a_city_german_has_a_name_for_counts_from_fewer_people(tmp_path: Path) -> None:
    """Abroad a city needs 100,000 inhabitants, unless the Wiktionary knows its German name
    as a place and nothing else: Venice's 51,000 are "Venedig". Not a person's name, nor
    one of a town at home."""
    records = [
        city(3164603, "Venice", "IT", 51_298, "Venedig", "Venezia"),
        city(3, "Clinton", "US", 30_000, "Clinton"),
        city(4, "Smalltown", "IT", 30_000, "Smalltown"),
        city(2928011, "Falkenberg", "DE", 6_000, "Falkenberg"),
        city(2715568, "Falkenberg", "SE", 19_000, "Falkenberg"),
    ]
    path = tmp_path / "cities.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    kept = {(r["name"], r["countrycode"]) for r in read_cities(path)}
    assert kept == {("Venice", "IT"), ("Falkenberg", "DE")}


def test_a_name_key_has_no_marks_case_punctuation_or_spelling_of_its_own() -> None:
    assert name_key("Mönchengladbach") == name_key("Monchengladbach")
    assert name_key("São Paulo") == "sao paulo" and name_key("Groß-Gerau") == "gross gerau"
    assert name_key("Lwiw") == name_key("Lviv") == "lviv"


def test_a_city_keeps_its_own_name_where_wiktionary_has_it_as_a_place() -> None:
    """Kiel is a noun too (a ship's keel), but the Wiktionary knows it as a place: GeoNames'
    name stays, not another language's form HanTa happens to know ("Kil")."""
    assert city_names(city(2891122, "Kiel", "DE", 252_668, "Kil", "Kiel"))[0] == "Kiel"


def test_a_pair_from_the_nrw_or_the_confirmed_file_reaches_the_town(tmp_path: Path) -> None:
    """kb_geonames_wikidata.tsv's siblings: NWBib's NRW towns and the pairs confirmed by
    hand (a ``#`` line says where from) give a town its id the same way; a GeoNames id two
    files pair with different Wikidata ids is left out; the old geonames:N stays followable."""
    from workers.tagging.build_kb import renamed_ids
    from workers.tagging.kb_geonames import (
        CONFIRMED_PAIR,
        NWBIB_PAIR,
        give_wikidata,
        read_pair_files,
    )
    from workers.tagging.knowledge import entity_from_json

    header = "geonameid\twikidata\tsource\tgerman\tnames\n"
    first, nrw, confirmed = (tmp_path / f"{n}.tsv" for n in ("first", "nrw", "confirmed"))
    first.write_text(header + "2911298\tQ1055\tnaturalearth\tHamburg\tHamburg\n", "utf-8")
    nrw.write_text(header + "2947416\tQ2103\tnwbib:05911\t\tBochum\n"
                   "2911298\tQ9999\tnwbib:1\t\tHamburg\n", "utf-8")  # fmt: skip
    confirmed.write_text(header + "# 'Darmstadt' Q2973 in two public files\n"
                         "2938913\tQ2973\tconfirmed\t\tDarmstadt\n", "utf-8")  # fmt: skip
    pairs = read_pair_files([first, nrw, confirmed, tmp_path / "missing.tsv"])
    assert sorted(pairs) == [2938913, 2947416]  # Hamburg: contested, left out
    entries = [place(2938913, "Darmstadt"), place(2947416, "Bochum"), place(2911298, "Hamburg")]
    renamed = give_wikidata(entries, pairs)
    assert renamed == {"geonames:2938913": "Q2973", "geonames:2947416": "Q2103"}
    darmstadt, bochum, hamburg = entries
    assert darmstadt.id == darmstadt.wikidata == "Q2973"
    assert darmstadt.id_source == CONFIRMED_PAIR and "confirmed" in darmstadt.sources
    assert bochum.id == "Q2103" and bochum.id_source == NWBIB_PAIR
    assert "nwbib:05911" in bochum.sources  # its municipality key
    assert hamburg.wikidata is None
    assert renamed_ids(entries) == [
        ("geonames:2938913", "Q2973"),
        ("geonames:2947416", "Q2103"),
    ]
    # a paired town is no notable entry: matched only where the name tagger saw a place
    assert not entity_from_json(darmstadt.as_json()).notable


def test_each_confirmed_pair_says_where_from_and_its_town_carries_the_id() -> None:
    """kb_geonames_wikidata_confirmed.tsv: a ``#`` line naming the evidence above each pair,
    and the built KB's town has the id, followable by its geonames:N."""
    import gzip

    from workers.tagging.kb_geonames import CONFIRMED_PAIR, CONFIRMED_PAIRS, read_wikidata_pairs

    lines = CONFIRMED_PAIRS.read_text(encoding="utf-8").splitlines()[1:]
    rows = [i for i, line in enumerate(lines) if not line.startswith("#")]
    assert rows and all(i > 0 and lines[i - 1].startswith("# ") for i in rows)
    pairs = read_wikidata_pairs(CONFIRMED_PAIRS)
    assert pairs[2938913].wikidata == "Q2973"  # Darmstadt
    with gzip.open(CONFIRMED_PAIRS.parent / "kb.jsonl.gz", "rt", encoding="utf-8") as kb:
        by_id = {e["id"]: e for e in map(json.loads, kb)}
    for gid, pair in pairs.items():
        town = by_id[pair.wikidata]
        assert f"geonames:{gid}" in town["source"] and town["id_source"] == CONFIRMED_PAIR
    former = (CONFIRMED_PAIRS.parent / "kb_former_ids.tsv").read_text(encoding="utf-8")
    assert "geonames:2938913\tQ2973\n" in former


def test_a_curated_persons_form_ending_in_a_given_name_takes_no_town_away() -> None:
    """ "Queen Elizabeth" ends in a given name, no surname: Elizabeth, New Jersey, stays a
    town; "Udo Kennedy" still keeps a town Kennedy out."""
    people = [
        Entry(id="Q9000012", name="Elizabeth II.", type="PER", aliases=["Queen Elizabeth"],
              sources=["curated"]),
        Entry(id="Q9000013", name="Udo Kennedy", type="PER", sources=["curated"]),
    ]  # fmt: skip
    towns = [
        city(5097598, "Elizabeth", "US", 129_007, "Elizabeth"),
        city(9000002, "Kennedy", "DE", 8_000, "Kennedy"),
    ]
    kept = {e.name for e in attach_cities([*entries(), *people], towns, Entry)}
    assert "Elizabeth" in kept and "Kennedy" not in kept
