"""Word classes from unlabelled German text for the name tagger's features:
`python scripts/word_clusters.py [--text PATH ...] [--smartdata PATH ...]`.

A word the labelled data never shows ("Krynky", "Sudscha") still shares its neighbours
("in", "bei", "nach", "-Rajon") with words it does show; a class of words with like
neighbours carries over what the tagger learnt for them. Each word seen at least
``--min-count`` times is described by the words just before and after it (counts over the
``--contexts`` most frequent words, log-scaled), reduced to ``--dims`` dimensions (SVD) and
clustered twice (spherical k-means, ``--coarse`` and ``--fine`` classes): the coarse class
generalises further, the fine one keeps more apart. Deterministic (fixed seed).

Text: German Wikinews (CC BY 2.5) from ../shared/data/corpus/wikinews_de by default; more
with ``--text`` (.jsonl with a "text" field, or plain text) and ``--smartdata`` (SmartData
v1 JSON, CC BY 4.0, every document). GermEval 2014 (dev or test), CoNLL-2003 and
entity-linking gold sets are never read. Writes ``word<TAB>coarse<TAB>fine`` lines, gzipped,
to ``--out`` (see NER_MODEL.md: tried, not shipped).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ner_corpora import _documents  # noqa: E402

from workers.tagging.ner import sentences, tokens  # noqa: E402

WIKINEWS = REPO.parent / "shared" / "data" / "corpus" / "wikinews_de" / "articles.jsonl"


def _strings(value: object) -> Iterator[str]:
    """Every string under the "summary" and "paragraphs" keys of a fundus gold file."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("summary", "paragraphs") and isinstance(inner, list):
                yield from (s for s in inner if isinstance(s, str))
            else:
                yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def texts(path: Path) -> Iterator[str]:
    """The documents of a file: .jsonl ("text" of each line), a fundus gold .json (its
    article bodies), an HTML page (.html, .html.gz: its main text, by trafilatura), plain
    text (each line); a directory: those of every such file in it."""
    if path.is_dir():
        for inner in sorted(path.rglob("*")):
            if inner.name.endswith((".jsonl", ".json", ".html", ".html.gz", ".txt")):
                yield from texts(inner)
        return
    if path.name.endswith((".html", ".html.gz")):
        import trafilatura

        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        text = trafilatura.extract(raw.decode("utf-8", errors="replace"))
        if text:
            yield text
        return
    with path.open(encoding="utf-8") as f:
        if path.suffix == ".jsonl":
            for line in f:
                yield json.loads(line)["text"]
        elif path.suffix == ".json":
            yield from _strings(json.load(f))
        else:
            yield from f


def word_sentences(docs: Iterator[str]) -> Iterator[list[str]]:
    for doc in docs:
        for sentence in sentences(doc, tokens(doc)):
            yield [t.text for t in sentence]


def kmeans(x: np.ndarray, k: int, rng: np.random.Generator, rounds: int = 25) -> np.ndarray:
    """Spherical k-means (rows of ``x`` are unit vectors): each row's class."""
    centres = x[rng.choice(len(x), size=k, replace=False)]
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(rounds):
        labels = np.argmax(x @ centres.T, axis=1)
        for c in range(k):
            members = x[labels == c]
            if len(members):
                v = members.sum(axis=0)
                centres[c] = v / (np.linalg.norm(v) or 1.0)
            else:  # an empty class takes a random word
                centres[c] = x[rng.integers(len(x))]
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text", type=Path, action="append", default=[])
    parser.add_argument("--smartdata", type=Path, action="append", default=[])
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--contexts", type=int, default=800)
    parser.add_argument("--dims", type=int, default=80)
    parser.add_argument("--coarse", type=int, default=64)
    parser.add_argument("--fine", type=int, default=400)
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the classes file (for train_ner.py --word-classes, which puts it beside the model)",
    )
    args = parser.parse_args()
    docs: list[str] = list(texts(WIKINEWS))
    for path in args.text:
        docs += texts(path)
    for path in args.smartdata:
        docs += [d["text"]["string"] for d in _documents(path)]
    corpus = list(word_sentences(iter(docs)))
    counts = Counter(w for s in corpus for w in s)
    print(f"{len(docs)} documents, {len(corpus)} sentences, {counts.total()} tokens")
    vocab = sorted(
        (w for w, c in counts.items() if c >= args.min_count), key=lambda w: (-counts[w], w)
    )
    index = {w: i for i, w in enumerate(vocab)}
    contexts = {w: i for i, w in enumerate(vocab[: args.contexts])}
    n_ctx = len(contexts) + 1  # and "the sentence's edge"
    edge = n_ctx - 1
    m = np.zeros((len(vocab), 2 * n_ctx), dtype=np.float32)
    for s in corpus:
        for i, w in enumerate(s):
            row = index.get(w)
            if row is None:
                continue
            left = contexts.get(s[i - 1], -1) if i > 0 else edge
            right = contexts.get(s[i + 1], -1) if i + 1 < len(s) else edge
            if left >= 0:
                m[row, left] += 1
            if right >= 0:
                m[row, n_ctx + right] += 1
    m = np.log1p(m)
    m -= m.mean(axis=0)
    u, sv, _ = np.linalg.svd(m, full_matrices=False)
    x = u[:, : args.dims] * sv[: args.dims]
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(15)
    coarse = kmeans(x, args.coarse, rng)
    fine = kmeans(x, args.fine, rng)
    lines = "".join(f"{w}\t{c}\t{g}\n" for w, c, g in zip(vocab, coarse, fine, strict=True))
    with args.out.open("wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as f:
        f.write(lines.encode("utf-8"))
    print(f"{len(vocab)} words -> {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")
    for c in range(min(args.coarse, 12)):
        members = [w for w, k in zip(vocab, coarse, strict=True) if k == c][:12]
        print(c, " ".join(members))


if __name__ == "__main__":
    main()
