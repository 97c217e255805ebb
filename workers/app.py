"""The faust-streaming app: thin agents that move records between topics.

Each agent decodes a record, calls a stage function and routes the result;
rejections (including bugs caught at the boundary) go to news.rejected with
the payload as received. Processing is at least once; every output is keyed
by item id and deterministic, so a record processed twice changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import faust

from workers import topics as t
from workers.clean.fetch import fetch_article
from workers.clean.stage import clean
from workers.dedup.stage import DedupIndex, dedup
from workers.http import make_client
from workers.records import CleanItem, Duplicate, EnrichedItem, RawItem, UniqueItem, utcnow
from workers.settings import Settings
from workers.sink.route import destinations
from workers.stage import Rejection, decode, peek_id, rejected, run_stage
from workers.tagging.stage import Tagger

log = logging.getLogger(__name__)

M = TypeVar("M", CleanItem, UniqueItem)
R = TypeVar("R")


def create_app(settings: Settings) -> faust.App:
    k, w = settings.kafka, settings.worker
    app = faust.App(
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
    )
    tagger = Tagger(settings.tagging)
    page_client = make_client(settings.http)  # article pages of teaser-only items
    known_topics = set(tagger.topic_ids)
    stats: Counter[str] = Counter()

    def topic(name: str) -> faust.TopicT:
        return app.topic(settings.topic(name), key_serializer="raw", value_serializer="raw")

    raw_t, clean_t, unique_t = topic(t.RAW), topic(t.CLEAN), topic(t.UNIQUE)
    backfill_t = topic(t.RAW_BACKFILL)
    enriched_t, dup_t, rejected_t = topic(t.ENRICHED), topic(t.DUPLICATES), topic(t.REJECTED)
    sink_t = {name: topic(t.enriched_topic(name)) for name in known_topics}
    table = app.Table(t.DEDUP_TABLE, partitions=1, key_type=str, value_type=None)
    index = DedupIndex(table, settings.dedup)

    async def reject(
        rejection: Rejection,
        payload: bytes | None,
        item_id: str | None = None,
        version: int | None = None,
    ) -> None:
        if item_id is None:
            item_id, version = peek_id(payload)
        stats[f"rejected.{rejection.stage}.{rejection.reason}"] += 1
        log.warning(
            "rejected %s at %s: %s %s", item_id, rejection.stage, rejection.reason, rejection.detail
        )
        record = rejected(rejection, payload, item_id, version)
        await rejected_t.send(key=(item_id or "").encode() or None, value=record.to_json())

    async def clean_record(payload: bytes | None) -> None:
        raw = decode("clean", payload, RawItem)
        if isinstance(raw, Rejection):
            await reject(raw, payload)
            return
        # a teaser-only item gets its page first (bounded by clean.fetch_timeout)
        fetched = await fetch_article(raw, page_client, settings.http, settings.clean)
        if isinstance(fetched, Rejection):
            await reject(fetched, payload, raw.id, raw.version)
            return
        # extraction is CPU work: off the event loop, so heartbeats and fetches go on
        result = await asyncio.to_thread(run_stage, "clean", clean, fetched, settings.clean)
        if isinstance(result, Rejection):
            await reject(result, payload, raw.id, raw.version)
            return
        stats["clean.ok"] += 1
        await clean_t.send(key=raw.id.encode(), value=result.to_json())

    last_live = [0.0]  # monotonic time of the last live raw record

    @app.agent(raw_t)
    async def clean_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            last_live[0] = time.monotonic()
            await clean_record(event.message.value)

    @app.agent(backfill_t)
    async def backfill_clean_agent(stream: faust.StreamT) -> None:
        """Backfills at lower priority: while live records flow, a backfill record waits.

        Both agents share the event loop, so the wait hands the (costly) clean stage
        to live records; it is bounded, so a busy live stream slows a backfill but
        never stops it.
        """
        async for event in stream.events():
            deadline = time.monotonic() + w.backfill_max_wait
            while time.monotonic() - last_live[0] < w.backfill_yield < deadline - time.monotonic():
                await asyncio.sleep(w.backfill_yield)
            stats["backfill.in"] += 1
            await clean_record(event.message.value)

    async def apply(
        stage: str, payload: bytes | None, model: type[M], fn: Callable[[M], R]
    ) -> tuple[M, R] | None:
        """Decode a record and run a stage function on it; a rejection is routed, None returned."""
        item = decode(stage, payload, model)
        if isinstance(item, Rejection):
            await reject(item, payload)
            return None
        result = run_stage(stage, fn, item)
        if isinstance(result, Rejection):
            await reject(result, payload, item.id, item.version)
            return None
        return item, result

    @app.agent(clean_t)
    async def dedup_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            done = await apply(
                "dedup", event.message.value, CleanItem, lambda i: dedup(i, index, utcnow())
            )
            if done is None:
                continue
            item, result = done
            if isinstance(result, Duplicate):
                stats[f"duplicate.{result.kind}"] += 1
                await dup_t.send(key=item.id.encode(), value=result.to_json())
            else:
                stats["dedup.unique"] += 1
                await unique_t.send(key=item.id.encode(), value=result.to_json())

    @app.agent(unique_t)
    async def tag_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            done = await apply("tag", event.message.value, UniqueItem, tagger.tag)
            if done is not None:
                item, result = done
                stats["tag.enriched"] += 1
                await enriched_t.send(key=item.id.encode(), value=result.to_json())

    @app.agent(enriched_t)
    async def sink_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            payload = event.message.value
            item = decode("sink", payload, EnrichedItem)
            if isinstance(item, Rejection):
                # already terminal on news.enriched: count it, do not reject it twice
                stats[f"sink.undecodable.{item.reason}"] += 1
                log.error("sink cannot route a record on %s: %s", t.ENRICHED, item.detail)
                continue
            for topic_id in destinations(item, known_topics):
                stats[f"sink.{topic_id}"] += 1
                await sink_t[topic_id].send(key=event.message.key, value=payload)

    @app.on_partitions_revoked.connect
    async def _forget_near_index(app: faust.App, revoked: Any, **kwargs: Any) -> None:
        index.reset()

    @app.page("/stats/")
    async def stats_page(web: Any, request: Any) -> Any:
        return web.json(dict(stats))

    app.lagebild_stats = stats  # type: ignore[attr-defined]
    return app
