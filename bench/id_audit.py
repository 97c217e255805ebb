"""Ids that may hold two different things: `python -m bench.id_audit [--articles 1500]`.

Every linked id of the corpus articles (bench/corpus.py) with its distinct mention
forms; forms that are no spelling variants of each other (no shared word stem,
e.g. "Deutschland" and "Küstenwache") are grouped apart, and an id with more than
one group is printed with the words around a few mentions of each group, to be
read by eye. A descriptor of the entry ("Kremlchef" for Putin) is marked: it is
meant to stand for the entity.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict

from bench.corpus import raw_items
from workers.settings import Settings
from workers.tagging.stage import Tagger

WORD = re.compile(r"[^\W\d_]+")
STEM = 4


def stems(form: str) -> set[str]:
    return {w.casefold()[:STEM] for w in WORD.findall(form)}


def groups(forms: Counter[str]) -> list[list[str]]:
    """Forms joined when they share a word stem (most frequent first)."""
    out: list[tuple[set[str], list[str]]] = []
    for form, _ in forms.most_common():
        s = stems(form)
        joined = [g for g in out if g[0] & s]
        if not joined:
            out.append((s, [form]))
            continue
        head = joined[0]
        head[0].update(s)
        head[1].append(form)
        for other in joined[1:]:
            head[0].update(other[0])
            head[1].extend(other[1])
            out.remove(other)
    return [g[1] for g in out]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--contexts", type=int, default=2, help="per form group")
    args = parser.parse_args()
    tagger = Tagger(Settings().tagging)
    by_id = {e.key: e for es in tagger.gazetteer.lookup.values() for e in es}
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    around: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in raw_items(args.articles):
        for entity in tagger.entities("", item.text):
            if entity.key is None or entity.key.startswith("name:"):
                continue
            for m in entity.mentions:
                forms[entity.key][m.text] += 1
                if len(around[entity.key, m.text]) < args.contexts:
                    left = item.text[max(0, m.start - 40) : m.start].replace("\n", " ")
                    right = item.text[m.end : m.end + 40].replace("\n", " ")
                    around[entity.key, m.text].append(f"{left}[{m.text}]{right}")
    suspects = [(key, groups(f)) for key, f in forms.items()]
    suspects = [(key, g) for key, g in suspects if len(g) > 1]
    suspects.sort(key=lambda x: -sum(forms[x[0]][f] for g in x[1][1:] for f in g))
    print(f"{len(forms)} linked ids, {len(suspects)} with forms of more than one stem")
    for key, found in suspects:
        known = by_id.get(key)
        descriptors = set(known.descriptors) if known else set()
        name = known.name if known else "?"
        print(f"\n{key} {name}")
        for g in found:
            counted = ", ".join(
                f"{f} x{forms[key][f]}{' (descriptor)' if f in descriptors else ''}" for f in g
            )
            print(f"  {counted}")
            print(f"      {around[key, g[0]][0]}")


if __name__ == "__main__":
    main()
