"""Publishers and their sources, declared as data in feeds.toml (one [[publisher]] each).

A publisher lists RSS/Atom/RDF ``feeds``, Google News ``news_sitemaps`` and plain
``sitemaps`` (URLs with ``lastmod``); each is one `FeedSource` the poller schedules.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workers.settings import PACKAGE_DIR

SAMPLE_FEED = PACKAGE_DIR / "data" / "sample_feed.xml"

SourceKind = Literal["feed", "news-sitemap", "sitemap"]
#: feeds.toml list name → kind of source
SOURCE_LISTS: dict[str, SourceKind] = {
    "feeds": "feed",
    "news_sitemaps": "news-sitemap",
    "sitemaps": "sitemap",
}


@dataclass(frozen=True)
class Publisher:
    name: str
    feeds: tuple[str, ...] = ()
    language: str | None = "de"
    url_include: tuple[re.Pattern[str], ...] = ()
    url_exclude: tuple[re.Pattern[str], ...] = ()
    news_sitemaps: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()

    def wants(self, url: str | None) -> bool:
        if url is None:
            return True
        if self.url_include and not any(p.search(url) for p in self.url_include):
            return False
        return not any(p.search(url) for p in self.url_exclude)

    def sources(self) -> list[FeedSource]:
        return [
            FeedSource(url, kind, self)
            for name, kind in SOURCE_LISTS.items()
            for url in getattr(self, name)
        ]


@dataclass(frozen=True)
class FeedSource:
    """One feed or sitemap of a publisher: what the poller schedules and polls."""

    url: str
    kind: SourceKind
    publisher: Publisher


def all_sources(publishers: list[Publisher]) -> list[FeedSource]:
    """Every source once (the first publisher that lists a URL owns it)."""
    seen: dict[str, FeedSource] = {}
    for publisher in publishers:
        for source in publisher.sources():
            seen.setdefault(source.url, source)
    return list(seen.values())


def load_publishers(path: Path | None) -> list[Publisher]:
    """Read feeds.toml; without one, the bundled sample feed."""
    if path is None:
        return [Publisher(name="beispiel-nachrichten", feeds=(str(SAMPLE_FEED),), language="de")]
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    publishers = []
    for i, entry in enumerate(data.get("publisher", []), 1):
        try:
            lists = {name: tuple(entry.get(name, [])) for name in SOURCE_LISTS}
            if not any(lists.values()):
                raise KeyError("feeds")  # nor news_sitemaps nor sitemaps
            for name, urls in lists.items():
                if not all(isinstance(u, str) and u for u in urls):
                    raise TypeError(f"{name} must be a list of URLs or paths")
            publishers.append(
                Publisher(
                    name=entry["name"],
                    language=entry.get("language", "de"),
                    url_include=tuple(re.compile(p) for p in entry.get("url_include", [])),
                    url_exclude=tuple(re.compile(p) for p in entry.get("url_exclude", [])),
                    **lists,
                )
            )
        except KeyError as exc:
            raise ValueError(
                f"{path}: publisher #{i} has no {exc.args[0]!r} "
                "(every [[publisher]] needs a name and feeds, news_sitemaps or sitemaps)"
            ) from exc
        except (TypeError, re.error) as exc:
            raise ValueError(f"{path}: publisher #{i} is invalid: {exc}") from exc
    if not publishers:
        raise ValueError(f"{path}: no [[publisher]] entries")
    return publishers
