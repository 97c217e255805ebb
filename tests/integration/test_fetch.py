"""Page fetch for teaser-only items, through the shared HTTP client, against 127.0.0.1.

The local server is reachable only with ``allow_private_addresses=True``; the guard
tests check that without it loopback, private, link-local and multicast addresses
and non-http(s) URLs are refused, also as the target of a redirect.
"""

from __future__ import annotations

import asyncio
import http.server
import itertools
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest

from workers.clean.fetch import decode_page, fetch_page, needs_page
from workers.clean.stage import clean
from workers.http import FetchError, address_refused, fetch, make_client, retry_after_seconds
from workers.records import CleanItem, FetchedItem, RawItem
from workers.settings import CleanSettings, HttpSettings
from workers.stage import Rejection

LOCAL = HttpSettings(allow_private_addresses=True, per_host_delay=0.0, timeout=5.0)
GUARDED = HttpSettings(per_host_delay=0.0, timeout=5.0)
CLEAN = CleanSettings(fetch_timeout=5.0, on_fetch_error="reject")
ARTICLE = (
    "<html><head><meta charset='{charset}'><title>Hallenbad</title></head><body><article>"
    "<h1>Hallenbad wird saniert</h1><p>Der Gemeinderat von Musterhausen hat am Montag "
    "beschlossen, das alte Hallenbad für zwölf Millionen Euro zu sanieren, statt es "
    "abzureißen. Die Bürger hatten dafür monatelang Unterschriften gesammelt.</p>"
    "<p>Fehler gefunden? Jetzt melden</p></article></body></html>"
)


def raw(url: str | None, **fields: object) -> RawItem:
    return RawItem(
        id="i1",
        url=url,
        title="Hallenbad wird saniert",
        summary="Kurzer Teaser.",
        fetched_at=datetime(2030, 1, 1, tzinfo=UTC),
        language_hint="de",
        run_id="test",
        **fields,
    )


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes: /ok (UTF-8 page), /latin1 (wrong header), /pdf, /png, /slow, /big,
    /redirect-loopback (to 127.0.0.2), /redirect-file, /429 (Retry-After 1), /loop."""

    hits: ClassVar[dict[str, list[float]]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        Handler.hits.setdefault(path, []).append(time.monotonic())
        port = self.server.server_address[1]
        if path == "/ok":
            self.send(200, ARTICLE.format(charset="utf-8").encode("utf-8"))
        elif path == "/latin1":  # declared UTF-8, really Latin-1: the wrong-charset case
            self.send(200, ARTICLE.format(charset="utf-8").encode("latin-1"))
        elif path == "/nocharset":
            self.send(
                200,
                ARTICLE.replace("<meta charset='{charset}'>", "").encode("cp1252"),
                ctype="text/html",
            )
        elif path == "/pdf":
            self.send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ctype="application/pdf")
        elif path == "/png-as-html":
            self.send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200)
        elif path == "/slow":
            time.sleep(3)
            self.send(200, b"<p>zu spaet</p>")
        elif path == "/big":
            self.send(200, b"<p>" + b"x" * 3_000_000 + b"</p>")
        elif path == "/redirect-loopback":
            self.send(302, b"", headers={"Location": f"http://127.0.0.2:{port}/ok"})
        elif path == "/redirect-file":
            self.send(302, b"", headers={"Location": "file:///etc/passwd"})
        elif path == "/loop":
            self.send(302, b"", headers={"Location": "/loop"})
        elif path == "/429":
            if len(Handler.hits[path]) == 1:
                self.send(429, b"", headers={"Retry-After": "1"})
            else:
                self.send(200, ARTICLE.format(charset="utf-8").encode("utf-8"))
        elif path == "/503-long":
            self.send(503, b"", headers={"Retry-After": "3600"})
        else:
            self.send(404, b"not found")


@pytest.fixture
def server() -> Iterator[str]:
    Handler.hits = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


async def fetch_with(
    settings: HttpSettings, item: RawItem, clean_settings: CleanSettings = CLEAN
) -> FetchedItem | Rejection:
    """The fetch stage with rejections on (the default keeps the teaser: tested below)."""
    async with make_client(settings) as client:
        return await fetch_page(item, client, settings, clean_settings)


async def test_teaser_item_gets_its_page_and_cleans(server: str) -> None:
    fetched = await fetch_with(LOCAL, raw(f"{server}/ok"))
    assert isinstance(fetched, RawItem) and fetched.html
    item = clean(fetched, CLEAN)
    assert isinstance(item, CleanItem)
    assert item.text.startswith("Der Gemeinderat von Musterhausen")
    assert "Fehler gefunden" not in item.text


async def test_http_dir_fixture_page(http_dir: tuple[Path, str]) -> None:
    root, base = http_dir
    (root / "artikel.html").write_text(ARTICLE.format(charset="utf-8"), encoding="utf-8")
    fetched = await fetch_with(LOCAL, raw(f"{base}/artikel.html"))
    assert isinstance(fetched, RawItem) and "Musterhausen" in (fetched.html or "")


def test_item_with_full_text_is_not_fetched() -> None:
    assert not needs_page(raw("http://127.0.0.1:9/never", text="Langer Text. " * 100), CLEAN)
    assert needs_page(raw("http://127.0.0.1:9/never", text="Kurz."), CLEAN)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/pdf", "fetch:not_html"),
        ("/png-as-html", "fetch:not_html"),
        ("/missing", "fetch:http_status"),
        ("/loop", "fetch:too_many_redirects"),
        ("/503-long", "fetch:rate_limited"),
    ],
)
async def test_fetch_failures_are_rejections(server: str, path: str, reason: str) -> None:
    result = await fetch_with(LOCAL, raw(f"{server}{path}"))
    assert isinstance(result, Rejection) and result.reason == reason, result


async def test_size_cap(server: str) -> None:
    settings = LOCAL.model_copy(update={"max_bytes": 1_000_000})
    result = await fetch_with(settings, raw(f"{server}/big"))
    assert isinstance(result, Rejection) and result.reason == "fetch:too_large"


async def test_slow_host_is_cut_off_by_the_stage_timeout(server: str) -> None:
    start = time.monotonic()
    result = await fetch_with(
        LOCAL, raw(f"{server}/slow"), CLEAN.model_copy(update={"fetch_timeout": 0.5})
    )
    assert isinstance(result, Rejection) and result.reason == "fetch:timeout"
    assert time.monotonic() - start < 2.5


async def test_failed_fetch_keeps_the_teaser_and_says_why(server: str) -> None:
    item = raw(f"{server}/pdf")
    result = await fetch_with(LOCAL, item, CLEAN.model_copy(update={"on_fetch_error": "teaser"}))
    assert isinstance(result, FetchedItem) and result.html is None
    assert result.page.status == "failed" and result.page.reason == "fetch:not_html"
    cleaned = clean(result, CLEAN)
    assert isinstance(cleaned, CleanItem)
    assert cleaned.page_error == "fetch:not_html" and cleaned.text_source == "summary"


async def test_retry_after_is_honoured(server: str) -> None:
    start = time.monotonic()
    result = await fetch_with(LOCAL, raw(f"{server}/429"))
    assert isinstance(result, RawItem) and result.html
    assert len(Handler.hits["/429"]) == 2
    assert Handler.hits["/429"][1] - Handler.hits["/429"][0] >= 0.9
    assert time.monotonic() - start < 4


async def test_wrong_and_missing_charset(server: str) -> None:
    for path in ("/latin1", "/nocharset"):
        fetched = await fetch_with(LOCAL, raw(f"{server}{path}"))
        assert isinstance(fetched, RawItem)
        assert "für zwölf Millionen" in (fetched.html or ""), path


async def test_per_host_concurrency_and_delay(server: str) -> None:
    settings = LOCAL.model_copy(update={"max_per_host": 1, "per_host_delay": 0.5})
    async with make_client(settings) as client:
        await asyncio.gather(*(fetch(client, f"{server}/ok", settings) for _ in range(3)))
    starts = Handler.hits["/ok"]
    assert len(starts) == 3
    # (seen by the server: a loaded machine delays one arrival more than the next)
    assert all(b - a >= 0.3 for a, b in itertools.pairwise(starts))


# --- the guard -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://172.16.5.4/",
        "http://169.254.169.254/latest/meta-data/",
        "http://224.0.0.1/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
async def test_guard_refuses_non_public_addresses_by_default(url: str) -> None:
    async with make_client(GUARDED) as client:
        with pytest.raises(FetchError) as err:
            await fetch(client, url, GUARDED)
    assert err.value.reason == "blocked_address"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/"])
async def test_guard_refuses_other_schemes(url: str) -> None:
    async with make_client(LOCAL) as client:
        with pytest.raises(FetchError) as err:
            await fetch(client, url, LOCAL)
    assert err.value.reason == "blocked_scheme"


async def test_guard_refuses_a_redirect_to_loopback(server: str) -> None:
    # a test-only policy lets 127.0.0.1 (the first hop) through; the redirect goes to
    # 127.0.0.2, which the default policy refuses, before any connection is made
    first = f"{server}/redirect-loopback"

    def refused(address: str) -> bool:
        return address != "127.0.0.1" and address_refused(address)

    async with make_client(GUARDED, refused=refused) as client:
        with pytest.raises(FetchError) as err:
            await fetch(client, first, GUARDED)
    assert err.value.reason == "blocked_address"
    assert "127.0.0.2" in err.value.detail
    assert Handler.hits.get("/ok") is None


class Rebinding:
    """A resolver we control: a public address on the first answer, loopback afterwards
    (the classic rebinding attack on a guard that resolves, checks and lets the
    connection resolve again)."""

    def __init__(self, first: str, then: str) -> None:
        self.answers = [first]
        self.then = then
        self.calls = 0

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls += 1
        return [self.answers.pop(0) if self.answers else self.then]


async def test_a_rebinding_host_never_reaches_the_private_address(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    resolver = Rebinding(first="93.184.216.34", then="127.0.0.1")
    settings = GUARDED.model_copy(update={"timeout": 1.0})
    async with make_client(settings, "feed", resolver=resolver) as client:
        for _ in range(2):  # first answer public (unreachable here), then loopback: refused
            with pytest.raises(FetchError) as err:
                await fetch(client, f"http://news.rebind.test:{port}/ok", settings)
    assert err.value.reason == "blocked_address" and "127.0.0.1" in err.value.detail
    assert resolver.calls == 2  # one answer per connection: what is checked is what is used
    assert Handler.hits.get("/ok") is None


async def test_the_connection_goes_to_the_checked_address(server: str) -> None:
    # a name only our resolver knows: the page arrives, so the connection used its answer
    port = int(server.rsplit(":", 1)[1])
    resolver = Rebinding(first="127.0.0.1", then="127.0.0.1")
    feeds_only = HttpSettings(allow_private_feeds=True, per_host_delay=0.0, timeout=5.0)
    async with make_client(feeds_only, "feed", resolver=resolver) as client:
        response = await fetch(client, f"http://lokal.test:{port}/ok", feeds_only)
    assert response.status == 200 and b"Hallenbad" in response.content
    assert resolver.calls == 1


async def test_private_addresses_are_allowed_per_purpose(server: str) -> None:
    feeds_only = HttpSettings(allow_private_feeds=True, per_host_delay=0.0, timeout=5.0)
    assert feeds_only.allows_private("feed") and not feeds_only.allows_private("page")
    async with make_client(feeds_only, "feed") as client:
        assert (await fetch(client, f"{server}/ok", feeds_only)).status == 200
    async with make_client(feeds_only, "page") as client:
        with pytest.raises(FetchError) as err:
            await fetch(client, f"{server}/ok", feeds_only)
    assert err.value.reason == "blocked_address"
    both = HttpSettings(allow_private_addresses=True, allow_private_pages=False)
    assert both.allows_private("feed") and not both.allows_private("page")


async def test_guard_refuses_a_redirect_to_another_scheme(server: str) -> None:
    result = await fetch_with(LOCAL, raw(f"{server}/redirect-file"))
    assert isinstance(result, Rejection)
    assert result.reason in {"fetch:blocked_scheme", "fetch:network"}


async def test_guarded_item_fetch_is_a_rejection() -> None:
    result = await fetch_with(GUARDED, raw("http://127.0.0.1:9/artikel"))
    assert isinstance(result, Rejection) and result.reason == "fetch:blocked_address"


def test_address_classes() -> None:
    for address in ("127.0.0.1", "10.0.0.1", "169.254.1.1", "239.1.1.1", "::1", "fc00::1"):
        assert address_refused(address), address
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"):
        assert not address_refused(address), address


def test_retry_after_values() -> None:
    assert retry_after_seconds("5") == 5.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("bald") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0


def test_decode_page_prefers_valid_utf8_then_declared_then_detection() -> None:
    text = "Bürger für Größe"
    assert decode_page(text.encode("utf-8"), "text/html; charset=iso-8859-1") == text
    assert decode_page(text.encode("latin-1"), "text/html; charset=iso-8859-1") == text
    assert decode_page(b"<meta charset='windows-1252'>" + text.encode("cp1252"), None).endswith(
        text
    )


def test_cache_hints_of_a_response() -> None:
    import httpx

    from workers.http import cache_seconds

    assert cache_seconds(httpx.Headers({"Cache-Control": "public, max-age=600"})) == 600
    assert cache_seconds(httpx.Headers({"Cache-Control": "s-maxage=60, max-age=600"})) == 60
    assert cache_seconds(httpx.Headers({"Cache-Control": "no-cache"})) == 0
    expires = httpx.Headers({"Expires": "Wed, 21 Oct 2015 07:38:00 GMT"})
    assert cache_seconds(expires, now=1445412470.0) == 610
    assert cache_seconds(httpx.Headers({"Expires": "0"})) == 0
    assert cache_seconds(httpx.Headers({})) is None


async def test_a_long_retry_after_comes_back_with_the_failure(server: str) -> None:
    async with make_client(LOCAL) as client:
        with pytest.raises(FetchError) as err:
            await fetch(client, f"{server}/503-long", LOCAL)
    assert err.value.reason == "rate_limited" and err.value.retry_after == 3600
