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
