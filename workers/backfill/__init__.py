"""Backfill: archives, saved pages, URL lists, feeds and sitemaps onto news.raw.backfill."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

Kind = Literal["jsonl", "csv", "html-dir", "urls", "feed", "sitemap"]
KINDS: tuple[Kind, ...] = ("jsonl", "csv", "html-dir", "urls", "feed", "sitemap")


def parse_since(value: str) -> datetime:
    """An ISO date or date-time; naive means UTC."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
