"""What a knowledge-base match or a tagged name means in its sentence.

Matching finds forms; these rules read the words around them. A hyphen compound
names its parts ("Kreml-Sprecher" is the Kremlin), but as the first or last word of a
tagged name it is no part of that name ("Putin-Vertrauter Medwedew"). A relative
named through a person is not the person ("Putins Tochter"); a descriptor before
another person's name is that person's title ("Kremlchef Jelzin"); an abbreviation
right after the words it abbreviates is theirs; a known person's surname is someone
else's when the item names that someone in full ("Daniil Medvedev"); a known person's
given name inside another's name is not theirs ("Harry S. Truman"). Pure functions
of the text and its matches, called by the tag stage (workers/tagging/stage.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from workers.tagging.knowledge import (
    CLOSING_QUOTES,
    OPENING_QUOTES,
    KnownEntity,
    Link,
    choose,
    context_words,
    well_known,
)
from workers.tagging.names import (
    KNOWN_WORD_LOGP,
    Cues,
    Span,
    common_noun,
    in_noun_phrase,
    known_noun,
    may_be_noun,
    noun_word,
    strip_genitive,
    word_class,
)
from workers.tagging.ner import NamedSpan

#: knowledge-base matches of a text: start, end, the candidate chosen
Links = list[tuple[int, int, Link]]
#: the knowledge base's forms and the entries each one may mean
Lookup = Mapping[str, Sequence[KnownEntity]]
#: the word after a person's genitive ("Putins Tochter", "Putins Ex-Frau") or compound
_KIN = re.compile(r"\s+(?:Ex-)?([^\W\d_]+)")
_KIN_COMPOUND = re.compile(r"-([^\W\d_]+)")
#: an adjective of origin in capitals at a sentence's start ("Nordkoreanische", "Russischen")
_ADJECTIVE = re.compile(r"[A-ZÄÖÜ][a-zäöüß]+isch(?:e[mnrs]?)?")
#: a result ("3:0", "(1:0)"): no part of a club's name in a results line
_SCORE = re.compile(r"\(?\d+:\d+\)?[,.;]?")
#: a capitalised word after a genitive: "Kohls Sprecher" is a person's, not cabbage's
_BEFORE_NOUN = re.compile(r" [A-ZÄÖÜ]\w")
#: a word of a name, with its offset
_WORD = re.compile(r"\S+")
#: an article or determiner: no part of a name in lower case ("dem Tagesspiegel"); in upper
#: case it may be ("Der Tagesspiegel", "Das Erste", "Den Haag": 4 of GermEval dev's 1,581)
_ARTICLES = frozenset(
    ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "eines", "einer"]
)
#: the prepositions before a town's name that a noun of the same spelling seldom follows
#: ("in Essen", "aus Essen", "südlich von Essen"; not "das", "zum", "mehr", "gesundes Essen")
_PLACE_BEFORE = frozenset(["in", "aus", "nach", "von", "bei", "bis", "nahe"])
#: the word right before an offset
_WORD_BEFORE = re.compile(r"(?<![\w-])([^\W\d_]+)\s+$")
#: the article glued to an Arabic surname, capitalised at a sentence's start ("Al-Hassani")
_ARABIC_ARTICLES = frozenset(["al", "el", "ad", "ar", "as", "ash", "at", "az", "an"])
#: an English plural of five letters or more, a team's name after its town's ("Mavericks",
#: "49ers"; not a surname such as "Gloss", "Yunis")
_TEAM = re.compile(r"(?:[A-Z][a-z]{2,}[^siuo]|\d+er)s")
#: where teams are called so: the United States and Canada (a town's or state's parent)
_TEAM_LANDS = frozenset(["Q30", "Q16"])
#: English plurals that end a place's name, not a team's
_PLACE_PLURALS = frozenset((
    "Islands", "Hills", "Springs", "Heights", "Falls", "Gardens", "Lakes", "Mountains",
    "Keys", "Plains", "Woods", "Fields", "Rapids", "Rocks", "Sands", "Downs", "Banks", "Isles",
    "Flats", "Meadows", "Cliffs", "Narrows", "Shoals", "Glades", "Highlands", "Lowlands",
    "Territories", "States", "Emirates", "Indies", "Provinces", "Vegas", "Angeles", "Towers",
    "Docks", "Quays", "Commons", "Alps", "Andes", "Rockies", "Dolomites", "Pyrenees",
))  # fmt: skip
#: the token right before an offset ("die Fischer", "Die Fischer", "3 Wölfe", "5-Sterne")
_TOKEN_BEFORE = re.compile(r"(?<!\S)(\S+)[ \t]+$")
#: the capitalised word right after a match ("Grüne Wiese")
_NEXT_WORD = re.compile(r" ([A-ZÄÖÜ][^\W\d_]+)\b")
#: a party's abbreviation right before a hyphen ("SPD-Linke")
_PARTY_BEFORE = re.compile(r"(?<![^\W\d_])[A-ZÄÖÜ]{2,}$")
#: an adjective of origin ("amerikanische", "europäischen")
_ORIGIN = re.compile(r"[a-zäöü]+isch(?:e[mnrs]?)?\b")
#: a model's name or number after a maker's ("Opel Astra", "Porsche 911", "Mercedes 208")
_MODEL = re.compile(r" (\d[\w-]*|[A-ZÄÖÜ][a-zäöüß][^\W\d_]*)\b")
#: a capitalised word in -er, not part of a hyphen compound: a town's adjective perhaps
_IN_ER = re.compile(r"(?<![\w-])[A-ZÄÖÜ][^\W\d_]+er(?![\w-])")
#: the word after a town's adjective ("Mariupoler Stahlwerk", "Mariupoler Asowstal-Werk")
_AFTER_TOWN = re.compile(r" ([A-ZÄÖÜ][^\W\d_]*(?:-[^\W\d_]+)*)(?![\w-])")
#: the capitalised words right before a word (of a town's name: "New Yorker")
_NAME_BEFORE = re.compile(r"(?<![\w-])((?:[A-ZÄÖÜ][^\W\d_]* ){1,2})$")
#: places whose adjective names no town: a country's ("Schweizer") names no country, as
#: "russisch" names no Russia
_NO_TOWN = frozenset({"country", "county", "territory"})


def entries_of(lookup: Lookup, word: str) -> Sequence[KnownEntity]:
    """The entries a word names, as it stands or as a genitive ("Putins")."""
    return lookup.get(word) or lookup.get(strip_genitive(word, lookup)) or ()


def curated(entity: KnownEntity) -> bool:
    """A curated person, place or organisation: no source-built village named like a word,
    no MISC thing (the ship "Deutschland")."""
    return entity.priority >= 0 and entity.type != "MISC"


def town(entity: KnownEntity) -> bool:
    """A place that has districts: no country, no region."""
    return entity.type == "LOC" and entity.kind not in ("country", "region")


def known_compound(lookup: Lookup, word: str, district: bool) -> bool:
    """Is the word a hyphen compound of a curated entry and a common noun
    ("Putin-Vertrauter", "Saporischschja-Front", "Krim-Tataren")? GermEval calls it a
    name part, not a name; the entry is a mention of its own (see `parts`). With
    ``district``, a town's compound is left alone: "Köln-Ehrenfeld" and "Berlin-Mitte"
    are places (HanTa takes their second half for a noun)."""
    word = word.rstrip(".,;:!?")
    if "-" not in word or word in lookup or strip_genitive(word, lookup) in lookup:
        return False
    pieces = word.split("-")
    for i, piece in enumerate(pieces):
        # a form that names an entry only with its words is no sure part ("Fußball-Union")
        held = [e for e in entries_of(lookup, piece) if e.default or not e.needs_words(piece)]
        if not any(curated(e) for e in held):
            continue
        if district and i == 0 and all(town(e) for e in held):
            return False
        rest = pieces[:i] + pieces[i + 1 :]
        # "McLaren" (a capital inside) is a name, whatever HanTa guesses
        if rest and all(
            p[:1].isupper() and p[1:].islower() and p not in lookup and noun_word(p) for p in rest
        ):
            return True
    return False


def noun_not_town(lookup: Lookup, text: str, span: NamedSpan) -> bool:
    """A place of one word that the tagger found, spelled like a common noun, and that the
    knowledge base has only as a town matched where a name or words speak for it ("Essen",
    "Halle", "Porto", "Siegen") is the town only after a preposition of place: "in Essen",
    "aus Halle"; "das Essen", "mehr Essen", "mit vier Siegen" are no towns (the tagger
    reads every knowledge-base form as a hint of a name). Where the words around it speak
    for the town, the knowledge base's own match links it."""
    if span.type != "LOC" or " " in span.text or not known_noun(span.text):
        return False
    known = lookup.get(span.text, ())
    if not known or any(e.anywhere and not e.needs_words(span.text) for e in known):
        return False
    before = _WORD_BEFORE.search(text, max(0, span.start - 20), span.start)
    return before is None or before.group(1) not in _PLACE_BEFORE


def team(lookup: Lookup, span: NamedSpan) -> NamedSpan:
    """An American or Canadian town or state followed by an English plural that is no
    German word is a team: "Dallas Mavericks", "Los Angeles Lakers", "Edmonton Oilers"
    (the tagger, told the town is a place, calls the whole a place or a person). Not a
    place of English plural name ("Palm Springs")."""
    place, _, last = span.text.rpartition(" ")
    if span.type == "ORG" or not _TEAM.fullmatch(last) or last in _PLACE_PLURALS:
        return span
    towns = [e for e in lookup.get(place, ()) if e.type == "LOC" and e.parent in _TEAM_LANDS]
    if not towns or may_be_noun(last):
        return span
    return replace(span, type="ORG")


def trim(lookup: Lookup, span: NamedSpan) -> NamedSpan | None:
    """The tagger's name without a leading article in lower case ("dem Tagesspiegel"), or
    in upper case where the knowledge base has the name without it and not with it ("Die
    Deutsche Bank" opening a sentence), without a result after it ("Hamburger SV 3:0") and
    without a leading or trailing compound of a known entry ("Putin-Vertrauter Medwedew"
    is Medwedew); None when nothing else is left, or only an adjective."""
    words = list(_WORD.finditer(span.text))
    if len(words) > 1 and words[0].group().lower() in _ARTICLES and words[1].group()[:1].isupper():
        rest = span.text[words[1].start() :]
        if words[0].group().islower() or (rest in lookup and span.text not in lookup):
            words.pop(0)
    # a place's district opens a place's name and may close any ("Amtsgericht
    # Berlin-Tiergarten")
    while words and known_compound(lookup, words[0].group(), span.type == "LOC"):
        words.pop(0)
    while words and (
        _SCORE.fullmatch(words[-1].group()) or known_compound(lookup, words[-1].group(), True)
    ):
        words.pop()
    if not words or (len(words) == 1 and _ADJECTIVE.fullmatch(words[0].group())):
        return None  # an adjective alone is no name ("Nordkoreanische Soldaten")
    start, end = words[0].start(), words[-1].end()
    if (start, end) == (0, len(span.text)):
        return span
    return NamedSpan(span.start + start, span.start + end, span.text[start:end], span.type)


def parts(lookup: Lookup, text: str, links: Links) -> Links:
    """A hyphen compound names its parts too: "Kreml-Sprecher" is Peskow and the Kreml,
    "UN-Vollversammlung" an organ of the UN, "Krim-Brücke" a bridge to the Krim. Only
    where the rest is a common noun ("Sachsen-Anhalt" is no mention of Sachsen) and the
    part is a curated entry (not a village called like it), and not of a plant: the place a
    plant is named after is its name, not where it is ("Saporischschja-AKW" is at Enerhodar,
    no mention of the city). A competition named like another is no mention of it: the
    "Handball-Bundesliga" is not the football league (its "DFB-Pokal" is the DFB's)."""
    out = list(links)
    words: frozenset[str] | None = None
    for start, end, link in links:
        form = text[start:end]
        if "-" not in form or link.entity.priority < 0 or link.entity.kind == "plant":
            continue
        pieces = [(m.start(), m.group()) for m in re.finditer(r"[^-]+", form)]
        for offset, part in pieces:
            held = entries_of(lookup, part)
            if link.entity in held:
                continue  # "Wagner-Söldner": the group itself
            candidates = tuple(
                e for e in held if curated(e) and not (e.kind == link.entity.kind == "competition")
            )
            rest = [p for o, p in pieces if o != offset]
            if not candidates or not all(
                p[:1].isupper() and p not in lookup and common_noun(p) for p in rest
            ):
                continue
            words = context_words(text) if words is None else words
            s = start + offset
            chosen = choose(candidates, text, s, s + len(part), words)
            if chosen is not None and chosen.entity != link.entity:
                out.append((s, s + len(part), chosen))
    return sorted(out, key=lambda x: x[0])


def relatives(kin: frozenset[str], text: str, links: Links) -> Links:
    """'Putins Tochter', 'Selenskyjs Frau', 'Klitschko-Bruder': the relative, not the
    person named through them."""
    out = []
    for start, end, link in links:
        if link.entity.type == "PER":
            after = text[end : end + 40]
            genitive = text[end - 1 : end] == "s" or after[:1] in "'’"
            m = _KIN.match(after.lstrip("'’")) if genitive and after else None
            m = m or _KIN_COMPOUND.match(after)
            if m is not None and m.group(1).casefold() in kin:
                continue
        out.append((start, end, link))
    return out


def office_holders(text: str, links: Links, spans: Sequence[NamedSpan | Span]) -> Links:
    """A descriptor right before another person's name is that person's title, not the
    entry it stands for: "Kremlchef Jelzin" is not Putin, "UN-Generalsekretär Kofi
    Annan" not Guterres ("Kremlchef Putin" keeps both)."""
    people = {s.start: None for s in spans if s.type == "PER"}
    people |= {s: link.entity for s, _, link in links if link.entity.type == "PER"}
    out = []
    for start, end, link in links:
        entity = link.entity
        form = text[start:end]
        if (
            (form in entity.descriptors or form.removesuffix("s") in entity.descriptors)
            and text[end : end + 1] == " "
            and people.get(end + 1, entity) != entity
        ):
            continue
        out.append((start, end, link))
    return out


#: a capitalised word, or an initial, right after a match ("Harry S. Truman", "Diana Ross")
_NAME_AFTER = re.compile(r" ([A-ZÄÖÜ]\.|[A-ZÄÖÜ][^\W\d_]+(?:[-'’][^\W\d_]+)*)")
#: the capitalised word right before a match, a space between ("Maisie Williams")
_NAME_RIGHT_BEFORE = re.compile(r"(?<![\w-])([A-ZÄÖÜ][^\W\d_]+) $")


def _name_word(word: str, cues: frozenset[str]) -> bool:
    """Is a capitalised word a name's (a proper noun or a word HanTa does not know), not
    the entry's own cue ("Prinz", "Queen") nor a known common word ("Mutter", "Ein")?"""
    if word in cues:
        return False
    if len(word) == 2 and word.endswith("."):
        return True  # an initial
    tag, logp = word_class(word, False)
    return tag == "NE" or (tag.startswith("NN") and logp < KNOWN_WORD_LOGP)


def given_names_of_others(text: str, links: Links) -> Links:
    """A person's given name the knowledge base lists as ambiguous ("Harry", "William",
    "Diana") is another person's where it stands in a longer name: before a surname or an
    initial ("Harry S. Truman", "Diana Ross") or after another given name ("Maisie
    Williams"); the prince is "Prinz Harry", "Meghan und Harry", "Harry sagte"."""
    out = []
    for start, end, link in links:
        entity = link.entity
        form = text[start:end]
        if entity.type == "PER" and entity.ambiguous and " " not in form:
            bare = form if form in entity.ambiguous else form.removesuffix("s")
            if bare in entity.ambiguous:
                cues = entity.context | entity.local | entity.before
                after = _NAME_AFTER.match(text, end)
                before = _NAME_RIGHT_BEFORE.search(text, max(0, start - 40), start)
                if (after and _name_word(after.group(1), cues)) or (
                    before and _name_word(before.group(1), cues)
                ):
                    continue
        out.append((start, end, link))
    return out


@dataclass(frozen=True)
class TownAdjectives:
    """Well-known towns' adjectives in -er ("Mariupoler", "Kiewer", "Münchner"), each with
    the form of the town's name it is made of and the town, and the nouns that read them
    otherwise (``Cues.town_adjective_not_before``, ``town_adjective_regions``)."""

    towns: Mapping[str, tuple[str, KnownEntity]]
    #: a noun, or a compound ending in one, after which the pair names something else
    not_before: re.Pattern[str]
    regions: frozenset[str]


def town_adjectives(lookup: Lookup, cues: Cues) -> TownAdjectives:
    """The adjective of every well-known town (curated, with a source's Wikidata id, or of
    100,000 people) by each form of its name in capitalised words: the form and "-er" ("-r"
    after an "-e"; "New Yorker"), or the irregular one the cues list. A place's form is its
    town's only where the town is the form's first candidate; an adjective that is a
    knowledge-base form itself is left to that entry."""
    irregular = dict(cues.town_adjectives)
    towns: dict[str, tuple[str, KnownEntity]] = {}
    for form, candidates in lookup.items():
        town = candidates[0] if candidates else None
        if town is None or town.type != "LOC" or town.kind in _NO_TOWN or not well_known(town):
            continue
        words = form.split(" ")
        if form not in (town.name, *town.aliases) or not all(
            w.isalpha() and w.istitle() for w in words
        ):
            continue
        if len(words) > 1 and town.kind == "region":
            continue  # "Oblast Charkiw" makes none
        adjective = irregular.get(form) or form + ("r" if form.endswith("e") else "er")
        if adjective not in lookup:
            towns.setdefault(adjective, (form, town))
    exact = "|".join(map(re.escape, cues.town_adjective_not_before)) or "(?!)"
    heads = "|".join(map(re.escape, cues.town_adjective_not_before_heads)) or "(?!)"
    pattern = re.compile(rf"(?:{exact}|.*(?:{heads}))(?:e?[sn])?", re.I)
    return TownAdjectives(towns, pattern, cues.town_adjective_regions)


def town_adjective_links(table: TownAdjectives, lookup: Lookup, text: str, links: Links) -> Links:
    """A town's adjective before a noun names the town: "Mariupoler Stahlwerk", "Kiewer
    Regierung", "Moskauer Führung" are Mariupol's, Kyiv's and Moscow's. Before a word of a
    region it names the oblast named after the town ("Charkiwer Gebiet"), and where the noun
    and the town's name are a knowledge-base form the adjective and the noun name that entry
    ("Saporischschjaer AKW" is the "AKW Saporischschja"). Not before another word (the
    "Berliner" alone is a person or a doughnut), an abbreviation ("Hamburger SV") or a noun
    the cues list ("Minsker Abkommen", "Kursker Bogen", "Wiener Schnitzel"), nor in a quoted
    title (the song „Moskauer Nächte“); not where a knowledge-base match holds the adjective
    ("Frankfurter Allgemeine Zeitung") unless it is a descriptor ("Kiewer Bürgermeister" is
    Klitschko, and Kyiv's)."""
    taken = [
        (s, e)
        for s, e, link in links
        if not {text[s:e], text[s:e].removesuffix("s")} & set(link.entity.descriptors)
    ]
    added: Links = []
    for m in _IN_ER.finditer(text):
        start, held = m.start(), table.towns.get(m.group())
        nxt = _AFTER_TOWN.match(text, m.end())
        if held is None or nxt is None:
            continue
        before = _NAME_BEFORE.search(text, max(0, start - 40), start)
        if before is not None:
            longer = _longer_name(table, lookup, before.group(1), m.group(), held[0])
            if longer is None:
                continue  # a longer place's adjective the table has not ("Neu Kiewer")
            start, held = start - len(longer[0]), longer[1]
        if any(s < m.end() and start < e for s, e in taken):
            continue
        opens, closes = text[start - 1 : start], text[nxt.end() : nxt.end() + 1]
        if opens and closes and opens in OPENING_QUOTES and closes in CLOSING_QUOTES:
            continue  # a title: the song „Moskauer Nächte“
        form, town = held
        noun = nxt.group(1)
        things = lookup.get(f"{noun} {form}") or (
            lookup.get(f"Oblast {form}") if noun in table.regions else None
        )
        if things and not any(s < nxt.end() and nxt.start(1) < e for s, e in taken):
            added.append((start, nxt.end(), Link(things[0], "alias", 1.0)))
        elif not noun.isupper() and noun_word(noun) and not table.not_before.fullmatch(noun):
            added.append((start, m.end(), Link(town, "alias", 1.0)))
    return sorted([*links, *added], key=lambda x: x[0]) if added else links


def _longer_name(
    table: TownAdjectives, lookup: Lookup, words: str, adjective: str, form: str
) -> tuple[str, tuple[str, KnownEntity]] | None:
    """The capitalised words before a town's adjective: the longer town's adjective they make
    ("New Yorker": New York, not York) with the words it took, the words taken as none ("",
    the adjective alone: "Der Berliner Senat", "Laut Kiewer Angaben"), or None where they and
    the town's name are another place's that has no adjective here."""
    parts = words.split()
    for k in range(len(parts), 0, -1):
        head = " ".join(parts[-k:])
        if f"{head} {adjective}" in table.towns:
            return words[len(words) - len(head) - 1 :], table.towns[f"{head} {adjective}"]
        if f"{head} {form}" in lookup:
            return None
    return "", table.towns[adjective]


def defined_apart(text: str, links: Links) -> Links:
    """An abbreviation in brackets right after the words it abbreviates is theirs:
    "International Commerce Centre (ICC)" is not the court the knowledge base calls
    ICC. Kept when those words are a mention of the same entry ("Europäische Union
    (EU)")."""
    out = []
    for start, end, link in links:
        form = text[start:end]
        if form.isupper() and text[start - 1 : start] == "(" and text[end : end + 1] == ")":
            words = text[max(0, start - 1 - 20 * len(form)) : start - 1].split()
            words = words[-len(form) :]
            initials = "".join(w[:1] for w in words)
            same = any(e == start - 2 and x.entity == link.entity for _, e, x in links)
            if len(words) == len(form) > 1 and initials == form and not same:
                continue
        out.append((start, end, link))
    return out


def glued_surname(word: str) -> str:
    """The surname of a word that has a lower-case particle glued to it ("al-Sinwar":
    "Sinwar", "el-Sisi": "Sisi"); "" for any other word."""
    particle, _, surname = word.partition("-")
    return surname if particle.isalpha() and particle.islower() and surname[:1].isupper() else ""


def full_names(spans: Sequence[NamedSpan | Span]) -> dict[str, str]:
    """The tagger's full person names of an item by their last word ("Medvedev" ->
    "Daniil Medvedev") and their last words ("Hirsi Ali" -> "Ayaan Hirsi Ali"), so that
    the surname alone joins the full name."""
    out: dict[str, str] = {}
    # the longest name first: "Flick" and "Karl Flick" are Friedrich Karl Flick's
    for s in sorted(spans, key=lambda s: -len(s.text.split())):
        words = s.text.split()
        if s.type == "PER" and len(words) > 1:
            for i in range(1, len(words)):
                out.setdefault(" ".join(words[i:]), out.get(s.text, s.text))
            # "Sinwar" is Yahya al-Sinwar too
            if surname := glued_surname(words[-1]):
                out.setdefault(surname, out.get(s.text, s.text))
    return out


def _same_given_name(given: str, entity: KnownEntity) -> bool:
    """Dmitri, Dmitrij and Dmitry are one given name; Daniil is another."""
    forms = [f.split()[0] for f in (entity.name, *entity.aliases) if " " in f]
    return not forms or any(
        SequenceMatcher(None, given.casefold(), f.casefold()).ratio() >= 0.6 for f in forms
    )


def namesakes(
    lookup: Lookup, text: str, links: Links, names: Mapping[str, str]
) -> tuple[Links, list[NamedSpan]]:
    """A known person's surname is another person's when the item names that person in
    full with another given name: after "Daniil Medvedev", "Medvedev" is the tennis
    player, not Dmitri Medwedew; after "Sebastian Scholz", "Scholz" is not Olaf; after
    "Lewis Hamilton", "Hamilton" is no town; after "Sandro Wagner", "Wagner" is no
    group. Such matches leave the links and come back as names of their own (`names` maps
    a surname to its full name, from `full_names`)."""
    kept: Links = []
    moved: list[NamedSpan] = []
    for start, end, link in links:
        form = text[start:end]
        full = names.get(strip_genitive(form, names))
        if full is None:
            kept.append((start, end, link))
            continue
        given = full.split()[0]
        entity = link.entity
        # a group or thing whose name is a known person's too, taken without words for it
        # ("Wagner" after "Sandro Wagner"); a company keeps its founder's ("Siemens")
        thing = (
            entity.type in ("ORG", "MISC")
            and link.method != "context"
            and any(e.type == "PER" for e in entries_of(lookup, form))
        )
        other = (
            (entity.type == "PER" and not _same_given_name(given, entity))
            or (entity.type == "LOC" and town(entity))
            or thing
        )
        if other and not entries_of(lookup, given) and not common_noun(given):
            moved.append(NamedSpan(start, end, form, "PER"))
        else:
            kept.append((start, end, link))
    return kept, moved


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _alone(text: str, word: str) -> Iterator[tuple[int, int]]:
    """Where ``word`` stands as a whole word, or with a genitive s: what
    ``re.finditer(rf"\\b{word}s?\\b", text)`` finds, without a pattern compiled per surname
    and item (a fresh one each time: 3% of the tag stage's time went into compiling them)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if text[end : end + 1] == "s" and not _is_word(text[end + 1 : end + 2] or " "):
            end += 1
        if (at == 0 or not _is_word(text[at - 1])) and not _is_word(text[end : end + 1] or " "):
            yield at, end
        at = text.find(word, at + 1)


def repeated_surnames(
    text: str, names: Mapping[str, str], taken: Sequence[tuple[int, int]]
) -> list[NamedSpan]:
    """A surname the item has named in full is that person wherever it stands alone
    ("François Hollande ... Hollande führte"), though the tagger saw no name there. A
    surname that may be a common noun ("Wolf", "Fischer") only where no article, number,
    adjective or preposition before it makes it the noun ("sagte Fischer", not "die
    Fischer"); not the tagger's error of a compound ("Gepäckabfertigung"), nor a surname
    inside a compound ("Wikipedia-Betreiber")."""
    out: list[NamedSpan] = []
    spans = list(taken)
    for surname in sorted(names, key=len, reverse=True):  # "Hirsi Ali" before "Ali"
        words = surname.split()
        if len(surname) < 3 or not all(w.isalpha() and w[:1].isupper() for w in words):
            continue
        noun = may_be_noun(words[-1])
        if noun and not known_noun(words[-1]):
            continue  # a compound the tagger took for a name
        for start, end in _alone(text, surname):
            if text[end : end + 1] == "-" or _after_capital_hyphen(text, start):
                continue  # a compound: "Wikipedia-Betreiber", "Europa-Park" (not "al-Sinwar")
            if any(s < end and start < e for s, e in spans):
                continue
            if noun and _noun_after(text, start):
                continue
            out.append(NamedSpan(start, end, text[start:end], "PER"))
            spans.append((start, end))
    return out


def _after_capital_hyphen(text: str, start: int) -> bool:
    """Is the word at ``start`` the end of a compound ("Europa-Park"), not a surname after
    its particle ("al-Sinwar")?"""
    head = text[max(0, start - 40) : start]
    if not head.endswith("-"):
        return False
    part = head[:-1].split()[-1] if head[:-1].split() else ""
    return not part.islower() and part.lower() not in _ARABIC_ARTICLES


def _noun_after(text: str, start: int) -> bool:
    """Does the word before ``start`` make a capitalised word there a common noun ("die
    Fischer", "mit großem Kohl"), or a part of another name ("Europa Park", "Galaxy Ring"
    after a name that is no common noun)? Not after a title ("Frau Kraft") or at a
    sentence's start."""
    head = text[max(0, start - 40) : start].rstrip(OPENING_QUOTES + "(")
    before = _token_before(head, len(head))
    if before is None:
        return False
    word = before.rsplit("-", 1)[-1].lstrip(OPENING_QUOTES + "(")
    if not word or not word[-1].isalnum():
        return False  # a clause or sentence ends there
    if word[:1].isupper() and not word.isupper() and not in_noun_phrase(word):
        return not common_noun(word)
    return in_noun_phrase(word)


def noun_in_noun_phrase(
    lookup: Lookup, kinds: Mapping[str, str], text: str, span: NamedSpan
) -> bool:
    """A one-word name the Wiktionary has only as a common noun ("Straße", "Bank"; not
    "Pfeffer", a surname too), after an article, number, adjective or preposition ("auf
    die Straße", "Die Bank hatte"): the noun, not the name. Not a form of the knowledge
    base ("in Bremen"), nor a place after a preposition ("am Nordpol")."""
    if " " in span.text or kinds.get(span.text, "") != "n" or span.text in lookup:
        return False
    if span.type == "LOC" and _after_preposition(text, span.start):
        return False  # "am Nordpol", "im Pazifik"
    return _noun_after(text, span.start)


def _after_preposition(text: str, start: int) -> bool:
    before = _token_before(text, start)
    return before is not None and word_class(before, False)[0] in ("APPR", "APPRART")


def _token_before(text: str, start: int) -> str | None:
    """The token right before ``start``, a space or tab between (none at a line's start)."""
    before = _TOKEN_BEFORE.search(text[max(0, start - 40) : start])
    return before.group(1) if before is not None else None


def named_in_full(
    lookup: Lookup,
    text: str,
    links: Links,
    spans: Sequence[NamedSpan | Span],
    names: Mapping[str, str],
) -> tuple[Links, list[NamedSpan | Span]]:
    """The links and names of a text once the people the item names in full have their
    surnames: `namesakes`, then `repeated_surnames`."""
    links, moved = namesakes(lookup, text, links, names)
    out: list[NamedSpan | Span] = [*spans, *moved]
    taken = [(s, e) for s, e, _ in links] + [(s.start, s.end) for s in out]
    return links, out + repeated_surnames(text, names, taken)


def linked_people(text: str, links: Links) -> dict[str, Link]:
    """The surnames of the people a text names in full through the knowledge base, with
    their link: "Heinz Bierbaum" -> {"Bierbaum": Heinz Bierbaum}. Not a person whose
    surname is already a form of theirs (curated people have it: "Merkel"), and not a
    surname two of the item's people share."""
    out: dict[str, Link] = {}
    shared: set[str] = set()
    for start, end, link in links:
        entity = link.entity
        form = text[start:end]
        if entity.type != "PER" or " " not in form:
            continue
        surnames = {form.split()[-1], entity.name.split()[-1]}
        if form not in (entity.name, *entity.aliases) and form.endswith("s"):
            surnames.add(form.split()[-1][:-1])  # "Heinz Bierbaums"
        for surname in surnames - {entity.name, *entity.aliases}:
            held = out.get(surname)
            if held is not None and held.entity != entity:
                shared.add(surname)
            out[surname] = link
    return {s: link for s, link in out.items() if s not in shared}


def linked_surnames(
    kin: frozenset[str],
    text: str,
    links: Links,
    spans: Sequence[NamedSpan | Span],
    people: Mapping[str, Link],
) -> tuple[Links, list[NamedSpan | Span]]:
    """A surname alone is the person the item names in full through the knowledge base
    ("Heinz Bierbaum ... sagte Bierbaum"): the tagger's name of that one word, of any type
    ("Rice" read as an organisation), and the word where it stands alone and nothing else
    was found, become links to the person. Only in that item: a minor politician's surname
    is everybody's elsewhere. Not a surname that may be a common noun ("Kohl", "Wolf")
    unless it is a genitive before a noun ("Kohls Sprecher"), nor one inside a compound,
    nor a relative named through the person ("Bierbaums Tochter")."""
    if not people:
        return links, list(spans)
    kept: list[NamedSpan | Span] = []
    added: Links = []
    for span in spans:
        link = people.get(strip_genitive(span.text, people))
        if link is not None and " " not in span.text:
            added.append((span.start, span.end, Link(link.entity, "context", 1.0)))
        else:
            kept.append(span)
    taken = [(s, e) for s, e, _ in [*links, *added]] + [(s.start, s.end) for s in kept]
    for surname, link in people.items():
        if len(surname) < 3 or not surname.isalpha() or not surname[:1].isupper():
            continue
        # a known person's surname: only a noun HanTa knows is one ("Kohl"), not a word
        # that splits like a compound ("Steinmeier", "Hollande"); the noun where the word
        # before makes it one ("mit großem Kohl"), the genitive only before a noun ("Kohls
        # Sprecher")
        noun = known_noun(surname)
        for start, end in _alone(text, surname):
            if text[end : end + 1] == "-" or text[start - 1 : start] == "-":
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            genitive = end - start > len(surname)
            if noun and (
                _noun_after(text, start) or (genitive and not _BEFORE_NOUN.match(text, end))
            ):
                continue
            added.append((start, end, Link(link.entity, "context", 1.0)))
            taken.append((start, end))
    added = relatives(kin, text, added)
    return sorted([*links, *added], key=lambda x: x[0]), kept


def attributive(adjectives: frozenset[str], text: str, links: Links) -> Links:
    """A party named by an adjective is the adjective before a common noun: "Grüne
    Wiese", "Linke Hand" at a sentence's start, the "Grüne Woche" (a fair); after a
    hyphen it is a wing of another party ("SPD-Linke"). "Die Grünen wollen" and "SPD und
    Grüne einigen sich" stay the party."""
    out = []
    for start, end, link in links:
        if text[start:end] in adjectives:
            m = _NEXT_WORD.match(text, end)
            if m is not None and common_noun(m.group(1)):
                continue
            if text[start - 1 : start] == "-" and _PARTY_BEFORE.search(text, 0, start - 1):
                continue  # "SPD-Linke", "CDU-Linke": a party's wing ("Bundes-Grünen" stays)
        out.append((start, end, link))
    return out


def adjective_compounds(text: str, links: Links) -> Links:
    """A name hyphened to an adjective of origin is part of that adjective
    ("US-amerikanische", "EU-europäisch"), no mention of the thing, as "russisch" is none
    of Russia. "SPD-geführte" and "Kreml-nahe" still name the party and the Kremlin."""
    return [
        (start, end, link)
        for start, end, link in links
        if not (text[end : end + 1] == "-" and _ORIGIN.match(text, end + 1))
    ]


def products(lookup: Lookup, text: str, links: Links) -> Links:
    """A company's name before a model's ("Opel Astra", "Porsche 911", "Amazon Prime")
    names the product, no mention of the company (GermEval tags no ORG there). Not before
    a common noun or another name ("Porsche Holding", "Opel Eisenach")."""
    out = []
    for start, end, link in links:
        if link.entity.kind == "company" and _model(lookup, text, end):
            continue
        out.append((start, end, link))
    return out


def _model(lookup: Lookup, text: str, end: int) -> bool:
    """Does a model's name or number follow? A number before a noun is a count ("Amazon 5
    Gründe", a headline list), a word HanTa knows as another word class ("Amazon Keine
    Gesetzesänderung") no model."""
    m = _MODEL.match(text, end)
    if m is None:
        return False
    word = m.group(1)
    if word[0].isdigit():
        after = _NEXT_WORD.match(text, m.end())
        return after is None or not common_noun(after.group(1))
    tag, logp = word_class(word, False)
    return word not in lookup and not common_noun(word) and (tag == "NE" or logp < KNOWN_WORD_LOGP)


#: a lower-case word, then a capitalised word of letters alone: "startete Sampras bei"
_AFTER_VERB = re.compile(r"(?<![\w-])([a-zäöüß]+) ([A-ZÄÖÜ][^\W\d_]+)(?![\w'’-])")
#: HanTa's tags of a finite verb
_FINITE = frozenset(["VV(FIN)", "VA(FIN)", "VM(FIN)"])
#: the ends of the nouns that announce a company, party or club ("Hersteller Rimac",
#: "E-Scooter-Anbieter Circ", "Autobauer Qoros")
_COMPANY_NOUNS = (
    "hersteller", "bauer", "konzern", "firma", "unternehmen", "anbieter", "startup",
    "start-up", "marke", "partei", "dienst", "sender", "verein", "klub", "club", "händler",
    "zulieferer", "gruppe", "portal", "plattform", "dienstleister", "riese", "produzent",
    "rivale", "konkurrent", "sponsor", "team", "rennstall", "label", "versender",
)  # fmt: skip


def _noun_compound(word: str, kinds: Mapping[str, str]) -> bool:
    """Does the word end in a common noun of the Wiktionary, four letters or more
    ("Kreisel|pumpen", "Wieder|anbringung", "Projekt|koordinator")?"""
    for i in range(1, len(word) - 3):
        head = word[i:].capitalize()
        if "n" in kinds.get(head, ""):
            return True
    return False


def subject_after_verb(
    kinds: Mapping[str, str],
    text: str,
    taken: Sequence[tuple[int, int, str]],
    names: Mapping[str, str] | None = None,
) -> list[NamedSpan]:
    """A capitalised word no dictionary knows right after a finite verb is a person, the
    subject put after its verb: "startete Sampras bei den US Open", "betonte Thierse",
    "erreichte Goslin einen Schnitt" (the tagger, seeing a lone unknown word, often says
    nothing). Not a word HanTa knows as another class or a common noun, nor one the
    Wiktionary has only as a common noun ("sind Waldlichtungen") or that ends in one
    ("Kreiselpumpen"), nor where a name or match already stands; and not a word the text
    names as something else elsewhere ("der Hersteller Rimac ... zeigte Rimac", a match
    or name of another type): news name companies so."""
    out: list[NamedSpan] = []
    other = {text[s:e] for s, e, t in taken if t != "PER"}
    for m in _AFTER_VERB.finditer(text):
        start, end = m.span(2)
        word = m.group(2)
        if (
            not word[1].islower()
            or word in other
            or any(s < end and start < e for s, e, _ in taken)
        ):
            continue
        # the look-ups first: HanTa's guess for an unknown word is costly
        kind = kinds.get(word, "")
        if "n" in kind and not ("s" in kind or "g" in kind):
            continue
        if not kind and _noun_compound(word, kinds):
            continue
        if word_class(m.group(1), False)[0] not in _FINITE:
            continue
        tag, logp = word_class(word, False)
        if not (tag == "NE" or (logp < KNOWN_WORD_LOGP and not common_noun(word))):
            continue
        if _company_named(text, word):
            continue
        # a surname after it ("spielten Mats Hummels", "wechselte Fei Junlong")
        after = _SURNAME_AFTER.match(text, end)
        if after is not None and _surname(after.group(1), kinds, names, word):
            end = after.end(1)
        out.append(NamedSpan(start, end, text[start:end], "PER"))
    return out


#: a capitalised word right after a word, not the head of a compound
_SURNAME_AFTER = re.compile(r" ([A-ZÄÖÜ][a-zäöüßéèáíóúñçšžčćł]+)(?![\w'’-])")


def _surname(
    word: str, kinds: Mapping[str, str], names: Mapping[str, str] | None, first: str = ""
) -> bool:
    """Is a capitalised word after a person's first word their surname: a surname of the
    names list, after a given name one in the plural too ("Mats Hummels"), or a word no
    dictionary knows?"""
    names = names or {}
    if "s" in names.get(word, "") or "s" in kinds.get(word, ""):
        return True
    if "g" in names.get(first, "") and word.endswith("s") and "s" in kinds.get(word[:-1], ""):
        return True
    tag, logp = word_class(word, False)
    return (tag == "NE" or logp < KNOWN_WORD_LOGP) and not common_noun(word) and not kinds.get(word)


def _company_named(text: str, word: str) -> bool:
    """Does a noun announcing a company stand right before the word somewhere in the text
    ("vom kroatischen Hersteller Rimac")?"""
    for start, _ in _alone(text, word):
        before = _token_before(text, start)
        if before is not None and before.lower().endswith(_COMPANY_NOUNS):
            return True
    return False
