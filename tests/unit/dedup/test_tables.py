from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka.errors import KafkaTimeoutError
from aiokafka.partitioner import DefaultPartitioner

from workers.dedup.tables import Changelog, PartitionStore, partition_stores


class FakeTopic:
    """A changelog topic whose sends the broker acknowledges, or (``failing``) times out."""

    def __init__(self) -> None:
        self.acked: list[tuple[int, str, bytes | None]] = []
        self.failing = False

    async def send(self, key: str, value: Any, partition: int, **_: Any) -> asyncio.Future:
        ack: asyncio.Future = asyncio.get_running_loop().create_future()
        if self.failing:
            ack.set_exception(KafkaTimeoutError())
        else:
            self.acked.append((partition, key, value))
            ack.set_result(None)
        return ack


class FakeTable:
    """What PartitionStore uses of a faust table: its data and its changelog topic."""

    key_serializer = value_serializer = "raw"
    name = "dedup-verdicts"

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.changelog_topic = FakeTopic()

    def _on_changelog_sent(self, *_: Any) -> None:
        pass


async def test_a_partition_sees_its_own_keys_and_writes_its_own_changelog() -> None:
    table, changelog = FakeTable(), Changelog()
    p1, p3 = PartitionStore(table, 1, changelog), PartitionStore(table, 3, changelog)
    p1["v:a"] = b"1"
    p3["v:a"] = b"3"
    assert (p1["v:a"], p3["v:a"]) == (b"1", b"3")
    assert "v:a" in p1 and "v:b" not in p1 and list(p1) == ["v:a"] and len(p3) == 1
    del p1["v:a"]
    assert "v:a" not in p1 and p3.get("v:a") == b"3"
    assert table.changelog_topic.acked == []  # queued until the agent flushes
    await changelog.flush()
    expected = [(1, "1/v:a", None), (3, "3/v:a", b"3")]  # a key's last write only
    assert table.changelog_topic.acked == expected and not changelog.pending


async def test_writes_the_broker_did_not_take_stay_queued_until_written_again() -> None:
    table, changelog = FakeTable(), Changelog()
    store = PartitionStore(table, 0, changelog)
    store["v:a"] = b"1"
    table.changelog_topic.failing = True
    with pytest.raises(KafkaTimeoutError):
        await changelog.flush()
    store["v:a"] = b"2"
    table.changelog_topic.failing = False
    await changelog.flush()
    assert table.changelog_topic.acked == [(0, "0/v:a", b"2")]
    store["v:b"] = b"3"
    table.changelog_topic.failing = True
    with pytest.raises(KafkaTimeoutError):
        await changelog.flush()
    table.changelog_topic.failing = False
    await changelog.flush()  # nothing newer came: the failed write is sent again
    assert table.changelog_topic.acked[-1] == (0, "0/v:b", b"3")


def test_a_key_gets_the_store_of_the_partition_the_producer_sent_it_to() -> None:
    tables = {"dedup-verdicts": FakeTable()}
    tables["dedup-index"] = FakeTable()
    store_for = partition_stores(tables, 4, Changelog(), "dedup-index")
    for key in ("a", "item-17", "3"):
        expected = DefaultPartitioner()(key.encode(), [0, 1, 2, 3], [0, 1, 2, 3])
        store = store_for("dedup-verdicts", key)
        assert isinstance(store, PartitionStore) and store.partition == expected
        assert store_for("dedup-verdicts", key) is store
    assert [store_for("dedup-index", str(b)).partition for b in range(4)] == [0, 1, 2, 3]


async def test_a_flush_waits_for_the_flush_that_took_its_writes_along() -> None:
    table, changelog = FakeTable(), Changelog()
    held: asyncio.Future = asyncio.get_running_loop().create_future()
    sent = table.changelog_topic.send

    async def slow_send(key: str, value: Any, partition: int, **kw: Any) -> asyncio.Future:
        await sent(key, value, partition, **kw)
        return held  # acknowledged when the test says so

    table.changelog_topic.send = slow_send  # type: ignore[method-assign]
    PartitionStore(table, 0, changelog)["v:a"] = b"1"  # agent A's write
    PartitionStore(table, 1, changelog)["v:b"] = b"2"  # agent B's, before A flushes
    first = asyncio.create_task(changelog.flush())  # A's flush takes B's write along
    await asyncio.sleep(0)
    assert not changelog.pending and changelog.unsettled  # B must still wait
    second = asyncio.create_task(changelog.flush())
    await asyncio.sleep(0.01)
    assert not first.done() and not second.done()
    held.set_result(None)
    await asyncio.gather(first, second)
    assert not changelog.unsettled


class SlowTopic(FakeTopic):
    """Each send takes a moment (the loop, and a stage's thread, go on meanwhile)."""

    async def send(self, key: str, value: Any, partition: int, **_: Any) -> asyncio.Future:
        await asyncio.sleep(0.0005)
        return await super().send(key, value, partition)


async def test_writes_from_a_stage_thread_during_flushes_are_all_sent() -> None:
    """A stage writes from its thread while another agent's flushes take the queue."""
    table, changelog = FakeTable(), Changelog()
    table.changelog_topic = SlowTopic()
    store = PartitionStore(table, 0, changelog)

    def stage() -> None:
        for n in range(3000):
            store[f"a:{n}"] = b"x"

    writing = asyncio.create_task(asyncio.to_thread(stage))
    while not writing.done():
        await changelog.flush()
        await asyncio.sleep(0)
    await writing
    await changelog.flush()
    assert {key for _, key, _ in table.changelog_topic.acked} == {f"0/a:{n}" for n in range(3000)}


async def test_a_batchs_writes_are_sent_only_after_its_release() -> None:
    """Another agent's flush must not send a batch's verdict before the batch's outcome is
    out: a worker killed in between came back decided, with no outcome."""
    table, changelog = FakeTable(), Changelog()
    store = PartitionStore(table, 0, changelog)
    with changelog.hold() as writes:
        await asyncio.to_thread(store.__setitem__, "v:a", b"1")  # the stage's thread
        await changelog.flush()  # another agent's flush meanwhile
    assert table.data["0/v:a"] == b"1" and table.changelog_topic.acked == []
    store["v:b"] = b"2"  # outside a batch: queued at once
    changelog.release(writes)
    await changelog.flush()
    assert sorted(table.changelog_topic.acked) == [(0, "0/v:a", b"1"), (0, "0/v:b", b"2")]
