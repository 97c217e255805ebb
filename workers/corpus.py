"""The German news corpora of ../shared/data/corpus (Wikinews, XGLUE), article by article.

Evaluation (`lagebild eval --corpus`) and the benchmarks read them; nothing in
the service does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

WIKINEWS_TITLE = re.compile(r"^\d+ - (.*?)(?: \(\d{4}-\d{2}-\d{2}\))?$")


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    source: str  # wikinews | xglue
    category: str = ""  # XGLUE's (news, sports, entertainment, …); empty for Wikinews


def articles(root: Path) -> Iterator[Article]:
    """Wikinews, then XGLUE; a corpus that is not under ``root`` is skipped."""
    wikinews = root / "wikinews_de" / "articles.jsonl"
    if wikinews.exists():
        with wikinews.open(encoding="utf-8") as lines:
            for line in lines:
                doc = json.loads(line)
                match = WIKINEWS_TITLE.match(doc.get("documentName", ""))
                yield Article(match.group(1) if match else "", doc["text"], "wikinews")
    xglue = root / "xglue_news_de" / "dev.txt"
    if xglue.exists():
        with xglue.open(encoding="utf-8") as lines:
            for line in lines:
                title, body, category = [*line.rstrip("\n").split("\t"), "", ""][:3]
                yield Article(title, body, "xglue", category)
