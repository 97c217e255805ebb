"""The entity knowledge base: JSON lines (built by build_kb.py), matched with Aho-Corasick.

Each line: ``{"id": "Q7747" | "geonames:N" | "wof:N" | "lagebild:TYPE:name",
"wikidata": "Q7747" | null, "name": ..., "type": "PER|LOC|ORG|MISC",
"aliases": [...], "descriptors": [...], "quoted": [...], "ambiguous": [...], "priority": 0,
"anywhere": true, "context": [...], "local": [...], "before": [...], "default": false,
"kind", "lat", "lon", "parent", "source", "id_source"}``.

- ``id``: lagebild's id of the real thing, one per thing; the Wikidata id
  when there is one. ``wikidata`` is null otherwise.
- ``aliases``: other names, transliterations and irregular inflected forms;
  ``descriptors``: phrases that stand for the entity ("Kremlchef");
  ``quoted``: forms that are also common words ("Bild"): they match only inside
  quotation marks;
- ``ambiguous``: forms that also mean something outside the knowledge base ("Piraten"
  are pirates at sea too, "Georgia" is the country in English): only these need the
  entry's ``context``/``local`` words (or quotation marks around them); without the list,
  every form of a cued entry needs them;
- ``priority``: when entries claim the same form, only those of the highest
  priority are candidates (curated 0, built from sources -1);
- ``anywhere``: false for entries matched only where the name tagger found a
  name (villages named like common words or like each other);
- ``context``/``local``: words that speak for this candidate anywhere in the
  text / next to the mention; ``before``: words that speak for it only right before the
  mention ("Fregatte Deutschland" is the ship, "Die Fregatte fährt nach Deutschland" is
  the country); ``default``: the candidate taken when no
  candidate's words are there. A form with several candidates is linked by
  these (``choose``): "Golf" is the sport, the car or the gulf.

The genitive ``-s`` of every name, alias and descriptor is added (Putins,
Kiews), and the dative ``-n`` of "...lande" (den Niederlanden). Matching is
case-sensitive, on token boundaries ("-" is one: the "Selenskyj" of
"Selenskyj-Berater"), longest match first.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from workers.records import EntityType

TYPES = ("PER", "LOC", "ORG", "MISC")
OPENING_QUOTES = '„“"«»‚‘›‹'
CLOSING_QUOTES = '“”"»«‘’‹›'
WIKIDATA = re.compile(r"^Q[1-9]\d*$")
WORD = re.compile(r"[^\W\d_]+")
#: the id_sources of a GeoNames city's Wikidata id from a source pairing GeoNames ids with
#: Wikidata ids (kb_geonames.py): every town such a source has gets one (Ocha, Columbia,
#: Charlotte), so unlike a source's own Wikidata id it says nothing of how well known it is
NATURAL_EARTH = "Natural Earth (GeoNames id and name agree)"
WHOS_ON_FIRST_PAIR = "Who's On First (GeoNames id and name agree)"
NWBIB_PAIR = "NWBib's spatial classification of NRW's municipalities (NRW town and name agree)"
CONFIRMED_PAIR = "confirmed by public files (kb_geonames_wikidata_confirmed.tsv)"
PAIRED_IDS = (NATURAL_EARTH, WHOS_ON_FIRST_PAIR, NWBIB_PAIR, CONFIRMED_PAIR)
#: a product or model code of capitals and digits ("FT-EV", "AK-47", "MH-17"): its letters
#: are no abbreviation of a name
CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)+")
#: words in capitals, one long enough to be no abbreviation: a dateline's "BERLIN (dpa)",
#: a headline's "KIEW", "NEW YORK"; matched as written in their title case ("Berlin") too
CAPITALS = re.compile(r"(?<![^\W\d_])[A-ZÄÖÜ]{2,}(?:[ -][A-ZÄÖÜ]{2,})*(?![^\W\d_])")
CAPITAL_WORD = re.compile(r"[A-ZÄÖÜ]+")
#: words on either side of a mention that count as its neighbourhood
LOCAL_WORDS = 6
#: lower-case words a name may follow; after any other (a number, an adjective: "mit vier
#: Siegen", "in der ganzen Welt", "somalische Piraten") the form is the common noun, so one
#: sense per text does not carry a chosen entity there
NAME_MAY_FOLLOW = frozenset((
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "und",
    "oder", "sowie", "in", "im", "an", "am", "auf", "aus", "bei", "beim", "mit", "nach", "von",
    "vom", "vor", "zu", "zum", "zur", "für", "gegen", "über", "unter", "laut", "seit", "um",
    "durch", "bis", "wie", "als", "gegenüber", "dass", "ob", "sagte", "sagt", "berichtet",
    "berichtete", "meldet", "meldete", "schreibt", "schrieb",
))  # fmt: skip


@dataclass(frozen=True)
class KnownEntity:
    id: str
    name: str
    type: EntityType
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = field(default=())
    quoted: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    priority: int = 0
    anywhere: bool = True
    context: frozenset[str] = frozenset()
    local: frozenset[str] = frozenset()
    before: frozenset[str] = frozenset()
    default: bool = False
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    parent: str | None = None
    population: int | None = None
    id_source: str = ""

    @property
    def key(self) -> str:
        """Identity inside lagebild (the Wikidata id when there is one)."""
        return self.id

    @property
    def notable(self) -> bool:
        """A Wikidata id a source chose it for (not one a GeoNames/Wikidata pairing gives
        every town): the tag stage matches it where the name tagger saw no name too."""
        return self.wikidata is not None and self.id_source not in PAIRED_IDS

    @property
    def cued(self) -> bool:
        return bool(self.context or self.local or self.before)

    def needs_words(self, form: str | None) -> bool:
        """Does this form stand for the entry only where its words are? The forms a cued
        entry lists as ambiguous do ("Piraten", not "Piratenpartei"); without such a list,
        its forms of one word do ("Bayern", "HSV"; "Hamburger SV" and "1. FC Köln" need no
        football words)."""
        if not self.cued:
            return False
        if form is None:
            return True
        if not self.ambiguous:
            return " " not in form
        return form in self.ambiguous or form.removesuffix("s") in self.ambiguous


_NONE: frozenset[str] = frozenset()


def own_id(type_: str, name: str) -> str:
    """The id of a curated entry without a source id: 'lagebild:LOC:robotyne'."""
    return f"lagebild:{type_}:{'-'.join(unicodedata.normalize('NFC', name).casefold().split())}"


def _open(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def entity_from_json(raw: dict) -> KnownEntity:
    get = raw.get  # one bound method for twenty look-ups: 47,000 entries at every start
    wikidata = get("wikidata")
    id_ = get("id")
    if wikidata is None and id_ and WIKIDATA.match(id_):
        wikidata = id_
    type_ = raw["type"]
    if type_ not in TYPES:
        raise ValueError(f"unknown type {type_!r}")
    return KnownEntity(
        id=id_ or get("own_id") or own_id(type_, raw["name"]),
        name=raw["name"],
        type=type_,
        wikidata=wikidata,
        aliases=tuple(get("aliases", ())),
        descriptors=tuple(get("descriptors", ())),
        quoted=tuple(get("quoted", ())),
        ambiguous=tuple(get("ambiguous", ())),
        priority=int(get("priority", 0)),
        anywhere=bool(get("anywhere", True)),
        context=frozenset(get("context", _NONE)),
        local=frozenset(get("local", _NONE)),
        before=frozenset(get("before", _NONE)),
        default=bool(get("default", False)),
        kind=get("kind"),
        lat=get("lat"),
        lon=get("lon"),
        parent=get("parent"),
        population=get("population"),
        id_source=get("id_source", ""),
    )


def load_entities(path: Path) -> list[KnownEntity]:
    """The knowledge base (built ``.jsonl.gz`` or curated ``.jsonl``), validated."""
    entities = []
    with _open(path) as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                entities.append(entity_from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: invalid entity line: {exc}") from exc
    problems = validate(entities)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems[:10]))
    return entities


def _genitives(forms: set[str], type_: str) -> set[str]:
    """Genitive -s (Putins, Kiews) and the dative -n of plural names (den Niederlanden).

    A name ending in -e takes the -s only when it is a person's (Goethes): "die Grüne"
    and "die Ukraine" have none, and "Grünes" is an adjective, not the party."""
    person = type_ == "PER"
    out = set()
    for form in forms:
        last = form[-1:]
        if last.isalpha() and last not in "sßxz" and (person or last != "e"):
            out.add(form + "s")
        if form.endswith("lande"):
            out.add(form + "n")
    return out


def surface_forms(entity: KnownEntity) -> set[str]:
    """Every form matched anywhere (the quoted-only forms are not among them)."""
    forms = {entity.name, *entity.aliases, *entity.descriptors}
    if entity.quoted:
        forms -= set(entity.quoted)
    return forms | _genitives(forms, entity.type)


def validate(entities: list[KnownEntity]) -> list[str]:
    """Problems of a knowledge base: duplicate ids, bad Wikidata ids, and curated forms
    claimed by two entries that no rule (priority, context words, default) tells apart."""
    problems = []
    seen_ids: dict[str, str] = {}
    for entity in entities:
        if entity.wikidata is not None and not WIKIDATA.match(entity.wikidata):
            problems.append(f"{entity.name}: {entity.wikidata!r} is not a Wikidata id")
        if entity.id in seen_ids:
            problems.append(f"id {entity.id} used by {seen_ids[entity.id]} and {entity.name}")
        seen_ids[entity.id] = entity.name
    claims: dict[str, list[KnownEntity]] = {}
    for entity in entities:
        if entity.priority < 0:
            continue  # built from sources: ambiguous village names are real, linked by rank
        for form in surface_forms(entity) | set(entity.quoted):
            claims.setdefault(form, []).append(entity)
    for form, claimants in claims.items():
        if len(claimants) < 2:
            continue
        top = max(c.priority for c in claimants)
        winners = [c for c in claimants if c.priority == top]
        if len(winners) > 1 and not any(c.needs_words(form) or c.default for c in winners):
            names = ", ".join(c.name for c in winners)
            problems.append(f"{form!r} claimed by {names} with equal priority")
    return problems


def _rank(entity: KnownEntity) -> tuple:
    """Without any context: the default, then the notable one; a bare name is the town,
    not the oblast or raion named after it ("Sumy")."""
    town = entity.kind not in ("region", "county")
    return (entity.default, entity.anywhere, town, entity.notable, entity.population or 0)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    candidates: tuple[KnownEntity, ...]
    #: between quotation marks ("die „Welt“"): a title, not a word
    in_quotes: bool = False


@dataclass(frozen=True)
class Link:
    entity: KnownEntity
    #: how: "alias" (one candidate), "context" (chosen by words around it), "default"
    method: str
    score: float


class Gazetteer:
    """Longest-match lookup of every surface form, on token boundaries, with candidates."""

    def __init__(self, entities: Iterable[KnownEntity]) -> None:
        self.automaton = ahocorasick.Automaton()
        best: dict[str, list[tuple[KnownEntity, bool]]] = {}
        for entity in entities:
            priority = entity.priority
            forms = [(f, False) for f in surface_forms(entity)]
            forms += [(f, True) for f in entity.quoted]
            for form, quoted in forms:
                held = best.get(form)
                if held is None:
                    best[form] = [(entity, quoted)]
                    continue
                top = held[0][0].priority
                if priority < top:
                    continue
                if priority > top:
                    held.clear()
                held.append((entity, quoted))
        #: every form with its candidates, also those matched only where a name was found
        self.lookup: dict[str, tuple[KnownEntity, ...]] = {}
        for form, held in best.items():
            if len(held) == 1:  # most forms: no ranking, no filtering (a third of the load)
                entity, quoted = held[0]
                candidates = anywhere = (entity,)
                if not entity.anywhere:
                    anywhere = ()
            else:
                held.sort(key=lambda h: _rank(h[0]), reverse=True)
                candidates = tuple(e for e, _ in held)
                anywhere = tuple(e for e in candidates if e.anywhere)
                quoted = all(q for e, q in held if e.anywhere)
            self.lookup[form] = candidates
            if anywhere:
                self.automaton.add_word(form, (form, anywhere, quoted))
        if len(self.automaton):
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Each match of a form not inside a longer word; a word in capitals ("BERLIN") also
        as its title case where no form matched it as written ("NATO" stays the NATO's)."""
        if not text or len(self.automaton) == 0:
            return []
        found = self._find(text)
        taken = [(m.start, m.end) for m in found]
        capitals = [
            m.span()
            for m in CAPITALS.finditer(text)
            if max(map(len, CAPITAL_WORD.findall(m.group()))) >= 4
            and not any(s <= m.start() and m.end() <= e for s, e in taken)
        ]
        if not capitals:
            return found
        titled = list(text)
        for start, end in capitals:
            for w in CAPITAL_WORD.finditer(text, start, end):
                titled[w.start() + 1 : w.end()] = w.group()[1:].lower()
        # matched again only around the capitals (from a line's start: forms are shorter)
        lo = text.rfind("\n", 0, capitals[0][0]) + 1
        hi = text.find("\n", capitals[-1][1])
        hi = len(text) if hi < 0 else hi
        for m in self._find("".join(titled[lo:hi])):
            m = Match(m.start + lo, m.end + lo, m.candidates)
            capital = any(s < m.end and m.start < e for s, e in capitals)
            if not capital or any(s < m.end and m.start < e for s, e in taken):
                continue
            # an agency's acronym is no small town of that name ("OCHA", Ocha)
            candidates = tuple(c for c in m.candidates if well_known(c))
            if candidates:
                found.append(Match(m.start, m.end, candidates))
        return sorted(found, key=lambda m: m.start)

    def _find(self, text: str) -> list[Match]:
        found = []
        for last, (form, candidates, quoted) in self.automaton.iter_long(text):
            start, end = last - len(form) + 1, last + 1
            before = text[start - 1] if start > 0 else " "
            after = text[end] if end < len(text) else " "
            if before.isalnum() or after.isalnum():
                continue
            in_quotes = before in OPENING_QUOTES and after in CLOSING_QUOTES
            if quoted and not in_quotes:
                continue
            if "-" in (before, after) and _in_code(text, start, end):
                continue
            found.append(Match(start, end, candidates, in_quotes))
        return found


def well_known(entity: KnownEntity) -> bool:
    """Curated, with a source's Wikidata id, or a city of 100,000 or more."""
    return entity.priority >= 0 or entity.notable or (entity.population or 0) >= 100_000


def _in_code(text: str, start: int, end: int) -> bool:
    """The match is part of a hyphenated token of capitals and digits only."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return CODE.fullmatch(text[start:end].strip('.,;:!?()"„“«»')) is not None


def context_words(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(text))


def choose(
    candidates: tuple[KnownEntity, ...],
    text: str,
    start: int,
    end: int,
    words: frozenset[str],
    in_quotes: bool = False,
) -> Link | None:
    """The candidate the text speaks for, or None when it speaks for none that needs words
    (`KnownEntity.needs_words`: "Bayern" and "HSV" do, "Hamburger SV" does not).

    Score: 2 per cue word next to the mention (within LOCAL_WORDS words, or a part
    of its hyphenated compound: "Wagner-Chef"; a ``before`` word right before it) plus 1
    per context word elsewhere in the text, at most 3. A lone candidate between quotation
    marks needs no words (the „Welt“ is the paper).
    """
    form = text[start:end]
    if len(candidates) == 1 and (in_quotes or not candidates[0].needs_words(form)):
        return Link(candidates[0], "alias", 1.0)
    window = text[max(0, start - 80) : end + 80]
    offset = start - max(0, start - 80)
    before = WORD.findall(window[:offset])[-LOCAL_WORDS:]
    after_text = window[offset + (end - start) :]
    after = WORD.findall(after_text)[:LOCAL_WORDS]
    near = set(before) | set(after)
    if after_text.startswith("-"):
        near |= {w.capitalize() for w in WORD.findall(after_text[:30].split()[0])}
    scores = []
    for entity in candidates:
        score = 2 * len(entity.local & near) + min(3, len(entity.context & words))
        if before and before[-1] in entity.before:
            score += 2
        if in_quotes and entity.before and len(candidates) > 1:
            score += 2  # a quoted name is a title: die „Deutschland“ is the ship
        scores.append(score)
    top = max(scores)
    if top > 0:
        chosen = candidates[scores.index(top)]
        return Link(chosen, "context", round(top / (sum(scores) or 1), 2))
    plain = [c for c in candidates if c.default or not c.needs_words(form)]
    if plain:
        chosen = max(plain, key=_rank)
        return Link(chosen, "default" if len(candidates) > 1 else "alias", 1.0 / len(candidates))
    return None


def link_all(
    gazetteer: Gazetteer, text: str, words: frozenset[str] | None = None
) -> list[tuple[int, int, Link]]:
    """Every knowledge-base match of a text with the candidate its context chose (``words``,
    the text's own by default; see `Tagger._spans` for an item's title and body).

    One sense per text: where the words next to one mention, or quotation marks, chose an
    entry ("die „Welt“ berichtet"), or a form that needs no words named it, a form of it
    elsewhere in the text that no words chose means it too ("Die Welt: Herr Loznitsa,
    ...", the paper's interview)."""
    matches = gazetteer.find(text)
    if not matches:
        return []
    words = context_words(text) if words is None else words
    chosen = [(m, choose(m.candidates, text, m.start, m.end, words, m.in_quotes)) for m in matches]
    # chosen by words, by quotation marks, or named by a form that needs none
    # ("Piratenpartei", "US-Küstenwache": their "Piraten", "Küstenwache" follow)
    sure = [
        link.entity
        for m, link in chosen
        if link is not None
        and (
            link.method == "context"
            or m.in_quotes
            or (link.entity.ambiguous and link.method == "alias")
        )
    ]
    out = []
    for m, link in chosen:
        if link is None and sure and _may_be_name(text, m.start):
            # only where no candidate was taken: a default ("nach Deutschland") stays
            entity = next((e for e in sure if e in m.candidates), None)
            if entity is not None:
                link = Link(entity, "context", 1.0)
        if link is not None:
            out.append((m.start, m.end, link))
    return out


def _may_be_name(text: str, start: int) -> bool:
    """Could the form at ``start`` be a name by the word before it (`NAME_MAY_FOLLOW`)? A
    sentence's first word can."""
    before = text[max(0, start - 40) : start]
    words = before.split()
    if not words or "\n" in before[before.rfind(words[-1]) :]:
        return True
    word = words[-1].strip("„“\"'‚‘(")
    if not word or word[-1] in ".!?:;" or not (word[0].islower() or word[0].isdigit()):
        return True
    return word in NAME_MAY_FOLLOW
