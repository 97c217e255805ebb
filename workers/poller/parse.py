"""Feed documents to raw items, with feedparser (RSS 0.9x/1.0/2.0, Atom, RDF)."""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from workers.identity import item_id
from workers.poller.feeds import Publisher
from workers.records import Origin, RawItem, Source
from workers.stage import Rejection

STAGE = "poll"


@dataclass
class ParsedFeed:
    items: list[RawItem] = field(default_factory=list)
    skipped: list[Rejection] = field(default_factory=list)
    error: Rejection | None = None


def _date(entry: Any, *names: str) -> datetime | None:
    for name in names:
        value = entry.get(f"{name}_parsed")
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
    return None


def _body(entry: Any) -> tuple[str | None, str | None, str | None]:
    """(summary, html, text): full content wins; HTML and plain text are told apart."""
    summary = entry.get("summary") or None
    for content in entry.get("content", []):
        if content.get("value"):
            if "html" in content.get("type", "text/html"):
                return summary if summary != content["value"] else None, content["value"], None
            return summary, None, content["value"]
    return summary, None, None


def entry_fingerprint(item: RawItem) -> str:
    """What makes a changed entry a new version: title and body, not the fetch time."""
    text = "\x1f".join(x or "" for x in (item.title, item.summary, item.html, item.text))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_feed(
    content: bytes,
    publisher: Publisher,
    feed_url: str,
    fetched_at: datetime,
    run_id: str,
    origin: Origin = "live",
) -> ParsedFeed:
    """Every usable entry as a RawItem, oldest first; a feed with nothing usable is an error."""
    doc = feedparser.parse(content)
    result = ParsedFeed()
    if doc.bozo and not doc.entries:
        reason = type(doc.get("bozo_exception")).__name__
        result.error = Rejection(
            STAGE, "feed_malformed", f"{feed_url}: {reason}: {doc.get('bozo_exception')}"
        )
        return result
    language = doc.feed.get("language") or publisher.language
    for entry in doc.entries:
        url = entry.get("link") or (entry.get("id") if entry.get("guidislink") else None)
        title = (entry.get("title") or "").strip()
        summary, html, text = _body(entry)
        if not url and not title:
            result.skipped.append(Rejection(STAGE, "entry_unusable", "entry without link or title"))
            continue
        if not publisher.wants(url):
            continue
        authors = [a["name"] for a in entry.get("authors", []) if a.get("name")]
        result.items.append(
            RawItem(
                id=item_id(url, fallback=f"{feed_url}|{entry.get('id') or title}"),
                url=url,
                source=Source(publisher=publisher.name, feed=feed_url),
                title=title,
                summary=summary,
                html=html,
                text=text,
                authors=authors,
                published_at=_date(entry, "published", "updated"),
                fetched_at=fetched_at,
                language_hint=entry.get("language") or language,
                origin=origin,
                run_id=run_id,
            )
        )
    oldest = datetime.min.replace(tzinfo=UTC)
    result.items.sort(key=lambda i: i.published_at or fetched_at or oldest)
    return result
