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

    # a new ETag on the very same bytes: unchanged, not even parsed
    ConditionalFeed.etag = '"v2"'
    same = await run_poller(kafka_settings, publishers, once=True)
    assert same.published == 0 and same.not_modified == 1 and same.known == 0

    # the document changes but its entries do not: still nothing new
    ConditionalFeed.body += b"\n<!-- neu erzeugt -->\n"
    ConditionalFeed.etag = '"v2b"'
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
    assert report.rejected == 1 and report.failed_feeds == 2
    # the next poll (a new process: state from Kafka) finds it broken still: same streak,
    # fetched again but not rejected again
    again = await run_poller(kafka_settings, publishers, once=True)
    assert again.failed == {"feed_malformed": 1, "file": 1} and again.rejected == 0
    topic = kafka_settings.topic("news.rejected")
    [rejected] = read_topics(kafka_settings.kafka.bootstrap_servers, [topic], timeout=20, idle=3)[
        topic
    ]
    assert rejected["value"]["stage"] == "poll"
    assert rejected["value"]["reason"] == "feed_malformed"
    assert_valid("rejected", rejected["value"])


def test_poll_once_exits_0_when_one_feed_is_broken(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    import asyncio
    import subprocess
    import sys

    from tests.conftest import settings_env

    asyncio.run(ensure_topics(kafka_settings, []))
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"\x00\x01 not a feed")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[publisher]]\nname = "b"\nfeeds = ["{broken}", "{SAMPLE_FEED}"]\n', encoding="utf-8"
    )
    cli = [sys.executable, "-m", "workers.cli.main"]
    env = settings_env(kafka_settings, tmp_path)
    first = subprocess.run(
        [*cli, "poll", "--once", "--feeds", feeds],
        env=env,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    second = subprocess.run(
        [*cli, "poll", "--once", "--feeds", feeds],
        env=env,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert second.returncode == 0, second.stderr  # nothing new, one feed broken: still fine
    assert "0 items published" in second.stdout
    table = subprocess.run(
        [*cli, "feeds", "--feeds", feeds], env=env, timeout=120, capture_output=True, text=True
    )
    assert table.returncode == 0, table.stderr
    assert "feed_malformed" in table.stdout and "2 feeds polled" in table.stdout


def guid_feed(link: str, title: str, guid: str = "beitrag-4711", twice: bool = False) -> bytes:
    item = (
        f"<item><title>{title}</title><link>{link}</link>"
        f'<guid isPermaLink="false">{guid}</guid><description>Teaser.</description></item>'
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
        f"{item}{item.replace(link, link + '?zwei') if twice else ''}</channel></rss>"
    ).encode()


async def test_an_entry_keeps_its_id_when_its_link_changes(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    await ensure_topics(kafka_settings, [])
    feed = tmp_path / "feed.xml"
    publishers = [Publisher(name="beispiel", feeds=(str(feed),))]
    feed.write_bytes(guid_feed("https://b.example/politik/alter-titel-4711.html", "Alter Titel"))
    first = await run_poller(kafka_settings, publishers, once=True)
    # the headline is edited: a new slug, the same guid, and a pubDate-free document
    feed.write_bytes(guid_feed("https://b.example/politik/neuer-titel-4711.html", "Neuer Titel"))
    second = await run_poller(kafka_settings, publishers, once=True)
    assert first.published == second.published == 1
    assert first.published_ids == second.published_ids  # the same item, a new version
    topic = kafka_settings.topic("news.raw")
    records = read_topics(
        kafka_settings.kafka.bootstrap_servers, [topic], until=lambda r: len(r[topic]) >= 2
    )[topic]
    assert [(r["value"]["version"], r["value"]["url"].rsplit("/", 1)[-1]) for r in records] == [
        (1, "alter-titel-4711.html"),
        (2, "neuer-titel-4711.html"),
    ]


async def test_the_schedule_survives_a_restart(kafka_settings: Settings, feed_server: str) -> None:
    import httpx

    from workers import kafka
    from workers.poller.run import Poller
    from workers.records import utcnow

    await ensure_topics(kafka_settings, [])
    kafka_settings = kafka_settings.replace(poller={"jitter": 0.0})
    publishers = [Publisher(name="beispiel", feeds=(feed_server,))]
    await run_poller(kafka_settings, publishers, once=True)
    producer = kafka.producer(kafka_settings)
    await producer.start()
    try:
        async with httpx.AsyncClient() as client:
            restarted = Poller(kafka_settings, publishers, producer, client)
            await restarted.load()
            [health] = restarted.health()
            assert health.next_due is not None and health.items == 20 and health.fetches == 1
            assert restarted.due(utcnow()) == []  # polled a moment ago: not due yet
            assert [s.url for s in restarted.due(health.next_due)] == [feed_server]
    finally:
        await producer.stop()


async def test_a_news_sitemap_is_polled_like_a_feed(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    from tests.unit.poller.test_sitemap import NEWS

    await ensure_topics(kafka_settings, [])
    sitemap = tmp_path / "news-sitemap.xml"
    sitemap.write_bytes(NEWS)
    publishers = [Publisher(name="beispiel", news_sitemaps=(str(sitemap),))]
    report = await run_poller(kafka_settings, publishers, once=True)
    assert report.published == 2 and not report.failed
    topic = kafka_settings.topic("news.raw")
    records = read_topics(
        kafka_settings.kafka.bootstrap_servers, [topic], until=lambda r: len(r[topic]) >= 2
    )[topic]
    assert {r["value"]["title"] for r in records} == {
        "Derby endet unentschieden",
        "Gemeinderat beschließt Sanierung für Müllheim",
    }
    for record in records:
        assert_valid("raw", record["value"])


async def test_an_entry_too_large_for_the_broker_is_rejected_and_the_rest_published(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    settings = kafka_settings.replace(kafka={"max_record_bytes": 200_000})
    await ensure_topics(settings, [])
    huge = "<p>" + "Sehr langer Text. " * 20_000 + "</p>"  # ~360 kB of HTML
    feed = tmp_path / "feed.xml"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
        "<item><title>Klein</title><link>https://b.example/klein.html</link></item>"
        f"<item><title>Riesig</title><link>https://b.example/riesig.html</link>"
        f"<description><![CDATA[{huge}]]></description></item></channel></rss>",
        encoding="utf-8",
    )
    report = await run_poller(settings, [Publisher(name="b", feeds=(str(feed),))], once=True)
    assert report.published == 1 and report.failed == {"unsendable": 1}
    topic = settings.topic("news.rejected")
    [record] = read_topics(settings.kafka.bootstrap_servers, [topic], timeout=20, idle=3)[topic]
    assert record["value"]["reason"] == "unsendable" and "riesig" in record["value"]["detail"]
    assert_valid("rejected", record["value"])
