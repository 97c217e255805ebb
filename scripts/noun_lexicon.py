"""Write the name tagger's noun lexicon:
`python scripts/noun_lexicon.py --nouns PATH/TO/german_nouns-1.2.5-py3-none-any.whl`.

Source: german-nouns 1.2.5 (https://github.com/gambolputty/german-nouns, Gregor Weichbrodt;
``nouns.csv`` of its PyPI wheel, compiled from the German Wiktionary; licence CC BY-SA
4.0): ~100,000 German nouns with every inflected form, each marked as a common noun or
as a place (Toponym), given name (Vorname), surname (Nachname) or other proper name
(Eigenname, Straßenname). A build-time input only (``pip download --no-deps
german-nouns==1.2.5``; ``--nouns`` takes the wheel or its ``nouns.csv``): the tagger
reads the compact file written here (lines "kinds TAB words", the words of those kinds
space-separated; CC BY-SA 4.0 like its source), which lies beside the model
(``ner.nouns.tsv.gz``) with its attribution (``NER_MODEL.md``). Why: a plural or compound
common noun HanTa's 23,000 words lack ("in Klammern", "inmitten von Fotografien", "aus
dem Tierheim") is the commonest false name (NER_MODEL.md, the error analysis); Wiktionary
knows it as a common noun, and knows "Merkel" as a surname only.

Kinds: "n" a common noun, "t" a place, "g" a given name, "s" a surname, "e" another
proper name, "a" an abbreviation; a form of several entries has them all ("Braun": "ns").
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "workers" / "tagging" / "data" / "ner.nouns.tsv.gz"
#: Wiktionary's word kinds that make an entry a name, and their letters
NAMES = {"Toponym": "t", "Vorname": "g", "Nachname": "s", "Eigenname": "e", "Straßenname": "e"}
#: the columns before the inflected forms: lemma, pos, genus and genus 1-4
FIRST_FORM = 7


def kinds(path: Path) -> dict[str, str]:
    """{form: kinds} of every one-word form with a capital first letter (``path``: the
    wheel, or its ``nouns.csv``)."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            text = wheel.read("german_nouns/nouns.csv").decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    out: dict[str, set[str]] = {}
    with io.StringIO(text, newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            pos = set(row[1].split(","))
            letters = {NAMES[p] for p in pos & NAMES.keys()}
            if "Abkürzung" in pos:
                letters.add("a")
            if not letters:
                letters.add("n")
            for form in {row[0], *row[FIRST_FORM:]}:
                if form[:1].isupper() and " " not in form and form.isprintable():
                    out.setdefault(form, set()).update(letters)
    return {form: "".join(sorted(letters)) for form, letters in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--nouns", type=Path, required=True, help="german-nouns' wheel, or its nouns.csv"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    table = kinds(args.nouns)
    grouped: dict[str, list[str]] = {}
    for form, letters in sorted(table.items()):
        grouped.setdefault(letters, []).append(form)
    lines = [f"{letters}\t{' '.join(forms)}\n" for letters, forms in sorted(grouped.items())]
    # a fixed mtime: the same list, the same bytes
    with open(args.out, "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as gz:
        gz.write("".join(lines).encode("utf-8"))
    counts = ", ".join(
        f"{k} {len(v)}" for k, v in sorted(grouped.items(), key=lambda kv: -len(kv[1]))
    )
    print(f"{len(table)} forms ({counts}) -> {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
