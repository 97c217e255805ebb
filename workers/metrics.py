"""What every runner reports about the records it moves: one observer, Prometheus behind it.

The stages stay pure; the runners (faust agents, the poller) tell an
:class:`Observer` what happened. :class:`Metrics` keeps Prometheus series in a
registry of its own (one per worker process, so tests and several apps in one
process never share counters); :data:`NO_METRICS` is for runners nobody
scrapes (`enrich`, eval, the benchmarks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from workers import topics as t
from workers.records import Duplicate, EnrichedItem, Rejected, utcnow

if TYPE_CHECKING:
    from workers.pipeline import Emit

disable_created_metrics()  # no *_created series: start times say nothing Prometheus lacks

#: Seconds from ``fetched_at`` to the terminal record: a fetch of a page takes up to
#: ``clean.fetch_timeout``, a backlog after a restart minutes.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600)


class Observer(Protocol):
    """What a runner reports; every method is cheap and never raises."""

    def processed(self, stage: str, outcome: str) -> None:
        """A stage sent a record on to ``outcome``: the topic it went to (news.clean…)."""

    def rejected(self, stage: str, reason: str) -> None:
        """A record went to news.rejected with this stable reason code."""

    def duplicate(self, kind: str) -> None:
        """Dedup found a duplicate of this kind (url, text, near)."""

    def routed(self, topic_id: str) -> None:
        """The sink wrote an item to news.enriched.<topic_id>."""

    def terminal_latency(self, seconds: float) -> None:
        """Time from an item's ``fetched_at`` to its terminal record."""

    def feed_poll(self, feed: str, result: str) -> None:
        """One poll of one feed: ok, not_modified, or the failure reason."""

    def lag(self, topic: str, partition: int, records: int) -> None:
        """Records on a partition this consumer has not read yet."""

    def emitted(self, stage: str, emit: Emit) -> None:
        """What a runner of the chain calls for every result a stage sent on."""

    def unsendable(self, stage: str, topic: str) -> None:
        """A result could not be sent (it is rejected instead)."""

    def lost(self, stage: str) -> None:
        """A rejection could not be sent either: the one way a record goes missing."""


class NullObserver:
    """Reports go nowhere: for in-process runners."""

    def emitted(self, stage: str, emit: Emit) -> None:
        pass

    def unsendable(self, stage: str, topic: str) -> None:
        pass

    def lost(self, stage: str) -> None:
        pass

    def processed(self, stage: str, outcome: str) -> None:
        pass

    def rejected(self, stage: str, reason: str) -> None:
        pass

    def duplicate(self, kind: str) -> None:
        pass

    def routed(self, topic_id: str) -> None:
        pass

    def terminal_latency(self, seconds: float) -> None:
        pass

    def feed_poll(self, feed: str, result: str) -> None:
        pass

    def lag(self, topic: str, partition: int, records: int) -> None:
        pass


NO_METRICS: Observer = NullObserver()


class Metrics:
    """The Prometheus series of one process, in its own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self._records = Counter(
            "lagebild_records", "Records out of a stage", ["stage", "outcome"], registry=r
        )
        self._rejections = Counter(
            "lagebild_rejections", "Records sent to news.rejected", ["stage", "reason"], registry=r
        )
        self._duplicates = Counter(
            "lagebild_duplicates", "Duplicates found, by kind", ["kind"], registry=r
        )
        self._routed = Counter(
            "lagebild_routed", "Items written to news.enriched.<topic>", ["topic"], registry=r
        )
        self._feed_polls = Counter(
            "lagebild_feed_polls", "Polls of a feed, by result", ["feed", "result"], registry=r
        )
        self._lag = Gauge(
            "lagebild_consumer_lag",
            "Records on an assigned partition not yet read (end offset - position)",
            ["topic", "partition"],
            registry=r,
        )
        self._unsendable = Counter(
            "lagebild_unsendable",
            "Results that could not be sent (rejected instead)",
            ["stage", "topic"],
            registry=r,
        )
        self._lost = Counter(
            "lagebild_lost", "Rejections that could not be sent: alert on it", ["stage"], registry=r
        )
        self._latency = Histogram(
            "lagebild_terminal_latency_seconds",
            "Seconds from an item's fetched_at to its terminal record",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )

    def emitted(self, stage: str, emit: Emit) -> None:
        """One result of a stage (the chain's observer call), told apart by where it went.

        The outcome label is the topic the record went to (news.clean, news.unique…);
        the latency is measured where an item's path ends in its enriched record.
        """
        value = emit.value
        prefix = t.ENRICHED + "."
        if isinstance(value, Rejected):
            self.rejected(value.stage, value.reason)
        elif isinstance(value, Duplicate):
            self.duplicate(value.kind)
            self.processed(stage, emit.topic)
        elif emit.topic.startswith(prefix):
            self.routed(emit.topic[len(prefix) :])
        else:
            self.processed(stage, emit.topic)
            if emit.topic == t.ENRICHED and isinstance(value, EnrichedItem):
                self.terminal_latency((utcnow() - value.fetched_at).total_seconds())

    def processed(self, stage: str, outcome: str) -> None:
        self._records.labels(stage, outcome).inc()

    def unsendable(self, stage: str, topic: str) -> None:
        self._unsendable.labels(stage, topic).inc()

    def lost(self, stage: str) -> None:
        self._lost.labels(stage).inc()

    def rejected(self, stage: str, reason: str) -> None:
        self._rejections.labels(stage, reason).inc()
        self._records.labels(stage, t.REJECTED).inc()

    def duplicate(self, kind: str) -> None:
        self._duplicates.labels(kind).inc()

    def routed(self, topic_id: str) -> None:
        self._routed.labels(topic_id).inc()

    def terminal_latency(self, seconds: float) -> None:
        self._latency.observe(max(seconds, 0.0))

    def feed_poll(self, feed: str, result: str) -> None:
        self._feed_polls.labels(feed, result).inc()

    def lag(self, topic: str, partition: int, records: int) -> None:
        self._lag.labels(topic, str(partition)).set(max(records, 0))

    def forget_lag(self) -> None:
        """After a rebalance: partitions this worker no longer has must not keep their figure."""
        self._lag.clear()

    def value(self, name: str, **labels: str) -> float:
        """One sample's current value (0 when absent): for tests and summaries."""
        return self.registry.get_sample_value(name, labels) or 0.0

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        return generate_latest(self.registry)


CONTENT_TYPE = CONTENT_TYPE_LATEST
