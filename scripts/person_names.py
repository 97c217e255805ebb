"""Write the name tagger's list of given names and surnames:
`python scripts/person_names.py [--out workers/tagging/data/ner.names.tsv.gz]`.

Source: the person providers of Faker (https://github.com/joke2k/faker, MIT licence,
Copyright (c) 2012 Daniele Faraglia), every locale written in Latin script: the
first and last names it makes fake people from, in German, English, French,
Italian, Spanish, Polish, Turkish, Dutch and dozens more. Faker is a build-time input
only (``pip install faker``): the tagger reads the compact file written here, which
ships beside the model (``ner.names.tsv.gz``: "name TAB kinds", kinds "g" given,
"s" surname or "gs" both) with its attribution (``NER_MODEL.md``). The cue list of
``cues.toml`` has 388 given names; a surname the labelled data never showed ("sagte
Wolter") is the tagger's largest class of misses (NER_MODEL.md). With ``--kb`` the
knowledge base's people are added as kinds of their own, "G" and "S" (the tagger's
"kp=" feature, apart from Faker's "pn="): the first word of each of their names of two
words or more a given name, the last a surname ("Wolfgang Thierse": "Thierse", which
Faker lacks and the knowledge base matches only as the full name).
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import pkgutil
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "workers" / "tagging" / "data" / "ner.names.tsv.gz"
#: a name in Latin script, capitalised, of two letters or more
LATIN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ɏ][A-Za-zÀ-ÖØ-öø-ɏ'’-]+$")
CUES = REPO / "workers" / "tagging" / "data" / "cues.toml"
KINDS = {"first_names": "g", "first_names_male": "g", "first_names_female": "g", "last_names": "s"}


def names() -> dict[str, str]:
    """{name: kinds} over Faker's person providers."""
    import faker.providers.person as person

    out: dict[str, set[str]] = {}
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attr, kind in KINDS.items():
            # a provider's own lists (some are weighted: a dict of name to weight)
            value = provider.__dict__.get(attr, ())
            if not isinstance(value, tuple | list | dict):
                continue
            for name in value:
                if isinstance(name, str) and LATIN.match(name):
                    out.setdefault(name, set()).add(kind)
    # and the cues' given names: Faker writes Russian and Ukrainian ones in Cyrillic
    # ("Daniil", "Wolodymyr")
    with CUES.open("rb") as f:
        for name in tomllib.load(f)["given_names"]:
            out.setdefault(name, set()).add("g")
    return {name: "".join(sorted(kinds)) for name, kinds in out.items()}


def kb_names(path: Path) -> dict[str, set[str]]:
    """{name: kinds} of the knowledge base's people: of every form of two words or more,
    the first a given name ("G"), the last a surname ("S"); initials ("W.") and
    lower-case particles ("von der Leyen") fail `LATIN` and are left out."""
    from workers.tagging.knowledge import load_entities

    out: dict[str, set[str]] = {}
    for entity in load_entities(path):
        if entity.type != "PER":
            continue
        for form in (entity.name, *entity.aliases):
            words = form.split()
            if len(words) < 2:
                continue
            for word, kind in ((words[0], "G"), (words[-1], "S")):
                if LATIN.match(word):
                    out.setdefault(word, set()).add(kind)
    return out


def merged(table: dict[str, str], extra: dict[str, set[str]]) -> dict[str, str]:
    """``table`` with ``extra``'s kinds added (a Faker given name a person of the
    knowledge base has as a surname becomes "Sg")."""
    out = {name: set(kinds) for name, kinds in table.items()}
    for name, kinds in extra.items():
        out.setdefault(name, set()).update(kinds)
    return {name: "".join(sorted(kinds)) for name, kinds in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--kb", type=Path, help="also the people of this knowledge base (kb.jsonl.gz)"
    )
    args = parser.parse_args()
    table = names()
    if args.kb:
        table = merged(table, kb_names(args.kb))
    # no timestamp in the header: the same Faker, the same bytes
    with gzip.GzipFile(args.out, "wb", mtime=0) as f:
        f.write("".join(f"{n}\t{k}\n" for n, k in sorted(table.items())).encode("utf-8"))
    kinds = [k for k in table.values()]
    print(
        f"{len(table)} names ({sum('g' in k.lower() for k in kinds)} given, "
        f"{sum('s' in k.lower() for k in kinds)} surnames), {args.out.stat().st_size / 1e3:.0f} kB "
        f"-> {args.out}"
    )


if __name__ == "__main__":
    main()
