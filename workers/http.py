"""The one HTTP client lagebild uses to fetch feeds and pages.

Timeouts, a redirect limit and a size cap on every response; conditional GET
with validators the caller keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from workers.settings import HttpSettings


class FetchError(Exception):
    """A fetch that failed for a reason worth recording (the message is the reason code)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Response:
    status: int
    content: bytes
    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(settings: HttpSettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=settings.timeout,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        headers={"User-Agent": settings.user_agent},
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    settings: HttpSettings,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Response:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return Response(304, b"", str(response.url), etag, last_modified)
            if response.status_code >= 400:
                raise FetchError("http_status", f"{url}: HTTP {response.status_code}")
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > settings.max_bytes:
                    raise FetchError("too_large", f"{url}: more than {settings.max_bytes} bytes")
                chunks.append(chunk)
            return Response(
                response.status_code,
                b"".join(chunks),
                str(response.url),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
                response.headers.get("Content-Type"),
            )
    except httpx.TooManyRedirects as exc:
        raise FetchError("too_many_redirects", f"{url}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise FetchError("timeout", f"{url}: {type(exc).__name__}") from exc
    except httpx.HTTPError as exc:
        raise FetchError("network", f"{url}: {type(exc).__name__}: {exc}") from exc
