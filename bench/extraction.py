"""Extraction quality and speed of the clean stage, side by side with plain trafilatura.

    python bench/extraction.py [--limit N]

Data (not in the repo, real pages written by others):
  ../shared/data/extraction/trafilatura_de  gold.json: snippets that must / must not appear
  ../shared/data/extraction/fundus_de       <Publisher>.json: gold body paragraphs
  ../shared/data/corpus/wikinews_de         plain-text articles, for text-only throughput

Both systems get the same decoded HTML string. Snippets and texts are compared after
NFC and whitespace folding (the same for both); token figures are bags of lower-cased
word tokens, averaged per page (macro). An item the clean stage rejects counts as an
empty extraction.
"""

from __future__ import annotations

import argparse
import gzip
import html as html_lib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import langdetect
import trafilatura
from trafilatura.utils import decode_file

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workers.clean.normalize import clean_chars  # noqa: E402
from workers.clean.stage import clean  # noqa: E402
from workers.corpus import articles  # noqa: E402
from workers.records import RawItem  # noqa: E402
from workers.settings import Settings  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
TRAF = SHARED / "extraction" / "trafilatura_de"
FUNDUS = SHARED / "extraction" / "fundus_de"
WIKINEWS = SHARED / "corpus" / "wikinews_de" / "articles.jsonl"
ALL_LANGUAGES = sorted(p.name for p in (Path(langdetect.__file__).parent / "profiles").iterdir())
NOW = datetime(2024, 1, 1, tzinfo=UTC)
WORD = re.compile(r"\w+")
SPACE = re.compile(r"\s+")

Extractor = Callable[[str, str | None], str]


def fold(text: str) -> str:
    """NFC, invisible characters (soft hyphens: the gold keeps them) gone, spaces folded."""
    return SPACE.sub(" ", clean_chars(text)).strip()


def tokens(text: str) -> Counter[str]:
    return Counter(WORD.findall(clean_chars(text).lower()))


def raw_item(
    n: int,
    html: str | None = None,
    text: str | None = None,
    url: str | None = None,
    title: str = "",
) -> RawItem:
    return RawItem(
        id=f"bench-{n}",
        url=url,
        title=title,
        html=html,
        text=text,
        fetched_at=NOW,
        language_hint="de",
        run_id="bench",
    )


class Ours:
    name = "lagebild clean"

    def __init__(self) -> None:
        # the language filter is not extraction: a few gold pages are English or French
        self.settings = Settings().clean.model_copy(update={"accept_languages": ALL_LANGUAGES})
        self.n = 0

    def __call__(self, html: str, url: str | None) -> str:
        self.n += 1
        result = clean(raw_item(self.n, html=html, url=url), self.settings)
        return getattr(result, "text", "") or ""


def plain(html: str, url: str | None) -> str:
    return trafilatura.extract(html) or ""


plain.name = "trafilatura.extract"  # type: ignore[attr-defined]


@dataclass
class Scores:
    with_found: int = 0
    with_total: int = 0
    without_absent: int = 0
    without_total: int = 0
    prf: list[tuple[float, float, float]] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0

    def row(self) -> list[float]:
        n = max(len(self.prf), 1)
        p, r, f = (sum(x[i] for x in self.prf) / n for i in range(3))
        return [
            self.with_found / max(self.with_total, 1),
            self.without_absent / max(self.without_total, 1),
            p,
            r,
            f,
            self.pages / self.seconds if self.seconds else 0.0,
        ]


def read_html(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return decode_file(data)


def trafilatura_pages(limit: int | None) -> Iterator[tuple[str, str, list[str], list[str]]]:
    gold = json.loads((TRAF / "gold.json").read_text(encoding="utf-8"))
    for n, (url, entry) in enumerate(gold.items()):
        if limit is not None and n >= limit:
            return
        yield url, read_html(TRAF / "html" / entry["file"]), entry["with"], entry["without"]


def _gold_body(version: dict) -> list[str]:
    body = version.get("body") or {}
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += section.get("headline") or []
        parts += section.get("paragraphs") or []
    return parts


def fundus_pages(limit: int | None) -> Iterator[tuple[str | None, str, list[str]]]:
    """(url, html, gold paragraphs); each page is paired with the gold version it matches best."""
    n = 0
    for country in sorted(p for p in FUNDUS.iterdir() if p.is_dir()):
        meta_file = country / "meta.info"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        for gold_file in sorted(country.glob("*.json")):
            versions = [_gold_body(v) for v in json.loads(gold_file.read_text("utf-8")).values()]
            for page in sorted(country.glob(f"{gold_file.stem}_*.html.gz")):
                if limit is not None and n >= limit:
                    return
                html = read_html(page)
                haystack = fold(html_lib.unescape(html))
                best = max(versions, key=lambda v: sum(fold(p)[:60] in haystack for p in v))
                if not best:
                    continue
                n += 1
                yield meta.get(page.name, {}).get("url"), html, best


def run(extractors: list[Extractor], limit: int | None) -> dict[str, Scores]:
    scores = {e.name: Scores() for e in extractors}  # type: ignore[attr-defined]

    def timed(e: Extractor, html: str, url: str | None) -> tuple[Scores, str]:
        s = scores[e.name]  # type: ignore[attr-defined]
        start = time.perf_counter()
        text = fold(e(html, url))
        s.seconds += time.perf_counter() - start
        s.pages += 1
        return s, text

    for url, html, with_, without in trafilatura_pages(limit):
        for e in extractors:
            s, text = timed(e, html, url)
            s.with_total += len(with_)
            s.with_found += sum(fold(x) in text for x in with_)
            s.without_total += len(without)
            s.without_absent += sum(fold(x) not in text for x in without)
    for url, html, gold in fundus_pages(limit):
        want = tokens("\n".join(gold))
        for e in extractors:
            s, text = timed(e, html, url)
            got = tokens(text)
            overlap = sum((got & want).values())
            p = overlap / sum(got.values()) if got else 0.0
            r = overlap / sum(want.values()) if want else 0.0
            s.prf.append((p, r, 2 * p * r / (p + r) if p + r else 0.0))
    return scores


def text_throughput(limit: int) -> float:
    settings = Settings().clean
    wikinews = (a for a in articles(SHARED / "corpus") if a.source == "wikinews")
    items = [raw_item(n, text=a.text, title=a.title) for n, a in enumerate(islice(wikinews, limit))]
    start = time.perf_counter()
    for item in items:
        clean(item, settings)
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="pages per data set")
    parser.add_argument("--text-items", type=int, default=1000)
    args = parser.parse_args()
    if not TRAF.exists() or not FUNDUS.exists():
        sys.exit(f"../shared data not available under {SHARED}")
    extractors: list[Extractor] = [Ours(), plain]
    scores = run(extractors, args.limit)
    header = [
        "system",
        "with found",
        "without absent",
        "P (fundus)",
        "R (fundus)",
        "F1 (fundus)",
        "HTML items/s",
    ]
    rows = [
        [name, *(f"{v:.3f}" if i < 5 else f"{v:.1f}" for i, v in enumerate(s.row()))]
        for name, s in scores.items()
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    s0 = next(iter(scores.values()))
    print(
        f"trafilatura_de: {s0.with_total} must-appear, {s0.without_total} must-not-appear "
        f"snippets; fundus_de: {len(s0.prf)} pages with gold body"
    )
    for r in [header, *rows]:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    if WIKINEWS.exists():
        print(
            f"clean stage, text-only items: {text_throughput(args.text_items):.1f} items/s "
            "(one core)"
        )


if __name__ == "__main__":
    main()
