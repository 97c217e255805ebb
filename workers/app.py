"""The faust-streaming app: thin agents that move records between topics.

Each agent decodes a record, calls a stage function and routes the result;
rejections (including bugs caught at the boundary) go to news.rejected with
the payload as received. Processing is at least once; every output is keyed
by item id and deterministic, so a record processed twice changes nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import faust

from workers.clean.stage import clean
from workers.dedup.stage import DedupIndex, dedup
from workers.records import CleanItem, Duplicate, EnrichedItem, RawItem, UniqueItem, utcnow
from workers.settings import Settings
from workers.sink.route import destinations
from workers.stage import Rejection, decode, peek_id, rejected, run_stage
from workers.tagging.stage import Tagger
from workers import topics as t

log = logging.getLogger(__name__)


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
    known_topics = set(tagger.topic_ids)
    stats: Counter[str] = Counter()

    def topic(name: str) -> faust.TopicT:
        return app.topic(settings.topic(name), key_serializer="raw", value_serializer="raw")

    raw_t, clean_t, unique_t = topic(t.RAW), topic(t.CLEAN), topic(t.UNIQUE)
    enriched_t, dup_t, rejected_t = topic(t.ENRICHED), topic(t.DUPLICATES), topic(t.REJECTED)
    sink_t = {name: topic(t.enriched_topic(name)) for name in known_topics}
    table = app.Table(t.DEDUP_TABLE, partitions=1, key_type=str, value_type=None)
    index = DedupIndex(table, settings.dedup)

    async def reject(rejection: Rejection, payload: bytes | None, item_id: str | None = None,
                     version: int | None = None) -> None:
        if item_id is None:
            item_id, version = peek_id(payload)
        stats[f"rejected.{rejection.stage}.{rejection.reason}"] += 1
        log.warning("rejected %s at %s: %s %s", item_id, rejection.stage, rejection.reason,
                    rejection.detail)
        record = rejected(rejection, payload, item_id, version)
        await rejected_t.send(key=(item_id or "").encode() or None, value=record.to_json())

    @app.agent(raw_t)
    async def clean_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            payload = event.message.value
            raw = decode("clean", payload, RawItem)
            if isinstance(raw, Rejection):
                await reject(raw, payload)
                continue
            result = run_stage("clean", clean, raw, settings.clean)
            if isinstance(result, Rejection):
                await reject(result, payload, raw.id, raw.version)
                continue
            stats["clean.ok"] += 1
            await clean_t.send(key=raw.id.encode(), value=result.to_json())

    @app.agent(clean_t)
    async def dedup_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            payload = event.message.value
            item = decode("dedup", payload, CleanItem)
            if isinstance(item, Rejection):
                await reject(item, payload)
                continue
            result = run_stage("dedup", dedup, item, index, utcnow())
            if isinstance(result, Rejection):
                await reject(result, payload, item.id, item.version)
            elif isinstance(result, Duplicate):
                stats[f"duplicate.{result.kind}"] += 1
                await dup_t.send(key=item.id.encode(), value=result.to_json())
            else:
                stats["dedup.unique"] += 1
                await unique_t.send(key=item.id.encode(), value=result.to_json())

    @app.agent(unique_t)
    async def tag_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            payload = event.message.value
            item = decode("tag", payload, UniqueItem)
            if isinstance(item, Rejection):
                await reject(item, payload)
                continue
            result = run_stage("tag", tagger.tag, item)
            if isinstance(result, Rejection):
                await reject(result, payload, item.id, item.version)
                continue
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
