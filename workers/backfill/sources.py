"""Backfill sources: archives, saved pages, URL lists, feeds and sitemaps, as raw items.

A sitemap (plain or Google News, or an index of sitemaps) is a list of article
URLs with their ``lastmod``: the entries since ``--since`` are fetched like a URL
list, their title and date from the sitemap when the page has none.

Each source yields `Entry` values in a stable order: a raw item, an invalid
input (with where it was and why), or a skip (e.g. older than ``--since``).
Items carry ``origin: backfill``, the run id and the run's ``fetched_at``,
so an interrupted run that publishes an item again publishes the same bytes.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from lxml import html as lxml_html
from pydantic import ValidationError

from workers.backfill import Kind, parse_since
from workers.clean.fetch import decode_page
from workers.http import FetchError, fetch
from workers.identity import item_id, stable_id
from workers.poller.feeds import Publisher
from workers.poller.parse import parse_feed
from workers.poller.read import is_remote, read_feed
from workers.poller.sitemap import SitemapEntry, SitemapError, is_sitemap, parse_sitemap
from workers.rawinput import raw_from_input
from workers.records import RawItem, Source
from workers.settings import HttpSettings

#: the input fields `raw_from_input` reads; a column mapping renames input columns to these
FIELDS = (
    "id",
    "url",
    "title",
    "text",
    "html",
    "summary",
    "published",
    "source",
    "authors",
    "language",
)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
#: how many sitemaps a sitemap index may lead to, in all (an index of indexes included)
MAX_SITEMAPS = 1000
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")


@dataclass(frozen=True)
class Item:
    item: RawItem
    where: str


@dataclass(frozen=True)
class Invalid:
    where: str
    reason: str
    detail: str


@dataclass(frozen=True)
class Skipped:
    where: str
    reason: str


Entry = Item | Invalid | Skipped


@dataclass(frozen=True)
class Options:
    """How inputs are read (the same options give the same run id)."""

    mapping: dict[str, str] = field(default_factory=dict)  # our field -> input column
    delimiter: str | None = None
    columns: tuple[str, ...] = ()  # CSV header when the file has none
    since: datetime | None = None
    publisher: str | None = None
    language: str = "de"

    def describe(self) -> str:
        return json.dumps(
            {
                "map": sorted(self.mapping.items()),
                "delimiter": self.delimiter,
                "columns": self.columns,
                "since": str(self.since),
                "publisher": self.publisher,
                "language": self.language,
            }
        )


def parse_mapping(spec: str | None) -> dict[str, str]:
    """``title=headline,text=body`` → {"title": "headline", "text": "body"}."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        ours, sep, theirs = part.partition("=")
        ours, theirs = ours.strip(), theirs.strip()
        if not sep or ours not in FIELDS or not theirs:
            raise ValueError(
                f"bad column mapping {part!r}: use FIELD=COLUMN, FIELD one of {', '.join(FIELDS)}"
            )
        mapping[ours] = theirs
    return mapping


def guess_kind(source: str) -> Kind:
    if "sitemap" in source.rsplit("/", 1)[-1].lower():
        return "sitemap"
    if source.startswith(("http://", "https://")):
        return "urls" if source.endswith(".txt") else "feed"
    path = Path(source)
    if path.is_dir():
        return "html-dir"
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".txt", ".urls"):
        return "urls"
    if suffix in FEED_SUFFIXES:
        return "feed"
    raise ValueError(f"{source}: cannot tell the kind of source; pass --format")


def source_key(source: str) -> str:
    """What identifies a source across runs: an absolute path, or the URL."""
    if source.startswith(("http://", "https://")):
        return source
    return str(Path(source).resolve())


def mapped(data: dict[str, Any], options: Options) -> dict[str, Any]:
    """An input row under our field names (mapped columns win; unmapped fields as they are)."""
    row = {k: v for k, v in data.items() if k not in options.mapping.values()}
    for ours, theirs in options.mapping.items():
        if theirs in data:
            row[ours] = data[theirs]
    row.pop("version", None)  # the version is ours to decide (see run.py)
    if isinstance(row.get("authors"), str):  # CSV: "A; B"
        row["authors"] = [a.strip() for a in row["authors"].split(";") if a.strip()]
    return {k: v for k, v in row.items() if v not in ("", None)}


def row_item(data: Any, where: str, options: Options, run_id: str, fetched_at: datetime) -> Entry:
    if not isinstance(data, dict):
        return Invalid(
            where, "not_an_object", f"a row must be an object, got {type(data).__name__}"
        )
    row = mapped(data, options)
    if not any(row.get(k) for k in ("title", "text", "html", "summary")):
        return Invalid(where, "empty", "no title, text, html or summary")
    if "source" not in row and options.publisher:
        row["source"] = options.publisher
    row.setdefault("language", options.language)
    try:
        item = raw_from_input(row, run_id, fetched_at)
    except (ValidationError, ValueError, TypeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if isinstance(exc, ValidationError):
            detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return Invalid(where, "invalid_field", detail)
    if options.since and item.published_at and item.published_at < options.since:
        return Skipped(where, "older_than_since")
    return Item(item, where)


def read_jsonl(path: Path, options: Options, run_id: str, fetched_at: datetime) -> Iterator[Entry]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            where = f"{path.name}:{number}"
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Invalid(where, "invalid_json", exc.msg)
                continue
            yield row_item(data, where, options, run_id, fetched_at)


def read_csv(path: Path, options: Options, run_id: str, fetched_at: datetime) -> Iterator[Entry]:
    delimiter = options.delimiter or ("\t" if path.suffix.lower() == ".tsv" else ",")
    csv.field_size_limit(64 * 1024 * 1024)
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh, fieldnames=list(options.columns) or None, delimiter=delimiter)
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            if None in row:
                yield Invalid(
                    where,
                    "too_many_columns",
                    f"{len(row) - 1 + len(row[None])} columns, header has {len(row) - 1}",
                )
                continue
            yield row_item(row, where, options, run_id, fetched_at)


def _meta(doc: Any, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name"):
            found = doc.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and found[0].strip():
                return str(found[0].strip())
    return None


def page_item(
    content: bytes,
    where: str,
    url: str | None,
    options: Options,
    run_id: str,
    fetched_at: datetime,
    feed: str | None = None,
    content_type: str | None = None,
) -> Entry:
    """A saved or fetched article page: URL, title and date from its metadata."""
    if not content.strip():
        return Invalid(where, "empty", "empty page")
    page = decode_page(content, content_type)  # the clean stage's charset rules
    try:
        doc = lxml_html.document_fromstring(content)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        return Invalid(where, "invalid_html", str(exc))
    canonical = doc.xpath('//link[@rel="canonical"]/@href')
    url = url or (canonical[0].strip() if canonical else None) or _meta(doc, "og:url")
    title = _meta(doc, "og:title") or (doc.findtext(".//title") or "").strip()
    published = _meta(doc, "article:published_time", "date", "pubdate", "dc.date")
    published_at = None
    if published:
        try:
            published_at = parse_since(published.replace("Z", "+00:00"))
        except ValueError:
            published_at = None
    if options.since and published_at and published_at < options.since:
        return Skipped(where, "older_than_since")
    publisher = options.publisher or (urlsplit(url).hostname if url else None)
    item = RawItem(
        id=item_id(url, fallback=stable_id(page)),
        url=url,
        source=Source(publisher=publisher, feed=feed),
        title=title,
        html=page,
        published_at=published_at,
        fetched_at=fetched_at,
        language_hint=doc.get("lang") or options.language,
        origin="backfill",
        run_id=run_id,
    )
    return Item(item, where)


def read_html_dir(
    path: Path, options: Options, run_id: str, fetched_at: datetime
) -> Iterator[Entry]:
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in HTML_SUFFIXES)
    for file in files:
        rel = str(file.relative_to(path))
        yield page_item(
            file.read_bytes(), rel, None, options, run_id, fetched_at, feed=str(file.resolve())
        )


URL_RE = re.compile(r"^https?://[^\s/]+\S*$")


def url_lines(lines: Iterable[str], name: str) -> Iterator[tuple[str, str | None, Invalid | None]]:
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        where = f"{name}:{number}"
        if not URL_RE.match(text):
            yield where, None, Invalid(where, "invalid_url", f"not an http(s) URL: {text[:80]}")
        else:
            yield where, text, None


async def read_urls(
    lines: list[str],
    name: str,
    client: httpx.AsyncClient,
    http: HttpSettings,
    options: Options,
    run_id: str,
    fetched_at: datetime,
) -> AsyncIterator[Entry]:
    for where, url, invalid in url_lines(lines, name):
        if invalid is not None or url is None:
            yield invalid or Invalid(where, "invalid_url", "")
            continue
        try:
            response = await fetch(client, url, http)
        except FetchError as exc:
            yield Invalid(where, f"fetch:{exc.reason}", exc.detail)
            continue
        yield page_item(
            response.content,
            where,
            url,
            options,
            run_id,
            fetched_at,
            content_type=response.content_type,
        )


def feed_entries(
    content: bytes, feed: str, options: Options, run_id: str, fetched_at: datetime
) -> Iterator[Entry]:
    name = options.publisher or urlsplit(feed).hostname or Path(feed).stem
    publisher = Publisher(name=name, feeds=(feed,), language=options.language)
    parsed = parse_feed(content, publisher, feed, fetched_at, run_id, origin="backfill")
    label = feed.rsplit("/", 1)[-1] or feed
    if parsed.error is not None:
        yield Invalid(label, parsed.error.reason, parsed.error.detail)
        return
    for skip in parsed.skipped:
        yield Invalid(label, skip.reason, skip.detail)
    for number, item in enumerate(parsed.items, 1):
        where = f"{label}#{number}"
        if options.since and (item.published_at or fetched_at) < options.since:
            yield Skipped(where, "older_than_since")
        else:
            yield Item(item, where)


async def read_sitemap(
    source: str,
    client: httpx.AsyncClient,
    http: HttpSettings,
    options: Options,
    run_id: str,
    fetched_at: datetime,
) -> AsyncIterator[Entry]:
    """The pages a sitemap (or a sitemap index, followed) lists, since ``--since``."""
    queue, visited = [source], 0
    while queue and visited < MAX_SITEMAPS:
        location = queue.pop(0)
        visited += 1
        label = location.rsplit("/", 1)[-1] or location
        try:
            content = (await read_feed(location, client, http)).content or b""
            sitemap = parse_sitemap(content)
        except FetchError as exc:
            yield Invalid(label, f"fetch:{exc.reason}", exc.detail)
            continue
        except SitemapError as exc:
            yield Invalid(label, "sitemap_malformed", str(exc))
            continue
        queue += sitemap.children
        for number, entry in enumerate(sitemap.entries, 1):
            where = f"{label}#{number}"
            when = entry.published_at or entry.lastmod
            if options.since and when and when < options.since:
                yield Skipped(where, "older_than_since")
                continue
            yield await sitemap_page(
                entry, where, location, client, http, options, run_id, fetched_at
            )


async def sitemap_page(
    entry: SitemapEntry,
    where: str,
    sitemap: str,
    client: httpx.AsyncClient,
    http: HttpSettings,
    options: Options,
    run_id: str,
    fetched_at: datetime,
) -> Entry:
    try:
        response = await fetch(client, entry.url, http)
    except FetchError as exc:
        return Invalid(where, f"fetch:{exc.reason}", exc.detail)
    found = page_item(
        response.content,
        where,
        entry.url,
        options,
        run_id,
        fetched_at,
        feed=sitemap,
        content_type=response.content_type,
    )
    if not isinstance(found, Item):
        return found
    item = found.item
    update = {
        "title": item.title or entry.title or "",
        "published_at": item.published_at or entry.published_at or entry.lastmod,
        "language_hint": entry.language or item.language_hint,
    }
    if options.since and update["published_at"] and update["published_at"] < options.since:
        return Skipped(where, "older_than_since")
    return Item(item.model_copy(update=update), where)


async def read_source(
    source: str,
    kind: Kind,
    options: Options,
    run_id: str,
    fetched_at: datetime,
    client: httpx.AsyncClient,
    http: HttpSettings,
) -> AsyncIterator[Entry]:
    """Every entry of one source, in a stable order."""
    remote = is_remote(source)
    if kind in ("jsonl", "csv", "html-dir") and remote:
        yield Invalid(source, "unsupported", f"a {kind} source must be a local path")
        return
    if kind == "jsonl":
        for entry in read_jsonl(Path(source), options, run_id, fetched_at):
            yield entry
    elif kind == "csv":
        for entry in read_csv(Path(source), options, run_id, fetched_at):
            yield entry
    elif kind == "html-dir":
        for entry in read_html_dir(Path(source), options, run_id, fetched_at):
            yield entry
    elif kind == "urls":
        if remote:
            try:
                text = (await fetch(client, source, http)).content.decode("utf-8", "replace")
            except FetchError as exc:
                yield Invalid(source, f"fetch:{exc.reason}", exc.detail)
                return
        else:
            text = Path(source).read_text(encoding="utf-8", errors="replace")
        name = source.rsplit("/", 1)[-1]
        async for entry in read_urls(
            text.splitlines(), name, client, http, options, run_id, fetched_at
        ):
            yield entry
    elif kind == "sitemap":
        async for entry in read_sitemap(source, client, http, options, run_id, fetched_at):
            yield entry
    else:
        try:
            content = (await read_feed(source, client, http)).content or b""
        except FetchError as exc:
            yield Invalid(source, f"fetch:{exc.reason}", exc.detail)
            return
        if is_sitemap(content):  # a sitemap given as a feed: its pages, not its bare URLs
            async for entry in read_sitemap(source, client, http, options, run_id, fetched_at):
                yield entry
            return
        for entry in feed_entries(content, source, options, run_id, fetched_at):
            yield entry


def estimate(source: str, kind: Kind) -> int | None:
    """How many entries a source holds, cheaply (for the progress bar's ETA)."""
    if source.startswith(("http://", "https://")):
        return None
    path = Path(source)
    try:
        if kind == "html-dir":
            return sum(1 for p in path.rglob("*") if p.suffix.lower() in HTML_SUFFIXES)
        if kind in ("jsonl", "csv", "urls"):
            with path.open("rb") as fh:
                lines = sum(1 for line in fh if line.strip())
            return lines - (1 if kind == "csv" else 0)
    except OSError:
        return None
    return None
