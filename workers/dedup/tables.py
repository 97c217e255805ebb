"""The dedup stores in the worker: a faust table seen one partition at a time.

A dedup stage reads and writes the state of the partition its record came from: the
verdicts of the item ids of that partition, the index slots of that partition's buckets.
:class:`PartitionStore` is that view. Its keys carry the partition (``3/v:<id>``), so the
partitions a worker holds never share an entry, and every write goes to that partition's
changelog (``send_changelog`` with the partition named, not faust's "current event", which
an agent taking batches does not have). A worker that is given a partition recovers exactly
its entries from the changelog: nothing is rebuilt.

The partition of a record is computed from its key with the producer's partitioner, which
is how it got there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from aiokafka.partitioner import DefaultPartitioner

from workers.dedup.state import StoreFor


class PartitionStore(MutableMapping[str, bytes]):
    def __init__(self, table: Any, partition: int) -> None:
        self.table = table
        self.partition = partition
        self.prefix = f"{partition}/"

    def __getitem__(self, key: str) -> bytes:
        return self.table.data[self.prefix + key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (self.prefix + key) in self.table.data

    def __setitem__(self, key: str, value: bytes) -> None:
        full = self.prefix + key
        self.table.data[full] = value
        self.table.send_changelog(self.partition, full, value)

    def __delitem__(self, key: str) -> None:
        full = self.prefix + key
        del self.table.data[full]
        self.table.send_changelog(self.partition, full, None)  # a tombstone

    def __iter__(self) -> Iterator[str]:  # inspection only: a scan of the worker's table
        n = len(self.prefix)
        return (k[n:] for k in list(self.table.data.keys()) if k.startswith(self.prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def partition_stores(tables: Mapping[str, Any], partitions: int) -> StoreFor:
    """The stores of faust tables by partition, the partition found from a record's key."""
    partitioner = DefaultPartitioner()
    every = list(range(partitions))
    views: dict[tuple[str, int], PartitionStore] = {}

    def store_for(table: str, key: str) -> MutableMapping[str, bytes]:
        partition = partitioner(key.encode("utf-8"), every, every)
        view = views.get((table, partition))
        if view is None:
            view = views[(table, partition)] = PartitionStore(tables[table], partition)
        return view

    return store_for
