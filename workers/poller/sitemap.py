"""Sitemaps as a source of articles: Google News sitemaps and plain ones with ``lastmod``.

Many German publishers offer a Google News sitemap (``news:news``: title,
publication date, language) instead of a full feed. A plain sitemap lists URLs
with their ``lastmod``; the live poller takes only recent entries, backfill all
of them (``--since`` filters). A sitemap index lists further sitemaps. Parsing is
namespace-tolerant (publishers get the namespaces wrong) and never resolves
entities or reaches the network (no XXE).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
)


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None = None
    title: str | None = None  # news:title
    published_at: datetime | None = None  # news:publication_date
    language: str | None = None  # news:language
    publication: str | None = None  # news:name
    keywords: tuple[str, ...] = ()


@dataclass
class Sitemap:
    entries: list[SitemapEntry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # a sitemap index's sitemaps
    is_news: bool = False


class SitemapError(ValueError):
    """Not a sitemap (the message says why)."""


def w3c_datetime(value: str | None) -> datetime | None:
    """A W3C datetime (``2026-01-05``, ``2026-01-05T10:00+01:00``, ``…Z``); naive is UTC."""
    if not value or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *path: str) -> str | None:
    """Text of the first descendant along ``path`` of local names, stripped."""
    current = [element]
    for name in path:
        current = [c for e in current for c in e if _local(c) == name]
        if not current:
            return None
    text = (current[0].text or "").strip()
    return text or None


def is_sitemap(content: bytes) -> bool:
    """Does the document's root look like a sitemap (urlset or sitemapindex)?"""
    head = content[:4096].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(content: bytes) -> Sitemap:
    """The entries (or, for an index, the child sitemaps) of a sitemap document."""
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not XML: {exc}") from exc
    if root is None:
        raise SitemapError("not XML: empty document")
    kind = _local(root)
    result = Sitemap()
    if kind == "sitemapindex":
        result.children = [
            loc for s in root if _local(s) == "sitemap" and (loc := _child_text(s, "loc"))
        ]
        return result
    if kind != "urlset":
        raise SitemapError(f"root element <{kind}> is neither urlset nor sitemapindex")
    for url in root:
        if _local(url) != "url":
            continue
        loc = _child_text(url, "loc")
        if not loc:
            continue
        news = next((c for c in url if _local(c) == "news"), None)
        entry = SitemapEntry(url=loc, lastmod=w3c_datetime(_child_text(url, "lastmod")))
        if news is not None:
            result.is_news = True
            keywords = _child_text(news, "keywords") or ""
            entry = SitemapEntry(
                url=loc,
                lastmod=entry.lastmod,
                title=_child_text(news, "title"),
                published_at=w3c_datetime(_child_text(news, "publication_date")),
                language=_child_text(news, "publication", "language"),
                publication=_child_text(news, "publication", "name"),
                keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
            )
        result.entries.append(entry)
    return result
