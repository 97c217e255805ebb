"""The faust-streaming worker: one agent per stage of ``workers.pipeline.CHAIN``.

An agent takes a batch of events, runs each through its stage (CPU-bound stages
in a thread, the fetch stage concurrently), sends what comes out and only then
lets faust ack the batch: a record is committed after the broker has acknowledged
its results.
Processing is at least once; every output is keyed by item id and deterministic,
so a record processed twice changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

import faust
from faust.tables import TableManager

from workers import topics as t
from workers.dedup.tables import Changelog, IndexTable, partition_stores
from workers.metrics import Metrics
from workers.outage import Outage, is_outage
from workers.pipeline import CHAIN, Context, Emit, Stage, rejection_emit, step, step_sync
from workers.settings import KafkaSettings, Settings
from workers.stage import Rejection
from workers.transport import transport
from workers.web import add_endpoints

log = logging.getLogger(__name__)


class Tables(TableManager):
    """faust's table manager without its fixed one-second nap at start: every table is
    declared in ``create_app``, before the worker starts, so there is nothing to wait for."""

    async def on_start(self) -> None:
        if not self.should_stop:
            await self._update_channels()
            await self.recovery.start()


def _key(key: bytes | None) -> str | None:
    return key.decode("utf-8", errors="replace") if key else None


class LagebildApp(faust.App):
    kafka_settings: KafkaSettings = KafkaSettings()
    context: Context | None = None

    def _new_transport(self) -> Any:
        return transport(self.kafka_settings)(self.conf.broker_consumer, self)

    async def on_stop(self) -> None:
        await super().on_stop()
        if self.context is not None:
            await self.context.close()  # the page client


Sender = Callable[[Emit], Awaitable[None]]


def create_app(
    settings: Settings,
    sender: Sender | None = None,
    store: MutableMapping[str, Any] | None = None,
    metrics: Metrics | None = None,
) -> faust.App:
    """The worker's app. Tests without a broker replace the producer (``sender``) and the
    dedup table's changelog (``store``); ``metrics`` is a registry of its own by default."""
    k, w = settings.kafka, settings.worker
    app = LagebildApp(
        w.app_id,
        broker=[f"kafka://{server}" for server in (k.bootstrap_servers or "").split(",")],
        store="rocksdb://" if w.store == "rocksdb" else "memory://",
        datadir=str(w.data_dir),
        web_host=w.web_host,
        web_port=w.web_port,
        web_bind=w.web_host,
        broker_session_timeout=k.session_timeout,
        broker_heartbeat_interval=k.heartbeat_interval,
        broker_commit_interval=k.commit_interval,
        broker_request_timeout=k.request_timeout,
        consumer_auto_offset_reset="earliest",
        topic_allow_declare=False,  # topics are provisioned by `lagebild topics`
        topic_disable_leader=True,
        topic_replication_factor=k.replication_factor,
        producer_acks=-1,
        producer_linger=k.producer_linger,
        producer_max_request_size=k.max_record_bytes,
        consumer_max_fetch_size=k.max_record_bytes,
        TableManager=Tables,
        # a memory store is recovered from the changelog's start in any case, and faust
        # drops its standby copies at every rebalance: standbys would only cost CPU
        table_standby_replicas=0 if w.store == "memory" else 1,
    )
    app.kafka_settings = k
    store_for, changelog = None, Changelog()
    if store is None:  # dedup's two tables, each read and written one partition at a time
        tables = {
            name: app.tables.add(
                kind(
                    app,
                    name=name,
                    beacon=app.tables.beacon,
                    partitions=k.partitions,
                    key_type=str,
                    value_type=bytes,
                )
            )
            for name, kind in ((t.DEDUP_TABLE, faust.Table), (t.DEDUP_INDEX_TABLE, IndexTable))
        }
        tables[t.DEDUP_INDEX_TABLE].max_band_members = settings.dedup.max_band_members
        store_for = partition_stores(tables, k.partitions, changelog, t.DEDUP_INDEX_TABLE)
    ctx = app.context = Context.create(settings, store, store_for=store_for, background=True)
    observer = metrics if metrics is not None else Metrics()  # one registry per app
    topics: dict[str, faust.TopicT] = {}

    def topic(*names: str) -> faust.TopicT:
        full = [settings.topic(name) for name in names]
        return app.topic(*full, key_serializer="raw", value_serializer="raw")

    async def produce(emit: Emit, timestamp: float | None) -> Awaitable[Any] | None:
        """Hand a record to the producer: the result resolves when the broker has it."""
        if sender is not None:
            return await sender(emit)
        if emit.topic not in topics:
            topics[emit.topic] = topic(emit.topic)
        key = emit.key.encode() if emit.key else None
        return await topics[emit.topic].send(
            key=key, value=emit.payload(), partition=emit.partition, timestamp=timestamp
        )

    outage = Outage(limit=math.inf, max_wait=5.0, log_every=w.outage_log_every)

    async def delivered(emit: Emit, timestamp: float | None, ack: Awaitable[Any] | None) -> None:
        """Acknowledged by the broker; a send the outage swallowed is sent again."""
        pending = [ack]

        async def attempt() -> None:
            done = pending.pop() if pending else await produce(emit, timestamp)
            if done is not None:
                await done

        await outage.run(attempt, f"sending to {emit.topic}")

    async def send_all(stage: Stage, sends: list[tuple[Emit, faust.types.Message]]) -> None:
        """Deliver a batch's results, each with its source's timestamp (so that every record
        of an item carries the time it entered), and return only once the broker has them
        all: faust then acks the batch. A result that cannot be sent at all is rejected
        instead; a rejection that cannot be sent is logged and counted: never a crash."""
        acks: list[tuple[Emit, faust.types.Message, Awaitable[Any] | None]] = []
        for emit, source in sends:  # handed over in order, then waited for together
            try:
                ack = await produce(emit, source.timestamp)
            except Exception as exc:
                if not is_outage(exc):
                    await unsendable(stage, emit, source, exc)
                    continue
                ack = asyncio.get_running_loop().create_future()
                ack.set_exception(exc)  # `delivered` sends it again, waiting out the outage
            acks.append((emit, source, ack))
        for emit, source, ack in acks:
            try:
                await delivered(emit, source.timestamp, ack)
            except Exception as exc:
                await unsendable(stage, emit, source, exc)
            else:
                observer.emitted(stage.name, emit)

    async def unsendable(
        stage: Stage, emit: Emit, source: faust.types.Message, exc: Exception
    ) -> None:
        observer.unsendable(stage.name, emit.topic)
        log.error("cannot send a %s record of %s: %s", emit.topic, emit.key, exc)
        if emit.topic == t.REJECTED:
            observer.lost(stage.name)
            return
        why = Rejection(stage.name, "unsendable", f"{type(exc).__name__}: {exc}")
        await send_all(stage, [(rejection_emit(ctx, why, source.value, None, emit.key), source)])

    last_live = [0.0]  # monotonic time of the last batch of live records

    def add_agent(stage: Stage, names: list[str], background: bool) -> None:
        unprefixed = {settings.topic(name): name for name in names}

        async def run(events: list[faust.EventT]) -> list[list[Emit]]:
            if not ctx.models.done():  # built while the worker joined: the first batch waits
                await asyncio.wrap_future(ctx.models)
            # (a test channel's events carry no topic name: they count as the first topic)
            work = [
                (
                    unprefixed.get(e.message.topic, names[0]),
                    e.message.value,
                    _key(e.message.key),
                    datetime.fromtimestamp(e.message.timestamp, UTC),
                )
                for e in events
            ]
            if stage.blocking:  # CPU work off the loop, so heartbeats and fetches go on
                return await asyncio.to_thread(lambda: [step_sync(stage, ctx, *w) for w in work])
            return list(await asyncio.gather(*(step(stage, ctx, *w) for w in work)))

        async def agent(stream: faust.StreamT) -> None:
            wait = w.aside_batch_wait if background or stage.aside else w.batch_wait
            async for events in stream.take_events(w.batch_max, within=wait):
                if background:
                    # a backfill batch waits while live records flow, but never for long
                    deadline = time.monotonic() + w.backfill_max_wait
                    while time.monotonic() - last_live[0] < w.backfill_yield and (
                        time.monotonic() < deadline
                    ):
                        await asyncio.sleep(w.backfill_yield)
                elif stage.background:
                    last_live[0] = time.monotonic()
                with changelog.hold() as writes:  # (to_thread passes the hold on)
                    results = await run(list(events))
                await send_all(
                    stage,
                    [
                        (emit, event.message)
                        for event, emits in zip(events, results, strict=True)
                        for emit in emits
                    ],
                )
                # the dedup tables' writes after the results: a worker killed in between
                # sends a result again, never loses one (its state still says "undecided")
                changelog.release(writes)
                if changelog.unsettled:
                    await outage.run(changelog.flush, "writing the dedup tables")

        suffix = ".background" if background else ""
        app.agent(topic(*names), name=f"lagebild.{stage.name}{suffix}")(agent)

    for stage in CHAIN:
        foreground = [name for name in stage.consumes if name not in stage.background]
        add_agent(stage, foreground, background=False)
        if stage.background:
            add_agent(stage, list(stage.background), background=True)

    add_endpoints(app, observer, settings, ctx.models.done)  # /metrics, /healthz, /readyz, lag
    app.lagebild_metrics = observer  # type: ignore[attr-defined]
    return app
