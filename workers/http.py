"""The one HTTP client lagebild uses to fetch feeds and pages.

Timeouts, a redirect limit and a size cap on every response; conditional GET
with validators the caller keeps. A guard refuses non-http(s) URLs and hosts
that resolve to loopback, private, link-local, multicast or otherwise reserved
addresses, on every hop of a redirect chain. The guard sits in the transport: a
host is resolved once and the connection goes to the address that was checked
(no DNS rebinding). Private addresses are let through per purpose (feeds or
pages, see ``HttpSettings``) for tests and local demos. Requests to one host are
limited in number and spaced in time; a 429 or 503 with a short Retry-After is
retried. A response says how long the server wants it cached (Cache-Control,
Expires) and a failure how long to wait (Retry-After), for the poller's schedule.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpcore
import httpx

from workers.settings import HttpSettings

RETRY_STATUSES = frozenset({429, 503})


class FetchError(Exception):
    """A fetch that failed for a reason worth recording (the message is the reason code)."""

    def __init__(self, reason: str, detail: str, retry_after: float | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after  # seconds the server asked us to wait, if it did


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
    cache_seconds: float | None = None  # how long the server says the response stays fresh

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


#: host, port → the addresses to connect to (the system resolver unless a test brings its own)
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _Refused(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves a host once, checks every address, and connects to a checked one.

    Checking a name and letting the connection resolve it again would let a host that
    rebinds between the two answers (DNS rebinding) reach a private address; here the
    address checked is the address connected to. TLS still verifies the host name
    (httpcore passes it as server_hostname), so certificates are checked as usual.
    """

    def __init__(
        self,
        allow_private: bool,
        resolver: Resolver = system_resolver,
        refused: Callable[[str], bool] = address_refused,
    ) -> None:
        self.allow_private = allow_private
        self.resolver = resolver
        self.refused = refused
        self.inner = httpcore.AnyIOBackend()

    async def addresses(self, host: str, port: int) -> list[str]:
        """The addresses a connection to ``host`` may use; _Refused when there are none."""
        try:
            addresses = [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            addresses = []
        if not addresses:
            try:
                addresses = await self.resolver(host, port)
            except OSError as exc:
                raise _Refused("dns", f"{host}: {exc}") from exc
            if not addresses:
                raise _Refused("dns", f"{host}: no address")
        if not self.allow_private:
            for address in addresses:
                if self.refused(address):
                    raise _Refused(
                        "blocked_address", f"{host} resolves to {address}, not a public address"
                    )
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.addresses(host, port)
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise _Refused("blocked_address", f"{path}: unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with the connection pool on a GuardedBackend (no proxies)."""

    def __init__(self, backend: GuardedBackend, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


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


Purpose = Literal["feed", "page"]


class Client(httpx.AsyncClient):
    """httpx's client on a guarded transport, with a per-host limiter."""

    def __init__(self, settings: HttpSettings, **kwargs: Any) -> None:
        self.settings = settings
        self.limiter = HostLimiter(settings.max_per_host, settings.per_host_delay)
        super().__init__(event_hooks={"request": [self._scheme]}, **kwargs)

    async def _scheme(self, request: httpx.Request) -> None:
        if request.url.scheme not in ("http", "https"):  # a redirect hop, too
            raise BlockedURL(
                "blocked_scheme", f"{request.url}: only http and https are fetched", request
            )


def make_client(
    settings: HttpSettings,
    purpose: Purpose = "page",
    resolver: Resolver = system_resolver,
    refused: Callable[[str], bool] = address_refused,
    max_connections: int = 100,
) -> httpx.AsyncClient:
    """The client for feeds or for article pages: each has its own private-address switch."""
    backend = GuardedBackend(settings.allows_private(purpose), resolver, refused)
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=20)
    return Client(
        settings,
        transport=GuardedTransport(backend, limits),
        timeout=settings.timeout,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        headers={"User-Agent": settings.user_agent},
        trust_env=False,
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


def cache_seconds(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Freshness the server declares: Cache-Control max-age (s-maxage), else Expires."""
    control = headers.get("Cache-Control", "").lower()
    if "no-cache" in control or "no-store" in control:
        return 0.0
    for part in control.split(","):
        name, _, value = part.strip().partition("=")
        if name in ("s-maxage", "max-age") and value.strip().strip('"').isdigit():
            return float(value.strip().strip('"'))
    expires = headers.get("Expires")
    if expires:
        try:
            when = parsedate_to_datetime(expires)
        except (TypeError, ValueError):
            return 0.0  # an invalid Expires means "already expired" (RFC 9111)
        if when.tzinfo is not None:
            return max(0.0, when.timestamp() - (time.time() if now is None else now))
    return None


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
                    "rate_limited",
                    f"{url}: HTTP {retry.status}, Retry-After {retry.seconds:.0f}s",
                    retry.seconds,
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
            fresh = cache_seconds(response.headers)
            if response.status_code == 304:
                return Response(
                    304,
                    b"",
                    str(response.url),
                    response.headers.get("ETag") or headers.get("If-None-Match"),
                    response.headers.get("Last-Modified") or headers.get("If-Modified-Since"),
                    cache_seconds=fresh,
                )
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if response.status_code in RETRY_STATUSES and wait is not None:
                raise _RetryAfter(response.status_code, wait)
            if response.status_code >= 400:
                raise FetchError("http_status", f"{url}: HTTP {response.status_code}", wait)
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
                fresh,
            )
    except (BlockedURL, _Refused) as exc:
        raise FetchError(exc.reason, exc.detail) from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError("too_many_redirects", f"{url}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise FetchError("timeout", f"{url}: {type(exc).__name__}") from exc
    except httpx.HTTPError as exc:
        raise FetchError("network", f"{url}: {type(exc).__name__}: {exc}") from exc
