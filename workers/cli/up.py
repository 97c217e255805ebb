"""`lagebild up`: broker (if none is configured), topics, worker and poller, with a live view.

The worker runs as a child process in its own process group; Ctrl-C stops
the poller, the worker and the embedded broker, in that order.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field

from pydantic import ValidationError
from rich.console import Console

from workers import kafka
from workers.broker import EmbeddedBroker, free_port
from workers.cli.view import render_duplicate, render_enriched, render_rejected
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
    enriched: int = 0
    duplicates: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    seen: set[str] = field(default_factory=set)
    #: (item id, news topic) routings the sink owes, and those it has done
    routes_due: set[tuple[str, str]] = field(default_factory=set)
    routed: set[tuple[str, str]] = field(default_factory=set)

    def add(self, record: EnrichedItem | Duplicate | Rejected) -> None:
        if isinstance(record, EnrichedItem):
            self.enriched += 1
            self.routes_due |= {(record.id, t.id) for t in record.topics}
        elif isinstance(record, Duplicate):
            self.duplicates[record.kind] += 1
        else:
            self.rejected[f"{record.stage}:{record.reason}"] += 1
        if record.id:
            self.seen.add(record.id)

    def settled(self, wanted: set[str]) -> bool:
        """Every wanted item has its result, and the sink has routed every enriched one."""
        return wanted <= self.seen and self.routes_due <= self.routed


async def follow(
    settings: Settings,
    tally: Tally,
    console: Console,
    from_beginning: bool,
    ready: asyncio.Event,
    topic_ids: list[str],
) -> None:
    sink = {enriched_topic(topic_id): topic_id for topic_id in topic_ids}
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
                    if isinstance(record, EnrichedItem):
                        console.print(render_enriched(record))
                    elif isinstance(record, Duplicate):
                        console.print(render_duplicate(record))
                    else:
                        console.print(render_rejected(record))
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
    try:
        if not once:
            await run_poller(settings, publishers)
            return 0
        report = await run_poller(settings, publishers, once=True)
        wanted = set(report.published_ids)
        deadline = time.monotonic() + drain_timeout
        while not tally.settled(wanted) and time.monotonic() < deadline:
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
        viewer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await viewer


def run_up(
    settings: Settings, publishers: list[Publisher], once: bool, drain_timeout: float = 120.0
) -> int:
    console = Console(highlight=False)
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
        for n in range(settings.worker.processes):
            # each worker process its own web port and state directory
            own = {
                "web_port": settings.worker.web_port + n if not embedded else free_port(),
                "data_dir": str(settings.worker.data_dir / f"worker-{n}"),
            }
            worker = spawn_worker(
                settings.replace(worker=own), quiet=settings.worker.log_level != "debug"
            )
            stack.callback(stop_process, worker)
        try:
            return asyncio.run(
                _run(settings, publishers, once, embedded, console, drain_timeout, ids)
            )
        except KeyboardInterrupt:
            console.print("\nstopping…")
            return 130
    return 0
