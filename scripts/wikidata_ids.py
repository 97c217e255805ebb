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

A curated person's own id is marked confirmed where the source gives that id to a record
of their name. An id is taken only when two fields of the source agree with the curated
entry: a person's full name (in the source's own-language name, its German
transliteration, or the name in its picture's file name) and the country the entry
names (``country``, ISO 3166-1 alpha-2);
an organisation's German name and its English name or abbreviation. A curated entry that
two source records would fit keeps its own id. Both sources are read from fetched mirrors
of their repositories (``git show``; ``--mirrors``: the folder holding
``CaptainFact+captain-fact-dev-data/repo`` and ``confirmordeny+supraverden/repo``), so this
runs where they are; the derived file ships.
"""

from __future__ import annotations

import argparse
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
ROW = re.compile(
    r"^http://www\.wikidata\.org/entity/(?P<qid>Q\d+),(?P<desc>\"(?:[^\"]|\"\")*\"|[^,]*),"
    r"(?P<image>[^,]*),(?P<native>.*?),(?P<born>\d{4}-\d\d-\d\d)T[^,]*,(?P<country>[A-Z]{2})"
)


@dataclass(frozen=True)
class Person:
    qid: str
    names: frozenset[str]
    born: str
    country: str
    description: str


def git_show(mirrors: Path, repo: str, commit: str, path: str) -> str:
    """A file of a fetched mirror (a bare git directory) at a commit."""
    out = subprocess.run(["git", "-C", str(mirrors / repo / "repo"), "show", f"{commit}:{path}"],
                         check=True, capture_output=True)  # fmt: skip
    return out.stdout.decode("utf-8", errors="replace")


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


def _row(entry: dict, qid: str, source: str, evidence: str) -> dict:
    """A line of the derived file: which curated entry gets which id, and why."""
    return {
        "qid": qid,
        "curated": own_id(entry["type"], entry["name"]),
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
    args = parser.parse_args()
    entries = curated(args.curated)
    politicians = list(people(git_show(args.mirrors, *PEOPLE)))
    rows = list(person_ids(entries, politicians))
    rows += body_ids(entries, git_show(args.mirrors, *BODIES))
    rows += confirmed_ids(entries, politicians)
    holders = defaultdict(list)
    for r in rows:
        holders[r["qid"]].append(r["name"])
    rows = [r for r in rows if len(holders[r["qid"]]) == 1]
    rows.sort(key=lambda r: (r["type"], r["name"]))
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    args.out.write_text(text, encoding="utf-8")
    licence = git_show(args.mirrors, BODIES[0], BODIES[1], "LICENSE.md")
    (DATA / "KB_LICENSE_supraverden.md").write_text(licence, encoding="utf-8")
    print(f"{len(rows)} checked ids -> {args.out}")


if __name__ == "__main__":
    main()
