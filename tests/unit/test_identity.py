from __future__ import annotations

import pytest

from workers.identity import item_id, normalize_url


@pytest.mark.parametrize(
    "variant",
    [
        "http://www.example.de/a/b.html",
        "https://example.de/a/b.html#comments",
        "https://EXAMPLE.de/a/b.html?utm_source=rss&utm_medium=feed",
        "https://example.de/a/b.html/",
    ],
)
def test_variants_of_one_link_share_an_id(variant: str) -> None:
    assert item_id(variant) == item_id("https://example.de/a/b.html")


def test_meaningful_query_is_kept_and_sorted() -> None:
    assert normalize_url("https://x.de/p?b=2&a=1&fbclid=z") == "https://x.de/p?a=1&b=2"
    assert item_id("https://x.de/p?id=1") != item_id("https://x.de/p?id=2")


def test_items_without_url_get_an_id_from_the_fallback() -> None:
    assert item_id(None, "Titel") == item_id(None, "Titel")
    assert item_id(None, "Titel") != item_id(None, "Anderer Titel")
    assert len(item_id(None, "x")) == 16


@pytest.mark.parametrize(
    "edition",
    [
        "https://m.example.de/politik/artikel-123.html",
        "https://mobile.example.de/politik/artikel-123.html",
        "https://amp.example.de/politik/artikel-123.html",
        "https://www.example.de/politik/artikel-123.amp.html",
        "https://example.de/politik/artikel-123.html?amp",
        "https://example.de/politik/artikel-123.html?outputType=amp",
        "http://example.de/politik/artikel-123.html/amp",
    ],
)
def test_amp_and_mobile_editions_are_the_same_article(edition: str) -> None:
    assert item_id(edition) == item_id("https://www.example.de/politik/artikel-123.html")


def test_a_short_host_or_a_page_named_amp_is_not_an_edition() -> None:
    assert normalize_url("https://m.de/x") == "https://m.de/x"
    assert normalize_url("https://x.de/amp") == "https://x.de/amp"
    assert normalize_url("https://x.de/p?output=rss") == "https://x.de/p?output=rss"
