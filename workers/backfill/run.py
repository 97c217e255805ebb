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
- At least once: items are acknowledged by the broker before their state says
  "published".
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from aiokafka import AIOKafkaProducer
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
from workers.poller.parse import entry_fingerprint
from workers.poller.state import PollerStateStore
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
        self._pending: list[tuple[RawItem, str, asyncio.Future[object]]] = []
        self._seen: set[str] = set()
        self._started = time.monotonic()

    async def start(self, sources: list[tuple[str, Kind]], options: Options) -> datetime:
        """Load what is known; open (or resume) the run. Returns the run's fetched_at."""
        await asyncio.gather(self.state.load(), self.live.load())
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

    async def _save_run(self, status: str, started: datetime) -> None:
        await self.state.put(
            BackfillState(
                key=self.run_key,
                run_id=self.summary.run_id,
                started_at=started,
                status=status,  # type: ignore[arg-type]
                counts=self.summary.counts(),
                updated_at=utcnow(),
            )
        )

    async def offer(self, item: RawItem) -> None:
        """Publish the item unless it is known; decides its version."""
        s = self.summary
        if item.id in self._seen:
            s.skipped["repeated_id"] += 1
            return
        self._seen.add(item.id)
        fingerprint = entry_fingerprint(item)
        previous = self.state.get(f"item:{item.id}")
        if previous is not None and previous.content_hash == fingerprint:
            s.known += 1
            return
        if previous is None and self.live.get(f"item:{item.id}") is not None:
            s.known += 1  # the live poller published it
            return
        if previous is not None and previous.run_id == s.run_id:
            s.skipped["repeated_id"] += 1  # an earlier entry of this run had this id
            return
        if previous is not None:
            item = item.model_copy(update={"version": (previous.version or 1) + 1})
            s.new_versions += 1
        await self._pace()
        future = await self.producer.send(self.topic, item.to_json(), key=item.id.encode())
        self._pending.append((item, fingerprint, future))
        if len(self._pending) >= (BATCH if not self.rate else max(1, int(self.rate))):
            await self.commit()

    async def _pace(self) -> None:
        if not self.rate:
            return
        due = self._started + (self.summary.published + len(self._pending)) / self.rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def commit(self) -> None:
        """Wait for the broker's acks, then record the items as published."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        await asyncio.gather(*(f for _, _, f in pending))
        for item, fingerprint, _ in pending:
            await self.state.put(
                BackfillState(
                    key=f"item:{item.id}",
                    version=item.version,
                    content_hash=fingerprint,
                    run_id=self.summary.run_id,
                    updated_at=utcnow(),
                )
            )
            self.summary.published += 1
            self.summary.published_ids.append(item.id)
        await self._save_run("running", self.started_at)

    async def finish(self, interrupted: bool) -> None:
        await self.commit()
        self.summary.interrupted = interrupted
        await self._save_run("interrupted" if interrupted else "done", self.started_at)
        await self.producer.flush()
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
    await producer.start()
    backfill = Backfill(settings, producer, report_invalid, rate)
    interrupted = False
    try:
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
        await backfill.finish(interrupted)
    finally:
        await producer.stop()
    return backfill.summary


def print_summary(console: Console, summary: Summary) -> None:
    rate = summary.done / summary.seconds if summary.seconds else 0.0
    state = "interrupted — rerun the same command to resume" if summary.interrupted else "done"
    console.rule(f"backfill {summary.run_id}: {state}")
    console.print(f"published: {summary.published} ({summary.new_versions} as a new version)")
    console.print(f"skipped as already known: {summary.known}")
    for reason, n in sorted(summary.skipped.items()):
        console.print(f"skipped, {reason}: {n}")
    console.print(f"invalid: {sum(summary.invalid.values())}")
    for reason, n in sorted(summary.invalid.items()):
        console.print(f"  {reason}: {n}")
    console.print(f"{summary.done} entries in {summary.seconds:.1f}s ({rate:.0f}/s)")
