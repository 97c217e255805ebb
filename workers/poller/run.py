"""The poller loop: fetch each feed (conditionally), publish new or changed entries.

At least once: items are sent and acknowledged before the state that marks
them published, so a crash in between re-publishes (same id and version,
which downstream treats as the same record), never loses.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer

from workers import kafka
from workers.http import FetchError, fetch, make_client
from workers.metrics import NO_METRICS, Observer
from workers.poller.feeds import Publisher
from workers.poller.parse import entry_fingerprint, parse_feed
from workers.poller.state import PollerStateStore
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
    published_ids: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        failed = ", ".join(f"{reason} {n}" for reason, n in sorted(self.failed.items()))
        return (
            f"{self.feeds} feeds ({self.not_modified} unchanged): {self.published} items "
            f"published, {self.known} already known; failures: {failed or 'none'}"
        )


class Poller:
    def __init__(
        self,
        settings: Settings,
        publishers: list[Publisher],
        producer: AIOKafkaProducer,
        client: httpx.AsyncClient,
        observer: Observer = NO_METRICS,
    ) -> None:
        self.settings = settings
        self.observer = observer
        self.publishers = publishers
        self.producer = producer
        self.client = client
        self.state = PollerStateStore(settings, producer)
        self.run_id = f"poll-{uuid.uuid4().hex[:12]}"

    async def start(self) -> None:
        known = await self.state.load()
        log.info("poller state loaded: %d keys", known)

    async def poll_once(self) -> PollReport:
        report = PollReport()
        for publisher in self.publishers:
            for feed in publisher.feeds:
                report.feeds += 1
                try:
                    result = await self._poll_feed(publisher, feed, report)
                except FetchError as exc:
                    result = exc.reason
                    report.failed[exc.reason] += 1
                    log.warning("feed %s failed: %s", feed, exc)
                self.observer.feed_poll(feed, result)
        await self.producer.flush()
        return report

    async def _read(self, feed: str) -> tuple[bytes | None, PollerState]:
        """The feed's bytes, or None when unchanged since the last poll."""
        key = f"feed:{feed}"
        previous = self.state.get(key)
        if not feed.startswith(("http://", "https://")):
            path = Path(feed.removeprefix("file://"))
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise FetchError("file", f"{feed}: {exc}") from exc
            mtime = str(path.stat().st_mtime_ns)
            state = PollerState(key=key, last_modified=mtime, updated_at=utcnow())
            unchanged = previous is not None and previous.last_modified == mtime
            return (None if unchanged else content), state
        response = await fetch(
            self.client,
            feed,
            self.settings.http,
            previous.etag if previous else None,
            previous.last_modified if previous else None,
        )
        state = PollerState(
            key=key, etag=response.etag, last_modified=response.last_modified, updated_at=utcnow()
        )
        return (None if response.not_modified else response.content), state

    async def _poll_feed(self, publisher: Publisher, feed: str, report: PollReport) -> str:
        """Poll one feed; the result for the metrics: ok, not_modified or why it failed."""
        content, feed_state = await self._read(feed)
        if content is None:
            report.not_modified += 1
            return "not_modified"
        parsed = parse_feed(content, publisher, feed, utcnow(), self.run_id)
        if parsed.error is not None:
            report.failed[parsed.error.reason] += 1
            await self._reject(parsed.error, content[:65536])
            return parsed.error.reason
        for skip in parsed.skipped:
            report.failed[skip.reason] += 1
        pending: list[tuple[RawItem, str]] = []
        for item in parsed.items:
            fingerprint = entry_fingerprint(item)
            previous = self.state.get(f"item:{item.id}")
            if previous is not None and previous.content_hash == fingerprint:
                report.known += 1
                continue
            if previous is not None:
                item = item.model_copy(update={"version": (previous.version or 1) + 1})
            pending.append((item, fingerprint))
        sends = [
            await self.producer.send(self.settings.topic(RAW), item.to_json(), key=item.id.encode())
            for item, _ in pending
        ]
        await asyncio.gather(*sends)  # acknowledged before the state says "published"
        for item, fingerprint in pending:
            await self.state.put(
                PollerState(
                    key=f"item:{item.id}",
                    version=item.version,
                    content_hash=fingerprint,
                    updated_at=utcnow(),
                )
            )
            report.published += 1
            report.published_ids.append(item.id)
        await self.state.put(feed_state)
        return "ok"

    async def _reject(self, rejection: Rejection, original: bytes) -> None:
        log.warning("%s: %s", rejection.reason, rejection.detail)
        record = rejected(rejection, original)
        await self.producer.send_and_wait(self.settings.topic(REJECTED), record.to_json())


async def run_poller(
    settings: Settings,
    publishers: list[Publisher],
    once: bool = False,
    on_report: object = None,
    observer: Observer = NO_METRICS,
) -> PollReport:
    """Poll until cancelled (or one round with ``once``); returns the last round's report."""
    producer = kafka.producer(settings)
    await producer.start()
    try:
        async with make_client(settings.http) as client:
            poller = Poller(settings, publishers, producer, client, observer)
            await poller.start()
            while True:
                report = await poller.poll_once()
                log.info("poll round: %s", report)
                if callable(on_report):
                    on_report(report)
                if once:
                    return report
                await asyncio.sleep(settings.poller.interval)
    finally:
        await producer.stop()
