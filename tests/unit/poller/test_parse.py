from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_valid, shared_path
from workers.poller.feeds import SAMPLE_FEED, Publisher, load_publishers
from workers.poller.parse import parse_feed
from workers.publisher import entry_fingerprint
from workers.records import utcnow

PUBLISHER = Publisher(name="beispiel", feeds=("x",), language="de")


def parse(content: bytes, publisher: Publisher = PUBLISHER):
    return parse_feed(content, publisher, "https://feed.example/rss", utcnow(), "run-1")


def test_sample_feed_yields_every_item_oldest_first() -> None:
    parsed = parse(SAMPLE_FEED.read_bytes())
    assert parsed.error is None
    assert len(parsed.items) == 20
    assert len({i.id for i in parsed.items}) == 20
    dated = [i.published_at for i in parsed.items if i.published_at]
    assert dated == sorted(dated)
    for item in parsed.items:
        assert_valid("raw", item.model_dump(mode="json"))
        assert item.origin == "live" and item.run_id == "run-1"
        assert item.source.feed == "https://feed.example/rss"


def test_html_only_and_missing_field_items() -> None:
    items = {i.url: i for i in parse(SAMPLE_FEED.read_bytes()).items}
    html_only = next(i for i in items.values() if i.html)
    assert html_only.text is None and "<p>" in html_only.html
    bare = next(i for u, i in items.items() if "stadtbibliothek" in (u or ""))
    assert bare.published_at is None and bare.authors == []
    assert bare.language_hint == "de"  # from the channel


def test_malformed_feed_is_an_error_not_an_exception() -> None:
    parsed = parse(b"<rss><channel><item><title>kaputt")
    assert parsed.items == [] or parsed.error is None
    garbage = parse(b"\x00\x01 this is no feed at all")
    assert garbage.error is not None and garbage.error.reason == "feed_malformed"


def test_url_filters_of_the_publisher() -> None:
    import re

    publisher = Publisher(name="b", feeds=("x",), url_exclude=(re.compile("/sport/"),))
    urls = [i.url for i in parse(SAMPLE_FEED.read_bytes(), publisher).items]
    assert urls and not any("/sport/" in u for u in urls)


def test_fingerprint_changes_with_content_only() -> None:
    items = parse(SAMPLE_FEED.read_bytes()).items
    a, b = items[0], items[-1]
    assert entry_fingerprint(a) == entry_fingerprint(a.model_copy(update={"fetched_at": utcnow()}))
    assert entry_fingerprint(a) != entry_fingerprint(a.model_copy(update={"title": "neu"}))
    assert entry_fingerprint(a) != entry_fingerprint(b)


def test_feeds_file(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[publisher]]\nname = "a"\nfeeds = ["https://a.example/rss"]\nurl_exclude = ["/video/"]\n',
        encoding="utf-8",
    )
    [publisher] = load_publishers(path)
    assert publisher.language == "de" and not publisher.wants("https://a.example/video/1")
    path.write_text('[[publisher]]\nname = "a"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="publisher #1"):
        load_publishers(path)


def test_real_german_feeds_parse() -> None:
    root = shared_path("data", "feeds", "german_real")
    feeds = [p for p in root.rglob("*") if p.suffix in {".xml", ".atom"}]
    assert feeds
    with_items = 0
    for path in feeds:
        parsed = parse(path.read_bytes())
        with_items += bool(parsed.items)
        for item in parsed.items:
            assert item.id and (item.url or item.title)
    assert with_items >= len(feeds) // 2


def test_illformed_feeds_never_raise() -> None:
    root = shared_path("data", "feeds", "feedparser_suite")
    for path in root.rglob("*.xml"):
        parsed = parse(path.read_bytes())
        assert parsed.error is not None or isinstance(parsed.items, list)


def test_guids_come_back_beside_the_items_unless_repeated() -> None:
    from tests.integration.test_poller import guid_feed

    parsed = parse(guid_feed("https://b.example/a.html", "A"))
    assert list(parsed.guids.values()) == ["beitrag-4711"]
    assert parse(guid_feed("https://b.example/a.html", "A", twice=True)).guids == {}


def test_a_changed_pubdate_alone_is_not_a_new_version() -> None:
    item = parse(SAMPLE_FEED.read_bytes()).items[0]
    later = item.model_copy(update={"published_at": utcnow()})
    assert entry_fingerprint(item) == entry_fingerprint(later)
