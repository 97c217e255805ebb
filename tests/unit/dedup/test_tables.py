from __future__ import annotations

from typing import Any

from aiokafka.partitioner import DefaultPartitioner

from workers.dedup.tables import PartitionStore, partition_stores


class FakeTable:
    """What PartitionStore uses of a faust table: its data and its changelog."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.changelog: list[tuple[int, str, bytes | None]] = []

    def send_changelog(self, partition: int, key: str, value: Any) -> None:
        self.changelog.append((partition, key, value))


def test_a_partition_sees_its_own_keys_and_writes_its_own_changelog() -> None:
    table = FakeTable()
    p1, p3 = PartitionStore(table, 1), PartitionStore(table, 3)
    p1["v:a"] = b"1"
    p3["v:a"] = b"3"
    assert (p1["v:a"], p3["v:a"]) == (b"1", b"3")
    assert "v:a" in p1 and "v:b" not in p1 and list(p1) == ["v:a"] and len(p3) == 1
    del p1["v:a"]
    assert "v:a" not in p1 and p3.get("v:a") == b"3"
    assert table.changelog == [(1, "1/v:a", b"1"), (3, "3/v:a", b"3"), (1, "1/v:a", None)]


def test_a_key_gets_the_store_of_the_partition_the_producer_sent_it_to() -> None:
    tables = {"dedup-verdicts": FakeTable()}
    store_for = partition_stores(tables, 4)
    for key in ("a", "item-17", "3"):
        expected = DefaultPartitioner()(key.encode(), [0, 1, 2, 3], [0, 1, 2, 3])
        store = store_for("dedup-verdicts", key)
        assert isinstance(store, PartitionStore) and store.partition == expected
        assert store_for("dedup-verdicts", key) is store
