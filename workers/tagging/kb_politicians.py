"""Politicians with Wikidata ids for the knowledge base (``data/kb_politicians.jsonl``).

The file is written by ``scripts/kb_politicians.py`` from CaptainFact's Wikidata extract
(CC0), the Bundestag members' Wikidata ids and EveryPolitician's lists of office holders
(Wikidata's statements, CC0): one line per person, ``{"qid", "name",
"aliases", "country", "born", "description", "sources"}``, full names only. ``build_kb``
reads it after the other sources, so a curated person of the same id keeps their names and
fields and gains these as aliases.

What keeps a large list of people from tagging ordinary text: every form is a full name
of two words or more (``name_form``), never a surname alone; a full name another entry of
the knowledge base has (a curated person, a place, a party) is left to that entry
(``apart``); the surname alone links to the person only in an item that names them in full
(``link_rules.linked_surnames``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

#: lower-case words inside a full name ("Ursula von der Leyen", "Karl-Theodor zu Guttenberg")
PARTICLES = frozenset((
    "von", "vom", "van", "der", "den", "de", "da", "das", "do", "dos", "di", "del", "della",
    "la", "le", "zu", "zur", "y", "e", "ten", "ter", "bin", "ibn", "al",
))  # fmt: skip
#: the file's sources (a line's ``sources``; none: CaptainFact), as an entry's credit
SOURCES = {
    "captainfact": "CaptainFact Wikidata extract (CC0)",
    "bundestag": "Bundestag members' Wikidata ids (lucaswerkmeister/bundestag)",
    "everypolitician": "EveryPolitician's office holders (every-politician-scrapers, CC0)",
}
WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?$")


def _latin(form: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in form)


def name_form(form: str) -> bool:
    """A full name German text may contain: two to five words of Latin letters, the first
    and last capitalised, the others capitalised, an initial ("George W. Bush") or a
    particle; no digits, no word in capitals only ("KARL Müller" is a record's typo)."""
    words = form.split()
    if not 2 <= len(words) <= 5 or not _latin(form):
        return False
    for i, word in enumerate(words):
        if word in PARTICLES and 0 < i < len(words) - 1:
            continue
        if not WORD.match(word) or not word[:1].isupper() or (word.isupper() and len(word) > 2):
            return False
        if word.endswith(".") and (len(word) != 2 or i in (0, len(words) - 1)):
            return False
    return True


def own_form(alias: str, name: str) -> bool:
    """Is the alias a name of this person, not of many? Not given names alone ("María
    Fernanda" of María Fernanda Reyes, "Sergio Mauricio"), nor the name without the
    particle before its surname ("Marine Pen", "Antonio Pietro" of Antonio Di Pietro): the
    source's picture file names give such forms. "Nicolás Maduro" of Nicolás Maduro Moros
    is one (a Spanish name's first surname)."""
    words, full = alias.split(), name.split()
    if not set(words) <= set(full):
        # a respelling ("Wolodymyr Selenskyj"), or a longer name
        return not all(_given_only(w) for w in words)
    if words[-1] != full[-1] and _given_only(words[-1]):
        return False
    return not any(
        full[i - 1].casefold() in PARTICLES and full[i - 1] not in words
        for i in range(1, len(full))
        if full[i] in words
    )


@lru_cache(maxsize=1)
def _person_names() -> dict[str, str]:
    from workers.tagging.ner import load_person_names

    return load_person_names(Path(__file__).parent / "data" / "ner.names.tsv.gz")


def _given_only(word: str) -> bool:
    """A word the name tagger's names list knows as a given name only ("Fernanda")."""
    return _person_names().get(word) == "g"


def records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            known = set(row.get("sources", ["captainfact"])) <= SOURCES.keys()
            if not re.fullmatch(r"Q[1-9]\d*", row.get("qid", "")) or not name_form(row["name"]):
                raise ValueError(f"{path}:{number}: invalid politician line")
            if not known:
                raise ValueError(f"{path}:{number}: unknown source")
            yield row


def politicians(path: Path, entry_type: type, skip: Iterable[str] = ()) -> Iterator[Any]:
    """The file's people as knowledge-base entries (``build_kb.Entry``); ``skip``: ids the
    repairs file leaves out (a namesake of a better-known person)."""
    skip = set(skip)
    for row in records(path):
        if row["qid"] in skip:
            continue
        given = row.get("sources", ["captainfact"])
        yield entry_type(
            id=row["qid"],
            name=row["name"],
            type="PER",
            wikidata=row["qid"],
            aliases=[
                a for a in row.get("aliases", ()) if name_form(a) and own_form(a, row["name"])
            ],
            sources=[f"{source}:{row['qid']}" for source in given],
            id_source=(
                f"{' + '.join(SOURCES[s] for s in given)}: name '{row['name']}', country "
                f"{'/'.join(row['country'])}, born {row['born']}, '{row['description']}'"
            ),
            kind="politician",
        )


def agreeing(people: Iterable[Any], curated: Iterable[Any]) -> Iterator[Any]:
    """The people, less those whose id a curated entry has under names none of theirs is:
    merged by id, they would give that entry another person's names."""
    by_id = {e.wikidata: e.forms() for e in curated if e.wikidata}
    for person in people:
        held = by_id.get(person.wikidata)
        if held is None or held & person.forms():
            yield person


def only_politician(entry: Any) -> bool:
    return all(s.split(":", 1)[0] in SOURCES for s in entry.sources)


def apart(entries: list) -> list:
    """The merged entries, with the politicians' forms that another entry also has taken
    from the politician (the other entry is a curated person, a place or a party: a
    politician "Jan Berlin" does not take the city's genitive); a politician left without a
    form is dropped."""
    others: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if not only_politician(e):
            for form in e.matched_forms():
                others[form].add(e.id)
    out = []
    for e in entries:
        if only_politician(e):
            forms = [f for f in [e.name, *e.aliases] if f not in others]
            if not forms:
                continue
            e.name, e.aliases = forms[0], forms[1:]
        out.append(e)
    return out
