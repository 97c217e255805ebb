"""Politicians with Wikidata ids as knowledge-base people, on fixtures of our own."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from workers.tagging import kb_politicians as kb_politicians_module
from workers.tagging.build_kb import build, check, write
from workers.tagging.kb_politicians import name_form, own_form
from workers.tagging.knowledge import load_entities
from workers.tagging.link_rules import linked_people, linked_surnames
from workers.tagging.stage import Tagger

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import kb_politicians
import wikidata_ids

#: rows in the layout of CaptainFact's extract (made up, with made-up ids)
ROWS = """politician,politicianDescription,image,name_in_native_language,date_of_birth,country,,,
http://www.wikidata.org/entity/Q9000001,French politician,http://commons.wikimedia.org/wiki/Special:FilePath/Francois%20Dupont%202015.jpeg,François Gérard Dupont,1954-08-12T00:00:00Z,FR,,,
http://www.wikidata.org/entity/Q9000002,German politician,http://commons.wikimedia.org/wiki/Special:FilePath/Hanna%20Beispiel.jpg,Hanna Beispiel,1966-10-09T00:00:00Z,DD,,,
http://www.wikidata.org/entity/Q9000002,German politician,http://commons.wikimedia.org/wiki/Special:FilePath/Hanna%20Beispiel.jpg,Hanna Beispiel,1966-10-09T00:00:00Z,DE,,,
http://www.wikidata.org/entity/Q9000003,German politician,http://commons.wikimedia.org/wiki/Special:FilePath/Bild.jpg,Karl Doppelt,1950-01-01T00:00:00Z,DE,,,
http://www.wikidata.org/entity/Q9000004,Austrian politician,http://commons.wikimedia.org/wiki/Special:FilePath/Bild.jpg,Karl Doppelt,1960-01-01T00:00:00Z,AT,,,
http://www.wikidata.org/entity/Q9000005,Fijian politician,http://commons.wikimedia.org/wiki/Special:FilePath/Bild.jpg,Ana Lejos,1960-01-01T00:00:00Z,FJ,,,
http://www.wikidata.org/entity/Q9000006,Spanish politician,http://commons.wikimedia.org/wiki/Special:FilePath/Bild.jpg,Mariano Ejemplo Brey,1955-03-27T00:00:00Z,ES,,,
"""  # noqa: E501


def test_full_names_only() -> None:
    assert name_form("Ursula von der Leyen") and name_form("George W. Bush")
    assert name_form("Jean-Luc Mélenchon") and name_form("Karl-Theodor zu Guttenberg")
    assert not name_form("Merkel")  # a surname alone
    assert not name_form("Peter 2")  # digits
    assert not name_form("KARL Müller")  # a word in capitals
    assert not name_form("Сергей Лавров")  # not Latin
    assert not name_form("von Hanna")  # a particle at the start


def test_the_script_keeps_usual_full_names_and_drops_shared_ones() -> None:
    rows = {r["qid"]: r for r in kb_politicians.read(ROWS)}
    # the picture's words in the native spelling: the name people are called by
    dupont = rows["Q9000001"]
    assert dupont["name"] == "François Dupont"
    assert "François Gérard Dupont" in dupont["aliases"]
    assert rows["Q9000002"]["country"] == ["DE"]  # the GDR's citizens are Germany's
    # a full name two people share names neither of them
    assert "Q9000003" not in rows and "Q9000004" not in rows
    assert "Q9000005" not in rows  # a country German news rarely writes about
    # the first of two Spanish surnames is the one used
    assert "Mariano Ejemplo" in rows["Q9000006"]["aliases"]


CURATED = [
    {"id": "Q9000002", "name": "Hanna Beispiel", "type": "PER", "aliases": ["Beispiel"]},
    {"id": None, "name": "Neustadt am Fluss", "type": "LOC", "aliases": ["Olga Neustadt"]},
]
POLITICIANS = [
    {"qid": "Q9000002", "name": "Hanna Beispiel", "aliases": ["Hanna Maria Beispiel"],
     "country": ["DE"], "born": "1966", "description": "German politician"},
    # a full name another entry already has stays that entry's; nothing left, no entry
    {"qid": "Q9000007", "name": "Olga Neustadt", "aliases": [], "country": ["DE"],
     "born": "1970", "description": "German politician"},
    {"qid": "Q9000008", "name": "Fritz Muster", "aliases": [], "country": ["AT"],
     "born": "1971", "description": "Austrian politician"},
    {"qid": "Q9000009", "name": "Otto Namensvetter", "aliases": [], "country": ["CH"],
     "born": "1952", "description": "Swiss politician"},
]  # fmt: skip


@pytest.fixture
def built(tmp_path: Path) -> dict[str, dict]:
    shared = tmp_path / "kb"
    shared.mkdir()
    curated = tmp_path / "entities.jsonl"
    curated.write_text("\n".join(json.dumps(c) for c in CURATED) + "\n", encoding="utf-8")
    people = tmp_path / "politicians.jsonl"
    people.write_text("".join(json.dumps(p) + "\n" for p in POLITICIANS), encoding="utf-8")
    repairs = tmp_path / "repairs.toml"
    repairs.write_text('[politicians]\nskip = ["Q9000009"]\n', encoding="utf-8")
    entries = build(shared, curated, repairs, with_territories=False, politicians_file=people)
    check(entries)
    out = tmp_path / "kb.jsonl.gz"
    write(entries, out)
    load_entities(out)  # the shipped loader reads what the build wrote
    with gzip.open(out, "rt", encoding="utf-8") as fh:
        return {r["id"]: r for r in map(json.loads, fh)}


def test_politicians_merge_by_id_and_never_take_another_entrys_name(built) -> None:
    hanna = built["Q9000002"]
    assert hanna["name"] == "Hanna Beispiel" and "Beispiel" in hanna["aliases"]  # curated
    assert "Hanna Maria Beispiel" in hanna["aliases"]
    assert hanna["source"] == "curated+captainfact:Q9000002"
    assert "Q9000007" not in built  # "Olga Neustadt" is the place's alias
    fritz = built["Q9000008"]
    assert fritz["type"] == "PER" and fritz["wikidata"] == "Q9000008"
    assert fritz["aliases"] == []  # no surname alone
    assert "Q9000009" not in built  # left out by the repairs file


def test_shipped_politicians_file_has_full_names_and_one_id_each() -> None:
    path = Path(kb_politicians.OUT)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) > 5000
    forms = [f for r in rows for f in [r["name"], *r["aliases"]]]
    assert all(name_form(f) for f in forms)
    assert len(forms) == len(set(forms)), "a full name of two people"


def entity(tagger: Tagger, text: str, key: str):
    return next((e for e in tagger.entities("", text) if e.key == key), None)


def test_a_surname_is_the_person_only_where_the_item_names_them_in_full(tagger) -> None:
    # Heinz Bierbaum (Q1000800) comes from the politicians file: no curated surname alias
    text = (
        "Der Linken-Politiker Heinz Bierbaum hat die Pläne kritisiert. Bierbaum sagte am "
        "Montag in Saarbrücken, die Regierung müsse nachbessern. Bierbaums Kritik wurde geteilt."
    )
    found = entity(tagger, text, "Q1000800")
    assert found is not None
    assert [m.text for m in found.mentions] == ["Heinz Bierbaum", "Bierbaum", "Bierbaums"]
    alone = "Bierbaum sagte am Montag in Saarbrücken, die Regierung müsse nachbessern."
    assert entity(tagger, alone, "Q1000800") is None


def test_a_surname_two_linked_people_share_is_left_alone(tagger: Tagger) -> None:
    text = "Heinz Bierbaum traf Hanna Bierbaum. Bierbaum sagte danach nichts."
    links = [link for link in tagger._spans(text)[0] if link[2].entity.id == "Q1000800"]
    people = linked_people(text, links)
    assert "Bierbaum" in people
    # a second person of that surname in the item (named in full, not in the KB)
    found = {e.name: e for e in tagger.entities("", text)}
    assert "Bierbaum" not in [m.text for m in found["Heinz Bierbaum"].mentions]


def test_linked_surnames_skip_nouns_and_compounds(tagger: Tagger) -> None:
    text = "Heinz Bierbaum sprach. Die Bierbaum-Stiftung schwieg, Bierbaum nicht."
    links, _ = tagger._spans(text)
    people = linked_people(text, links)
    out, _ = linked_surnames(tagger.kin, text, links, [], people)
    surnames = [text[s:e] for s, e, link in out if link.entity.id == "Q1000800"]
    assert surnames == ["Heinz Bierbaum", "Bierbaum"]  # not the compound's


def test_a_curated_id_under_other_names_takes_none_of_the_politicians(tmp_path: Path) -> None:
    """A curated entry whose id the file gives to a person of other names keeps its own
    names: merged by id, the entry would otherwise carry another person's."""
    shared = tmp_path / "kb"
    shared.mkdir()
    curated = tmp_path / "entities.jsonl"
    row = {"id": "Q9000012", "name": "Erika Richtig", "type": "PER", "aliases": []}
    curated.write_text(json.dumps(row) + "\n", encoding="utf-8")
    people = tmp_path / "politicians.jsonl"
    other = {"qid": "Q9000012", "name": "Max Anders", "aliases": [], "country": ["DE"],
             "born": "1960", "description": "German politician"}  # fmt: skip
    people.write_text(json.dumps(other) + "\n", encoding="utf-8")
    entries = build(shared, curated, None, with_territories=False, politicians_file=people)
    (erika,) = [e for e in entries if e.id == "Q9000012"]
    assert erika.forms() == {"Erika Richtig"} and erika.sources == ["curated"]


def test_federal_ministers_born_before_1945_are_curated(tagger: Tagger) -> None:
    """CaptainFact's people are born after 1945: ministers before them are curated with
    EveryPolitician's ids; a common surname ("Schmidt") is no alias of its own."""
    assert entity(tagger, "Schäuble verteidigte den Haushalt.", "Q16019") is not None
    text = "Altkanzler Helmut Schmidt ist tot. Schmidt wurde 96 Jahre alt."
    schmidt = entity(tagger, text, "Q2516")
    assert schmidt is not None and [m.text for m in schmidt.mentions] == [
        "Helmut Schmidt",
        "Schmidt",
    ]
    assert entity(tagger, "Schmidt wurde 96 Jahre alt.", "Q2516") is None


#: the Bundestag members' files (made up, with made-up ids): member id -> Wikidata id,
#: name, and date of birth, place of birth, date of death
MDB_IDS = "1\tQ9100001\n2\tQ9100002\n3\tQ9100003\n4\tQ9100004\n5\tQ9000002\n6\tQ9100006\n"
MDB_NAMES = (
    "1\tEdwin Altgedient\n2\tMichael Fischer\n3\tKurt Verstorben\n"
    "4\tAnna Maria Zweinamig\n5\tHanna Beispiel\n6\tMariano Ejemplo\n"
)
MDB_DATES = (
    "1\t28.09.1941\tOberdorf\t\n2\t01.01.1950\tA\t\n3\t01.01.1910\tB\t03.03.1985\n"
    "4\t01.01.1960\tC\t\n5\t09.10.1966\tD\t\n6\t01.01.1940\tE\t01.01.2001\n"
)


def test_bundestag_members_join_captainfacts_people_without_namesakes() -> None:
    members = kb_politicians.members(MDB_IDS, MDB_NAMES, MDB_DATES)
    by_id = {m["qid"]: m for m in members}
    # born before 1945: CaptainFact lacks them, the Bundestag's list has them
    assert by_id["Q9100001"]["forms"] == ["Edwin Altgedient"]
    assert by_id["Q9100001"]["born"] == "1941" and by_id["Q9100001"]["sources"] == ["bundestag"]
    assert "Q9100002" not in by_id  # a surname among Germany's most frequent: many people
    assert "Q9100003" not in by_id  # died before 1990: German news rarely means them
    assert by_id["Q9100004"]["forms"] == ["Anna Maria Zweinamig", "Anna Zweinamig"]
    rows = {r["qid"]: r for r in kb_politicians.read(ROWS, members)}
    # one person in both sources: one line, CaptainFact's description, both credited
    hanna = rows["Q9000002"]
    assert hanna["sources"] == ["captainfact", "bundestag"]
    assert hanna["description"] == "German politician"
    assert rows["Q9100001"]["description"] == "member of the German Bundestag"
    # a member named like a CaptainFact person of another id: the name is neither's
    assert "Q9100006" not in rows
    assert rows["Q9000006"]["name"] == "Mariano Ejemplo Brey"


def test_a_bundestag_line_credits_its_source(tmp_path: Path) -> None:
    people = tmp_path / "politicians.jsonl"
    row = {"qid": "Q9100001", "name": "Edwin Altgedient", "aliases": [], "country": ["DE"],
           "born": "1941", "description": "member of the German Bundestag",
           "sources": ["bundestag"]}  # fmt: skip
    people.write_text(json.dumps(row) + "\n", encoding="utf-8")
    shared = tmp_path / "kb"
    shared.mkdir()
    curated = tmp_path / "entities.jsonl"
    curated.write_text("", encoding="utf-8")
    entries = build(shared, curated, None, with_territories=False, politicians_file=people)
    (edwin,) = [e for e in entries if e.id == "Q9100001"]
    assert edwin.sources == ["bundestag:Q9100001"] and "Bundestag" in edwin.id_source
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**row, "sources": ["elsewhere"]}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown source"):
        list(kb_politicians_module.records(bad))


def shipped_qid(name: str) -> str:
    """The Wikidata id the shipped politicians file gives a full name."""
    rows = map(json.loads, Path(kb_politicians.OUT).read_text(encoding="utf-8").splitlines())
    (qid,) = [r["qid"] for r in rows if name in [r["name"], *r["aliases"]]]
    return qid


def test_a_member_born_before_1945_is_linked_in_a_sentence(tagger: Tagger) -> None:
    qid = shipped_qid("Edmund Stoiber")
    text = (
        "Der frühere bayerische Ministerpräsident Edmund Stoiber hat die Reform verteidigt. "
        "Stoiber sagte, Bayern stehe gut da."
    )
    found = entity(tagger, text, qid)
    assert found is not None and found.type == "PER"
    assert [m.text for m in found.mentions] == ["Edmund Stoiber", "Stoiber"]


def test_shipped_members_leave_out_common_surnames_and_shared_names() -> None:
    rows = [json.loads(line) for line in Path(kb_politicians.OUT).read_text().splitlines()]
    members = [r for r in rows if r.get("sources") == ["bundestag"]]
    assert len(members) > 1000
    assert not [r for r in members if r["name"].split()[-1] in kb_politicians.COMMON_SURNAMES]
    # two members of the Bundestag were called Gerhard Schröder: the name is neither's here
    assert not [r for r in rows if "Gerhard Schröder" in [r["name"], *r["aliases"]]]


#: an EveryPolitician list in the layout of every-politician-scrapers' html/holders21.csv and
#: html/bio.csv (made up, with made-up ids)
HOLDERS21 = """position,person,personID,start,end,gender,DOB,DOD,image,enwiki
Prime Minister,Jean-Luc Beispiel,Q9200001,1995-01-20,2013-12-04,male,1954-12-09,,,
Minister of Finance,Jean-Luc Beispiel,Q9200001,1989-07-14,1995-01-20,male,1954-12-09,,,
ambassador to Japan,Marta Botschaft,Q9200002,2013-11-12,2017-01-18,female,1957-11-27,,,
Chief Minister of the Northern Territory,Clara Region,Q9200003,2001-08-27,2007-11-26,,,,,
Deputy Secretary of Homeland Security,Michael P. Jackson,Q9200004,2003-03-01,2007-01-01,,,,,
Minister of the Interior,Hans Müller,Q9200005,2005-01-01,2009-01-01,male,1950,,,
Minister of Health,Carla Ejemplo,Q9200006,2004-01-01,2008-01-01,female,,,,
"Minister of Agriculture, Fisheries",Hanna Beispiel,Q9000002,2009-01-01,2013-01-01,,,,,
Minister of Tourism,Amy Adams,Q9200009,2008-01-01,2011-01-01,female,1965,,,
Prime Minister,Walter Adams,Q9200010,2008-01-01,2011-01-01,male,1945,,,
Secretary of State of Illinois,Jesse Staat,Q9200011,1999-01-01,2019-01-01,male,1934,,,
"""
BIO = """id,name,gender,dob,dobp,dod,dodp,image,enwiki
Q9200006,Carla Ejemplo,female,1961-02-03,11,,,,Carla Ejemplo (politician)
Q9200007,Otto Abgeordneter,male,1970-01-01,11,,,,Otto Abgeordneter
"""
UN = """position,person,personID,start,end
Secretary-General of the United Nations,Kwame Beispiel,Q9200008,1997-01-01,2006-12-31
"""


def test_office_holders_join_with_their_labels_and_without_minor_offices() -> None:
    lists = [("html/holders21.csv", "LU", HOLDERS21), ("html/bio.csv", "LU", BIO),
             ("html/holders21.csv", "UN", UN)]  # fmt: skip
    held = kb_politicians.holders(wikidata_ids.officeholders(lists, {}))
    by_id = {h["qid"]: h for h in held}
    chief = by_id["Q9200001"]
    assert chief["forms"] == ["Jean-Luc Beispiel"] and chief["born"] == "1954"
    assert chief["description"] == "Minister of Finance; Prime Minister (LU)"
    assert chief["sources"] == ["everypolitician"] and chief["country"] == ["LU"]
    # an ambassador's, a region's minister's and a deputy secretary's full names are as often
    # another person's: left out
    assert not {"Q9200002", "Q9200003", "Q9200004"} & by_id.keys()
    assert "Q9200005" not in by_id  # a common surname
    # a common English surname: a minister's is another's, a prime minister's their own
    assert "Q9200009" not in by_id and by_id["Q9200010"]["forms"] == ["Walter Adams"]
    assert "Q9200011" not in by_id  # a state's secretary of state
    # bio.csv: the Wikipedia title (less "(politician)") and the year of birth of a holder;
    # one listed there alone held no office
    assert by_id["Q9200006"]["forms"] == ["Carla Ejemplo"]
    assert by_id["Q9200006"]["born"] == "1961" and "Q9200007" not in by_id
    # the United Nations' offices: no country's
    assert by_id["Q9200008"]["description"] == "Secretary-General of the United Nations"
    # merged with CaptainFact's record of the same id: one line, both credited
    rows = {r["qid"]: r for r in kb_politicians.read(ROWS, held)}
    assert rows["Q9000002"]["sources"] == ["captainfact", "everypolitician"]
    assert rows["Q9000002"]["description"] == "German politician"
    assert rows["Q9200001"]["name"] == "Jean-Luc Beispiel"


def test_an_office_holders_line_is_read_as_a_person(tmp_path: Path) -> None:
    people = tmp_path / "politicians.jsonl"
    row = {"qid": "Q9200001", "name": "Jean-Luc Beispiel", "aliases": [], "country": ["LU"],
           "born": "1954", "description": "Prime Minister (LU)",
           "sources": ["everypolitician"]}  # fmt: skip
    people.write_text(json.dumps(row) + "\n", encoding="utf-8")
    (person,) = kb_politicians_module.politicians(people, dict)
    assert person["sources"] == ["everypolitician:Q9200001"]
    assert "EveryPolitician" in person["id_source"] and "Prime Minister" in person["id_source"]


def test_shipped_office_holders_are_statesmen_of_their_own_names() -> None:
    rows = [json.loads(line) for line in Path(kb_politicians.OUT).read_text().splitlines()]
    held = [r for r in rows if "everypolitician" in r["sources"]]
    assert len(held) > 5000
    assert shipped_qid("Saddam Hussein") and shipped_qid("Jean-Claude Juncker")
    # no ambassador, and no name made shorter than a label ("Michael P. Jackson")
    assert not [r for r in held if r["description"].startswith("ambassador")]
    assert not [r for r in rows if "Michael Jackson" in [r["name"], *r["aliases"]]]


def test_another_sources_spelling_stands_for_a_name_captainfact_mangled() -> None:
    # CaptainFact kept the low byte of "ł" and wrote "ĝ" for "ø"
    assert kb_politicians.respelled("BronisBaw Nowak", ["Bronisław Nowak"]) == "Bronisław Nowak"
    assert kb_politicians.respelled("Jonas Stĝre", ["Jonas Støre"]) == "Jonas Støre"
    # a German transliteration is no mangled English one, nor a name without its accents
    assert kb_politicians.respelled("Wladimir Beispiel", ["Vladimir Beispiel"]) is None
    assert kb_politicians.respelled("Recep Erdoğan", ["Recep Erdogan"]) is None
    held = [{"qid": "Q9000006", "forms": ["Mariano Ejemplo Bréy"], "country": ["ES"],
             "born": "1955", "description": "", "sources": ["everypolitician"]}]  # fmt: skip
    mangled = (
        "http://www.wikidata.org/entity/Q9000009,Polish politician,"
        "http://commons.wikimedia.org/wiki/Special:FilePath/Bild.jpg,BronisBaw Nowak,"
        "1952-06-04T00:00:00Z,PL,,,\n"
    )
    held.append({**held[0], "qid": "Q9000009", "forms": ["Bronisław Nowak"], "country": ["PL"]})
    rows = {r["qid"]: r for r in kb_politicians.read(ROWS + mangled, held)}
    assert rows["Q9000006"]["name"] == "Mariano Ejemplo Brey"  # an accent more: not mangled
    assert rows["Q9000009"]["name"] == "Bronisław Nowak"
    assert "BronisBaw Nowak" in rows["Q9000009"]["aliases"]


@pytest.mark.parametrize(
    ("alias", "name", "own"),
    [
        ("María Fernanda", "María Fernanda Reyes", False),  # given names alone: many people
        ("Marine Pen", "Marine Le Pen", False),  # the particle before the surname dropped
        ("Antonio Pietro", "Antonio Di Pietro", False),
        ("Nicolás Maduro", "Nicolás Maduro Moros", True),  # a Spanish name's first surname
        ("Margaret Kenyatta", "Margaret Gakuo Kenyatta", True),
        ("Wolodymyr Selenskyj", "Volodymyr Zelenskyy", True),  # a respelling
        ("Ursula von der Leyen", "Ursula Gertrud von der Leyen", True),
    ],
)
def test_a_source_persons_alias_is_theirs_alone(alias: str, name: str, own: bool) -> None:
    assert own_form(alias, name) is own
