"""The worker's index table recovered from its changelog, which holds the item entries but
not the slots: the slots are rebuilt from the entries, and find what the live index found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import faust

from tests.unit.dedup.test_stage import BODY, item
from workers.dedup.messages import Probe
from workers.dedup.stage import fingerprint, index, probes, published_of
from workers.dedup.state import DERIVED
from workers.dedup.tables import Changelog, IndexTable, PartitionStore
from workers.records import utcnow
from workers.settings import DedupSettings

S = DedupSettings()
PARTITIONS = 4


@dataclass
class Message:
    value: bytes | None
    partition: int


@dataclass
class Event:
    """What faust's recovery hands a table: a changelog record."""

    key: str
    value: bytes | None
    message: Message


def table(app_id: str) -> IndexTable:
    app = faust.App(app_id, store="memory://")
    return IndexTable(
        app,
        name="dedup-index",
        beacon=app.tables.beacon,
        partitions=PARTITIONS,
        key_type=str,
        value_type=bytes,
    )


def item_probes(item_id: str, text: str) -> list[Probe]:
    clean = item(item_id, text=text)
    fp = fingerprint(clean, S)
    return probes(clean.id, 1, published_of(clean), fp, S, PARTITIONS)


def answers(live: IndexTable, changelog: Changelog, probe_list: list[Probe]) -> set[str]:
    found: set[str] = set()
    now = utcnow()
    for probe in probe_list:
        store = PartitionStore(live, probe.bucket, changelog)
        for emit in index(probe, store, S, now):
            found |= {m.id for m in getattr(emit.record, "matches", [])}
    return found


def contents(t: Any) -> dict[str, bytes]:
    return dict(t.data.items())


def test_the_slots_are_not_in_the_changelog_and_come_back_from_the_entries() -> None:
    live, changelog = table("live"), Changelog()
    other = BODY.replace("Absatz", "Kapitel").replace("Süden", "Norden")
    for n, text in enumerate([BODY, other, BODY + " Ein Satz mehr am Ende des Textes."]):
        answers(live, changelog, item_probes(f"i{n}", text))
    written = [key for (_, _, key) in changelog.pending]
    assert written and not any(key.split("/", 1)[1].startswith(DERIVED) for key in written)
    assert any(key.split("/", 1)[1].startswith(DERIVED) for key in contents(live))

    recovered = table("recovered")
    recovered.apply_changelog_batch(
        Event(key, value, Message(value, partition))
        for (_, partition, key), (_, value) in changelog.pending.items()
    )
    assert contents(recovered) == contents(live)  # slots included, byte for byte

    copy = BODY.replace("Absatz 4", "Abschnitt 4")  # a near copy of i0 (and i2)
    assert (
        answers(recovered, Changelog(), item_probes("c", copy))
        == answers(live, Changelog(), item_probes("c", copy))
        == {"i0", "i2"}
    )


def test_an_entry_applied_twice_leaves_the_slots_as_they_were() -> None:
    live, changelog = table("twice"), Changelog()
    answers(live, changelog, item_probes("a", BODY))
    records = [
        Event(key, value, Message(value, partition))
        for (_, partition, key), (_, value) in changelog.pending.items()
    ]
    again = table("again")
    again.apply_changelog_batch(records)
    again.apply_changelog_batch(records)
    assert contents(again) == contents(live)
