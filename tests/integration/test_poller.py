"""The poller against a real broker and a local HTTP server."""

from __future__ import annotations

import email.utils
import http.server
import threading
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import assert_valid
from tests.kafka_reader import read_topics
from workers.poller.feeds import SAMPLE_FEED, Publisher
from workers.poller.run import run_poller
from workers.provision import ensure_topics
from workers.settings import Settings


class ConditionalFeed(http.server.BaseHTTPRequestHandler):
    """Serves one feed with an ETag and answers 304 to a matching If-None-Match."""

    body = b""
    etag = '"v1"'
    requests: ClassVar[list[dict[str, str | None]]] = []

    def do_GET(self) -> None:
        type(self).requests.append({"if_none_match": self.headers.get("If-None-Match")})
        if self.headers.get("If-None-Match") == self.etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", self.etag)
        self.send_header("Last-Modified", email.utils.formatdate(usegmt=True))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def feed_server():
    ConditionalFeed.body = SAMPLE_FEED.read_bytes()
    ConditionalFeed.etag = '"v1"'
    ConditionalFeed.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ConditionalFeed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rss.xml"
    server.shutdown()


async def test_restart_does_not_publish_again(kafka_settings: Settings, feed_server: str) -> None:
    await ensure_topics(kafka_settings, [])
    publishers = [Publisher(name="beispiel", feeds=(feed_server,))]

    first = await run_poller(kafka_settings, publishers, once=True)
    assert first.published == 20 and not first.failed

    # a new poller process: it must learn from Kafka what was published
    second = await run_poller(kafka_settings, publishers, once=True)
    assert second.published == 0 and second.not_modified == 1
    assert ConditionalFeed.requests[-1]["if_none_match"] == '"v1"'

    # the feed changes (new ETag) but its entries do not: still nothing new
    ConditionalFeed.etag = '"v2"'
    third = await run_poller(kafka_settings, publishers, once=True)
    assert third.published == 0 and third.known == 20

    # one entry is corrected: it is published again as version 2
    ConditionalFeed.body = ConditionalFeed.body.replace(
        b"Leverkusen \xc3\xbcbernimmt Tabellenf\xc3\xbchrung", b"Leverkusen ist Spitzenreiter"
    )
    ConditionalFeed.etag = '"v3"'
    fourth = await run_poller(kafka_settings, publishers, once=True)
    assert fourth.published == 1

    raw_topic = kafka_settings.topic("news.raw")
    records = read_topics(
        kafka_settings.kafka.bootstrap_servers,
        [raw_topic],
        until=lambda r: len(r[raw_topic]) >= 21,
        timeout=30,
    )[raw_topic]
    assert len(records) == 21
    versions = sorted(r["value"]["version"] for r in records)
    assert versions == [1] * 20 + [2]
    for record in records:
        assert record["key"] == record["value"]["id"]
        assert_valid("raw", record["value"])


async def test_malformed_feed_is_rejected_and_others_go_on(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    await ensure_topics(kafka_settings, [])
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"\x00\x01 not a feed")
    publishers = [
        Publisher(
            name="kaputt", feeds=(str(broken), str(tmp_path / "missing.xml"), str(SAMPLE_FEED))
        )
    ]
    report = await run_poller(kafka_settings, publishers, once=True)
    assert report.published == 20
    assert report.failed == {"feed_malformed": 1, "file": 1}
    topic = kafka_settings.topic("news.rejected")
    [rejected] = read_topics(
        kafka_settings.kafka.bootstrap_servers, [topic], until=lambda r: bool(r[topic]), timeout=20
    )[topic]
    assert rejected["value"]["stage"] == "poll"
    assert rejected["value"]["reason"] == "feed_malformed"
    assert_valid("rejected", rejected["value"])
