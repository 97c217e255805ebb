"""The dedup stores in the worker: a faust table seen one partition at a time.

A dedup stage reads and writes the state of the partition its record came from: the
verdicts of the item ids of that partition, the index slots of that partition's buckets.
:class:`PartitionStore` is that view. Its keys carry the partition (``3/v:<id>``), so the
partitions a worker holds never share an entry, and every write goes to that partition's
changelog (with the partition named, not faust's "current event", which an agent taking
batches does not have). A worker that is given a partition recovers exactly its entries
from the changelog: nothing is rebuilt.

Writes are not handed to faust's producer buffer (``send_changelog``): its commit flushes
that buffer for at most 0.1 s a record, so under load offsets were committed while writes
were still buffered, and a worker killed then lost them (an item waited for ever for
answers it had already consumed). They queue in a :class:`Changelog` instead, which the
agent sends, after the batch's results, and waits for before the batch is acked.

The partition of a record is computed from its key with the producer's partitioner, which
is how it got there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from aiokafka.partitioner import DefaultPartitioner

from workers.dedup.state import StoreFor


class Changelog:
    """The table writes the broker has not acknowledged yet, in the order they were made."""

    def __init__(self) -> None:
        self.pending: list[tuple[Any, int, str, bytes | None]] = []
        self.lock = asyncio.Lock()

    def add(self, table: Any, partition: int, key: str, value: bytes | None) -> None:
        self.pending.append((table, partition, key, value))

    async def flush(self) -> None:
        """Send what is queued and wait for the broker; a failed flush keeps it queued (the
        next one sends it again, in order)."""
        async with self.lock:
            sending = list(self.pending)
            acks = [
                await table.changelog_topic.send(
                    key=key,
                    value=value,
                    partition=partition,
                    key_serializer=table.key_serializer,
                    value_serializer=table.value_serializer,
                    callback=table._on_changelog_sent,  # a persistent store's offsets
                )
                for table, partition, key, value in sending
            ]
            await asyncio.gather(*acks)
            del self.pending[: len(sending)]


class PartitionStore(MutableMapping[str, bytes]):
    def __init__(self, table: Any, partition: int, changelog: Changelog) -> None:
        self.table = table
        self.partition = partition
        self.prefix = f"{partition}/"
        self.changelog = changelog

    def __getitem__(self, key: str) -> bytes:
        return self.table.data[self.prefix + key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (self.prefix + key) in self.table.data

    def __setitem__(self, key: str, value: bytes) -> None:
        full = self.prefix + key
        self.table.data[full] = value
        self.changelog.add(self.table, self.partition, full, value)

    def __delitem__(self, key: str) -> None:
        full = self.prefix + key
        del self.table.data[full]
        self.changelog.add(self.table, self.partition, full, None)  # a tombstone

    def __iter__(self) -> Iterator[str]:  # inspection only: a scan of the worker's table
        n = len(self.prefix)
        return (k[n:] for k in list(self.table.data.keys()) if k.startswith(self.prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def partition_stores(tables: Mapping[str, Any], partitions: int, changelog: Changelog) -> StoreFor:
    """The stores of faust tables by partition, the partition found from a record's key."""
    partitioner = DefaultPartitioner()
    every = list(range(partitions))
    views: dict[tuple[str, int], PartitionStore] = {}

    def store_for(table: str, key: str) -> MutableMapping[str, bytes]:
        partition = partitioner(key.encode("utf-8"), every, every)
        view = views.get((table, partition))
        if view is None:
            view = views[(table, partition)] = PartitionStore(tables[table], partition, changelog)
        return view

    return store_for
