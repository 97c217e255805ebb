"""The article page of a teaser-only item: the fetch stage, between two passes of clean.

The clean stage sends a teaser-only item to news.fetch; this stage fetches its page
(bounded per host by the shared client, never longer than
``CleanSettings.fetch_timeout`` in all) and hands it back on news.fetched, so a slow
host delays only the items that wait for it.
"""

from __future__ import annotations

import asyncio
import re

import httpx
from charset_normalizer import from_bytes

from workers.clean.extract import looks_binary, summary_text
from workers.http import FetchError, fetch
from workers.records import FetchedItem, PageFetch, RawItem
from workers.settings import CleanSettings, HttpSettings
from workers.stage import Rejection

STAGE = "fetch"
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def needs_page(raw: RawItem, settings: CleanSettings) -> bool:
    """Only a title and a teaser came with the item (its text or summary is short), and it
    has an http(s) URL. A feed that carries whole articles in its summary is not fetched."""
    if not settings.fetch_pages or raw.html or not raw.url:
        return False
    if not raw.url.lower().startswith(("http://", "https://")):
        return False
    body = raw.text or (summary_text(raw.summary) if raw.summary else "")
    return len(body.strip()) < settings.fetch_below_chars


def decode_page(content: bytes, content_type: str | None) -> str:
    """Bytes to text: UTF-8 when it is valid, else the declared charset, else detection.

    A wrong declared charset is common (a page says ISO-8859-1 and is UTF-8); valid
    UTF-8 is almost never an accident, so it is tried first.
    """
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = []
    if content_type and (m := HEADER_CHARSET.search(content_type)):
        declared.append(m.group(1))
    if m := META_CHARSET.search(content[:4096]):
        declared.append(m.group(1).decode("ascii", "replace"))
    for charset in declared:
        try:
            return content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(content[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return content.decode(best.encoding, errors="replace")
        except LookupError:
            pass
    return content.decode("cp1252", errors="replace")


async def _fetch_html(url: str, client: httpx.AsyncClient, http: HttpSettings) -> str | Rejection:
    try:
        response = await fetch(client, url, http)
    except FetchError as exc:
        return Rejection(STAGE, f"fetch:{exc.reason}", exc.detail)
    media_type = (response.content_type or "").split(";")[0].strip().lower()
    if media_type and not media_type.startswith(HTML_TYPES):
        return Rejection(STAGE, "fetch:not_html", f"{response.url}: Content-Type {media_type}")
    if not response.content.strip():
        return Rejection(STAGE, "fetch:empty", f"{response.url}: empty body")
    html = decode_page(response.content, response.content_type)
    why = looks_binary(html)
    if why:
        return Rejection(STAGE, "fetch:not_html", f"{response.url}: {why}")
    return html


async def fetch_page(
    raw: RawItem, client: httpx.AsyncClient, http: HttpSettings, settings: CleanSettings
) -> FetchedItem | Rejection:
    """The item with its page's HTML, or with the reason it has none.

    A page that cannot be had (paywall, 404, timeout, refused address) leaves the item
    to be cleaned from its title and teaser: a headline is still news. With
    ``on_fetch_error = "reject"`` it is rejected instead.
    """
    assert raw.url is not None
    try:
        html = await asyncio.wait_for(_fetch_html(raw.url, client, http), settings.fetch_timeout)
    except TimeoutError:
        html = Rejection(
            STAGE, "fetch:timeout", f"{raw.url}: no page within {settings.fetch_timeout:.0f}s"
        )
    fields = raw.model_dump(exclude={"schema_version"})
    if not isinstance(html, Rejection):
        return FetchedItem(**fields | {"html": html}, page=PageFetch(status="fetched"))
    if settings.on_fetch_error == "reject":
        return html
    failed = PageFetch(status="failed", reason=html.reason, detail=html.detail)
    return FetchedItem(**fields, page=failed)
