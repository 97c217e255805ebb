"""Politicians with their Wikidata ids for the knowledge base:
`python scripts/kb_politicians.py [--mirrors DIR]`.

Writes ``workers/tagging/data/kb_politicians.jsonl``, which ``build_kb`` reads as a source
of people (``workers/tagging/kb_politicians.py``). Source: **CaptainFact's Wikidata extract**
(github.com/CaptainFact/captain-fact-dev-data,
``Wikidata/data/politicians_born_after_1945_having_a_picture.csv`` at commit 30ea5b8, CC0
1.0: Wikidata's own statements): about 11,500 politicians born after 1945 with their
Wikidata id, name in their own language, date of birth, country of citizenship and a
picture. Read from a fetched mirror of the repository (as ``scripts/wikidata_ids.py`` does);
the derived file ships.

Kept per person: the Wikidata id, the countries, the year of birth, the English description
and the full names German text writes:

- the name in their own language, when written in Latin letters, or the German
  transliteration of a Cyrillic one ("Sergej Lawrow");
- the words of the picture's file name that are words of that name ("Francois Hollande
  2015" for "François Gérard Georges Nicolas Hollande": "François Hollande"), the name
  most people are called by when the own-language name is the full civil one (the
  entry's name when there is one, else the own-language name);
- of a longer name, given name and surname ("Sergej Wiktorowitsch Lawrow" -> "Sergej
  Lawrow", "Hillary Diane Rodham Clinton" -> "Hillary Clinton"), and of a three-word name
  in Spanish-speaking countries and Portugal the first two words (the father's surname:
  "Mariano Rajoy Brey" -> "Mariano Rajoy").

Only the countries German news writes about (``COUNTRIES``). Never a surname alone: a
minor politician's surname is everybody's ("Müller"); the tag stage links a surname to a
person only in an item that names them in full. A full name two records share is left out.

Second source: **the members of the Bundestag 1949-2017 with their Wikidata ids**
(github.com/lucaswerkmeister/bundestag at commit c6938d2: ``IDs``, the Bundestag's member
id -> Wikidata item, matched by OpenRefine and by hand for the Wikidata import of the
Bundestag's open "Stammdaten aller Abgeordneten"; ``names`` and ``biographical``, their
names and dates of birth and death from those Stammdaten, Quelle: Deutscher Bundestag;
the repository states no licence of its own, the ids are Wikidata's, CC0 1.0). It has the
members CaptainFact lacks: those born before 1945 (Edmund Stoiber, Hans-Christian
Ströbele, Michael Glos) and those without a picture or own-language name on Wikidata. A
backbencher is less known than CaptainFact's people, so a member whose namesake German
news may mean is left out: one who died before ``ALIVE_SINCE`` and one whose surname is
among Germany's most frequent (``COMMON_SURNAMES``: "Michael Fischer" is many people).

Third source: **EveryPolitician's lists of office holders** (github.com/every-politician-scrapers,
one repository per country, ``HOLDERS`` at the commits given, and ``world`` for the United
Nations' and other international offices; ``html/holders21.csv``: the holders of a country's
offices in the 21st century, heads of state and government, ministers, speakers, chiefs of
staff, with their Wikidata id, English label and date of birth, and ``html/bio.csv``, their
English Wikipedia title; Wikidata query results, the repositories state no licence of their
own, the statements are Wikidata's, CC0 1.0). It has the statesmen CaptainFact lacks: those
born before 1945 or without a picture (Saddam Hussein, Kofi Annan, Hamid Karzai,
Jean-Claude Juncker). Their labels are English; a Cyrillic country's holders keep only
those, so they add little next to CaptainFact's German transliterations. Only a country's
offices of government count (``OFFICES``: no ambassadors, governors, mayors or judges),
and a holder of a common surname is left out as a Bundestag member is, below a country's
first offices also of a common English one (``ENGLISH_SURNAMES``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from wikidata_ids import (  # noqa: E402
    MIRRORS,
    PEOPLE,
    PICTURE_WORDS,
    ROW,
    Person,
    git_files,
    git_show,
    officeholders,
)

from workers.tagging import translit  # noqa: E402
from workers.tagging.kb_politicians import PARTICLES, name_form  # noqa: E402

OUT = REPO / "workers" / "tagging" / "data" / "kb_politicians.jsonl"
#: citizenships kept: German-speaking countries, the EU's members and neighbours, the war's
#: countries, the G20, the Middle East and North Africa, Latin America's larger countries and
#: Asia's German news reports on; DD (the GDR) as DE
COUNTRIES = frozenset((
    "DE", "DD", "AT", "CH", "LI", "LU", "BE", "NL", "FR", "IT", "ES", "PT", "GB", "IE", "DK",
    "SE", "NO", "FI", "IS", "PL", "CZ", "SK", "HU", "SI", "HR", "RO", "BG", "GR", "CY", "MT",
    "EE", "LV", "LT", "UA", "RU", "BY", "MD", "GE", "AM", "AZ", "TR", "RS", "BA", "ME", "MK",
    "AL", "XK", "US", "CA", "MX", "BR", "AR", "AU", "NZ", "JP", "CN", "KR", "IN", "ZA", "IL",
    "PS", "IR", "IQ", "SY", "LB", "JO", "EG", "SA", "AE", "QA", "KZ", "MA", "TN", "DZ", "LY",
    "VE", "CU", "CO", "CL", "PE", "EC", "BO", "UY", "PY", "AF", "PK", "ID", "PH", "TH", "VN",
))  # fmt: skip
CYRILLIC = {"RU", "UA", "BY", "KZ", "BG", "RS", "MK", "KG", "TJ", "MN"}
#: Spanish and Portuguese names carry two surnames; the first is the one used
TWO_SURNAMES = {"ES", "MX", "AR", "PT", "BR", "CO", "CL", "PE", "VE"}
#: the Bundestag members' Wikidata ids, names and dates (tab-separated, by member id)
BUNDESTAG = ("lucaswerkmeister+bundestag", "c6938d2", ("IDs", "names", "biographical"))
#: (repository, commit, country): EveryPolitician's lists of the holders of a country's
#: offices, the countries German news reports on; "UN" for the international offices of
#: ``world`` (UN Secretary-General, ICJ)
HOLDERS = (
    ("afghanistan", "f54eb51", "AF"), ("albania-cabinet", "e8d362e", "AL"),
    ("algeria-cabinet", "a23de85", "DZ"), ("angola", "3e46a94", "AO"),
    ("argentina-ministers", "98105f5", "AR"), ("armenia-ministers", "0f97f89", "AM"),
    ("australia-cabinet", "4c35a6e", "AU"), ("austria-cabinet", "d8d2977", "AT"),
    ("azerbaijan-cabinet", "88e2221", "AZ"), ("bangladesh-ministers", "9bf8dce", "BD"),
    ("belarus-ministers", "3edd7c7", "BY"), ("belgium-cabinet", "a1420fc", "BE"),
    ("bolivia-ministers", "9ecab9a", "BO"), ("bosnia-herzegovina-ministers", "77bb9eb", "BA"),
    ("brazil-ministers", "de58065", "BR"), ("bulgaria-cabinet", "2068236", "BG"),
    ("cameroon", "647bbdf", "CM"), ("canada-cabinet", "3b3f0da", "CA"),
    ("chile-ministers", "412eb05", "CL"), ("china-ministers", "3003416", "CN"),
    ("congo-kinshasa-ministers", "fb78ee2", "CD"), ("croatia-ministers", "6e44b51", "HR"),
    ("cuba", "5f8fa4e", "CU"), ("cyprus-cabinet", "5fcbf4d", "CY"),
    ("czech-ministers", "1e53f23", "CZ"), ("denmark-cabinet", "1599847", "DK"),
    ("ecuador-ministers", "b5360d5", "EC"), ("egypt-ministers", "f3820a3", "EG"),
    ("estonia", "27ed684", "EE"), ("ethiopia-ministers", "e025c9c", "ET"),
    ("finland-cabinet", "56412ba", "FI"), ("france-cabinet", "7ff37ba", "FR"),
    ("georgia-ministers", "e843205", "GE"), ("ghana-ministers", "6301043", "GH"),
    ("greece-cabinet", "34bf1d1", "GR"), ("hong-kong", "1512e32", "HK"),
    ("hungary-cabinet", "aee9509", "HU"), ("india-ministers", "66f344b", "IN"),
    ("indonesia-ministers", "66eaaf5", "ID"), ("iran-ministers", "a8e7c2f", "IR"),
    ("iraq-ministers", "ab7f90c", "IQ"), ("ireland-ministers", "562aee8", "IE"),
    ("israel-ministers", "81da870", "IL"), ("italy-ministers", "4f9e038", "IT"),
    ("ivory-coast", "4422248", "CI"), ("japan-ministers", "8ba3cb1", "JP"),
    ("kazakhstan-cabinet", "caf651f", "KZ"), ("kenya", "845fa14", "KE"),
    ("kosovo-cabinet", "66ca1f4", "XK"), ("kuwait-ministers", "e663bce", "KW"),
    ("latvia-cabinet", "5f14154", "LV"), ("liechtenstein-ministers", "e95c566", "LI"),
    ("lithuania", "2743892", "LT"), ("luxembourg-cabinet", "7b920a2", "LU"),
    ("malaysia-ministers", "bab2502", "MY"), ("malta-ministers", "4cba068", "MT"),
    ("mexico-ministers", "87f5ae7", "MX"), ("moldova-ministers", "8f20086", "MD"),
    ("mongolia-ministers", "08e9b68", "MN"), ("montenegro-cabinet", "8ba0dd3", "ME"),
    ("morocco-ministers", "b524627", "MA"), ("mozambique", "4800218", "MZ"),
    ("myanmar-ministers", "473d687", "MM"), ("nepal-ministers", "14d8436", "NP"),
    ("netherlands-cabinet", "a542323", "NL"), ("new-zealand-cabinet", "dbf5f24", "NZ"),
    ("nigeria", "1f5d4aa", "NG"), ("north-korea", "7fd4f86", "KP"),
    ("north-macedonia-ministers", "6f680e0", "MK"), ("norway-cabinet", "c0bc529", "NO"),
    ("pakistan-ministers", "065accd", "PK"), ("paraguay-ministers", "6bab5f7", "PY"),
    ("philippines-ministers", "1f396f9", "PH"), ("poland-cabinet", "c6b228d", "PL"),
    ("portugal-cabinet", "49dd028", "PT"), ("romania-cabinet", "63e9c5d", "RO"),
    ("russia-cabinet", "3871831", "RU"), ("rwanda-ministers", "aa6c19c", "RW"),
    ("saudi-ministers", "566c588", "SA"), ("senegal-ministers", "780217b", "SN"),
    ("serbia-ministers", "a4a5255", "RS"), ("singapore-ministers", "7c68317", "SG"),
    ("slovakia-cabinet", "db4bf53", "SK"), ("slovenia-cabinet", "7a1dca9", "SI"),
    ("somalia-cabinet", "7b5980d", "SO"), ("south-africa-cabinet", "0558a87", "ZA"),
    ("south-korea-ministers", "6f17960", "KR"), ("south-sudan", "46f2f4f", "SS"),
    ("spain-ministers", "1e1550c", "ES"), ("sri-lanka-cabinet", "a90dbcf", "LK"),
    ("sudan", "bd56d43", "SD"), ("sweden-cabinet", "6756a7c", "SE"),
    ("swiss-federal-council", "7cb72ef", "CH"), ("syria", "08fddba", "SY"),
    ("taiwan", "45c981a", "TW"), ("tunisia-ministers", "6e35fc4", "TN"),
    ("turkey-ministers", "288fbd4", "TR"), ("uae-ministers", "9478e53", "AE"),
    ("uganda-ministers", "ed6c7e0", "UG"), ("ukraine-cabinet", "4fc6ab0", "UA"),
    ("united-kingdom-cabinet", "3a5ec68", "GB"), ("uruguay-ministers", "38b3bd1", "UY"),
    ("us-cabinet", "0d5e73c", "US"), ("uzbekistan-ministers", "b7cd8a1", "UZ"),
    ("venezuela", "468bc47", "VE"), ("vietnam", "906e493", "VN"),
    ("yemen", "993e1a6", "YE"), ("zimbabwe", "f991ac9", "ZW"),
    ("world", "4a3b394", "UN"),
)  # fmt: skip
#: the offices that make a holder known beyond their country's own news: its government
#: (monarchs, heads of state and government, ministers, secretaries of state), its speaker,
#: the UN's; not ambassadors, governors, mayors, judges, commanders or police chiefs, whose
#: full names are as often another person's ("Michael Collins", the Irish ambassador, is
#: German news's astronaut), nor a region's ministers ("Chief Minister", "Premier of
#: Ontario", "Flemish Minister", "Minister-President", a state's "Legislative Assembly")
OFFICES = re.compile(
    r"(?!.*(?:Legislative|House of Assembly|Azad Kashmir|Secretary of State of))"
    r"(?:(?:First |Deputy |Vice[- ]|Acting )*(?:Prime Minister|Minister|President|Chancellor"
    r"|Speaker)|Federal Minister|Secretary of|Secretary-General|State Secretary"
    r"|Attorney[- ]General|Treasurer|National Security Advisor|White House Press Secretary"
    r"|First Lady|King|Queen|Monarch|Emperor|Emir|Crown Prince)\b"
    r"(?![- ](?:President|Plenipotentiary))"
)
#: a country's first offices: their holders are known by name wherever German news looks
TOP_OFFICES = re.compile(
    r"(?:Prime Minister|President|Chancellor|King|Queen|Monarch|Emperor|Emir|Crown Prince"
    r"|Secretary-General|Secretary of State$|Minister (?:of|for) Foreign Affairs)\b"
)
#: the files of a list read: the holders since 2000, and their Wikipedia titles and births
HOLDER_FILES = ("html/holders21.csv", "html/bio.csv")
#: a member who died before this year is left out: German news rarely means them
ALIVE_SINCE = 1990
#: the most frequent surnames of the English-speaking countries: a minister of such a name
#: below a country's first offices shares it with people German news means more often
#: ("Amy Adams", New Zealand's minister, is the actress; "Brian Wilson", the Beach Boy)
ENGLISH_SURNAMES = frozenset((
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green",
    "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
    "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook",
    "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard",
    "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "James",
    "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Jenkins", "Perry",
    "Powell", "Russell", "Sullivan", "Fisher", "Kennedy", "Murray", "Ryan", "Walsh", "Byrne",
    "Lee", "Hall", "Wells", "Gordon", "Graham", "Hamilton", "Marshall", "Hunt", "Butler",
))  # fmt: skip
#: Germany's most frequent surnames (the first 30): a backbencher of such a name shares it
#: with many people German news quotes
COMMON_SURNAMES = frozenset((
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
    "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
))  # fmt: skip


def fold(word: str) -> str:
    """'François' -> 'francois': accents and case aside, as a picture's file name writes."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def picture_name(image: str, native: str) -> str | None:
    """The words of the picture's file name that are the native name's own, in the
    native spelling ("Francois Hollande 2015" + "François ... Hollande" -> "François
    Hollande"); None unless at least two words and every word of the picture matches."""
    picture = unquote(image.rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    bare = re.sub(r"^(Official portrait of|Portrait of)\s+", "", picture)
    bare = re.split(r"\s+(?:by|at|in|and|und|with|mit)\s+", bare)[0]  # "... by Gage Skidmore"
    words = [w for w in re.sub(r"[\d.()_,-]+", " ", bare).split()
             if w.lower() not in PICTURE_WORDS]  # fmt: skip
    own = {fold(w) for w in native.split()}
    picked = {fold(w) for w in words}
    if len(picked) < 2 or not picked <= own:
        return None
    # in the native name's order: a file name may put the surname first
    return " ".join(w for w in native.split() if fold(w) in picked)


def first_and_last(words: list[str]) -> str:
    """Given name and surname of a longer name: 'Hillary Diane Rodham Clinton' -> 'Hillary
    Clinton', 'Ursula Gertrud von der Leyen' -> 'Ursula von der Leyen' (the particles stay
    with the surname)."""
    i = len(words) - 1
    while i > 1 and words[i - 1] in PARTICLES:
        i -= 1
    return " ".join([words[0], *words[i:]])


def forms_of(native: str, image: str, country: str) -> list[str]:
    """The full names German text may use for one record, most usual first."""
    from wikidata_ids import restore_cyrillic

    names: list[str] = []
    if country in CYRILLIC and (cyrillic := restore_cyrillic(native)):
        spell = translit.ukrainian_german if country == "UA" else translit.russian_german
        if form := spell(cyrillic):
            words = form.split()
            names += [f"{words[0]} {words[-1]}"] if len(words) == 3 else []
            names.append(form)
    elif native and native.isprintable():
        words = native.split()
        if (picture := picture_name(image, native)) is not None:
            names.append(picture)
        names.append(native)
        if len(words) == 3 and country in TWO_SURNAMES:
            names.append(" ".join(words[:2]))
        elif len(words) >= 3 and country not in TWO_SURNAMES:
            names.append(first_and_last(words))
    return [f for f in dict.fromkeys(n.strip() for n in names) if name_form(f)]


def members(ids: str, names: str, dates: str) -> list[dict]:
    """The Bundestag's members as records of ``read``: a Wikidata id, the name and, of a
    longer one, given name and surname ("Andrea Astrid Voßhoff" -> "Andrea Voßhoff");
    those who died before ``ALIVE_SINCE`` and those of a common surname left out."""

    def table(text: str) -> dict[str, list[str]]:
        rows = (line.split("\t") for line in text.splitlines() if line.strip())
        return {row[0]: row[1:] for row in rows}

    qids, named, lived = table(ids), table(names), table(dates)
    out = []
    for member, (qid,) in qids.items():
        name = " ".join(named.get(member, [""])[0].split())
        born, _place, died = [*lived.get(member, []), "", "", ""][:3]
        words = name.split()
        if not words or words[-1] in COMMON_SURNAMES or (died and int(died[-4:]) < ALIVE_SINCE):
            continue
        forms = [name, first_and_last(words)] if len(words) >= 3 else [name]
        forms = [f for f in dict.fromkeys(forms) if name_form(f)]
        if forms and re.fullmatch(r"Q[1-9]\d*", qid.strip()):
            out.append({"qid": qid.strip(), "forms": forms, "country": ["DE"],
                        "born": born[-4:], "description": "member of the German Bundestag",
                        "sources": ["bundestag"]})  # fmt: skip
    return out


def holders(people: list[Person]) -> list[dict]:
    """EveryPolitician's holders (``wikidata_ids.officeholders``) as records of ``read``:
    their labels that are full names (the list's and their Wikipedia title); one listed in
    ``bio.csv`` alone (a legislator, no office held), one of no office of ``OFFICES``, one
    of a common German surname and, below ``TOP_OFFICES``, one of a common English surname
    left out."""
    out = []
    for p in people:
        offices = [o for o in p.description.split("; ") if OFFICES.match(o)]
        # the labels alone: an English label is the name in use, and a shorter one made of
        # it may be another's ("Michael P. Jackson", a deputy secretary, is no "Michael
        # Jackson")
        forms = [name for name in sorted(p.names) if name_form(name)]
        surnames = {f.split()[-1] for f in forms}
        common = COMMON_SURNAMES | (
            set() if any(map(TOP_OFFICES.match, offices)) else ENGLISH_SURNAMES
        )
        if not offices or not forms or surnames & common:
            continue
        where = f" ({p.country})" if p.country != "UN" else ""
        out.append({"qid": p.qid, "forms": forms, "country": [p.country], "born": p.born,
                    "description": "; ".join(offices) + where,
                    "sources": ["everypolitician"]})  # fmt: skip
    return out


def holder_lists(mirrors: Path) -> list[tuple[str, str, str]]:
    """The (path, country, CSV text) of each ``HOLDERS`` list's ``HOLDER_FILES``."""
    lists = []
    for name, commit, country in HOLDERS:
        repo = f"every-politician-scrapers+{name}"
        for path in set(git_files(mirrors, repo, commit, "html")) & set(HOLDER_FILES):
            lists.append((path, country, git_show(mirrors, repo, commit, path)))
    return lists


def respelled(name: str, others: list[str]) -> str | None:
    """The other source's spelling of a name CaptainFact mangled, to stand first: a name as
    long whose every other letter is one CaptainFact is known to make of it, the low byte of
    a letter beyond Latin-1 ("BronisBaw Komorowski" for "Bronisław Komorowski") or a letter
    of Latin Extended-A for one of Latin-1 ("Jonas Gahr Stĝre" for "Jonas Gahr Støre"); not
    a transliteration of its own ("Wladimir Putin", not "Vladimir Putin")."""

    def mangled(got: str, meant: str) -> bool:
        low_byte = ord(meant) > 0xFF and ord(meant) & 0xFF == ord(got)
        return low_byte or (0x100 <= ord(got) <= 0x17F and 0xC0 <= ord(meant) <= 0xFF)

    for other in others:
        pairs = [(a, b) for a, b in zip(name, other, strict=False) if a != b]
        if len(other) == len(name) and pairs and all(mangled(a, b) for a, b in pairs):
            return other
    return None


def read(text: str, more: list[dict] = ()) -> list[dict]:
    """One record per Wikidata id, its forms in order (the shortest usual one first):
    CaptainFact's rows (``text``), then the records of other sources (``more``, merged by
    id: CaptainFact's description and year of birth stay)."""
    people: dict[str, dict] = {}
    for line in text.split("\n"):
        m = ROW.match(line)
        if m is None or m["country"] not in COUNTRIES:
            continue
        country = "DE" if m["country"] == "DD" else m["country"]
        forms = forms_of(m["native"], m["image"], country)
        if not forms:
            continue
        p = people.setdefault(m["qid"], {"qid": m["qid"], "forms": [], "country": [],
                                         "born": m["born"][:4], "sources": ["captainfact"],
                                         "description": m["desc"].strip('"')})  # fmt: skip
        p["forms"] += [f for f in forms if f not in p["forms"]]
        if country not in p["country"]:
            p["country"].append(country)
    for record in more:
        p = people.setdefault(record["qid"], {**record, "forms": [], "sources": []})
        p["forms"] += [f for f in record["forms"] if f not in p["forms"]]
        if p["forms"] and (fixed := respelled(p["forms"][0], record["forms"])):
            p["forms"].remove(fixed)
            p["forms"].insert(0, fixed)
        p["sources"] += [s for s in record["sources"] if s not in p["sources"]]
        p["country"] = sorted(set(p["country"]) | set(record["country"]))
    # a full name two people share names neither
    holders: dict[str, set[str]] = defaultdict(set)
    for p in people.values():
        for f in p["forms"]:
            holders[f].add(p["qid"])
    out = []
    for p in people.values():
        forms = [f for f in p["forms"] if len(holders[f]) == 1]
        if forms:
            out.append({"qid": p["qid"], "name": forms[0], "aliases": forms[1:],
                        "country": sorted(p["country"]), "born": p["born"],
                        "description": p["description"], "sources": p["sources"]})  # fmt: skip
    return sorted(out, key=lambda p: int(p["qid"][1:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirrors", type=Path, default=MIRRORS, help="the fetched mirrors")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    repo, commit, files = BUNDESTAG
    bundestag = members(*(git_show(args.mirrors, repo, commit, f) for f in files))
    held = holders(officeholders(holder_lists(args.mirrors), {}))
    rows = read(git_show(args.mirrors, *PEOPLE), bundestag + held)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    args.out.write_text(text, encoding="utf-8")
    print(f"{len(rows)} politicians -> {args.out}")


if __name__ == "__main__":
    main()
