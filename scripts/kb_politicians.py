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
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from wikidata_ids import MIRRORS, PEOPLE, PICTURE_WORDS, ROW, git_show  # noqa: E402

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
#: a member who died before this year is left out: German news rarely means them
ALIVE_SINCE = 1990
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
    return translit.without_marks(word).casefold()


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
    rows = read(git_show(args.mirrors, *PEOPLE), bundestag)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    args.out.write_text(text, encoding="utf-8")
    print(f"{len(rows)} politicians -> {args.out}")


if __name__ == "__main__":
    main()
