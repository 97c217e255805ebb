"""The one HTTP client lagebild uses to fetch feeds and pages.

Timeouts, a redirect limit and a size cap on every response; conditional GET
with validators the caller keeps. A guard refuses non-http(s) URLs and hosts
that resolve to loopback, private, link-local, multicast or otherwise reserved
addresses, on every hop of a redirect chain (``allow_private_addresses`` lets
them through for tests and local demos). Requests to one host are limited in
number and spaced in time; a 429 or 503 with a short Retry-After is retried.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from workers.settings import HttpSettings

RETRY_STATUSES = frozenset({429, 503})


class FetchError(Exception):
    """A fetch that failed for a reason worth recording (the message is the reason code)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class BlockedURL(httpx.RequestError):
    """Raised by the guard inside httpx (so a redirect hop is refused as well)."""

    def __init__(self, reason: str, detail: str, request: httpx.Request) -> None:
        super().__init__(detail, request=request)
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


def address_refused(address: str) -> bool:
    """Is this IP address one a fetch of a public page must never reach?"""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


async def check_url(url: httpx.URL, allow_private: bool) -> None:
    """Refuse (raise _Refused) a URL that is not http(s) or whose host is not public."""
    if url.scheme not in ("http", "https"):
        raise _Refused("blocked_scheme", f"{url}: only http and https are fetched")
    host = url.host
    if not host:
        raise _Refused("blocked_address", f"{url}: no host")
    if allow_private:
        return
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host,
                url.port or (443 if url.scheme == "https" else 80),
                type=socket.SOCK_STREAM,
            )
        except OSError as exc:
            raise _Refused("dns", f"{host}: {exc}") from exc
        addresses = sorted({str(info[4][0]) for info in infos})
    for address in addresses:
        if address_refused(address):
            raise _Refused("blocked_address", f"{host} resolves to {address}, not a public address")


class _Refused(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class HostLimiter:
    """At most ``max_per_host`` requests at once per host, starts ``delay`` seconds apart;
    a Retry-After holds back every request to that host until it has passed."""

    def __init__(self, max_per_host: int, delay: float) -> None:
        self.max_per_host = max_per_host
        self.delay = delay
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def hold_until(self, host: str, when: float) -> None:
        self._next_start[host] = max(self._next_start.get(host, 0.0), when)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        semaphore = self._slots.setdefault(host, asyncio.Semaphore(self.max_per_host))
        async with semaphore:
            async with self._locks.setdefault(host, asyncio.Lock()):
                wait = self._next_start.get(host, 0.0) - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start[host] = time.monotonic() + self.delay
            yield


class Client(httpx.AsyncClient):
    """httpx's client with the guard on every request and a per-host limiter."""

    def __init__(self, settings: HttpSettings, **kwargs: object) -> None:
        self.settings = settings
        self.limiter = HostLimiter(settings.max_per_host, settings.per_host_delay)
        super().__init__(event_hooks={"request": [self._guard]}, **kwargs)  # type: ignore[arg-type]

    async def _guard(self, request: httpx.Request) -> None:
        try:
            await check_url(request.url, self.settings.allow_private_addresses)
        except _Refused as exc:
            raise BlockedURL(exc.reason, exc.detail, request) from None


def make_client(settings: HttpSettings) -> httpx.AsyncClient:
    return Client(
        settings,
        timeout=settings.timeout,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        headers={"User-Agent": settings.user_agent},
    )


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    settings: HttpSettings,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Response:
    """GET a URL within the limits; failures are FetchError with a reason code.

    Reasons: blocked_scheme, blocked_address, dns, http_status, rate_limited,
    too_large, too_many_redirects, timeout, network.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError("invalid_url", f"{url!r}: {exc}") from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError("blocked_scheme", f"{url}: only http and https are fetched")
    limiter = getattr(client, "limiter", None)
    for attempt in range(settings.max_retries + 1):
        try:
            if limiter is None:
                return await _get(client, url, settings, headers)
            async with limiter.slot(parsed.host):
                return await _get(client, url, settings, headers)
        except _RetryAfter as retry:
            if attempt >= settings.max_retries or retry.seconds > settings.max_retry_after:
                raise FetchError(
                    "rate_limited", f"{url}: HTTP {retry.status}, Retry-After {retry.seconds:.0f}s"
                ) from None
            if limiter is not None:
                limiter.hold_until(parsed.host, time.monotonic() + retry.seconds)
            else:
                await asyncio.sleep(retry.seconds)
    raise AssertionError("unreachable")  # pragma: no cover


class _RetryAfter(Exception):
    def __init__(self, status: int, seconds: float) -> None:
        super().__init__(f"HTTP {status}, retry after {seconds}s")
        self.status = status
        self.seconds = seconds


async def _get(
    client: httpx.AsyncClient, url: str, settings: HttpSettings, headers: dict[str, str]
) -> Response:
    try:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return Response(
                    304,
                    b"",
                    str(response.url),
                    headers.get("If-None-Match"),
                    headers.get("If-Modified-Since"),
                )
            if response.status_code in RETRY_STATUSES:
                seconds = retry_after_seconds(response.headers.get("Retry-After"))
                if seconds is not None:
                    raise _RetryAfter(response.status_code, seconds)
            if response.status_code >= 400:
                raise FetchError("http_status", f"{url}: HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > settings.max_bytes:
                raise FetchError("too_large", f"{url}: Content-Length {declared} bytes")
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():  # decoded: a gzip bomb hits the cap
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
    except BlockedURL as exc:
        raise FetchError(exc.reason, exc.detail) from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError("too_many_redirects", f"{url}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise FetchError("timeout", f"{url}: {type(exc).__name__}") from exc
    except httpx.HTTPError as exc:
        raise FetchError("network", f"{url}: {type(exc).__name__}: {exc}") from exc
