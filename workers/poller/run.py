"""The poller loop: each owned feed polled when it is due, new or changed entries published.

Feeds are fetched concurrently (``poller.concurrency`` at once, and per host as
the HTTP client allows), each on its own schedule (workers.poller.schedule), which
is kept with the feed's validators in news.poller-state and so survives a restart.
Several pollers share the feeds through a consumer group (workers.poller.ownership).
Items go out through the versioned publisher (workers.publisher): acknowledged
before the state that marks them published. A feed that fails is backed off and
its malformed document rejected once per failure streak. A broker outage longer
than ``poller.outage_limit`` ends the poller with a report that says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import httpx
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from workers import kafka
from workers.http import FetchError, make_client
from workers.metrics import NO_METRICS, Observer
from workers.outage import BrokerUnavailable, Outage
from workers.poller.feeds import FeedSource, Publisher, all_sources
from workers.poller.health import FeedHealth, feed_health
from workers.poller.ownership import Ownership
from workers.poller.parse import STAGE, parse_feed
from workers.poller.read import read_feed
from workers.poller.schedule import PollOutcome, after_poll, is_due, starts_failure_streak
from workers.poller.state import PollerStateStore, feed_partition
from workers.publisher import ITEM_PREFIX, VersionedPublisher
from workers.records import PollerState, RawItem, utcnow
from workers.settings import Settings
from workers.stage import Rejection, rejected
from workers.topics import RAW, REJECTED

log = logging.getLogger(__name__)


@dataclass
class PollReport:
    feeds: int = 0
    not_modified: int = 0
    published: int = 0
    known: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    failed_feeds: int = 0  # feeds that could not be fetched or parsed (entries aside)
    rejected: int = 0  # failure streaks reported to news.rejected
    published_ids: list[str] = field(default_factory=list)
    outage: str | None = None  # the broker was away too long: the poller stopped

    def __str__(self) -> str:
        failed = ", ".join(f"{reason} {n}" for reason, n in sorted(self.failed.items()))
        text = (
            f"{self.feeds} feeds ({self.not_modified} unchanged): {self.published} items "
            f"published, {self.known} already known; failures: {failed or 'none'}"
        )
        return f"{text}; stopped: {self.outage}" if self.outage else text


def document_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:32]


def previous_hash(state: PollerState | None) -> str | None:
    return state.content_hash if state is not None else None


def interleaved(sources: list[FeedSource]) -> list[FeedSource]:
    """Round-robin over hosts: the first of every host, then the second, ...

    A fetch waits for its host's slot while holding one of the ``concurrency``
    slots; ten feeds of one host in a row would hold ten slots to wait in line.
    """
    by_host: dict[str, list[FeedSource]] = {}
    for source in sources:
        by_host.setdefault(urlsplit(source.url).hostname or "", []).append(source)
    queues = list(by_host.values())
    return [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)]


class Poller:
    def __init__(
        self,
        settings: Settings,
        publishers: list[Publisher],
        producer: AIOKafkaProducer,
        client: httpx.AsyncClient,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = utcnow,
        observer: Observer = NO_METRICS,
    ) -> None:
        self.settings = settings
        self.observer = observer
        self.sources = all_sources(publishers)
        self.producer = producer
        self.client = client
        self.rng = rng or random.Random()
        self.clock = clock
        self.state = PollerStateStore(settings, producer)
        self.outage = Outage(settings.poller.outage_limit)
        self.publisher = VersionedPublisher(
            producer, settings.topic(RAW), self.state, self._item_state, self.outage
        )
        self.run_id = f"poll-{uuid.uuid4().hex[:12]}"
        self.partitions = settings.poller.partitions
        self.ownership: Ownership | None = None  # without a group: every partition
        self._limit = asyncio.Semaphore(settings.poller.concurrency)
        self._running: dict[str, asyncio.Task[None]] = {}
        self._fatal: BrokerUnavailable | None = None
        self._by_guid: dict[str, str] = {}  # '<publisher>|<guid>' → the id it was published as
        self._guid_of: dict[str, str] = {}  # item id → its guid key, while being published

    def _item_state(self, item: RawItem, fingerprint: str) -> PollerState:
        guid = self._guid_of.pop(item.id, None)
        if guid is not None:
            self._by_guid[guid] = item.id
        return PollerState(
            key=f"{ITEM_PREFIX}{item.id}",
            version=item.version,
            content_hash=fingerprint,
            guid=guid,
            updated_at=utcnow(),
        )

    async def load(self, partitions: list[int] | None = None) -> int:
        """Read state back (default: every partition) and index the guids in it."""
        known = await self.outage.run(lambda: self.state.load(partitions), "reading poller state")
        for state in self.state.entries.values():
            if state.guid and state.key.startswith(ITEM_PREFIX):
                self._by_guid[state.guid] = state.key.removeprefix(ITEM_PREFIX)
        return known

    def with_identity(self, item: RawItem, guid: str | None, publisher: str) -> RawItem:
        """The entry under the id its guid was first published as (its link may have moved)."""
        if not guid:
            return item
        key = f"{publisher}|{guid}"
        known = self._by_guid.get(key)
        if known is not None and known != item.id:
            item = item.model_copy(update={"id": known})
        self._guid_of[item.id] = key
        return item

    @property
    def owned(self) -> set[int]:
        if self.ownership is None:
            return set(range(self.partitions))
        return self.ownership.owned

    def partition(self, source: FeedSource) -> int:
        return feed_partition(source.url, self.partitions)

    # -- ownership ---------------------------------------------------------------------

    async def assign(self, partitions: set[int]) -> None:
        """Read back the state of partitions given to us (another poller may have written it)."""
        known = await self.load(sorted(partitions))
        log.info("poller state of partitions %s loaded: %d keys", sorted(partitions), known)

    async def revoke(self, partitions: set[int]) -> None:
        """Let the polls of feeds in these partitions finish before another poller takes them."""
        running = [
            task
            for url, task in self._running.items()
            if feed_partition(url, self.partitions) in partitions
        ]
        if running:
            await asyncio.gather(*running, return_exceptions=True)

    def owned_sources(self) -> list[FeedSource]:
        return [s for s in self.sources if self.partition(s) in self.owned]

    def due(self, now: datetime) -> list[FeedSource]:
        return [
            s
            for s in self.owned_sources()
            if s.url not in self._running and is_due(self.state.get(f"feed:{s.url}"), now)
        ]

    def health(self) -> list[FeedHealth]:
        """The health of every feed this poller owns (polled at least once)."""
        owned = {f"feed:{s.url}" for s in self.owned_sources()}
        return feed_health({k: v for k, v in self.state.entries.items() if k in owned})

    # -- polling -----------------------------------------------------------------------

    async def poll_once(self) -> PollReport:
        """Every owned feed, due or not: one round (``--once``, benchmarks)."""
        return await self.poll(self.owned_sources())

    async def poll(self, sources: list[FeedSource]) -> PollReport:
        """These feeds, all at once (within the limits); returns when every one is done."""
        report = PollReport()
        tasks = [self.start_poll(source, report) for source in interleaved(sources)]
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for result in results:
            if isinstance(result, BrokerUnavailable):
                raise result
        return report

    def start_poll(self, source: FeedSource, report: PollReport) -> asyncio.Task[None]:
        """A poll of one feed, running on its own; a crash (a bug) is logged and counted."""
        task = asyncio.create_task(self._poll_limited(source, report))
        self._running[source.url] = task

        def done(task: asyncio.Task[None], url: str = source.url) -> None:
            self._running.pop(url, None)
            if task.cancelled():
                return
            error = task.exception()
            if isinstance(error, BrokerUnavailable):
                self._fatal = self._fatal or error
            elif error is not None:
                log.error("poll of %s crashed: %r", url, error)
                report.failed["crash"] += 1

        task.add_done_callback(done)
        return task

    async def run(self, on_report: Callable[[PollReport], object] | None = None) -> None:
        """Until cancelled: every tick, start the polls of the feeds that have come due,
        without waiting for the slow ones; a report every ``poller.report_every`` seconds.
        Raises BrokerUnavailable when a poll met an outage longer than the limit."""
        settings = self.settings.poller
        report, since = PollReport(), time.monotonic()
        while True:
            for source in interleaved(self.due(self.clock())):
                self.start_poll(source, report)
            await asyncio.sleep(settings.tick)
            if self._fatal is not None:
                raise self._fatal
            if time.monotonic() - since >= settings.report_every and report.feeds:
                await self.flush()
                log.info("poll: %s", report)
                if on_report is not None:
                    on_report(report)
                report, since = PollReport(), time.monotonic()

    async def stop(self) -> None:
        """Cancel the polls still running (their items are published again next time)."""
        running = list(self._running.values())
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)

    async def _poll_limited(self, source: FeedSource, report: PollReport) -> None:
        async with self._limit:
            if self.partition(source) not in self.owned:
                return  # handed over while it waited
            result = await self._poll_feed(source, report)
        self.observer.feed_poll(source.url, result)

    async def _poll_feed(self, source: FeedSource, report: PollReport) -> str:
        """Poll one feed; the result for the metrics: ok, not_modified or why it failed."""
        key = f"feed:{source.url}"
        previous = self.state.get(key)
        report.feeds += 1
        etag = previous.etag if previous else None
        modified = previous.last_modified if previous else None
        outcome: PollOutcome
        try:
            read = await read_feed(source.url, self.client, self.settings.http, etag, modified)
        except FetchError as exc:
            report.failed[exc.reason] += 1
            report.failed_feeds += 1
            log.warning("feed %s failed: %s", source.url, exc)
            outcome = PollOutcome("failed", retry_after=exc.retry_after, reason=exc.reason)
            await self._save_feed(
                source, previous, outcome, etag, modified, previous_hash(previous)
            )
            return exc.reason
        digest = document_hash(read.content) if read.content is not None else None
        if read.content is None or (previous is not None and previous.content_hash == digest):
            # unchanged: a 304, or the very same bytes from a server without validators
            report.not_modified += 1
            outcome = PollOutcome("unchanged", hint_seconds=read.cache_seconds)
            await self._save_feed(
                source, previous, outcome, read.etag, read.last_modified, previous_hash(previous)
            )
            return "not_modified"
        now = self.clock()
        max_age = self.settings.poller.sitemap_max_age if source.kind == "sitemap" else None
        parsed = parse_feed(
            read.content, source.publisher, source.url, now, self.run_id, max_age=max_age
        )
        if parsed.error is not None:
            report.failed[parsed.error.reason] += 1
            report.failed_feeds += 1
            outcome = PollOutcome("failed", reason=parsed.error.reason)
            if starts_failure_streak(previous, outcome):
                await self._reject(parsed.error, read.content)
                report.rejected += 1
            else:
                log.info("feed %s still malformed (%s)", source.url, parsed.error.reason)
            await self._save_feed(source, previous, outcome, etag, modified)  # fetch it again
            return parsed.error.reason
        for skip in parsed.skipped:
            report.failed[skip.reason] += 1
        batch = self.publisher.batch()
        partition = self.partition(source)
        for item in parsed.items:
            item = self.with_identity(item, parsed.guids.get(item.id), source.publisher.name)
            offer = self.publisher.offer(item)
            if offer is None:
                self._guid_of.pop(item.id, None)
                report.known += 1
                continue
            try:
                await batch.send(offer, partition)
            except KafkaError as exc:  # too large for the broker: rejected, the rest goes on
                self._guid_of.pop(item.id, None)
                report.failed["unsendable"] += 1
                detail = f"{source.url}: {item.url or item.id}: {type(exc).__name__}"
                await self._reject(Rejection(STAGE, "unsendable", detail), item.to_json())
        published = await batch.commit()
        report.published += len(published)
        report.published_ids += [i.id for i in published]
        hints = [h for h in (parsed.hint_seconds, read.cache_seconds) if h]
        outcome = PollOutcome(
            "new" if published else "unchanged",
            items=len(published),
            hint_seconds=max(hints) if hints else None,
        )
        await self._save_feed(source, previous, outcome, read.etag, read.last_modified, digest)
        return "ok"

    async def _save_feed(
        self,
        source: FeedSource,
        previous: PollerState | None,
        outcome: PollOutcome,
        etag: str | None,
        last_modified: str | None,
        digest: str | None = None,
    ) -> None:
        """The feed's new schedule and validators; ``digest``: the document parsed last."""
        state = after_poll(
            previous, f"feed:{source.url}", outcome, self.clock(), self.settings.poller, self.rng
        ).model_copy(
            update={
                "etag": etag,
                "last_modified": last_modified,
                "content_hash": digest,
                "publisher": source.publisher.name,
                "kind": source.kind,
            }
        )
        partition = self.partition(source)
        await self.outage.run(lambda: self.state.put(state, partition), "saving poller state")

    async def _reject(self, rejection: Rejection, original: bytes) -> None:
        log.warning("%s: %s", rejection.reason, rejection.detail)
        record = rejected(
            rejection, original, max_original_bytes=self.settings.kafka.max_original_bytes
        )
        topic = self.settings.topic(REJECTED)
        await self.outage.run(
            lambda: self.producer.send_and_wait(topic, record.to_json()), "rejecting a feed"
        )

    async def flush(self) -> None:
        await self.outage.run(self.producer.flush, "flushing")


async def run_poller(
    settings: Settings,
    publishers: list[Publisher],
    once: bool = False,
    on_report: Callable[[PollReport], object] | None = None,
    client: httpx.AsyncClient | None = None,
    observer: Observer = NO_METRICS,
) -> PollReport:
    """Poll until cancelled (or one round with ``once``); returns the last round's report.

    The poller joins the pollers' group and polls the feeds of the partitions it is
    given. A broker away for longer than ``poller.outage_limit`` ends it: the report
    returned then says so in ``outage``.
    """
    producer = kafka.producer(settings)
    report = PollReport()
    own_client = client is None
    http = client or make_client(settings.http, "feed", max_connections=settings.poller.concurrency)
    poller: Poller | None = None
    ownership: Ownership | None = None
    try:
        await producer.start()  # a broker never reached is an error, not an outage
        poller = Poller(settings, publishers, producer, http, observer=observer)
        ownership = poller.ownership = Ownership(settings, poller.assign, poller.revoke)
        await ownership.start()
        async with asyncio.timeout(settings.poller.outage_limit):
            await ownership.assigned.wait()
        if not once:
            await poller.run(on_report)  # until cancelled, or an outage past the limit
        report = await poller.poll_once()
        await poller.flush()
        log.info("poll: %s", report)
        if on_report is not None:
            on_report(report)
        return report
    except (BrokerUnavailable, TimeoutError) as exc:
        report.outage = str(exc) or "the broker did not answer in time"
        log.error("poller stops: %s", report.outage)
        return report
    finally:
        if poller is not None:
            await poller.stop()
        if ownership is not None:
            with contextlib.suppress(Exception):
                await ownership.stop()
        if own_client:
            await http.aclose()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.stop(), settings.kafka.request_timeout)
