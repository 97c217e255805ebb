"""The chain of stages, declared once; every runner reads this declaration.

::

    news.raw ─┐                        ┌─► news.fetch ─► [fetch] ─► news.fetched ─┐
    news.raw.backfill (yields to live) ┤                                          │
              └──────────► [clean] ◄───┴──────────────────────────────────────────┘
                              │
                              ▼
                          news.clean ─► [dedup] ─► news.unique ─► [tag] ─► news.enriched ─► [route]
                                          │ ▲  └─► news.duplicates                            │
              news.dedup-probes (by bucket) │ news.dedup-signals (by id)  news.enriched.<topic> ◄┘
                                          ▼ │
                                    [dedup-index]
    every stage ──► news.rejected (stage, reason, original payload)

A :class:`Stage` names the topics it reads (and the record each carries), its
function and the topic each kind of result goes to. The faust worker
(``workers.app``) turns each stage into an agent; :class:`Pipeline` runs the same
stages in one process (``lagebild enrich``, eval, replay, the benchmarks), passing
the same bytes from hop to hop, so the two cannot drift apart. Adding a stage is
one entry here and its function.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from concurrent.futures import Future
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol

import httpx

from workers import topics as t
from workers.clean.fetch import fetch_page, needs_page
from workers.clean.stage import clean
from workers.dedup.messages import Probe, Signal
from workers.dedup.stage import DedupIndex
from workers.dedup.state import StoreFor
from workers.http import make_client
from workers.records import (
    CleanItem,
    Duplicate,
    EnrichedItem,
    FetchedItem,
    RawItem,
    Record,
    Rejected,
    UniqueItem,
    utcnow,
)
from workers.settings import Settings
from workers.sink.route import destinations
from workers.stage import Rejection, decode, peek_id, rejected
from workers.tagging.stage import Tagger

log = logging.getLogger(__name__)

Outcome = EnrichedItem | Duplicate | Rejected


@dataclass(frozen=True)
class Emit:
    """One output of a stage: a record (or the bytes of one) for a topic, under a key."""

    topic: str
    key: str | None
    value: Record | bytes | None  # None: a tombstone
    partition: int | None = None  # None: the key's

    @cached_property
    def _bytes(self) -> bytes | None:
        return self.value.to_json() if isinstance(self.value, Record) else self.value

    def payload(self) -> bytes | None:
        """The bytes sent (serialised once, however often they are asked for)."""
        return self._bytes


#: the Kafka timestamp of the record a stage is working on (set per record by ``step``)
RECORD_TIME: ContextVar[datetime | None] = ContextVar("record_time", default=None)


@dataclass
class Context:
    """What the stages need, built once per runner (a worker, an ``enrich`` run).

    The tagger (knowledge base, name model: seconds of CPU) is a future: a worker builds
    it in a thread while it joins its group, rather than before it starts to join.
    """

    settings: Settings
    models: Future[Tagger]
    index: DedupIndex
    client: httpx.AsyncClient | None = None  # None: pages are not fetched
    clock: Callable[[], datetime] = utcnow

    @property
    def tagger(self) -> Tagger:
        return self.models.result()

    def now(self) -> datetime:
        """The time of the record in hand (its Kafka timestamp in the worker), else the clock:
        a record processed twice gets the same ``processed_at``, byte for byte."""
        return RECORD_TIME.get() or self.clock()

    @classmethod
    def create(
        cls,
        settings: Settings,
        store: MutableMapping[str, Any] | None = None,
        fetch: bool = True,
        store_for: StoreFor | None = None,
        background: bool = False,
    ) -> Context:
        """``background``: build (and warm) the tagger in a thread (``models`` says when it is
        there)."""

        def tagger() -> Tagger:
            built = Tagger(settings.tagging)
            return warmed(built, settings) if background else built

        return cls(
            settings=settings,
            models=_build(tagger, background),
            index=DedupIndex(
                {} if store is None else store,
                settings.dedup,
                store_for,
                buckets=settings.kafka.partitions,
            ),
            client=make_client(settings.http) if fetch and settings.clean.fetch_pages else None,
        )

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()


def _build(make: Callable[[], Tagger], background: bool) -> Future[Tagger]:
    future: Future[Tagger] = Future()

    def build() -> None:
        try:
            future.set_result(make())
        except BaseException as exc:  # (raised again to whoever asks for the tagger)
            future.set_exception(exc)

    if background:
        threading.Thread(target=build, name="lagebild-models", daemon=True).start()
    else:
        build()
    return future


Result = Record | Sequence[Emit] | Rejection
StageFn = Callable[[Context, Any], Result | Awaitable[Result]]


@dataclass(frozen=True)
class Stage:
    """One step of the chain: what it reads, what it runs, where its results go."""

    name: str
    consumes: Mapping[str, type[Record]]  # topic -> the record it carries
    run: StageFn
    emits: Mapping[type[Record], str] = field(default_factory=dict)  # result type -> topic
    blocking: bool = False  # CPU-bound: the worker runs it off the event loop
    background: tuple[str, ...] = ()  # topics that yield to the others (backfill)
    aside: bool = False  # not on the way to a terminal record: its latency matters less


#: what :func:`warmed` runs through the CPU stages once
WARM_UP = RawItem(
    id="warm-up",
    title="Selenskyj besucht Soldaten bei Charkiw",
    html="<html><body><article><p>Der ukrainische Präsident Wolodymyr Selenskyj hat am "
    "Montag Soldaten in der Region Charkiw besucht. Die Lage an der Front bleibe schwierig, "
    "sagte er in Kyjiw.</p></article></body></html>",
    fetched_at=utcnow(),
    run_id="warm-up",
)


def warmed(tagger: Tagger, settings: Settings) -> Tagger:
    """The tagger once what the CPU stages load lazily (HanTa, the extractor) is loaded: a
    worker's first record does not pay for it, and nothing runs the tagger meanwhile.
    What is loaded then lives as long as the worker: frozen (`gc.freeze`), the cyclic
    garbage collector stops walking the knowledge base's millions of objects on every full
    collection (a fifth of the tag stage's time with 165,000 forms, `bench.tagging`)."""
    cleaned = clean(WARM_UP, settings.clean)
    if isinstance(cleaned, CleanItem):
        tagger.entities(cleaned.title, cleaned.text)
    gc.freeze()
    return tagger


# -- the stage functions: thin adapters from the context to the pure functions -----------


def clean_step(ctx: Context, item: RawItem) -> CleanItem | RawItem | Rejection:
    """A teaser-only item goes to the fetch stage first; everything else is cleaned."""
    if type(item) is RawItem and needs_page(item, ctx.settings.clean):
        if ctx.client is not None:
            return item
        return clean(item, ctx.settings.clean, page_error="fetch:disabled")
    return clean(item, ctx.settings.clean)


async def fetch_step(ctx: Context, item: RawItem) -> FetchedItem | Rejection:
    assert ctx.client is not None, "the fetch stage runs only where pages are fetched"
    return await fetch_page(item, ctx.client, ctx.settings.http, ctx.settings.clean)


def dedup_step(ctx: Context, record: CleanItem | Signal) -> list[Emit]:
    """An item's verdict, decided once on its id's partition (workers/dedup/stage.py)."""
    emits = ctx.index.decide(record, ctx.now())
    return [Emit(e.topic, e.key, e.record, e.partition) for e in emits]


def dedup_index_step(ctx: Context, probe: Probe) -> list[Emit]:
    """An item's index keys, looked up and added on the partition that owns them."""
    return [Emit(e.topic, e.key, e.record) for e in ctx.index.index(probe, ctx.now())]


def tag_step(ctx: Context, item: UniqueItem) -> EnrichedItem:
    return ctx.tagger.tag(item)


def route_step(ctx: Context, item: EnrichedItem) -> list[Emit]:
    """The enriched record, byte for byte, to news.enriched.<topic> for each of its topics."""
    known = set(ctx.tagger.topic_ids)
    return [Emit(t.enriched_topic(topic), item.id, item) for topic in destinations(item, known)]


CHAIN: tuple[Stage, ...] = (
    Stage(
        "clean",
        consumes={t.RAW: RawItem, t.FETCHED: FetchedItem, t.RAW_BACKFILL: RawItem},
        run=clean_step,
        emits={CleanItem: t.CLEAN, RawItem: t.FETCH},
        blocking=True,
        background=(t.RAW_BACKFILL,),
    ),
    Stage(
        "fetch",
        consumes={t.FETCH: RawItem},
        run=fetch_step,
        emits={FetchedItem: t.FETCHED},
        aside=True,  # (a page fetch takes far longer than any batch wait)
    ),
    # dedup: two stages and two keyed topics between them (diagram in workers/dedup/stage.py)
    Stage("dedup", consumes={t.CLEAN: CleanItem, t.DEDUP_SIGNALS: Signal}, run=dedup_step),
    Stage("dedup-index", consumes={t.DEDUP_PROBES: Probe}, run=dedup_index_step),
    Stage(
        "tag",
        consumes={t.UNIQUE: UniqueItem},
        run=tag_step,
        emits={EnrichedItem: t.ENRICHED},
        blocking=True,
    ),
    Stage("route", consumes={t.ENRICHED: EnrichedItem}, run=route_step, aside=True),
)

#: Which stage reads a topic.
READER: dict[str, Stage] = {topic: stage for stage in CHAIN for topic in stage.consumes}


class Observer(Protocol):
    """Where a runner reports each result a stage emitted (counters, metrics)."""

    def emitted(self, stage: str, emit: Emit) -> None: ...


class NoObserver:
    def emitted(self, stage: str, emit: Emit) -> None:
        pass


def rejection_emit(
    ctx: Context,
    rejection: Rejection,
    payload: bytes | None,
    item: Record | None,
    key: str | None = None,
) -> Emit:
    """The news.rejected record, keyed by the item id (or, when none can be read, by the key
    the payload came with, so that it can still be attributed)."""
    item_id, version = (
        (getattr(item, "id", None), getattr(item, "version", None))
        if item is not None
        else peek_id(payload)
    )
    log.warning(
        "rejected %s at %s: %s %s",
        item_id,
        rejection.stage,
        rejection.reason,
        rejection.detail,
        extra={"item_id": item_id or key, "stage": rejection.stage, "reason": rejection.reason},
    )
    limit = ctx.settings.kafka.max_original_bytes
    record = rejected(rejection, payload, item_id, version, limit, ctx.now())
    return Emit(t.REJECTED, item_id or key, record)


def _emits(stage: Stage, result: Result) -> list[Emit]:
    if isinstance(result, Record):
        topic = stage.emits.get(type(result))
        if topic is None:
            raise TypeError(f"stage {stage.name} returned a {type(result).__name__}: no route")
        return [Emit(topic, getattr(result, "id", None), result)]
    return list(result)  # type: ignore[arg-type]


class _Input:
    """The record a stage is working on, for the rejections it may need."""

    def __init__(self, ctx: Context, stage: Stage, payload: bytes | None, key: str | None) -> None:
        self.ctx, self.stage, self.payload, self.key = ctx, stage, payload, key

    def reject(self, rejection: Rejection, item: Record | None) -> list[Emit]:
        return [rejection_emit(self.ctx, rejection, self.payload, item, self.key)]

    def settle(self, item: Record, result: Result) -> list[Emit]:
        """Route a result; one too large for any topic is rejected instead of sent."""
        if isinstance(result, Rejection):
            return self.reject(result, item)
        emits = _emits(self.stage, result)
        limit = self.ctx.settings.kafka.max_record_bytes
        for emit in emits:
            size = len(emit.payload() or b"")
            if size > limit:
                detail = f"a {size:,}-byte record for {emit.topic}: over kafka.max_record_bytes"
                return self.reject(Rejection(self.stage.name, "record_too_large", detail), item)
        return emits

    def bug(self, item: Record, exc: Exception) -> list[Emit]:
        """A bug in a stage is caught at its boundary: logged, and the record rejected."""
        log.exception("stage %s failed", self.stage.name)
        detail = f"{type(exc).__name__}: {exc}"
        return self.reject(Rejection(self.stage.name, "exception", detail), item)


async def step(
    stage: Stage,
    ctx: Context,
    topic: str,
    payload: bytes | None,
    key: str | None = None,
    at: datetime | None = None,
) -> list[Emit]:
    """One record of ``topic`` through ``stage``: what the worker's agent does per event.
    ``at`` is the record's timestamp (the time of everything the stage stamps)."""
    RECORD_TIME.set(at)  # each call runs in a context of its own (a task or a thread)
    work = _Input(ctx, stage, payload, key)
    item = decode(stage.name, payload, stage.consumes[topic])
    if isinstance(item, Rejection):
        return work.reject(item, None)
    try:
        result = stage.run(ctx, item)
        if inspect.isawaitable(result):
            result = await result
        return work.settle(item, result)
    except Exception as exc:
        return work.bug(item, exc)


def step_sync(
    stage: Stage,
    ctx: Context,
    topic: str,
    payload: bytes | None,
    key: str | None = None,
    at: datetime | None = None,
) -> list[Emit]:
    """:func:`step` for a synchronous (``blocking``) stage, callable from a thread."""
    token = RECORD_TIME.set(at)
    try:
        return _step_sync(stage, ctx, topic, payload, key)
    finally:
        RECORD_TIME.reset(token)


def _step_sync(
    stage: Stage, ctx: Context, topic: str, payload: bytes | None, key: str | None
) -> list[Emit]:
    work = _Input(ctx, stage, payload, key)
    item = decode(stage.name, payload, stage.consumes[topic])
    if isinstance(item, Rejection):
        return work.reject(item, None)
    try:
        return work.settle(item, stage.run(ctx, item))  # type: ignore[arg-type]
    except Exception as exc:
        return work.bug(item, exc)


@dataclass
class Trace:
    """Everything one input caused: the terminal record and every emit on the way."""

    outcome: Outcome
    emits: list[Emit]

    @property
    def routed(self) -> list[str]:
        prefix = t.ENRICHED + "."
        return [e.topic[len(prefix) :] for e in self.emits if e.topic.startswith(prefix)]


class Pipeline:
    """The chain in one process: a payload in, its terminal record out (no Kafka)."""

    def __init__(
        self,
        settings: Settings,
        store: MutableMapping[str, Any] | None = None,
        *,
        fetch: bool = True,
        observer: Observer | None = None,
    ) -> None:
        self.settings = settings
        self.ctx = Context.create(settings, store, fetch=fetch)
        self.observer = observer or NoObserver()
        self._runner: asyncio.Runner | None = None

    @property
    def tagger(self) -> Tagger:
        return self.ctx.tagger

    async def __aenter__(self) -> Pipeline:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ctx.close()

    def close(self) -> None:
        """Close what :meth:`run` opened."""
        if self._runner is not None:
            self._runner.run(self.ctx.close())
            self._runner.close()
            self._runner = None

    def run(self, payload: bytes | str | None, topic: str = t.RAW) -> Outcome:
        """:meth:`process` for synchronous callers (eval, benchmarks) outside an event loop."""
        if self._runner is None:
            self._runner = asyncio.Runner()
        return self._runner.run(self.process(payload, topic))

    def forget(self) -> None:
        """Start the dedup index afresh (eval: each article judged on its own)."""
        self.ctx.index = DedupIndex({}, self.settings.dedup, buckets=self.settings.kafka.partitions)

    async def trace(
        self, payload: bytes | str | None, topic: str = t.RAW, key: str | None = None
    ) -> Trace:
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        queue = [Emit(topic, key, payload)]
        emits: list[Emit] = []
        at = self.ctx.clock()  # one time for the whole chain, as a record's timestamp is
        outcome: Outcome | None = None
        while queue:
            hop = queue.pop(0)
            stage = READER.get(hop.topic)
            if stage is None:
                continue
            results = await step(stage, self.ctx, hop.topic, hop.payload(), hop.key, at)
            for out in results:
                self.observer.emitted(stage.name, out)
                emits.append(out)
                if out.topic in t.TERMINAL_MODELS and outcome is None:
                    record = out.value
                    assert isinstance(record, EnrichedItem | Duplicate | Rejected)
                    outcome = record
                if out.topic in READER:
                    queue.append(out)
        assert outcome is not None, "every input ends in a terminal record"
        return Trace(outcome, emits)

    async def process(
        self, payload: bytes | str | None, topic: str = t.RAW, key: str | None = None
    ) -> Outcome:
        return (await self.trace(payload, topic, key)).outcome

    async def process_item(self, raw: RawItem) -> Outcome:
        return await self.process(raw.to_json())
