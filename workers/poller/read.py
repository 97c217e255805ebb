"""One feed reader for the poller and backfill: a feed or sitemap from a URL or a file.

A URL is fetched conditionally (ETag, Last-Modified); a file's validator is its
modification time. Either way the answer says whether the document is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from workers.http import FetchError, fetch
from workers.settings import HttpSettings


@dataclass(frozen=True)
class FeedRead:
    content: bytes | None  # None: unchanged since the validators given
    etag: str | None = None
    last_modified: str | None = None
    cache_seconds: float | None = None  # Cache-Control / Expires of the response


def is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


async def read_feed(
    location: str,
    client: httpx.AsyncClient,
    http: HttpSettings,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FeedRead:
    """The document at ``location``; FetchError (reason ``file`` for a local one) on failure."""
    if not is_remote(location):
        path = Path(location.removeprefix("file://"))
        try:
            content = path.read_bytes()
            mtime = str(path.stat().st_mtime_ns)
        except OSError as exc:
            raise FetchError("file", f"{location}: {exc}") from exc
        unchanged = last_modified is not None and last_modified == mtime
        return FeedRead(None if unchanged else content, None, mtime)
    response = await fetch(client, location, http, etag, last_modified)
    return FeedRead(
        None if response.not_modified else response.content,
        response.etag,
        response.last_modified,
        response.cache_seconds,
    )
