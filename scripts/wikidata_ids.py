"""Find checked Wikidata ids for curated KB entries that have none:
`python scripts/wikidata_ids.py [--mirrors DIR]`.

Writes ``workers/tagging/data/kb_wikidata_ids.jsonl``, which ``build_kb`` merges into the
curated entries (one line per id: the id, the curated entry it belongs to, and what in the
source confirmed it). Only ids are kept from the sources, never their records. Sources:

- **CaptainFact's Wikidata extract** (github.com/CaptainFact/captain-fact-dev-data,
  ``Wikidata/data/politicians_born_after_1945_having_a_picture.csv`` at commit 30ea5b8,
  CC0 1.0): politicians born after 1945 with their Wikidata id, name in their own language,
  date of birth and country of citizenship. Its Cyrillic names lost their high byte
  ('!5@359' for 'Сергей'); they are restored before being transliterated.
- **SupraVerden** (github.com/confirmordeny/supraverden, ``data/general_list.yaml``,
  at commit 59ab4fa, CC BY-SA 4.0): international organisations with their Wikidata id
  and names in German and English, and their abbreviations.
- **A Wikidata harvest of the Russo-Ukrainian war** (github.com/yyyuanfish/russia-ukrain-war,
  the JSONL files in ``WAR``, at commits 4c261d6 and 75504a4; the repository states no
  licence of its own):
  Wikidata items linked from the war's Wikipedia navboxes and categories, or found by SPARQL,
  with their Wikidata labels, aliases and descriptions in English, Russian and Ukrainian,
  their instance-of and their citizenship and country claims. These are Wikidata's own
  statements (CC0 1.0); only the ids are kept.
- **Natural Earth's populated places** (naturalearthdata.com, public domain; the GeoJSON of
  github.com/martynafford/natural-earth-geojson, ``NATURAL_EARTH`` at commit 0b9a6ce, CC0 1.0):
  7,343 towns and cities with their Wikidata id, German and English names, ISO country and
  GeoNames id. A curated place is given a town's id where its German name is the town's
  German name (``NAME_DE``) and its country (``country``) is the town's; where two towns of
  that name are in the entry's countries, it gets none.

- **Who's On First's places of no country** (github.com/whosonfirst-data/whosonfirst-data-admin-xy,
  at commit fc3f0a0, the licence of Who's On First, see ``KB_LICENSE_whosonfirst.md``):
  continents, oceans and seas with their Wikidata id (``wof:concordances``) and preferred
  German and English names. A curated place whose name is the German name and whose
  ``name_en`` (or name, or an alias) the English one is given the id.
- **Who's On First's regions** (the country repositories ``WOF_COUNTRIES`` and
  ``WOF_REGION_COUNTRIES`` name, same
  licence): a country's current states, provinces and cantons (``region``) and Italy's and
  Spain's regions (``macroregion``) with their Wikidata id and preferred German and English names. A
  curated place is given the id where both names agree as above (its name or an alias the
  German one) and its ``country`` is the
  region's (``wof:country``); a deprecated, superseded or no longer current record gives none.
- **The name-suggestion-index** (github.com/osmlab/name-suggestion-index, ``data/brands``,
  ``data/operators`` and ``data/transit`` at commit c8b272e, BSD 3-Clause, see
  ``KB_LICENSE_nsi.md``): OpenStreetMap's brands and operators (companies, authorities,
  armed forces, newspapers) with their Wikidata id and the countries they are found in.
  A curated organisation is given an id where its name (or ``name_en``, or an alias of more
  than one word) is a brand's or operator's name and its country is among the brand's
  countries; worldwide brands ("001") and two ids that would fit give nothing.

- **ROR, the Research Organization Registry** (github.com/ror-community/ror-records, the
  JSON records of every release folder at commit d93fc66, MIT licence, see
  ``KB_LICENSE_ror.md``; ROR publishes the registry itself under CC0 1.0): research bodies,
  government agencies, companies and NGOs with their Wikidata id, names (its display name,
  labels, aliases, acronyms) and country; a record changed in several releases is read as
  its latest release has it, a withdrawn record or one of several Wikidata ids is passed
  over. Matched as the name-suggestion-index is: a name and the country agree.
- **Party Facts** (``../shared/data/kb/partyfacts/wikidata.csv``, MIT, see
  ``KB_LICENSE_partyfacts.md``): parties and movements with their Wikidata id, English,
  native and short name and country (ISO 3166-1 alpha-3); matched likewise, so a curated
  entry of German news' spelling ("Hisbollah", with ``name_en`` "Hezbollah") takes the
  party's id and the build merges the two.

- **congress-legislators** (github.com/unitedstates/congress-legislators, ``executive.yaml``
  and ``legislators-current.yaml`` at commit dfa9622, CC0 1.0): US presidents, vice presidents
  and members of Congress with their Wikidata id, names and English Wikipedia title. A
  curated person whose country is the US is given the id of the one record a full name of
  theirs is (first and last name, nickname and last name, official or Wikipedia name).

- **EveryPolitician's Wikidata lists** (github.com/every-politician-scrapers: the cabinets and
  parliaments of Ukraine, Russia, the US, the UK, Lithuania, Latvia, Poland, Slovakia,
  Finland, Belgium and Brazil, and ``world-leaders-2021``, ``EVERYPOLITICIAN``, ``html/``
  and the Wikidata query results; the repositories state no licence of their own, what they hold are
  Wikidata's statements, CC0 1.0): holders of a country's offices (ministers, members of
  parliament, governors, ambassadors; heads of state and government of every country) with
  their Wikidata id and English label. A curated person is given the id of the one holder
  whose label is a full name of theirs and whose country (the list's) is the entry's.

A curated person's own id is marked confirmed where the source gives that id to a record
of their name. An id is taken only when two fields of the source agree with the curated
entry: a person's full name (in the source's own-language name, its German
transliteration, or the name in its picture's file name) and the country the entry
names (``country``, ISO 3166-1 alpha-2);
an organisation's German name and its English name or abbreviation. From the war harvest: a
person's full name (the English label or an alias, or the German transliteration of the
Russian or Ukrainian one), that the item is a human, and the curated country among its
citizenships; an organisation's or place's name or English name (``name_en``) as the
English label or an alias, that it is no human, and the curated country among its country
claims. A curated entry that two source records would fit keeps its own id, and so does one
two sources give different ids; an id two curated entries would get goes to neither. The
sources are read from fetched mirrors of their repositories (``git show``; ``--mirrors``:
the folder holding ``CaptainFact+captain-fact-dev-data/repo``,
``confirmordeny+supraverden/repo``, ``yyyuanfish+russia-ukrain-war/repo``,
``martynafford+natural-earth-geojson/repo``, ``osmlab+name-suggestion-index/repo``,
``ror-community+ror-records/repo`` and the others named above; py7zr opens Natural Earth's
7-Zip archive), and Party Facts from ``../shared`` (``--parties``), so this runs where they
are; the derived file ships.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from workers.tagging import translit
from workers.tagging.knowledge import own_id

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "workers" / "tagging" / "data"
OUT = DATA / "kb_wikidata_ids.jsonl"
MIRRORS = REPO.parent / ".mirror"
PEOPLE = ("CaptainFact+captain-fact-dev-data", "30ea5b8",
          "Wikidata/data/politicians_born_after_1945_having_a_picture.csv")  # fmt: skip
#: words of a picture's file name that are not the name of the person it shows
PICTURE_WORDS = {"official", "portrait", "cropped", "crop", "jpg", "photo", "mdb", "mdl", "by"}
#: countries whose politicians' own-language names the source gives in Cyrillic
CYRILLIC_COUNTRIES = {"RU", "UA", "BY", "KZ", "BG", "RS", "MK", "KG", "TJ", "MN"}
BODIES = ("confirmordeny+supraverden", "59ab4fa", "data/general_list.yaml")
WAR_REPO = "yyyuanfish+russia-ukrain-war"
#: (commit, path): the harvest's files; the last, of an earlier run over the links of the
#: war's Wikipedia articles, was removed from the repository in a later commit
WAR = (("4c261d6", "outputs/data/wd_ru_ua_entities.jsonl"),
       ("4c261d6", "outputs/data/navbox_ru_ua_entities.jsonl"),
       ("4c261d6", "outputs/data/classified_ru_ua_entities.jsonl"),
       ("4c261d6", "pipeline_v2/data/entities/wikidata_entities.jsonl"),
       ("4c261d6", "pipeline_v2/data/entities/navboxes_entities.jsonl"),
       ("4c261d6", "pipeline_v2/data/entities/categories_entities.jsonl"),
       ("75504a4", "wiki_links_1.0/entities_from_links.jsonl"))  # fmt: skip
#: (repository, commit, path): Natural Earth's populated places, a 7-Zip archive of GeoJSON
NATURAL_EARTH = ("martynafford+natural-earth-geojson", "0b9a6ce",
                 "10m/cultural/ne_10m_populated_places.7z")  # fmt: skip
#: (repository, commit, folders): the name-suggestion-index's brands and operators
NSI = (
    "osmlab+name-suggestion-index",
    "c8b272ef0f",
    ("data/brands", "data/operators", "data/transit"),
)
NSI_PLACE = re.compile(r"([a-z]{2})(?:-[a-z0-9]+\.geojson)?$")
#: an item's tags that name it, and the tag of its Wikidata id
NSI_NAMES = {
    "brand": "brand:wikidata",
    "operator": "operator:wikidata",
    "network": "network:wikidata",
}
#: (repository, commit): ROR's records, one folder per release ("v1.17.1", "v2.9")
ROR = ("ror-community+ror-records", "d93fc6678")
RELEASE = re.compile(r"v(\d+(?:\.\d+)*)/")
PARTIES = REPO.parent / "shared" / "data" / "kb" / "partyfacts" / "wikidata.csv"
#: the sources matched by a name and a country, and how their evidence begins
NAMED_IN_COUNTRIES = {
    "nsi": "name-suggestion-index (osmlab, BSD 3-Clause)",
    "ror": "ROR (ror-community/ror-records, CC0)",
    "partyfacts": "Party Facts (MIT)",
}
#: (repository, commit, paths): US presidents, vice presidents and members of Congress
US_PEOPLE = ("unitedstates+congress-legislators", "dfa9622",
             ("executive.yaml", "legislators-current.yaml"))  # fmt: skip
#: (repository, commit): Who's On First's continents, oceans and seas (no country's)
WOF_REPO = "whosonfirst-data+whosonfirst-data-admin-{}"
WOF_XY = (WOF_REPO.format("xy"), "fc3f0a0c9")
WOF_KINDS = ("continent", "ocean", "marinearea")
#: (country code, commit) of the Who's On First country repositories read (their regions
#: here, their towns' GeoNames ids in geonames_wikidata.py), in the order they are credited:
#: the German-speaking countries first
WOF_COUNTRIES = (("at", "b02c630a5"), ("ch", "74c1d59abb"), ("li", "b7556b3"),
                 ("lu", "35cd839f"), ("pl", "59406cd47a"), ("by", "1e973538a"),
                 ("md", "bf46a5fb"), ("ps", "33d507da"), ("it", "c0e2aef6"))  # fmt: skip
#: country repositories read for their regions only: Spain's towns pair GeoNames ids with
#: Wikidata ids Natural Earth's disagree with (Tarragona's municipality, not the city)
WOF_REGION_COUNTRIES = (("es", "148ad222"),)
#: a country's parts a curated region may be: its states, provinces, cantons ("region") and
#: Italy's and Spain's regions above their provinces ("macroregion")
WOF_REGIONS = ("region", "macroregion")
#: (repository, commit, country): EveryPolitician's lists of a country's officeholders (Wikidata
#: query results); world-leaders-2021 names each holder's country itself ("countryid")
EVERYPOLITICIAN = (("every-politician-scrapers+ukraine-cabinet", "4fc6ab0", "UA"),
                   ("every-politician-scrapers+russia-cabinet", "3871831", "RU"),
                   ("every-politician-scrapers+us-cabinet", "0d5e73c", "US"),
                   ("every-politician-scrapers+united-kingdom-cabinet", "3a5ec68", "GB"),
                   ("every-politician-scrapers+lithuania", "2743892", "LT"),
                   ("every-politician-scrapers+latvia-cabinet", "5f14154", "LV"),
                   ("every-politician-scrapers+poland-cabinet", "c6b228d", "PL"),
                   ("every-politician-scrapers+slovakia-cabinet", "db4bf53", "SK"),
                   ("every-politician-scrapers+finland-cabinet", "56412ba", "FI"),
                   ("every-politician-scrapers+belgium-cabinet", "a1420fc", "BE"),
                   ("every-politician-scrapers+brazil-ministers", "de58065", "BR"),
                   ("every-politician-scrapers+world-leaders-2021", "be7039c", ""))  # fmt: skip
#: the columns of an EveryPolitician list that hold a holder's Wikidata id and label
HOLDER_COLUMNS = (
    ("item", "itemLabel"),
    ("personID", "person"),
    ("officeholder", "officeholderLabel"),
)
#: bio.csv's columns: a holder's id with its label and its English Wikipedia title
BIO_COLUMNS = (("id", "name"), ("id", "enwiki"))
HUMAN = "Q5"
#: claims that name a thing's country: citizenship (people), country, country of origin
COUNTRY_CLAIMS = ("P27", "P17", "P495")
#: the order in which sources' rows for one id are credited
SOURCES = ("captainfact", "supraverden", "ruwar", "naturalearth", "wofxy", "wofregion", "nsi",
           "ror", "partyfacts", "uscongress", "everypolitician")  # fmt: skip
#: an unquoted description may hold commas ("American Republican politician, U.S. Secretary
#: of State, ..."): it ends where the picture's address begins
ROW = re.compile(
    r"^http://www\.wikidata\.org/entity/(?P<qid>Q\d+),(?P<desc>\"(?:[^\"]|\"\")*\"|.*?),"
    r"(?P<image>https?://commons\.wikimedia\.org/[^,]*),(?P<native>.*?),"
    r"(?P<born>\d{4}-\d\d-\d\d)T[^,]*,(?P<country>[A-Z]{2})"
)


@dataclass(frozen=True)
class Person:
    qid: str
    names: frozenset[str]
    born: str
    country: str
    description: str


@dataclass(frozen=True)
class Item:
    """A Wikidata item of the war harvest: its names (name -> where: 'en label', 'ru alias
    (German transliteration)', ...), English description, whether it is a human, and the
    countries (ISO 3166-1 alpha-2) its citizenship and country claims name."""

    qid: str
    names: dict[str, str]
    description: str
    human: bool
    countries: frozenset[str]


@dataclass(frozen=True)
class Town:
    """A populated place of Natural Earth: its German name, its other names (English, local,
    ASCII), country (ISO 3166-1 alpha-2), GeoNames id and kind ('Admin-1 capital', ...)."""

    qid: str
    name_de: str
    names: frozenset[str]
    country: str
    geonames: str
    kind: str


@dataclass(frozen=True)
class Brand:
    """A named thing of a source that says where it is (a brand or operator of the
    name-suggestion-index, a ROR record, a party): one of its names, its Wikidata id, the
    countries (ISO 3166-1 alpha-2, upper case) it is found in, and where the source has it."""

    qid: str
    name: str
    countries: frozenset[str]
    where: str


def git_bytes(mirrors: Path, repo: str, commit: str, path: str) -> bytes:
    """A file of a fetched mirror (a bare git directory) at a commit, as it is stored."""
    out = subprocess.run(["git", "-C", str(mirrors / repo / "repo"), "show", f"{commit}:{path}"],
                         check=True, capture_output=True)  # fmt: skip
    return out.stdout


def git_show(mirrors: Path, repo: str, commit: str, path: str) -> str:
    """A text file of a fetched mirror at a commit."""
    return git_bytes(mirrors, repo, commit, path).decode("utf-8", errors="replace")


def restore_cyrillic(text: str) -> str | None:
    """'!5@359' -> 'Сергей': the source kept only the low byte of each Cyrillic letter (and
    wrote 'л', whose low byte is ';', as ','). A word with any other letter is dropped."""
    words = []
    for word in text.split(" "):
        letters = [chr(0x43B) if c == "," else chr(0x400 + ord(c)) for c in word if ord(c) < 0x80]
        restored = "".join(letters)
        cyrillic = all("CYRILLIC" in unicodedata.name(c, "") for c in restored)
        words.append(restored if restored and len(letters) == len(word) and cyrillic else "")
    # a mangled Cyrillic name has no ASCII small letters (а-я became 0-9, :-@, A-O)
    if not any(words) or any("a" <= c <= "z" for c in text):
        return None
    return " ".join(words)


def full_names(name: str) -> set[str]:
    """'Sergej Wiktorowitsch Lawrow': whole, and given name and surname alone."""
    words = name.split(" ")
    out = {" ".join(words)} if all(words) else set()
    if len(words) == 3 and words[0] and words[2]:
        out.add(f"{words[0]} {words[2]}")
    return out


def people(text: str) -> Iterator[Person]:
    # not splitlines(): the restored capitals include \x1c-\x1e, which it splits on
    for line in text.split("\n"):
        m = ROW.match(line)
        if m is None:
            continue
        native = m["native"]
        names: set[str] = set()
        cyrillic = restore_cyrillic(native) if m["country"] in CYRILLIC_COUNTRIES else None
        if cyrillic:
            for form in (translit.russian_german(cyrillic), translit.ukrainian_german(cyrillic)):
                if form:
                    names |= full_names(form)
        elif native and native.isprintable():
            names |= full_names(native)
        picture = unquote(m["image"].rsplit("/", 1)[-1]).rsplit(".", 1)[0]
        names.add(f"picture:{picture}")
        yield Person(m["qid"], frozenset(names), m["born"], m["country"], m["desc"].strip('"'))


def person_matches(forms: set[str], person: Person) -> list[str]:
    """The names of ``person`` one of ``forms`` (a curated entry's full names) is."""
    hits = []
    for name in person.names:
        if name.startswith("picture:"):
            picture = name[len("picture:") :]
            # "Official portrait of Sergey Shoigu", "2014-09-12 - Vitali Klitschko - 9019";
            # not "Funeral of Boris Yeltsin-22" (a picture of the funeral, not of Yeltsin)
            bare = re.sub(r"^(Official portrait of|Portrait of)\s+", "", picture)
            bare = re.sub(r"[\d.()_-]+", " ", bare)
            bare = " ".join(w for w in bare.split() if w.lower() not in PICTURE_WORDS)
            if bare in forms:
                hits.append(f"picture '{picture}'")
        elif name in forms:
            hits.append(f"name '{name}'")
    return hits


def curated(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("//"):
            rows.append(json.loads(line))
    return rows


def person_forms(entry: dict) -> set[str]:
    """A curated person's full names, with the spellings the build adds too
    (Nawalny/Nawalnyj, Prigoshin/Prigozhin)."""
    forms = {entry["name"], *entry.get("aliases", [])}
    forms |= translit.mixed_spellings(forms)
    forms |= {v for f in forms for v in translit.surname_variants(f)}
    return {f for f in forms if len(f.split()) >= 2}


def confirmed_ids(entries: list[dict], source: Iterable[Person]) -> Iterator[dict]:
    """Curated people whose Wikidata id the source gives to a record of their own name (not
    only their picture's): the id itself is the second field that agrees. A record of that
    name under another id is printed for review, and nothing is written for it."""
    source = list(source)
    for e in entries:
        if e["type"] != "PER" or not e.get("id"):
            continue
        forms = person_forms(e)
        named = {}
        for p in source:
            hits = [h for h in person_matches(forms, p) if not h.startswith("picture")]
            if hits:
                named[p.qid] = (p, hits)
        if e["id"] not in named:
            if named:
                print(f"conflict: {e['name']} is {e['id']}, the source has {sorted(named)}")
            continue
        person, hits = named[e["id"]]
        yield {
            "qid": e["id"],
            "curated": e["id"],
            "name": e["name"],
            "type": e["type"],
            "source": "captainfact",
            "evidence": f"curated, confirmed by CaptainFact's Wikidata extract (CC0): "
            f"{', '.join(sorted(hits))}, country {person.country}, born {person.born}, "
            f"'{person.description}'",
        }


def person_ids(entries: list[dict], source: Iterable[Person]) -> Iterator[dict]:
    source = list(source)
    for e in entries:
        if e["type"] != "PER" or e.get("id"):
            continue
        forms = person_forms(e)
        found = defaultdict(list)
        for p in source:
            hits = person_matches(forms, p)
            if hits:
                found[p.qid].append((p, hits))
        countries = set(e.get("country", []))
        agreeing = {q: [(p, h) for p, h in v if p.country in countries] for q, v in found.items()}
        agreeing = {q: v for q, v in agreeing.items() if v}
        # a record whose own name is the entry's beats one whose picture merely shows it
        by_name = {
            q: v
            for q, v in agreeing.items()
            if any(not h.startswith("picture") for _, hs in v for h in hs)
        }
        if len(by_name) == 1:
            agreeing = by_name
        if len(agreeing) != 1:
            if found:
                seen = "; ".join(
                    f"{q} {sorted({p.country for p, _ in v})}" for q, v in found.items()
                )
                print(f"not taken: {e['name']} ({sorted(countries)}): {seen}")
            continue
        qid, matches = next(iter(agreeing.items()))
        person = matches[0][0]
        names = sorted({h for _, hits in matches for h in hits})
        evidence = (
            f"CaptainFact Wikidata extract (CC0): {', '.join(names)}, country "
            f"{person.country}, born {person.born}, '{person.description}'"
        )
        yield _row(e, qid, "captainfact", evidence)


def body_ids(entries: list[dict], text: str) -> Iterator[dict]:
    """Organisations whose German name, English name or abbreviation is a curated form (or
    the entry's ``name_en``), taken where two different names of one record agree."""
    import yaml

    bodies = yaml.safe_load(io.StringIO(text))
    for e in entries:
        if e["type"] != "ORG" or e.get("id"):
            continue
        forms = {e["name"], *e.get("aliases", [])} | ({e["name_en"]} if e.get("name_en") else set())
        found = {}
        for key, body in bodies.items():
            qid = str(body.get("Wikidata_code") or "")
            if not re.fullmatch(r"Q\d+", qid):
                continue
            fields = {
                k: v
                for k, v in body.items()
                if isinstance(v, str) and (k == "Name_de" or k.endswith("_en")) and v in forms
            }
            if fields:
                found[qid] = (key, fields)
        agreeing = {q: v for q, v in found.items() if len(set(v[1].values())) >= 2}
        if len(agreeing) != 1:
            if found:
                print(
                    f"not taken: {e['name']}: "
                    + "; ".join(f"{q} {v[0]} {sorted(v[1])}" for q, v in found.items())
                )
            continue
        qid, (key, fields) = next(iter(agreeing.items()))
        evidence = f"SupraVerden (CC BY-SA 4.0) '{key}': " + ", ".join(
            f"{k} '{v}'" for k, v in sorted(fields.items())
        )
        yield _row(e, qid, "supraverden", evidence)


def _reordered(name: str) -> str:
    """'Prigozhin, Yevgeny' -> 'Yevgeny Prigozhin' (a sort key, not a name in text)."""
    if name.count(",") == 1:
        surname, given = (p.strip() for p in name.split(","))
        return f"{given} {surname}"
    return name


def war_items(texts: Iterable[str], country_of: dict[str, str]) -> list[Item]:
    """The harvest's records (one JSON object a line, an item in several files), one Item
    per Wikidata id; ``country_of``: Wikidata id of a country -> its ISO code."""
    merged: dict[str, dict] = {}
    for text in texts:
        for line in text.split("\n"):
            if not line.strip():
                continue
            raw = json.loads(line)
            qid = str(raw.get("qid") or "")
            if not re.fullmatch(r"Q\d+", qid):
                continue
            empty = {"names": {}, "desc": "", "human": False, "countries": set()}
            m = merged.setdefault(qid, empty)
            labels, aliases = raw.get("labels") or {}, raw.get("aliases") or {}
            for lang in ("en", "ru", "uk"):
                forms = [("label", labels.get(lang))]
                forms += [("alias", a) for a in aliases.get(lang) or []]
                for kind, form in forms:
                    if not form:
                        continue
                    form = _reordered(" ".join(form.split()))
                    if lang == "en":
                        m["names"].setdefault(form, f"en {kind}")
                        continue
                    german = translit.russian_german if lang == "ru" else translit.ukrainian_german
                    for name in full_names(german(form) or ""):
                        m["names"].setdefault(name, f"{lang} {kind} (German transliteration)")
            m["desc"] = m["desc"] or ((raw.get("descriptions") or {}).get("en") or "")
            m["human"] = m["human"] or HUMAN in (raw.get("instance_of") or [])
            claims = raw.get("raw_attrib_qids")
            if claims is None:  # the earlier run kept one list of P27, P17, P495, P131, P276, P159
                named = (raw.get("attribution_detail") or {}).get("structured_qids") or []
            else:
                named = [q for prop in COUNTRY_CLAIMS for q in claims.get(prop) or []]
            m["countries"] |= {country_of[q] for q in named if q in country_of}
    return [
        Item(q, m["names"], m["desc"], m["human"], frozenset(m["countries"]))
        for q, m in sorted(merged.items())
    ]


def _war_evidence(item: Item, hits: list[str], countries: set[str]) -> str:
    names = ", ".join(f"{item.names[h]} '{h}'" for h in sorted(hits))
    kind = "a human" if item.human else "no human"
    return (
        f"Wikidata harvest of the Russo-Ukrainian war (yyyuanfish/russia-ukrain-war, Wikidata's "
        f"labels and claims, CC0): {names}, {kind}, country {'/'.join(sorted(countries))}, "
        f"'{item.description}'"
    )


def war_person_ids(entries: list[dict], items: Iterable[Item]) -> Iterator[dict]:
    """Curated people: a full name of theirs is a name of a human item whose citizenship is
    the entry's country. A curated id is confirmed that way, or the other id is printed."""
    humans = [i for i in items if i.human]
    for e in entries:
        if e["type"] != "PER" or not (e.get("country") or e.get("id")):
            continue
        forms, countries = person_forms(e), set(e.get("country", []))
        named = {}
        for item in humans:
            hits = [f for f in forms if f in item.names]
            if hits:
                named[item.qid] = (item, hits)
        if e.get("id"):  # the curated id is the second field that agrees
            if e["id"] in named:
                item, hits = named[e["id"]]
                evidence = _war_evidence(item, hits, item.countries)
                yield {**_row(e, e["id"], "ruwar", f"curated, confirmed by {evidence}"),
                       "curated": e["id"]}  # fmt: skip
            elif named:
                print(f"conflict: {e['name']} is {e['id']}, the harvest has {sorted(named)}")
            continue
        agreeing = {q: v for q, v in named.items() if v[0].countries & countries}
        if (row := _the_one(e, agreeing, countries)) is not None:
            yield row


def _the_one(
    e: dict, agreeing: dict[str, tuple[Item, list[str]]], countries: set[str]
) -> dict | None:
    """The row of the one item that agrees with the entry; none when several do."""
    if len(agreeing) != 1:
        if agreeing:
            print(f"not taken: {e['name']}: {sorted(agreeing)}")
        return None
    item, hits = next(iter(agreeing.values()))
    return _row(e, item.qid, "ruwar", _war_evidence(item, hits, item.countries & countries))


def war_body_ids(entries: list[dict], items: Iterable[Item]) -> Iterator[dict]:
    """Curated organisations, places and things with a country: their name, English name or
    a name of more than one word is an English name of an item that is no human and whose
    country claims name the entry's country."""
    things = [i for i in items if not i.human]
    for e in entries:
        if e["type"] == "PER" or e.get("id") or not e.get("country"):
            continue
        own = {e["name"]} | ({e["name_en"]} if e.get("name_en") else set())
        forms = own | {a for a in e.get("aliases", []) if len(a.split()) > 1}
        countries = set(e["country"])
        agreeing = {}
        for item in things:
            hits = [f for f in forms if item.names.get(f, "").startswith("en ")]
            if hits and item.countries & countries:
                agreeing[item.qid] = (item, hits)
        # an item of the entry's own name beats one of an alias ("Nord Stream" the pair of
        # pipelines, not "Nord Stream 2")
        by_name = {q: v for q, v in agreeing.items() if own & set(v[1])}
        if len(by_name) == 1:
            agreeing = by_name
        if (row := _the_one(e, agreeing, countries)) is not None:
            yield row


def unpack_7z(data: bytes) -> dict[str, bytes]:
    """The files of a 7-Zip archive (Natural Earth's GeoJSON is shipped so)."""
    import tempfile

    import py7zr

    with tempfile.TemporaryDirectory() as tmp:
        with py7zr.SevenZipFile(io.BytesIO(data)) as archive:
            archive.extractall(tmp)
        return {p.name: p.read_bytes() for p in Path(tmp).rglob("*") if p.is_file()}


def towns(geojson: str) -> list[Town]:
    """Natural Earth's populated places with a Wikidata id and a German name."""
    out = []
    for feature in json.loads(geojson)["features"]:
        p = feature["properties"]
        qid, german = str(p.get("wikidataid") or ""), " ".join(str(p.get("NAME_DE") or "").split())
        if not re.fullmatch(r"Q\d+", qid) or not german:
            continue
        names = {" ".join(str(p.get(k) or "").split()) for k in ("NAME_EN", "NAME", "NAMEASCII")}
        geonames = str(p.get("GEONAMEID") or "").split(".")[0]
        kind, country = str(p.get("FEATURECLA") or ""), str(p.get("ISO_A2") or "")
        out.append(Town(qid, german, frozenset(n for n in names if n), country, geonames, kind))
    return out


def town_ids(entries: list[dict], source: Iterable[Town]) -> Iterator[dict]:
    """Curated places without an id: the town whose German name is the entry's name and
    whose country is the entry's ``country``; an entry two such towns would fit gets none.
    Names alone are not enough: 'Pokrowsk' / 'Pokrovsk' is a town in Yakutia too."""
    by_german: dict[str, list[Town]] = defaultdict(list)
    for town in source:
        by_german[town.name_de].append(town)
    for e in entries:
        if e["type"] != "LOC" or e.get("id") or not e.get("country"):
            continue
        forms = {e["name"], *e.get("aliases", [])} | ({e["name_en"]} if e.get("name_en") else set())
        agreeing = {t.qid: t for t in by_german.get(e["name"], []) if t.country in e["country"]}
        if len(agreeing) != 1:
            if agreeing:
                print(f"not taken: {e['name']}: Natural Earth {sorted(agreeing)}")
            continue
        town = next(iter(agreeing.values()))
        # the town's other names that are the entry's too, as further evidence
        names = "".join(f", name '{n}'" for n in sorted(town.names & forms) if n != town.name_de)
        evidence = (
            f"Natural Earth populated places (public domain; martynafford/natural-earth-geojson, "
            f"CC0): NAME_DE '{town.name_de}', country {town.country}{names}, {town.kind}, "
            f"GeoNames {town.geonames or '-'}"
        )
        yield _row(e, town.qid, "naturalearth", evidence)


def git_files(mirrors: Path, repo: str, commit: str, folder: str) -> list[str]:
    """The paths of a mirror's files under a folder at a commit."""
    command = ["git", "-C", str(mirrors / repo / "repo"), "ls-tree", "-r", "--name-only"]
    out = subprocess.run([*command, commit, folder], check=True, capture_output=True, text=True)
    return out.stdout.split()


def brands(files: Iterable[tuple[str, str]]) -> list[Brand]:
    """The named, Wikidata-linked brands, operators and networks of the index's files
    ((path, JSON text) pairs), one Brand per name and place found."""
    out = []
    for path, text in files:
        where = "/".join(path.split("/")[1:3])  # "operators/landuse"
        for item in json.loads(text).get("items", []):
            tags = item.get("tags", {})
            # "de", or a part of a country ("de-by.geojson"); "001" (the world) and "150"
            # (Europe) are regions, not a country the entry names
            where_found = [str(c) for c in item.get("locationSet", {}).get("include", [])]
            countries = frozenset(m[1].upper() for c in where_found if (m := NSI_PLACE.match(c)))
            for key, id_key in NSI_NAMES.items():
                qid = str(tags.get(id_key) or "")
                if not re.fullmatch(r"Q\d+", qid):
                    continue
                for tag in (key, f"{key}:de", f"{key}:en"):
                    if tags.get(tag):
                        out.append(Brand(qid, " ".join(str(tags[tag]).split()), countries,
                                         f"{where} {tag}"))  # fmt: skip
    return out


def brand_ids(entries: list[dict], source: Iterable[Brand], key: str = "nsi") -> Iterator[dict]:
    """Curated organisations without an id: a thing of the source (``key`` of
    ``NAMED_IN_COUNTRIES``) whose name is the entry's name, ``name_en`` or an alias of more
    than one word, found in a country of the entry's; an entry two ids would fit gets none."""
    by_name: dict[str, list[Brand]] = defaultdict(list)
    for brand in source:
        by_name[brand.name].append(brand)
    for e in entries:
        if e["type"] != "ORG" or e.get("id") or not e.get("country"):
            continue
        own = {e["name"]} | ({e["name_en"]} if e.get("name_en") else set())
        forms = own | {a for a in e.get("aliases", []) if len(a.split()) > 1}
        countries = set(e["country"])
        agreeing: dict[str, list[Brand]] = defaultdict(list)
        for form in sorted(forms):
            for brand in by_name.get(form, []):
                if brand.countries & countries:
                    agreeing[brand.qid].append(brand)
        if len(agreeing) != 1:
            if agreeing:
                print(f"not taken: {e['name']}: {key} {sorted(agreeing)}")
            continue
        qid, found = next(iter(agreeing.items()))
        seen = sorted({f"{b.where} '{b.name}'" for b in found})
        shared = sorted({c for b in found for c in b.countries} & countries)
        evidence = f"{NAMED_IN_COUNTRIES[key]}: {', '.join(seen[:3])}, country {'/'.join(shared)}"
        yield _row(e, qid, key, evidence)


def world_brand_ids(entries: list[dict], source: Iterable[Brand]) -> Iterator[dict]:
    """Curated companies without an id: a worldwide brand of the name-suggestion-index (no
    country: "Porsche", "Deutsche Bank") whose name is the company's own name or
    ``name_en``, where the index has one Wikidata id for that name, whatever the place. A
    worldwide brand names no country to agree, so the second field is that the name is the
    company's and the index's only one."""
    qids: dict[str, set[str]] = defaultdict(set)
    world: dict[str, list[Brand]] = defaultdict(list)
    for brand in source:
        qids[brand.name].add(brand.qid)
        if not brand.countries:
            world[brand.name].append(brand)
    for e in entries:
        if e["type"] != "ORG" or e.get("id") or e.get("kind") != "company":
            continue
        own = sorted({e["name"]} | ({e["name_en"]} if e.get("name_en") else set()))
        found = [b for form in own for b in world.get(form, ()) if len(qids[form]) == 1]
        if len({b.qid for b in found}) != 1:
            continue
        seen = sorted({f"{b.where} '{b.name}'" for b in found})
        evidence = (
            f"{NAMED_IN_COUNTRIES['nsi']}: {', '.join(seen[:3])}, worldwide, the index's only "
            f"id for the name"
        )
        yield _row(e, found[0].qid, "nsi", evidence)


def _release(path: str) -> tuple[int, ...]:
    """'v1.17.1/v2/05cwdqs42.json' -> (1, 17, 1)."""
    m = RELEASE.match(path)
    return tuple(int(n) for n in m[1].split(".")) if m else ()


def latest_records(paths: Iterable[str]) -> list[str]:
    """The path of each ROR record's latest release (a record is a file per release that
    changed it, "v1.74/05cwdqs42.json", in later releases also under "v1/" and "v2/")."""
    latest: dict[str, str] = {}
    for path in sorted((p for p in paths if p.endswith(".json")), key=lambda p: (_release(p), p)):
        latest[path.rsplit("/", 1)[-1]] = path
    return sorted(latest.values())


def ror_brands(records: Iterable[bytes]) -> list[Brand]:
    """ROR's records (in either of its schemas) as one Brand per name: the display name,
    labels, aliases and acronyms, with the record's country; a withdrawn record, one with
    no or several Wikidata ids, and an id two records name (Raytheon, and RTX with two ids)
    give none."""
    out, holders = [], defaultdict(set)
    for data in records:
        record = json.loads(data)
        if not isinstance(record, dict) or record.get("status") == "withdrawn":
            continue
        ror = str(record.get("id", "")).removeprefix("https://")
        if "names" in record:  # schema 2
            names = [(n["value"], n["types"][0]) for n in record["names"] if n.get("types")]
            countries = {(loc.get("geonames_details") or {}).get("country_code") or ""
                         for loc in record.get("locations") or []}  # fmt: skip
            ids = [i for x in record.get("external_ids") or [] if x.get("type") == "wikidata"
                   for i in x.get("all") or []]  # fmt: skip
        else:
            names = [(record.get("name") or "", "name")]
            names += [(a, "alias") for a in record.get("aliases") or []]
            names += [(a, "acronym") for a in record.get("acronyms") or []]
            names += [(x.get("label") or "", "label") for x in record.get("labels") or []]
            countries = {(record.get("country") or {}).get("country_code") or ""}
            found = (record.get("external_ids") or {}).get("Wikidata", {}).get("all") or []
            ids = [found] if isinstance(found, str) else list(found)
        qids = {str(i) for i in ids if re.fullmatch(r"Q\d+", str(i))}
        for qid in qids:
            holders[qid].add(ror)
        if len(qids) != 1:
            continue
        qid, where = qids.pop(), frozenset(c.upper() for c in countries if c)
        for name, kind in names:
            if name.strip():
                out.append(Brand(qid, " ".join(name.split()), where, f"{ror} {kind}"))
    return [b for b in out if len(holders[b.qid]) == 1]


def party_brands(text: str) -> list[Brand]:
    """Party Facts' parties as one Brand per name (English, native, short) in the party's
    country; a country code ISO 3166 does not know ("PSG") gives none."""
    import pycountry

    out = []
    for row in csv.DictReader(io.StringIO(text)):
        qid = row["wikidata_id"].strip()
        country = pycountry.countries.get(alpha_3=row["country"])
        if not re.fullmatch(r"Q\d+", qid) or country is None:
            continue
        for column in ("name", "name_native", "name_short"):
            name = " ".join(row[column].split())
            if name:
                where = f"partyfacts:{row['partyfacts_id']} {column}"
                out.append(Brand(qid, name, frozenset({country.alpha_2}), where))
    return out


def us_people(texts: Iterable[str]) -> list[Person]:
    """The records of congress-legislators' YAML files as people of the US with their names
    (first and last, nickname and last, official, Wikipedia title) and what they were."""
    import yaml

    out = []
    for text in texts:
        for record in yaml.safe_load(io.StringIO(text)):
            qid = str(record.get("id", {}).get("wikidata") or "")
            if not re.fullmatch(r"Q\d+", qid):
                continue
            name = record.get("name", {})
            last = name.get("last", "")
            forms = {f"{name.get('first', '')} {last}", f"{name.get('nickname', '')} {last}",
                     name.get("official_full", ""), record["id"].get("wikipedia", "")}  # fmt: skip
            names = frozenset(" ".join(f.split()) for f in forms if f and f.split()[0] != last)
            terms = record.get("terms") or [{}]
            role = f"{terms[-1].get('type', '')} {terms[-1].get('start', '')[:4]}".strip()
            born = str(record.get("bio", {}).get("birthday") or "")
            out.append(Person(qid, names, born, "US", role))
    return out


def us_person_ids(entries: list[dict], source: Iterable[Person]) -> Iterator[dict]:
    """Curated people of the US without an id: the one record a full name of theirs is."""
    source = list(source)
    for e in entries:
        if e["type"] != "PER" or e.get("id") or "US" not in e.get("country", []):
            continue
        forms = person_forms(e)
        found = {p.qid: (p, sorted(p.names & forms)) for p in source if p.names & forms}
        if len(found) != 1:
            if found:
                print(f"not taken: {e['name']}: congress-legislators {sorted(found)}")
            continue
        person, names = next(iter(found.values()))
        evidence = (
            f"congress-legislators (CC0): {', '.join(f'name {n!r}' for n in names)}, country US, "
            f"born {person.born}, last term {person.description}"
        )
        yield _row(e, person.qid, "uscongress", evidence)


def git_blobs(mirrors: Path, repo: str, commit: str, paths: Iterable[str]) -> Iterator[bytes]:
    """The files of a mirror at a commit, read through one ``git cat-file`` (thousands of
    small files); a file the mirror lacks is passed over."""
    command = ["git", "-C", str(mirrors / repo / "repo"), "cat-file", "--batch"]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as git:
        assert git.stdin is not None and git.stdout is not None
        for path in paths:
            git.stdin.write(f"{commit}:{path}\n".encode())
            git.stdin.flush()
            header = git.stdout.readline().split()
            if header[-1] == b"missing":
                continue
            data = git.stdout.read(int(header[2]))
            git.stdout.read(1)
            yield data
        git.stdin.close()


def wof_record(path: str) -> bool:
    """A Who's On First record's file (not an alternate geometry)."""
    return path.endswith(".geojson") and "-alt" not in path


def wof_places(records: Iterable[bytes], repo: str = WOF_XY[0]) -> list[Town]:
    """Who's On First's continents, oceans and seas (``repo`` admin-xy), or a country
    repository's current regions (of that country), with a Wikidata id and a German name,
    as Towns whose other names are their English names. A deprecated, superseded or no
    longer current record is passed over (Italy's former provinces, Palestine's 2017 ones)."""
    kinds = WOF_KINDS if repo == WOF_XY[0] else WOF_REGIONS
    out = []
    for data in records:
        props = json.loads(data)["properties"]
        kind = props.get("wof:placetype")
        qid = str(props.get("wof:concordances", {}).get("wd:id") or "")
        if kind not in kinds or not re.fullmatch(r"Q\d+", qid):
            continue
        if props.get("mz:is_current") == 0 or props.get("edtf:deprecated"):
            continue
        if props.get("wof:superseded_by"):
            continue
        country = "" if kinds is WOF_KINDS else str(props.get("wof:country") or "")
        where = f"{repo.split('+')[-1]}, {kind} {props.get('wof:id')}"
        english = frozenset(props.get("name:eng_x_preferred") or [])
        for german in props.get("name:deu_x_preferred") or []:
            out.append(Town(qid, german, english, country, "", where))
    return out


def wof_place_ids(entries: list[dict], source: Iterable[Town]) -> Iterator[dict]:
    """Curated places without an id whose name or an alias is a continent's, sea's or
    region's German name ("Autonome Gemeinschaft Katalonien") and whose English name
    (``name_en``, else its name) or an alias is that one's English name; a region must be in
    a country the entry names."""
    by_german: dict[str, list[Town]] = defaultdict(list)
    for place in source:
        by_german[place.name_de].append(place)
    for e in entries:
        if e["type"] != "LOC" or e.get("id"):
            continue
        english = {e.get("name_en") or e["name"], *e.get("aliases", [])}
        countries = set(e.get("country") or ())
        agreeing = {
            p.qid: p
            for german in (e["name"], *e.get("aliases", []))
            for p in by_german.get(german, [])
            if p.names & english and (not p.country or p.country in countries)
        }
        if len(agreeing) != 1:
            if agreeing:
                print(f"not taken: {e['name']}: Who's On First {sorted(agreeing)}")
            continue
        place = next(iter(agreeing.values()))
        country = f", country {place.country}" if place.country else ""
        evidence = (
            f"Who's On First ({place.kind}): German name '{place.name_de}', English name "
            f"'{sorted(place.names & english)[0]}'{country}, no human"
        )
        yield _row(e, place.qid, "wofregion" if place.country else "wofxy", evidence)


def officeholders(
    files: Iterable[tuple[str, str, str]], country_of: dict[str, str]
) -> list[Person]:
    """The holders in EveryPolitician's lists ((path, country, CSV text)): a Person per id,
    with every label it is listed under, its country (the list's, or its ``countryid``'s),
    its year of birth where a list gives it and where it was listed."""
    merged: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    born: dict[str, str] = {}
    for path, country, text in files:
        # bio.csv: the list's holders with their English Wikipedia title ("Mark Milley" for
        # the label "Mark A. Milley"), less its "(politician)"
        columns = BIO_COLUMNS if path.endswith("bio.csv") else HOLDER_COLUMNS
        for row in csv.DictReader(io.StringIO(text)):
            for id_column, label_column in columns:
                label = " ".join((row.get(label_column) or "").split(" (")[0].split())
                qid = (row.get(id_column) or "").rsplit("/", 1)[-1]
                if not re.fullmatch(r"Q\d+", qid) or not label or label == qid:
                    continue
                where = country_of.get(row.get("countryid") or "", country)
                if not where:
                    continue
                names, seen = merged.setdefault((qid, where), (set(), set()))
                names.add(label)
                seen.add(row.get("positionLabel") or row.get("position") or path)
                if year := re.match(r"\d{4}", row.get("DOB") or row.get("dob") or ""):
                    born.setdefault(qid, year[0])
    return [
        Person(qid, frozenset(names), born.get(qid, ""), country, "; ".join(sorted(seen)[:2]))
        for (qid, country), (names, seen) in sorted(merged.items())
    ]


def officeholder_ids(entries: list[dict], source: Iterable[Person]) -> Iterator[dict]:
    """Curated people without an id: the one holder whose label is a full name of theirs,
    listed for a country of the entry's."""
    source = list(source)
    for e in entries:
        if e["type"] != "PER" or e.get("id") or not e.get("country"):
            continue
        forms, countries = person_forms(e), set(e["country"])
        found: dict[str, list[Person]] = defaultdict(list)
        for p in source:
            if p.names & forms and p.country in countries:
                found[p.qid].append(p)
        if len(found) != 1:
            if found:
                print(f"not taken: {e['name']}: EveryPolitician {sorted(found)}")
            continue
        qid, holders = next(iter(found.items()))
        names = sorted({n for p in holders for n in p.names & forms})
        evidence = (
            f"EveryPolitician (every-politician-scrapers, Wikidata's statements, CC0): "
            f"{', '.join(f'label {n!r}' for n in names)}, country {holders[0].country}, "
            f"{holders[0].description}"
        )
        yield _row(e, qid, "everypolitician", evidence)


def one_id_each(rows: list[dict]) -> list[dict]:
    """Rows of several sources for one entry and id become one (all evidence kept, sources in
    ``SOURCES`` order); an entry two ids are given for, or an id two entries are given,
    gets none."""
    by_entry: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_entry[r["curated"]].append(r)
    holders: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        holders[r["qid"]].add(r["curated"])
    out = []
    for rs in by_entry.values():
        qids = {r["qid"] for r in rs}
        if len(qids) > 1:
            print(f"dropped: {rs[0]['name']} is given {sorted(qids)}")
            continue
        qid = rs[0]["qid"]
        if len(holders[qid]) > 1:
            print(f"dropped: {qid} is given to {sorted(holders[qid])}")
            continue
        rs.sort(key=lambda r: SOURCES.index(r["source"]))
        out.append({**rs[0], "source": ",".join(r["source"] for r in rs),
                    "evidence": "; ".join(r["evidence"] for r in rs)})  # fmt: skip
    return out


def curated_key(entry: dict) -> str:
    """The key the build gives a curated entry: its own id ("geonames:713174") or one of
    its name."""
    return entry.get("own_id") or own_id(entry["type"], entry["name"])


def _row(entry: dict, qid: str, source: str, evidence: str) -> dict:
    """A line of the derived file: which curated entry gets which id, and why."""
    return {
        "qid": qid,
        "curated": curated_key(entry),
        "name": entry["name"],
        "type": entry["type"],
        "source": source,
        "evidence": evidence,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--curated", type=Path, default=DATA / "entities.jsonl")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--mirrors", type=Path, default=MIRRORS, help="the fetched mirrors")
    parser.add_argument("--parties", type=Path, default=PARTIES, help="Party Facts' wikidata.csv")
    args = parser.parse_args()
    entries = curated(args.curated)
    politicians = list(people(git_show(args.mirrors, *PEOPLE)))
    rows = list(person_ids(entries, politicians))
    rows += body_ids(entries, git_show(args.mirrors, *BODIES))
    rows += confirmed_ids(entries, politicians)
    from rigour.territories import get_territories

    country_of = {t.qid: t.code.upper() for t in get_territories() if t.is_country and t.qid}
    war = [git_show(args.mirrors, WAR_REPO, commit, path) for commit, path in WAR]
    items = war_items(war, country_of)
    rows += war_person_ids(entries, items)
    rows += war_body_ids(entries, items)
    archive = unpack_7z(git_bytes(args.mirrors, *NATURAL_EARTH))
    places = towns(archive["ne_10m_populated_places.json"].decode("utf-8"))
    rows += town_ids(entries, places)
    wof: list[Town] = []
    countries = (*WOF_COUNTRIES, *WOF_REGION_COUNTRIES)
    repos = [WOF_XY, *((WOF_REPO.format(c), commit) for c, commit in countries)]
    for repo, commit in repos:
        paths = [p for p in git_files(args.mirrors, repo, commit, "data") if wof_record(p)]
        wof += wof_places(git_blobs(args.mirrors, repo, commit, paths), repo)
    rows += wof_place_ids(entries, wof)
    nsi_repo, nsi_commit, folders = NSI
    paths = [p for f in folders for p in git_files(args.mirrors, nsi_repo, nsi_commit, f)]
    nsi_files = [
        (p, git_show(args.mirrors, nsi_repo, nsi_commit, p)) for p in paths if p.endswith(".json")
    ]
    nsi_brands = brands(nsi_files)
    rows += brand_ids(entries, nsi_brands)
    # only for companies no rule so far gave an id (Coca-Cola's brand is not its company)
    matched = {r["curated"] for r in rows}
    unmatched = [e for e in entries if curated_key(e) not in matched]
    rows += world_brand_ids(unmatched, nsi_brands)
    ror_repo, ror_commit = ROR
    records = latest_records(git_files(args.mirrors, ror_repo, ror_commit, "."))
    rows += brand_ids(entries, ror_brands(git_blobs(args.mirrors, *ROR, records)), "ror")
    rows += brand_ids(entries, party_brands(args.parties.read_text(encoding="utf-8")), "partyfacts")
    us_repo, us_commit, us_paths = US_PEOPLE
    texts = [git_show(args.mirrors, us_repo, us_commit, path) for path in us_paths]
    rows += us_person_ids(entries, us_people(texts))
    lists = []
    for repo, commit, country in EVERYPOLITICIAN:
        for path in git_files(args.mirrors, repo, commit, "."):
            listed = path.endswith(("wikidata.csv", "current-cabinet.csv")) or path.startswith(
                "html/"
            )
            if listed and path.endswith(".csv"):
                lists.append((path, country, git_show(args.mirrors, repo, commit, path)))
    rows += officeholder_ids(entries, officeholders(lists, country_of))
    rows = one_id_each(rows)
    rows.sort(key=lambda r: (r["type"], r["name"]))
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    args.out.write_text(text, encoding="utf-8")
    licence = git_show(args.mirrors, BODIES[0], BODIES[1], "LICENSE.md")
    (DATA / "KB_LICENSE_supraverden.md").write_text(licence, encoding="utf-8")
    licence = git_show(args.mirrors, nsi_repo, nsi_commit, "LICENSE.md")
    (DATA / "KB_LICENSE_nsi.md").write_text(licence, encoding="utf-8")
    licence = git_show(args.mirrors, ror_repo, ror_commit, "LICENSE")
    (DATA / "KB_LICENSE_ror.md").write_text(licence, encoding="utf-8")
    print(f"{len(rows)} checked ids -> {args.out}")


if __name__ == "__main__":
    main()
