"""One Tagger for the tagging tests: loading the data files takes a moment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workers.records import DedupInfo, Lang, UniqueItem
from workers.settings import TaggingSettings
from workers.tagging.stage import Tagger


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    return Tagger(TaggingSettings())


def unique(title: str, text: str) -> UniqueItem:
    now = datetime(2024, 8, 20, tzinfo=UTC)
    return UniqueItem(
        id="t1",
        title=title,
        text=text,
        fetched_at=now,
        run_id="test",
        lang=Lang(code="de", confidence=1.0),
        dedup=DedupInfo(content_hash="h", cluster_id="c"),
        processed_at=now,
    )


def keys(tagger: Tagger, text: str) -> dict[str, str]:
    """Each mention's text: the key of its entity."""
    return {m.text: e.key for e in tagger.entities("", text) for m in e.mentions}
