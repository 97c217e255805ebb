"""Publishers and their feeds, declared as data in feeds.toml (one [[publisher]] each)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from workers.settings import PACKAGE_DIR

SAMPLE_FEED = PACKAGE_DIR / "data" / "sample_feed.xml"


@dataclass(frozen=True)
class Publisher:
    name: str
    feeds: tuple[str, ...]
    language: str | None = "de"
    url_include: tuple[re.Pattern[str], ...] = ()
    url_exclude: tuple[re.Pattern[str], ...] = ()

    def wants(self, url: str | None) -> bool:
        if url is None:
            return True
        if self.url_include and not any(p.search(url) for p in self.url_include):
            return False
        return not any(p.search(url) for p in self.url_exclude)


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
            publishers.append(
                Publisher(
                    name=entry["name"],
                    feeds=tuple(entry["feeds"]),
                    language=entry.get("language", "de"),
                    url_include=tuple(re.compile(p) for p in entry.get("url_include", [])),
                    url_exclude=tuple(re.compile(p) for p in entry.get("url_exclude", [])),
                )
            )
        except KeyError as exc:
            raise ValueError(
                f"{path}: publisher #{i} has no {exc.args[0]!r} "
                "(every [[publisher]] needs a name and a list of feeds)"
            ) from exc
        except (TypeError, re.error) as exc:
            raise ValueError(f"{path}: publisher #{i} is invalid: {exc}") from exc
    if not publishers:
        raise ValueError(f"{path}: no [[publisher]] entries")
    return publishers
