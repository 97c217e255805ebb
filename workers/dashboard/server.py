"""The dashboard's shell: a consumer of the terminal topics, the workers' lag, an aiohttp page.

The page (static/, shipped in the package, no build step) polls /api/state
every ``dashboard.refresh`` seconds; the filters travel as query parameters.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from importlib.resources import files
from typing import Any

from aiohttp import web
from aiokafka import TopicPartition
from pydantic import ValidationError

from workers import kafka
from workers.dashboard.state import Board
from workers.pipeline import READER
from workers.settings import Settings
from workers.tagging.taxonomy import load_taxonomy
from workers.topics import TERMINAL_MODELS, declared_topics

#: The topics the workers consume, as the chain declares them: where their lag is.
WORKER_SOURCES = tuple(READER)

log = logging.getLogger(__name__)
STATIC = files("workers.dashboard") / "static"


class Dashboard:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        d = settings.dashboard
        labels = {rule.id: rule.label for rule in load_taxonomy(settings.tagging.topics_file)}
        self.board = Board(labels, newest=d.newest, bucket=d.bucket, buckets=d.buckets)
        self.ready = asyncio.Event()  # the consumer has its partitions and positions

    async def follow(self) -> None:
        """Read every partition of the terminal topics, from ``lookback`` seconds ago on."""
        names = {self.settings.topic(name): name for name in TERMINAL_MODELS}
        consumer = kafka.consumer(self.settings, *TERMINAL_MODELS, from_beginning=True)
        try:
            await consumer.start()
            # without a group the partitions come with the metadata: wait for them a little,
            # then start at ``lookback`` (what was fetched meanwhile is read again from there)
            deadline = time.monotonic() + 5.0
            while time.monotonic() < deadline and {tp.topic for tp in consumer.assignment()} < set(
                names
            ):
                await consumer.getmany(timeout_ms=200)
            await self._seek(consumer, sorted(consumer.assignment()))
            self.ready.set()
            while True:
                batch = await consumer.getmany(timeout_ms=500)
                for tp, messages in batch.items():
                    model = TERMINAL_MODELS[names[tp.topic]]
                    for message in messages:
                        try:
                            record = model.model_validate_json(message.value)
                        except ValidationError:
                            log.warning("undecodable record on %s at %d", tp.topic, message.offset)
                            continue
                        self.board.add(record, message.timestamp / 1000)
        finally:
            await consumer.stop()

    async def _seek(self, consumer: Any, partitions: list[TopicPartition]) -> None:
        since_ms = int((time.time() - self.settings.dashboard.lookback) * 1000)
        try:
            found = await consumer.offsets_for_times({tp: since_ms for tp in partitions})
        except Exception as exc:  # a broker without timestamp lookup: everything
            log.info("no offsets by time (%s): reading from the beginning", exc)
            found = {}
        for tp in partitions:
            hit = found.get(tp)
            if hit is not None:
                consumer.seek(tp, hit.offset)
            else:
                await consumer.seek_to_beginning(tp)

    async def watch_lag(self) -> None:
        """The workers' consumer group: per topic, end offsets minus committed offsets.

        A consumer in the workers' group that never subscribes (so never joins or
        commits) reads the group's committed offsets; the ends are the log's own
        (``kafka.log_end_offsets``), as the embedded broker reports them short.
        """
        s = self.settings
        partitions = {spec.name: spec.partitions for spec in declared_topics(s, [])}
        tps = [
            TopicPartition(s.topic(name), p)
            for name in WORKER_SOURCES
            for p in range(partitions[s.topic(name)])
        ]
        consumer = kafka.consumer(s, group_id=s.worker.app_id, commit=False)
        try:
            await consumer.start()
            while True:
                try:
                    ends = await kafka.log_end_offsets(
                        consumer, await consumer.end_offsets(tps), wait=1.0
                    )
                    lag: dict[str, int] = {}
                    for tp in tps:
                        committed = await consumer.committed(tp)
                        behind = ends.get(tp, 0) - (committed or 0)
                        name = tp.topic.removeprefix(s.kafka.topic_prefix)
                        lag[name] = lag.get(name, 0) + max(behind, 0)
                    self.board.lag = lag
                except Exception as exc:  # a broker away shows as stale lag, not as a crash
                    log.info("lag of group %s not read: %r", s.worker.app_id, exc)
                await asyncio.sleep(s.dashboard.lag_interval)
        finally:
            await consumer.stop()

    def app(self) -> web.Application:
        app = web.Application()

        async def index(request: web.Request) -> web.Response:
            html = (STATIC / "index.html").read_text(encoding="utf-8")
            html = html.replace("{{refresh_ms}}", str(int(self.settings.dashboard.refresh * 1000)))
            return web.Response(text=html, content_type="text/html")

        async def asset(request: web.Request) -> web.Response:
            name = request.match_info["name"]
            kinds = {"js": "application/javascript", "css": "text/css"}
            kind = kinds.get(name.rsplit(".", 1)[-1])
            if kind is None or "/" in name or not (STATIC / name).is_file():
                raise web.HTTPNotFound()
            return web.Response(text=(STATIC / name).read_text(encoding="utf-8"), content_type=kind)

        async def state(request: web.Request) -> web.Response:
            topic = request.query.get("topic") or None
            entity = request.query.get("entity") or None
            return web.json_response(self.board.snapshot(time.time(), topic, entity))

        app.router.add_get("/", index)
        app.router.add_get("/static/{name}", asset)
        app.router.add_get("/api/state", state)
        return app


async def serve_dashboard(
    settings: Settings, on_ready: Any = None, host: str | None = None, port: int | None = None
) -> None:
    """Serve until cancelled; ``on_ready(url)`` once the page answers."""
    dashboard = Dashboard(settings)
    d = settings.dashboard
    host = host or d.host
    runner = web.AppRunner(dashboard.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, d.port if port is None else port)
    tasks: list[asyncio.Task[None]] = []
    try:
        await site.start()
        tasks = [
            asyncio.create_task(dashboard.follow()),
            asyncio.create_task(dashboard.watch_lag()),
        ]
        bound = runner.addresses[0][1] if runner.addresses else d.port
        if callable(on_ready):
            on_ready(f"http://{host}:{bound}/")
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()  # the consumer failed: say why
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await runner.cleanup()
