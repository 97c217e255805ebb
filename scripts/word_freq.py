"""Write the name tagger's word frequencies:
`python scripts/word_freq.py [--out FILE] [--min-zipf 2.0]`.

Source: wordfreq 3.1.1's German and English "large" lists (https://github.com/rspeer/wordfreq,
code Apache-2.0, data CC BY-SA 4.0; Robyn Speer). wordfreq is a build-time input only
(``pip install wordfreq``): the tagger reads the compact file written here (lines "German
Zipf TAB English Zipf TAB words", one decimal, the words of those figures space-separated,
case-folded as wordfreq keeps them; those of German Zipf ``--min-zipf`` and above), which
lies beside the model
(``ner.freq.tsv.gz``) with its attribution (``NER_MODEL.md``). Why: a plural or compound
common noun HanTa's table lacks ("in Klammern", "aus dem Tierheim") is frequent in German
text, a lone surname ("sagte Thierse") much less, and a foreign name ("Jodie Henry") is
as frequent in English as in German (NER_MODEL.md, the error analysis).
"""

from __future__ import annotations

import argparse
import gzip
import math
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "workers" / "tagging" / "data" / "ner.freq.tsv.gz"


def table(min_zipf: float) -> list[tuple[str, float, float]]:
    """(word, German Zipf, English Zipf) of every German word with a letter in it and a
    German Zipf of ``min_zipf`` or more, most frequent first."""
    from wordfreq import get_frequency_dict

    german = get_frequency_dict("de", "large")
    english = get_frequency_dict("en", "large")

    def zipf(freq: float) -> float:
        return round(math.log10(freq) + 9, 1) if freq > 0 else 0.0

    out = []
    for word, freq in german.items():
        z = zipf(freq)
        # a word with a letter; no tab or space, which the file's lines are split at
        if z < min_zipf or not word.isprintable() or " " in word:
            continue
        if any(c.isalpha() for c in word):
            out.append((word, z, zipf(english.get(word, 0.0))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--min-zipf", type=float, default=2.0)
    args = parser.parse_args()
    rows = table(args.min_zipf)
    grouped: dict[tuple[float, float], list[str]] = {}
    for word, german, english in rows:
        grouped.setdefault((german, english), []).append(word)
    lines = [f"{de}\t{en}\t{' '.join(words)}\n" for (de, en), words in sorted(grouped.items())]
    # a fixed mtime: the same list, the same bytes
    with open(args.out, "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as gz:
        gz.write("".join(lines).encode("utf-8"))
    print(f"{len(rows)} words -> {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
