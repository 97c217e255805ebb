"""The dashboard's board: chips, verdicts, duplicates under their original, counts, filters."""

from __future__ import annotations

from datetime import UTC, datetime

from workers.dashboard.state import Board, publisher_of
from workers.records import (
    DedupInfo,
    Duplicate,
    EnrichedItem,
    Entity,
    Lang,
    Rejected,
    Source,
    Topic,
)

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
LABELS = {"kursk": "Kursk", "desertion": "Desertion", "sanctions": "Sanktionen"}


def enriched(
    item_id: str, topics: list[str], entities: list[tuple[str | None, str]]
) -> EnrichedItem:
    return EnrichedItem(
        id=item_id,
        url=f"https://www.example.org/{item_id}",
        source=Source(publisher="Beispiel"),
        title=f"Titel {item_id}",
        text="Text",
        fetched_at=NOW,
        origin="live",
        run_id="r",
        lang=Lang(code="de", confidence=1.0),
        dedup=DedupInfo(content_hash="h", cluster_id=item_id),
        processed_at=NOW,
        entities=[
            Entity(
                id=eid, name=name, type="PER", mentions=[], count=1, in_title=False, in_lead=False
            )
            for eid, name in entities
        ],
        topics=[Topic(id=t, label=LABELS[t], score=0.9, evidence=[]) for t in topics],
        pipeline_version="test",
    )


def duplicate(item_id: str, of: str) -> Duplicate:
    return Duplicate(
        id=item_id,
        duplicate_of=of,
        kind="near",
        similarity=0.91,
        cluster_id=of,
        url=f"https://www.zeitung.de/{item_id}",
        title=f"Kopie von {of}",
        processed_at=NOW,
    )


def test_items_have_chips_verdicts_and_their_duplicates_whatever_came_first() -> None:
    board = Board(LABELS)
    board.add(duplicate("d1", of="a"), at=100.0)  # before its original
    board.add(enriched("a", ["kursk"], [("Q7747", "Wladimir Putin")]), at=101.0)
    board.add(duplicate("d2", of="a"), at=102.0)  # after it
    board.add(
        Rejected(stage="clean", reason="language:en", detail="English", original="{}", at=NOW),
        103.0,
    )
    state = board.snapshot(now=110.0)
    assert state["totals"] == {"enriched": 1, "duplicate": 2, "rejected": 1}
    first, second = state["items"]  # newest first
    assert first["kind"] == "rejected" and first["verdict"] == "rejected at clean: language:en"
    assert second["id"] == "a" and second["verdict"] == "unique"
    assert second["topics"] == [{"id": "kursk", "label": "Kursk", "score": 0.9}]
    assert second["entities"] == [{"id": "Q7747", "name": "Wladimir Putin", "type": "PER"}]
    assert [d["id"] for d in second["duplicates"]] == ["d1", "d2"]
    assert second["duplicates"][0]["publisher"] == "zeitung.de"
    assert state["rejections"] == {"clean:language:en": 1}


def test_counts_per_topic_fall_into_time_buckets() -> None:
    board = Board(LABELS, bucket=60.0)
    board.add(enriched("a", ["kursk", "desertion"], []), at=60.0)
    board.add(enriched("b", ["kursk"], []), at=119.0)
    board.add(enriched("c", ["kursk"], []), at=130.0)
    chart = board.snapshot(now=250.0)["chart"]
    # a gapless axis up to now, at least 12 bars wide
    assert chart["starts"] == list(range(240 - 11 * 60, 300, 60))
    assert chart["series"]["kursk"][-4:] == [2, 1, 0, 0]
    assert chart["series"]["desertion"][-4:] == [1, 0, 0, 0]
    assert list(chart["series"]) == ["kursk", "desertion"]  # taxonomy order, no empty topic


def test_filters_by_topic_and_by_entity_id_or_name() -> None:
    board = Board(LABELS)
    board.add(enriched("a", ["kursk"], [("Q7747", "Wladimir Putin")]), at=1.0)
    board.add(enriched("b", ["sanctions"], [(None, "Olaf Scholz")]), at=2.0)
    ids = lambda **f: [i["id"] for i in board.snapshot(now=3.0, **f)["items"]]  # noqa: E731
    assert ids() == ["b", "a"]
    assert ids(topic="kursk") == ["a"]
    assert ids(entity="q7747") == ["a"]
    assert ids(entity="putin") == ["a"]
    assert ids(entity="Scholz", topic="kursk") == []


def test_only_the_newest_are_kept_and_a_new_version_replaces_the_old() -> None:
    board = Board(LABELS, newest=2)
    for i, name in enumerate(["a", "b", "c"]):
        board.add(enriched(name, [], []), at=float(i))
    board.add(duplicate("d", of="c"), at=4.0)
    board.add(enriched("c", ["kursk"], []), at=5.0)  # version 2 of c
    items = board.snapshot(now=6.0)["items"]
    assert [i["id"] for i in items] == ["c", "b"]
    assert items[0]["topics"] and [d["id"] for d in items[0]["duplicates"]] == ["d"]


def test_throughput_counts_the_last_minute() -> None:
    board = Board(LABELS)
    for t in (10.0, 50.0, 95.0, 100.0):
        board.add(enriched(f"i{t}", [], []), at=t)
    assert board.throughput(now=100.0) == 3.0  # 50, 95, 100 per minute


def test_publisher_from_a_url() -> None:
    assert publisher_of("https://www.tagesschau.de/x") == "tagesschau.de"
    assert publisher_of(None) is None and publisher_of("kein-url") is None
