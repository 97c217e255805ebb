"""Feed documents to raw items: feedparser for RSS 0.9x/1.0/2.0, Atom and RDF, our own
parser for (news) sitemaps. A feed's own word on how often it changes (``ttl``,
``sy:updatePeriod``/``sy:updateFrequency``) comes back with the items, for the schedule.

An entry's id is that of its normalized link (see workers.identity); an entry without
a link falls back to its guid, else its title and day of publication. The guids come
back beside the items: the poller keeps an entry whose link changes under its guid's
first id (a guid used by several entries of one document is no identity and ignored).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser

from workers.identity import item_id
from workers.poller.feeds import Publisher
from workers.poller.sitemap import SitemapError, is_sitemap, parse_sitemap
from workers.records import Origin, RawItem, Source
from workers.stage import Rejection

STAGE = "poll"


@dataclass
class ParsedFeed:
    items: list[RawItem] = field(default_factory=list)
    skipped: list[Rejection] = field(default_factory=list)
    error: Rejection | None = None
    hint_seconds: float | None = None  # ttl / sy:updatePeriod: poll no more often than this
    children: list[str] = field(default_factory=list)  # a sitemap index's sitemaps
    guids: dict[str, str] = field(default_factory=dict)  # item id → the entry's guid


#: sy:updatePeriod → seconds
UPDATE_PERIODS = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400, "monthly": 30 * 86400}
UPDATE_PERIODS["yearly"] = 365 * 86400


def feed_hint_seconds(feed: Any) -> float | None:
    """How often the feed says it changes: ``ttl`` minutes, else updatePeriod / Frequency."""
    ttl = str(feed.get("ttl") or "").strip()
    if ttl.isdigit() and int(ttl) > 0:
        return int(ttl) * 60.0
    period = UPDATE_PERIODS.get(str(feed.get("sy_updateperiod") or "").strip().lower())
    if period is None:
        return None
    frequency = str(feed.get("sy_updatefrequency") or "1").strip()
    return period / max(1, int(frequency) if frequency.isdigit() else 1)


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


def parse_feed(
    content: bytes,
    publisher: Publisher,
    feed_url: str,
    fetched_at: datetime,
    run_id: str,
    origin: Origin = "live",
    max_age: float | None = None,
) -> ParsedFeed:
    """Every usable entry as a RawItem, oldest first; a feed with nothing usable is an error.

    A sitemap is recognised by its root element; ``max_age`` (seconds) keeps only its
    recent entries (and drops undated ones): the live poller's view of an archive.
    """
    if is_sitemap(content):
        return parse_sitemap_items(
            content, publisher, feed_url, fetched_at, run_id, origin, max_age
        )
    doc = feedparser.parse(content)
    result = ParsedFeed()
    if doc.bozo and not doc.entries:
        reason = type(doc.get("bozo_exception")).__name__
        result.error = Rejection(
            STAGE, "feed_malformed", f"{feed_url}: {reason}: {doc.get('bozo_exception')}"
        )
        return result
    language = doc.feed.get("language") or publisher.language
    result.hint_seconds = feed_hint_seconds(doc.feed)
    entry_guids: dict[str, str] = {}
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
        published_at = _date(entry, "published", "updated")
        day = published_at.date().isoformat() if published_at else ""
        identity = item_id(url, fallback=f"{feed_url}|{entry.get('id') or f'{title}|{day}'}")
        if entry.get("id"):
            entry_guids[identity] = str(entry["id"]).strip()
        result.items.append(
            RawItem(
                id=identity,
                url=url,
                source=Source(publisher=publisher.name, feed=feed_url),
                title=title,
                summary=summary,
                html=html,
                text=text,
                authors=authors,
                published_at=published_at,
                fetched_at=fetched_at,
                language_hint=entry.get("language") or language,
                origin=origin,
                run_id=run_id,
            )
        )
    oldest = datetime.min.replace(tzinfo=UTC)
    result.items.sort(key=lambda i: i.published_at or fetched_at or oldest)
    guids = [str(e.get("id")).strip() for e in doc.entries if e.get("id")]
    repeated = {g for g in guids if guids.count(g) > 1}
    result.guids = {i: g for i, g in entry_guids.items() if g not in repeated}
    return result


def parse_sitemap_items(
    content: bytes,
    publisher: Publisher,
    feed_url: str,
    fetched_at: datetime,
    run_id: str,
    origin: Origin = "live",
    max_age: float | None = None,
) -> ParsedFeed:
    """A (news) sitemap's entries as raw items: URL, and for news sitemaps title and date."""
    result = ParsedFeed()
    try:
        sitemap = parse_sitemap(content)
    except SitemapError as exc:
        result.error = Rejection(STAGE, "sitemap_malformed", f"{feed_url}: {exc}")
        return result
    result.children = sitemap.children
    oldest = fetched_at - timedelta(seconds=max_age) if max_age is not None else None
    for entry in sitemap.entries:
        when = entry.published_at or entry.lastmod
        if oldest is not None and (when is None or when < oldest):
            continue
        if not publisher.wants(entry.url):
            continue
        result.items.append(
            RawItem(
                id=item_id(entry.url),
                url=entry.url,
                source=Source(publisher=publisher.name, feed=feed_url),
                title=entry.title or "",
                published_at=when,
                fetched_at=fetched_at,
                language_hint=entry.language or publisher.language,
                origin=origin,
                run_id=run_id,
            )
        )
    result.items.sort(key=lambda i: i.published_at or fetched_at)
    return result
