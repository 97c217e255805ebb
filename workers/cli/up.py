"""`lagebild up`: broker (if none is configured), topics, worker and poller, with a live view.

The worker runs as a child process in its own process group; Ctrl-C stops
the poller, the worker and the embedded broker, in that order.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console

from workers import kafka
from workers.broker import EmbeddedBroker, free_port
from workers.cli.view import LiveOrder
from workers.poller.feeds import Publisher
from workers.poller.run import PollReport, run_poller
from workers.process import spawn_worker, stop_process
from workers.provision import ensure_topics
from workers.records import Duplicate, EnrichedItem, Rejected
from workers.settings import Settings
from workers.tagging import taxonomy
from workers.topics import TERMINAL_MODELS, enriched_topic


@dataclass
class Tally:
    """Results by the latest version of each item (a corrected record replaces the first)."""

    latest: dict[str, EnrichedItem | Duplicate | Rejected] = field(default_factory=dict)
    unattributed: Counter[str] = field(default_factory=Counter)  # rejections without an id
    seen: set[str] = field(default_factory=set)
    #: (item id, news topic) routings the sink owes, and those it has done
    routes_due: set[tuple[str, str]] = field(default_factory=set)
    routed: set[tuple[str, str]] = field(default_factory=set)
    changed: float = 0.0  # (monotonic) when the last result came

    def add(self, record: EnrichedItem | Duplicate | Rejected) -> None:
        if isinstance(record, EnrichedItem):
            self.routes_due |= {(record.id, t.id) for t in record.topics}
        if record.id:
            prior = self.latest.get(record.id)
            if prior is None or (record.version or 1) >= (prior.version or 1):
                self.latest[record.id] = record
            self.seen.add(record.id)
            self.changed = time.monotonic()
        elif isinstance(record, Rejected):
            self.unattributed[f"{record.stage}:{record.reason}"] += 1

    @property
    def enriched(self) -> int:
        return sum(isinstance(r, EnrichedItem) for r in self.latest.values())

    @property
    def duplicates(self) -> Counter[str]:
        return Counter(r.kind for r in self.latest.values() if isinstance(r, Duplicate))

    @property
    def rejected(self) -> Counter[str]:
        return self.unattributed + Counter(
            f"{r.stage}:{r.reason}" for r in self.latest.values() if isinstance(r, Rejected)
        )

    def settled(self, wanted: set[str], quiet: float) -> bool:
        """Every wanted item has its result, none came for ``quiet`` seconds (a correction
        would have), and the sink has routed every enriched one."""
        return (
            wanted <= self.seen
            and time.monotonic() - self.changed >= quiet
            and self.routes_due <= self.routed
        )


async def follow(
    settings: Settings,
    tally: Tally,
    console: Console,
    from_beginning: bool,
    ready: asyncio.Event,
    topic_ids: list[str],
) -> None:
    sink = {enriched_topic(topic_id): topic_id for topic_id in topic_ids}
    order = LiveOrder()  # duplicates under their original
    consumer = kafka.consumer(settings, *TERMINAL_MODELS, *sink, from_beginning=from_beginning)
    try:
        await consumer.start()
        await consumer.getmany(timeout_ms=100)  # positions are fixed before the poller publishes
        ready.set()
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            for tp, messages in batch.items():
                name = tp.topic.removeprefix(settings.kafka.topic_prefix)
                if name in sink:
                    tally.routed |= {(m.key.decode(), sink[name]) for m in messages if m.key}
                    continue
                model = TERMINAL_MODELS[name]
                for message in messages:
                    try:
                        record = model.model_validate_json(message.value)
                    except ValidationError:
                        console.print(f"[red]undecodable record on {tp.topic}[/red]")
                        continue
                    tally.add(record)
                    for shown in order.add(record, time.monotonic()):
                        console.print(shown)
            for shown in order.due(time.monotonic()):
                console.print(shown)
    finally:
        await consumer.stop()


def print_summary(console: Console, report: PollReport | None, tally: Tally) -> None:
    console.rule("summary")
    if report is not None:
        console.print(
            f"polled: {report.feeds} feeds, {report.published} items published, "
            f"{report.known} already known, {report.not_modified} feeds unchanged"
        )
        for reason, n in sorted(report.failed.items()):
            console.print(f"  poll failures {reason}: {n}")
    console.print(f"enriched: {tally.enriched}")
    console.print(
        f"duplicates: {sum(tally.duplicates.values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(tally.duplicates.items())) or '–'})"
    )
    console.print(f"rejected: {sum(tally.rejected.values())}")
    for reason, n in sorted(tally.rejected.items()):
        console.print(f"  {reason}: {n}")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def status_line(
    tally: Tally, report: PollReport | None, next_poll: float | None, now: float
) -> str:
    """What the live view says between records: counts, the last poll, the next one."""
    parts = [
        f"enriched {tally.enriched}",
        f"duplicates {sum(tally.duplicates.values())}",
        f"rejected {sum(tally.rejected.values())}",
    ]
    if report is None:
        parts.append("first poll running…")
    else:
        failed = sum(report.failed.values())
        parts.append(
            f"last poll: {report.published} new, {report.known} known"
            + (f", {failed} failed" if failed else "")
        )
    if next_poll is not None:
        left = max(int(next_poll - now), 0)
        parts.append(f"next poll in {left // 60}:{left % 60:02d}")
    return " · ".join(parts)


async def _dashboard(settings: Settings, console: Console) -> None:
    """The dashboard beside the live view; a port in use falls back to a free one."""
    from workers.dashboard.server import serve_dashboard

    def ready(url: str) -> None:
        console.print(f"dashboard on [bold]{url}[/bold]")

    try:
        try:
            await serve_dashboard(settings, on_ready=ready)
        except OSError:
            await serve_dashboard(settings, on_ready=ready, port=0)
    except Exception as exc:  # the live view goes on without it
        console.print(f"[yellow]dashboard stopped: {exc}[/yellow]")


async def _follow_polls(
    settings: Settings, publishers: list[Publisher], console: Console, tally: Tally
) -> None:
    """Poll until stopped, with a status line: live at the bottom of a terminal, else after
    each round."""
    last: list[PollReport | None] = [None]
    next_poll: list[float | None] = [None]

    def on_report(report: PollReport) -> None:
        last[0], next_poll[0] = report, time.monotonic() + settings.poller.interval
        if not console.is_terminal:
            console.print(status_line(tally, report, next_poll[0], time.monotonic()), style="dim")

    if not console.is_terminal:
        await run_poller(settings, publishers, on_report=on_report)
        return
    with console.status(status_line(tally, None, None, time.monotonic())) as status:

        async def tick() -> None:
            while True:
                status.update(status_line(tally, last[0], next_poll[0], time.monotonic()))
                await asyncio.sleep(1.0)

        ticker = asyncio.create_task(tick())
        try:
            await run_poller(settings, publishers, on_report=on_report)
        finally:
            ticker.cancel()


async def _run(
    settings: Settings,
    publishers: list[Publisher],
    once: bool,
    embedded: bool,
    console: Console,
    drain_timeout: float,
    topic_ids: list[str],
) -> int:
    tally = Tally()
    ready = asyncio.Event()
    viewer = asyncio.create_task(follow(settings, tally, console, embedded, ready, topic_ids))
    await ready.wait()
    report: PollReport | None = None
    dashboard: asyncio.Task[None] | None = None
    try:
        if not once:
            dashboard = asyncio.create_task(_dashboard(settings, console))
            await _follow_polls(settings, publishers, console, tally)
            return 0
        report = await run_poller(settings, publishers, once=True)
        wanted = set(report.published_ids)
        deadline = time.monotonic() + drain_timeout
        while (
            not tally.settled(wanted, settings.dedup.settle_seconds) and time.monotonic() < deadline
        ):
            if viewer.done():
                viewer.result()
            await asyncio.sleep(0.2)
        missing = wanted - tally.seen
        unrouted = tally.routes_due - tally.routed
        print_summary(console, report, tally)
        if missing or unrouted:
            console.print(
                f"[red]after {drain_timeout:.0f}s: {len(missing)} items without a result"
                f"{': ' + ', '.join(sorted(missing)) if missing else ''}; "
                f"{len(unrouted)} not yet routed to their news topic[/red]"
            )
            return 1
        return 0
    finally:
        for task in (viewer, dashboard):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


def run_up(
    settings: Settings,
    publishers: list[Publisher],
    once: bool,
    drain_timeout: float = 120.0,
    feeds_label: str = "the bundled sample feed",
) -> int:
    # in a pipe: no wrapping at 80 columns, one record per line as printed
    console = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    embedded = settings.kafka.bootstrap_servers is None
    broker = EmbeddedBroker(settings.broker) if embedded else None
    with contextlib.ExitStack() as stack:
        if broker is not None:
            stack.enter_context(broker)
            data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="lagebild-"))
            settings = settings.with_embedded_broker(broker.bootstrap).replace(
                worker={"web_port": free_port(), "data_dir": data_dir}
            )
            console.print(f"embedded broker on [bold]{broker.bootstrap}[/bold] (memory only)")
        else:
            console.print(f"using Kafka at [bold]{settings.kafka.bootstrap_servers}[/bold]")
        ids = taxonomy.topic_ids(settings.tagging.topics_file)
        asyncio.run(ensure_topics(settings, ids))
        # the workers' output goes to a log file each: the live view shows every record
        # once, not its log line too; the files stay for reading after the run
        logs = Path(tempfile.mkdtemp(prefix="lagebild-up-"))
        for n in range(settings.worker.processes):
            # each worker process its own web port and state directory
            own = {
                "web_port": settings.worker.web_port + n if not embedded else free_port(),
                "data_dir": str(settings.worker.data_dir / f"worker-{n}"),
            }
            mine = settings.replace(worker=own)
            worker = spawn_worker(mine, log=logs / f"worker-{n}.log")
            stack.callback(stop_process, worker)
            w = mine.worker
            base = f"http://{w.web_host}:{w.web_port}"
            console.print(f"worker {n}: {base}/metrics, /healthz, /readyz")
        console.print(f"worker logs: {logs}/")
        n_feeds = sum(len(p.feeds) for p in publishers)
        console.print(
            f"feeds: {plural(len(publishers), 'publisher')}, {plural(n_feeds, 'feed')} "
            f"({feeds_label})"
            + ("" if once else f" · polling every {settings.poller.interval:.0f}s")
            + " · Ctrl-C stops everything"
        )
        try:
            return asyncio.run(
                _run(settings, publishers, once, embedded, console, drain_timeout, ids)
            )
        except KeyboardInterrupt:
            console.print("\nstopping…")
            return 130
    return 0
