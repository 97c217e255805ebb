"""The backfill loop: sources → news.raw.backfill, every item accounted for.

- Idempotent: what a backfill published (id, version, content fingerprint) is
  kept in news.backfill-state; an item published before with the same content,
  or already published by the live poller, is skipped as known. A changed item
  is published again as the same id with ``version`` + 1.
- Resumable: the run over a set of sources has a record there too (its run id,
  start time, status, counts). A rerun of the same sources resumes under the
  same run id and ``fetched_at``, so an item that was sent but not yet recorded
  when the run stopped is sent again as the very same bytes, which downstream
  treats as the same record.
- At least once: items go out through the versioned publisher shared with the
  live poller (workers.publisher): acknowledged by the broker before their state
  says "published".
- A broker outage is ridden out (workers.outage) up to ``poller.outage_limit``;
  past it the run stops as interrupted, with its summary, and a rerun resumes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from workers import kafka
from workers.backfill.sources import Invalid, Item, Kind, Options, Skipped, estimate, read_source
from workers.backfill.sources import source_key as key_of
from workers.http import make_client
from workers.identity import stable_id
from workers.outage import BrokerUnavailable, Outage
from workers.poller.state import PollerStateStore
from workers.publisher import ITEM_PREFIX, VersionedPublisher
from workers.records import BackfillState, RawItem, utcnow
from workers.settings import Settings
from workers.statestore import KafkaStateStore
from workers.topics import BACKFILL_STATE, RAW_BACKFILL

log = logging.getLogger(__name__)
BATCH = 200


@dataclass
class Summary:
    run_id: str = ""
    resumed: bool = False
    interrupted: bool = False
    outage: str | None = None  # why the run stopped, when the broker was away too long
    published: int = 0
    new_versions: int = 0
    known: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    invalid: Counter[str] = field(default_factory=Counter)
    published_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def done(self) -> int:
        return self.published + self.known + sum(self.skipped.values()) + sum(self.invalid.values())

    def counts(self) -> dict[str, int]:
        return {
            "published": self.published,
            "new_versions": self.new_versions,
            "known": self.known,
            "skipped": sum(self.skipped.values()),
            "invalid": sum(self.invalid.values()),
        }


def run_digest(sources: list[tuple[str, Kind]], options: Options) -> str:
    """The same sources read the same way are the same run."""
    return stable_id(json.dumps([[key_of(s), k] for s, k in sources]) + options.describe())


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:6.1f} items/s")


class Backfill:
    def __init__(
        self,
        settings: Settings,
        producer: AIOKafkaProducer,
        on_invalid: Callable[[Invalid], None] | None = None,
        rate: float | None = None,
    ) -> None:
        self.settings = settings
        self.producer = producer
        self.state = KafkaStateStore(settings, producer, BACKFILL_STATE, BackfillState)
        self.live = PollerStateStore(settings, producer)
        self.on_invalid = on_invalid
        self.rate = rate
        self.topic = settings.topic(RAW_BACKFILL)
        self.summary = Summary()
        self.outage = Outage(settings.poller.outage_limit)
        self.publisher = VersionedPublisher(
            producer, self.topic, self.state, self._item_state, self.outage
        )
        self.batch = self.publisher.batch()
        self._seen: set[str] = set()
        self._started = time.monotonic()

    async def start(self, sources: list[tuple[str, Kind]], options: Options) -> datetime:
        """Load what is known; open (or resume) the run. Returns the run's fetched_at."""
        await self.outage.run(
            lambda: asyncio.gather(self.state.load(), self.live.load()), "reading backfill state"
        )
        self.run_key = f"run:{run_digest(sources, options)}"
        previous = self.state.get(self.run_key)
        if previous is not None and previous.run_id and previous.started_at:
            self.summary.run_id, started = previous.run_id, previous.started_at
            self.summary.resumed = previous.status != "done"
        else:
            started = utcnow()
            self.summary.run_id = f"backfill-{stable_id(self.run_key + started.isoformat())[:12]}"
        await self._save_run("running", started)
        self.started_at = started
        return started

    def _item_state(self, item: RawItem, fingerprint: str) -> BackfillState:
        return BackfillState(
            key=f"{ITEM_PREFIX}{item.id}",
            version=item.version,
            content_hash=fingerprint,
            run_id=self.summary.run_id,
            updated_at=utcnow(),
        )

    async def _save_run(self, status: str, started: datetime, outage: Outage | None = None) -> None:
        state = BackfillState(
            key=self.run_key,
            run_id=self.summary.run_id,
            started_at=started,
            status=status,  # type: ignore[arg-type]
            counts=self.summary.counts(),
            updated_at=utcnow(),
        )
        await (outage or self.outage).run(lambda: self.state.put(state), "saving the run")

    async def offer(self, item: RawItem) -> None:
        """Publish the item unless it is known; the publisher decides its version."""
        s = self.summary
        if item.id in self._seen:
            s.skipped["repeated_id"] += 1
            return
        self._seen.add(item.id)
        offer = self.publisher.offer(item)
        if offer is None:
            s.known += 1
            return
        if offer.previous is None and self.live.get(f"{ITEM_PREFIX}{item.id}") is not None:
            s.known += 1  # the live poller published it
            return
        if offer.previous is not None and offer.previous.run_id == s.run_id:
            s.skipped["repeated_id"] += 1  # an earlier entry of this run had this id
            return
        if offer.new_version:
            s.new_versions += 1
        await self._pace()
        try:
            await self.batch.send(offer)
        except KafkaError as exc:  # too large for the broker: reported, the rest goes on
            s.invalid["unsendable"] += 1
            if self.on_invalid is not None:
                self.on_invalid(Invalid(item.id, "unsendable", type(exc).__name__))
            return
        if len(self.batch) >= (BATCH if not self.rate else max(1, int(self.rate))):
            await self.commit()

    async def _pace(self) -> None:
        if not self.rate:
            return
        due = self._started + (self.summary.published + len(self.batch)) / self.rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def commit(self) -> None:
        """Wait for the broker's acks, then record the items as published."""
        published = await self.batch.commit()
        if not published:
            return
        self.summary.published += len(published)
        self.summary.published_ids += [i.id for i in published]
        await self._save_run("running", self.started_at)

    async def finish(self, interrupted: bool) -> None:
        self.summary.interrupted = interrupted
        if self.summary.outage is None:
            await self.commit()
            await self._save_run("interrupted" if interrupted else "done", self.started_at)
            await self.outage.run(self.producer.flush, "flushing")
        else:  # one short try to mark the run; left "running" it resumes just the same
            try:
                await self._save_run("interrupted", self.started_at, Outage(5.0))
            except BrokerUnavailable:
                log.warning("run %s left as running: the broker is away", self.summary.run_id)
        self.summary.seconds = time.monotonic() - self._started


async def run_backfill(
    settings: Settings,
    sources: list[tuple[str, Kind]],
    options: Options,
    rate: float | None = None,
    console: Console | None = None,
    show_progress: bool = True,
) -> Summary:
    """Publish every new item of the sources; on cancellation (Ctrl-C) stop cleanly."""
    console = console or Console(stderr=True, highlight=False)

    def report_invalid(entry: Invalid) -> None:
        console.print(
            f"[yellow]invalid[/yellow] {entry.where}: {entry.reason}: {entry.detail[:200]}",
            markup=True,
            highlight=False,
        )

    producer = kafka.producer(settings)
    backfill = Backfill(settings, producer, report_invalid, rate)
    interrupted = False
    try:
        await producer.start()  # a broker never reached is an error, not an outage
        started = await backfill.start(sources, options)
        s = backfill.summary
        if s.resumed:
            console.print(f"resuming run {s.run_id}")
        estimates = [estimate(src, kind) for src, kind in sources]
        total = sum(e for e in estimates if e is not None) if None not in estimates else None
        progress = Progress(
            TextColumn("[bold]backfill[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[published]} new"),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=not show_progress,
            transient=False,
        )
        with progress:
            task = progress.add_task("backfill", total=total, published=0)
            async with make_client(settings.http) as client:
                try:
                    for source, kind in sources:
                        async for entry in read_source(
                            source, kind, options, s.run_id, started, client, settings.http
                        ):
                            if isinstance(entry, Item):
                                await backfill.offer(entry.item)
                            elif isinstance(entry, Skipped):
                                s.skipped[entry.reason] += 1
                            else:
                                s.invalid[entry.reason] += 1
                                report_invalid(entry)
                            progress.update(task, completed=s.done, published=s.published)
                except asyncio.CancelledError:
                    interrupted = True
                except BrokerUnavailable as exc:
                    interrupted = True
                    s.outage = str(exc)
        await backfill.finish(interrupted)
    except BrokerUnavailable as exc:  # before the run could start
        backfill.summary.interrupted = True
        backfill.summary.outage = str(exc)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.stop(), settings.kafka.request_timeout)
    return backfill.summary


def print_summary(console: Console, summary: Summary) -> None:
    rate = summary.done / summary.seconds if summary.seconds else 0.0
    state = "interrupted — rerun the same command to resume" if summary.interrupted else "done"
    if summary.outage:
        state = (
            f"interrupted, broker unreachable — rerun the same command to resume ({summary.outage})"
        )
    console.rule(f"backfill {summary.run_id}: {state}")
    console.print(f"published: {summary.published} ({summary.new_versions} as a new version)")
    console.print(f"skipped as already known: {summary.known}")
    for reason, n in sorted(summary.skipped.items()):
        console.print(f"skipped, {reason}: {n}")
    console.print(f"invalid: {sum(summary.invalid.values())}")
    for reason, n in sorted(summary.invalid.items()):
        console.print(f"  {reason}: {n}")
    console.print(f"{summary.done} entries in {summary.seconds:.1f}s ({rate:.0f}/s)")
