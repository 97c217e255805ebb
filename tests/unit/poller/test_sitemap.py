"""Google News and plain sitemaps: our own fixtures, and the real ones in ../shared."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import SHARED, assert_valid
from workers.poller.feeds import Publisher, load_publishers
from workers.poller.parse import parse_feed
from workers.poller.sitemap import SitemapError, is_sitemap, parse_sitemap, w3c_datetime

NOW = datetime(2030, 3, 2, 12, 0, tzinfo=UTC)
PUBLISHER = Publisher(name="beispiel", news_sitemaps=("x",), language="de")

NEWS = """<?xml version="1.0" encoding="ISO-8859-1"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://www.beispiel.de/politik/gemeinderat-beschliesst-sanierung-1.html</loc>
    <news:news>
      <news:publication><news:name>Beispiel</news:name><news:language>de</news:language>
      </news:publication>
      <news:publication_date>2030-03-02T09:30:00+01:00</news:publication_date>
      <news:title>Gemeinderat beschließt Sanierung für Müllheim</news:title>
      <news:keywords>Bad, Sanierung</news:keywords>
    </news:news>
  </url>
  <url>
    <loc>https://www.beispiel.de/sport/derby-2.html</loc>
    <lastmod>2030-03-01</lastmod>
    <news:news><news:publication><news:name>Beispiel</news:name>
      <news:language>de</news:language></news:publication>
      <news:publication_date>2030-03-01T18:00Z</news:publication_date>
      <news:title>Derby endet unentschieden</news:title></news:news>
  </url>
  <url><loc>   </loc></url>
</urlset>""".encode("iso-8859-1")

PLAIN = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://www.beispiel.de/a.html</loc><lastmod>2030-03-02T08:00:00+00:00</lastmod></url>
  <url><loc>https://www.beispiel.de/alt.html</loc><lastmod>2020-01-01</lastmod></url>
  <url><loc>https://www.beispiel.de/ohne-datum.html</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.beispiel.de/sitemap-1.xml</loc></sitemap>
<sitemap><loc>https://www.beispiel.de/sitemap-2.xml</loc><lastmod>2030-01-01</lastmod></sitemap>
</sitemapindex>"""


def test_google_news_sitemap_entries_become_raw_items() -> None:
    assert is_sitemap(NEWS)
    parsed = parse_feed(NEWS, PUBLISHER, "https://www.beispiel.de/news.xml", NOW, "run-1")
    assert parsed.error is None
    assert [i.title for i in parsed.items] == [  # oldest first, Latin-1 decoded
        "Derby endet unentschieden",
        "Gemeinderat beschließt Sanierung für Müllheim",
    ]
    newest = parsed.items[-1]
    assert newest.published_at == datetime(2030, 3, 2, 8, 30, tzinfo=UTC)
    assert newest.language_hint == "de" and newest.source.publisher == "beispiel"
    for item in parsed.items:
        assert_valid("raw", item.model_dump(mode="json"))
    keywords = parse_sitemap(NEWS).entries[0].keywords
    assert keywords == ("Bad", "Sanierung")


def test_plain_sitemap_live_takes_recent_dated_entries_only() -> None:
    live = parse_feed(PLAIN, PUBLISHER, "s", NOW, "r", max_age=2 * 86400)
    assert [i.url for i in live.items] == ["https://www.beispiel.de/a.html"]
    everything = parse_feed(PLAIN, PUBLISHER, "s", NOW, "r")
    assert len(everything.items) == 3  # backfill: all of them


def test_sitemap_index_lists_its_sitemaps() -> None:
    sitemap = parse_sitemap(INDEX)
    assert sitemap.children == [
        "https://www.beispiel.de/sitemap-1.xml",
        "https://www.beispiel.de/sitemap-2.xml",
    ]
    assert sitemap.entries == []


def test_not_a_sitemap_is_a_clear_error() -> None:
    with pytest.raises(SitemapError):
        parse_sitemap(b"<rss><channel/></rss>")
    parsed = parse_feed(b"<urlset><url><loc>x", PUBLISHER, "s", NOW, "r")  # recovered
    assert parsed.error is None
    broken = parse_feed(b"<?xml version='1.0'?><urlset", PUBLISHER, "s", NOW, "r")
    assert broken.items == []


def test_entities_are_not_resolved() -> None:
    xxe = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>https://b.de/&x;</loc></url></urlset>"""
    entries = parse_sitemap(xxe).entries
    assert all("root:" not in e.url for e in entries)


def test_w3c_dates() -> None:
    assert w3c_datetime("2030-03-01") == datetime(2030, 3, 1, tzinfo=UTC)
    assert w3c_datetime("2030-03-01T10:00+01:00") == datetime(2030, 3, 1, 9, tzinfo=UTC)
    assert w3c_datetime("gestern") is None and w3c_datetime(None) is None


def test_feeds_toml_declares_sitemaps_per_publisher(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[publisher]]\nname = "b"\nfeeds = ["https://b.de/rss"]\n'
        'news_sitemaps = ["https://b.de/news-sitemap.xml"]\n'
        'sitemaps = ["https://b.de/sitemap.xml"]\n'
        '[[publisher]]\nname = "nur-sitemap"\nnews_sitemaps = ["https://c.de/news.xml"]\n',
        encoding="utf-8",
    )
    b, c = load_publishers(path)
    assert [(s.url, s.kind) for s in b.sources()] == [
        ("https://b.de/rss", "feed"),
        ("https://b.de/news-sitemap.xml", "news-sitemap"),
        ("https://b.de/sitemap.xml", "sitemap"),
    ]
    assert [s.kind for s in c.sources()] == ["news-sitemap"]
    path.write_text('[[publisher]]\nname = "leer"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="publisher #1"):
        load_publishers(path)


def test_deploy_feeds_toml_loads() -> None:
    publishers = load_publishers(Path(__file__).parents[3] / "deploy" / "feeds.toml")
    kinds = {s.kind for p in publishers for s in p.sources()}
    assert {"feed", "news-sitemap"} <= kinds


def real_sitemaps() -> list[Path]:
    root = SHARED / "data" / "feeds" / "german_real"
    if not root.exists():
        return []
    return [p for p in sorted(root.rglob("*")) if p.is_file() and is_sitemap(p.read_bytes())]


@pytest.mark.shared
def test_real_german_sitemaps() -> None:
    found = real_sitemaps()
    if not found:
        pytest.skip("no sitemap among ../shared/data/feeds/german_real (held out or absent)")
    for path in found:
        parsed = parse_feed(path.read_bytes(), PUBLISHER, str(path), NOW, "r")
        assert parsed.error is None, path
        assert parsed.items, path
        for item in parsed.items:
            assert item.url and item.url.startswith("http")
            assert_valid("raw", item.model_dump(mode="json"))
        recent = parse_feed(path.read_bytes(), PUBLISHER, str(path), NOW, "r", max_age=1)
        assert len(recent.items) <= len(parsed.items)
