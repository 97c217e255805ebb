"""Backfill sources: rows, pages, URL lists and feeds to raw items, invalid input reported."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workers.backfill import parse_since
from workers.backfill.sources import (
    Invalid,
    Item,
    Options,
    Skipped,
    guess_kind,
    parse_mapping,
    read_csv,
    read_html_dir,
    read_jsonl,
    read_source,
)
from workers.http import make_client
from workers.settings import HttpSettings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "backfill"
AT = datetime(2026, 5, 1, tzinfo=UTC)
CSV_MAP = parse_mapping("url=link,title=headline,text=body,published=date,source=publisher")


def test_jsonl_items_carry_origin_and_run_and_bad_lines_are_reported() -> None:
    entries = list(read_jsonl(FIXTURES / "articles.jsonl", Options(), "backfill-x", AT))
    items = [e for e in entries if isinstance(e, Item)]
    invalid = [e for e in entries if isinstance(e, Invalid)]
    assert len(items) == 30
    assert {(i.item.origin, i.item.run_id, i.item.fetched_at) for i in items} == {
        ("backfill", "backfill-x", AT)
    }
    assert [(e.where, e.reason) for e in invalid] == [
        ("articles.jsonl:11", "invalid_json"),
        ("articles.jsonl:22", "empty"),
        ("articles.jsonl:28", "invalid_field"),
    ]


def test_csv_with_a_column_mapping_and_since() -> None:
    options = Options(mapping=CSV_MAP, since=parse_since("2026-01-01"))
    entries = list(read_csv(FIXTURES / "articles.csv", options, "r", AT))
    kinds = [(type(e).__name__, getattr(e, "reason", "")) for e in entries]
    assert kinds == [
        ("Item", ""),
        ("Skipped", "older_than_since"),
        ("Invalid", "empty"),
        ("Invalid", "too_many_columns"),
    ]
    first = entries[0]
    assert isinstance(first, Item)
    assert first.item.title == "Neue Brücke in Halle"
    assert first.item.source.publisher == "beispiel-zeitung"


def test_html_pages_get_url_title_and_date_from_their_metadata() -> None:
    entries = list(read_html_dir(FIXTURES / "pages", Options(), "r", AT))
    items = {e.where: e.item for e in entries if isinstance(e, Item)}
    gera = items["bahnhof.html"]
    assert gera.url == "https://archiv.beispiel-zeitung.de/seiten/gera-bahnhof.html"
    assert gera.title == "Bahnhof in Gera wird barrierefrei"
    assert gera.published_at == datetime(2026, 4, 2, 7, 30, tzinfo=UTC)
    assert gera.html and "Aufzüge" in gera.html
    assert items["hafen.html"].url.endswith("stralsund-hafenfest.html")  # type: ignore[union-attr]
    skipped = list(
        read_html_dir(FIXTURES / "pages", Options(since=parse_since("2026-01-01")), "r", AT)
    )
    assert [type(e) for e in skipped] == [Item, Skipped]


def test_saved_page_in_a_legacy_charset_is_decoded_by_its_meta(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Straßenbahn</title></head>'
        "<body><p>Die Straßenbahn fährt wieder über die Brücke.</p></body></html>"
    )
    (tmp_path / "alt.html").write_bytes(page.encode("iso-8859-1"))
    [entry] = read_html_dir(tmp_path, Options(), "r", AT)
    assert isinstance(entry, Item)
    assert entry.item.html is not None and "fährt wieder über die Brücke" in entry.item.html


async def collect(source: str, kind: str, options: Options, http: HttpSettings) -> list:
    async with make_client(http) as client:
        return [e async for e in read_source(source, kind, options, "r", AT, client, http)]  # type: ignore[arg-type]


def test_feed_file_with_since_skips_older_entries() -> None:
    entries = asyncio.run(
        collect(
            str(FIXTURES / "feed.xml"),
            "feed",
            Options(since=parse_since("2026-04-01")),
            HttpSettings(),
        )
    )
    items = [e.item for e in entries if isinstance(e, Item)]
    assert [i.title for i in items] == [
        "Neuer Radweg zwischen Gotha und Arnstadt",
        "Altes Rathaus wird Museum",
    ]
    assert all(i.origin == "backfill" for i in items)
    assert sum(isinstance(e, Skipped) for e in entries) == 1


def test_url_list_fetches_pages_and_reports_bad_lines(http_dir: tuple[Path, str]) -> None:
    root, base = http_dir
    (root / "gera.html").write_bytes((FIXTURES / "pages" / "bahnhof.html").read_bytes())
    urls = root.parent / "urls.txt"
    urls.write_text(f"# Archiv\n{base}/gera.html\nkeine-url\n{base}/fehlt.html\n")
    http = HttpSettings(allow_private_addresses=True, timeout=5)
    entries = asyncio.run(collect(str(urls), "urls", Options(), http))
    assert [(type(e).__name__, e.where) for e in entries] == [
        ("Item", "urls.txt:2"),
        ("Invalid", "urls.txt:3"),
        ("Invalid", "urls.txt:4"),
    ]
    assert entries[0].item.url == f"{base}/gera.html"
    assert entries[1].reason == "invalid_url" and entries[2].reason == "fetch:http_status"


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("a.jsonl", "jsonl"),
        ("a.tsv", "csv"),
        ("urls.txt", "urls"),
        ("x.rss", "feed"),
        ("https://example.org/feed", "feed"),
    ],
)
def test_guess_kind(source: str, kind: str) -> None:
    assert guess_kind(source) == kind


def test_bad_mapping_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_mapping("titel=headline")


def test_sitemap_index_leads_to_pages_since_a_date(http_dir: tuple[Path, str]) -> None:
    root, base = http_dir
    bahnhof = (FIXTURES / "pages" / "bahnhof.html").read_bytes()
    (root / "neu.html").write_bytes(bahnhof)
    (root / "index.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/news-sitemap.xml</loc></sitemap>"
        f"<sitemap><loc>{base}/fehlt.xml</loc></sitemap></sitemapindex>"
    )
    (root / "news-sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{base}/neu.html</loc><news:news><news:publication><news:name>B</news:name>"
        "<news:language>de</news:language></news:publication>"
        "<news:publication_date>2026-04-20T08:00:00+02:00</news:publication_date>"
        "<news:title>Bahnhof wird saniert</news:title></news:news></url>"
        f"<url><loc>{base}/alt.html</loc><lastmod>2020-01-01</lastmod></url></urlset>"
    )
    http = HttpSettings(allow_private_addresses=True, timeout=5)
    assert guess_kind(f"{base}/news-sitemap.xml") == "sitemap"
    entries = asyncio.run(
        collect(f"{base}/index.xml", "sitemap", Options(since=parse_since("2026-01-01")), http)
    )
    assert [(type(e).__name__, e.where) for e in entries] == [
        ("Item", "news-sitemap.xml#1"),
        ("Skipped", "news-sitemap.xml#2"),  # older than --since: not even fetched
        ("Invalid", "fehlt.xml"),  # a child sitemap that is gone is reported, the rest goes on
    ]
    item = entries[0].item
    assert item.url == f"{base}/neu.html" and item.html and item.origin == "backfill"
    assert item.source.feed == f"{base}/news-sitemap.xml"
    assert item.published_at is not None
