"""The one versioned publisher of raw items, for the live poller and for backfill.

For every item: its content fingerprint against what was published before under
its id (a state store in Kafka); the same content is known and not sent, changed
content goes out as the same id with ``version`` + 1. Items are sent, the broker's
acknowledgements awaited, and only then is their state written: a crash in between
publishes again (same id and version, which downstream treats as the same record),
never loses. Sends ride out a broker outage (workers.outage).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic

from aiokafka import AIOKafkaProducer

from workers.outage import BROKER_ERRORS, Outage, is_outage
from workers.records import RawItem
from workers.statestore import KafkaStateStore, S

ITEM_PREFIX = "item:"


def entry_fingerprint(item: RawItem) -> str:
    """What makes a changed entry a new version: title and body, not the fetch or
    publication time (a pubDate that changes alone is not a new version)."""
    text = "\x1f".join(x or "" for x in (item.title, item.summary, item.html, item.text))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Offer(Generic[S]):
    """An item to publish, its version decided."""

    item: RawItem
    fingerprint: str
    previous: S | None

    @property
    def new_version(self) -> bool:
        return self.previous is not None


@dataclass
class _Pending:
    offer: Offer  # type: ignore[type-arg]
    state_partition: int
    future: asyncio.Future[object] | None


class VersionedPublisher(Generic[S]):
    """``offer`` decides an item's version; a `Batch` sends items and commits them.

    ``record(item, fingerprint)`` builds the state record that marks an item published.
    An id offered and not yet committed is claimed: a second feed carrying the same
    article meanwhile finds it known, as it would once the first has committed.
    """

    def __init__(
        self,
        producer: AIOKafkaProducer,
        topic: str,
        store: KafkaStateStore[S],
        record: Callable[[RawItem, str], S],
        outage: Outage,
    ) -> None:
        self.producer = producer
        self.topic = topic
        self.store = store
        self.record = record
        self.outage = outage
        self._claimed: set[str] = set()

    def previous(self, item_id: str) -> S | None:
        return self.store.get(f"{ITEM_PREFIX}{item_id}")

    def offer(self, item: RawItem) -> Offer[S] | None:
        """The item with its version, or None when this content was (or is being) published."""
        if item.id in self._claimed:
            return None
        fingerprint = entry_fingerprint(item)
        previous = self.previous(item.id)
        if previous is not None and previous.content_hash == fingerprint:
            return None
        if previous is not None:
            item = item.model_copy(update={"version": (previous.version or 1) + 1})
        return Offer(item, fingerprint, previous)

    def batch(self) -> Batch[S]:
        return Batch(self)


class Batch(Generic[S]):
    """Items sent together and committed together (one feed's new entries, a backfill batch)."""

    def __init__(self, publisher: VersionedPublisher[S]) -> None:
        self.publisher = publisher
        self._pending: list[_Pending] = []

    def __len__(self) -> int:
        return len(self._pending)

    async def send(self, offer: Offer[S], state_partition: int = 0) -> None:
        """Send (not yet acknowledged); a broker that is away now is retried in commit.

        A record the broker will never take (too large) raises its KafkaError here, for
        the caller to reject the item."""
        p = self.publisher
        try:
            future = await p.producer.send(
                p.topic, offer.item.to_json(), key=offer.item.id.encode()
            )
        except BROKER_ERRORS as exc:
            if not is_outage(exc):
                raise
            future = None  # a broker that is away: commit sends it again
        p._claimed.add(offer.item.id)
        self._pending.append(_Pending(offer, state_partition, future))

    async def commit(self) -> list[RawItem]:
        """Wait for the acks (resending through an outage), then record the items published."""
        p = self.publisher
        pending, self._pending = self._pending, []
        if not pending:
            return []
        try:
            await p.outage.run(lambda: self._acked(pending), f"publishing to {p.topic}")
            records = [
                (p.record(x.offer.item, x.offer.fingerprint), x.state_partition) for x in pending
            ]
            await p.outage.run(lambda: self._saved(records), f"saving state to {p.store.topic}")
        finally:
            p._claimed.difference_update(x.offer.item.id for x in pending)
        return [x.offer.item for x in pending]

    async def _acked(self, pending: list[_Pending]) -> None:
        p = self.publisher
        for x in pending:
            if x.future is None:
                x.future = await p.producer.send(
                    p.topic, x.offer.item.to_json(), key=x.offer.item.id.encode()
                )
        try:
            await asyncio.gather(*(x.future for x in pending if x.future is not None))
        except BROKER_ERRORS:
            for x in pending:  # the failed ones are sent again on the next attempt (if an outage)
                f = x.future
                if f is not None and f.done() and (f.cancelled() or f.exception() is not None):
                    x.future = None
            raise

    async def _saved(self, records: list[tuple[S, int]]) -> None:
        futures = [await self.publisher.store.put(state, partition) for state, partition in records]
        await asyncio.gather(*futures)
