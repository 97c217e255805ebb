"""A worker's operational endpoints on its faust web port: /metrics, /healthz, /readyz.

/healthz answers as long as the event loop does (liveness: restart me when it
does not). /readyz says whether the worker does its job: it holds partitions,
its consumer runs outside a rebalance, the broker answered recently and its
models are loaded. A
periodic task refreshes consumer lag per partition, and that same round trip
to the broker is the reachability check.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import faust
from aiohttp import web as aioweb

from workers.metrics import CONTENT_TYPE, Metrics
from workers.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Readiness:
    assigned: bool
    consuming: bool
    broker_reachable: bool
    models_loaded: bool = True

    @property
    def ready(self) -> bool:
        return self.assigned and self.consuming and self.broker_reachable and self.models_loaded


@dataclass
class BrokerWatch:
    """When the broker last answered (monotonic seconds; 0: never), and since when the lag
    could not be measured (0: it can), so that an outage is logged once, not every round."""

    last_ok: float = 0.0
    failing_since: float = 0.0

    def reachable(self, within: float, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        return self.last_ok > 0 and now - self.last_ok <= within


def bootstrap_hosts(bootstrap: str | None) -> list[tuple[str, int]]:
    hosts = []
    for server in (bootstrap or "").split(","):
        host, _, port = server.strip().rpartition(":")
        if host and port.isdigit():
            hosts.append((host.strip("[]"), int(port)))
    return hosts


async def any_broker_answers(bootstrap: str | None, timeout: float) -> bool:
    """A TCP connection to one bootstrap server: the check of a worker without partitions."""
    for host, port in bootstrap_hosts(bootstrap):
        with contextlib.suppress(OSError, asyncio.TimeoutError):
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
            writer.close()
            return True
    return False


def readiness(
    app: faust.App, watch: BrokerWatch, within: float, loaded: Callable[[], bool]
) -> Readiness:
    try:
        consumer = app.consumer
        assignment = consumer.assignment()
        running = consumer.state == "running"
    except Exception:  # not started yet: the consumer has no client
        assignment, running = set(), False
    return Readiness(
        assigned=bool(assignment),
        consuming=running and not app.rebalancing,
        broker_reachable=watch.reachable(within),
        models_loaded=loaded(),
    )


def add_endpoints(
    app: faust.App,
    metrics: Metrics,
    settings: Settings,
    loaded: Callable[[], bool],
) -> BrokerWatch:
    """Register the endpoints and the lag task on ``app``; returns the broker watch.
    ``loaded`` says whether the stages' models are there (built while the worker joins)."""
    w = settings.worker
    watch = BrokerWatch()

    @app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        return web.bytes(metrics.exposition(), content_type=CONTENT_TYPE.split(";")[0])

    @app.page("/healthz")
    async def healthz(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/readyz")
    async def readyz(web: Any, request: Any) -> Any:
        state = readiness(app, watch, max(w.broker_check_timeout, 3 * w.lag_interval), loaded)
        body = {"ready": state.ready, **asdict(state)}
        return web.json(body, status=200 if state.ready else 503)

    @app.task
    async def refresh_lag() -> None:
        """At start (a faust timer would first wait an interval, and /readyz with it),
        then every ``lag_interval``."""
        while True:
            await measure_lag(app, metrics, watch, settings)
            await asyncio.sleep(w.lag_interval)

    @app.on_partitions_revoked.connect
    async def _forget_lag(app: faust.App, revoked: Any, **kwargs: Any) -> None:
        metrics.forget_lag()

    return watch


async def measure_lag(
    app: faust.App, metrics: Metrics, watch: BrokerWatch, settings: Settings
) -> None:
    """Lag of every assigned partition: the broker's end offset minus our position."""
    timeout = settings.worker.broker_check_timeout
    try:
        # a table's changelog is read only while recovering: its position says nothing
        tps = sorted(tp for tp in app.consumer.assignment() if not tp.topic.endswith("-changelog"))
    except Exception:
        tps = []
    if not tps:
        if await any_broker_answers(settings.kafka.bootstrap_servers, timeout):
            watch.last_ok = time.monotonic()
        return
    try:
        ends = await asyncio.wait_for(app.consumer.highwaters(*tps), timeout)
        watch.last_ok = time.monotonic()
        for tp in tps:
            position = await asyncio.wait_for(app.consumer.position(tp), timeout)
            end = ends.get(tp)
            if end is not None and position is not None:
                metrics.lag(tp.topic, tp.partition, end - position)
    except Exception as exc:  # a broker away is what /readyz reports, not a crash
        if not watch.failing_since:
            watch.failing_since = time.monotonic()
            log.warning("consumer lag not measured (until it is again): %r", exc)
        return
    if watch.failing_since:
        seconds, watch.failing_since = time.monotonic() - watch.failing_since, 0.0
        log.warning("consumer lag measured again after %.0f s", seconds)


async def serve_metrics(metrics: Metrics, host: str, port: int) -> aioweb.AppRunner:
    """/metrics and /healthz for a process without faust's web server (the poller)."""

    async def metrics_page(request: aioweb.Request) -> aioweb.Response:
        return aioweb.Response(
            body=metrics.exposition(), content_type=CONTENT_TYPE.split(";")[0], charset="utf-8"
        )

    async def healthz(request: aioweb.Request) -> aioweb.Response:
        return aioweb.json_response({"status": "ok"})

    app = aioweb.Application()
    app.router.add_get("/metrics", metrics_page)
    app.router.add_get("/healthz", healthz)
    runner = aioweb.AppRunner(app, access_log=None)
    await runner.setup()
    await aioweb.TCPSite(runner, host, port).start()
    return runner
