"""Poller, backfill and worker ride out an outage of the broker (SIGSTOP of the embedded
broker process), all three at once, and lose nothing; poller and backfill stop cleanly
with a summary when it lasts longer than their limit.

The outage lasts ``LAGEBILD_TEST_OUTAGE`` seconds (default 90, the issue's figure;
shorter locally with the variable). Each test has a broker of its own, so the
session's broker keeps serving the other tests.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka.errors import KafkaConnectionError

from tests.integration.conftest import terminal_ids, trail
from tests.kafka_reader import read_topics
from workers.backfill.run import run_backfill
from workers.backfill.sources import Options
from workers.broker import EmbeddedBroker, free_port
from workers.poller.feeds import SAMPLE_FEED, Publisher
from workers.poller.run import run_poller
from workers.process import spawn_worker, stop_process
from workers.provision import ensure_topics
from workers.settings import BrokerSettings, Settings

OUTAGE = float(os.environ.get("LAGEBILD_TEST_OUTAGE", "90"))
ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "backfill" / "articles.jsonl"
GOOD_ARTICLES = 30


@pytest.fixture
def own_broker() -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker(BrokerSettings(port=free_port())) as broker:
        yield broker


def outage_settings(broker: EmbeddedBroker, limit: float, request_timeout: float) -> Settings:
    return (
        Settings()
        .with_embedded_broker(broker.bootstrap)
        .replace(
            # each attempt gives up sooner than by default; the retries go on
            kafka={"partitions": 2, "request_timeout": request_timeout},
            poller={
                "outage_limit": limit,
                "min_interval": 0.5,
                "interval": 0.5,
                "max_interval": 1.0,
                "tick": 0.2,
            },
        )
    )


def stop(broker: EmbeddedBroker) -> None:
    assert broker.process is not None
    os.kill(broker.process.pid, signal.SIGSTOP)


def cont(broker: EmbeddedBroker) -> None:
    assert broker.process is not None
    os.kill(broker.process.pid, signal.SIGCONT)


def raw(settings: Settings, topic: str, at_least: int) -> Counter[tuple[str, int]]:
    """How often each (id, version) is on the topic, once ``at_least`` distinct ones are.

    A send whose acknowledgement the outage swallowed is sent again: a repeat is allowed
    (at least once), but it must be the very same record, byte for byte.
    """
    name = settings.topic(topic)
    records = read_topics(
        settings.kafka.bootstrap_servers or "",
        [name],
        until=lambda r: (
            len({(x["value"]["id"], x["value"]["version"]) for x in r[name]}) >= at_least
        ),
        timeout=60,
    )[name]
    seen: dict[tuple[str, int], dict] = {}
    for record in records:
        key = (record["value"]["id"], record["value"]["version"])
        assert seen.setdefault(key, record["value"]) == record["value"], f"{key} differs"
    return Counter((r["value"]["id"], r["value"]["version"]) for r in records)


@pytest.mark.slow
async def test_poller_backfill_and_worker_survive_a_broker_outage(
    own_broker: EmbeddedBroker, tmp_path: Path
) -> None:
    settings = outage_settings(own_broker, limit=OUTAGE + 60, request_timeout=10.0).replace(
        worker={"web_port": free_port(), "data_dir": str(tmp_path / "worker")}
    )
    await ensure_topics(settings)
    worker = spawn_worker(settings, log=tmp_path / "worker.log")  # busy when the broker goes
    feed = tmp_path / "feed.xml"
    shutil.copy(SAMPLE_FEED, feed)
    poller = asyncio.create_task(
        run_poller(settings, [Publisher(name="beispiel", feeds=(str(feed),))])
    )
    try:
        first = await asyncio.to_thread(raw, settings, "news.raw", 20)
        assert len(first) == 20, (len(first), poller.done() and poller.result())
        # the worker is under way (a worker that cannot reach Kafka at its start says so
        # and exits: an outage is what happens to a running one)
        await asyncio.to_thread(terminal_ids, settings, {id for id, _ in first}, 120)

        # a backfill running (throttled to 2 items/s, so that it is mid-run) when the broker
        # goes; a backfill *started* against a broker that does not answer fails at once
        backfill = asyncio.create_task(
            run_backfill(
                settings, [(str(ARTICLES), "jsonl")], Options(), rate=2.0, show_progress=False
            )
        )
        await asyncio.to_thread(raw, settings, "news.raw.backfill", 2)
        stop(own_broker)
        # during the outage: an entry is corrected
        feed.write_bytes(
            feed.read_bytes().replace(
                b"Leverkusen \xc3\xbcbernimmt Tabellenf\xc3\xbchrung", b"Leverkusen ist Spitze"
            )
        )
        await asyncio.sleep(OUTAGE)
        # both still waiting, none crashed
        assert not poller.done(), poller.result()
        assert not backfill.done(), backfill.result()
        cont(own_broker)

        summary = await asyncio.wait_for(backfill, timeout=120)
        assert summary.outage is None and not summary.interrupted
        assert summary.published == GOOD_ARTICLES

        live = await asyncio.to_thread(raw, settings, "news.raw", 21)
        assert len(live) == 21  # the correction (version 2) arrived; repeats are identical
        assert sorted(v for _, v in live) == [1] * 20 + [2]
        backfilled = await asyncio.to_thread(raw, settings, "news.raw.backfill", GOOD_ARTICLES)
        assert len(backfilled) == GOOD_ARTICLES  # 0 lost
        assert not poller.done()

        # and the worker took every one of them to its end
        wanted = {id for id, _ in live} | {id for id, _ in backfilled}
        counts = await asyncio.to_thread(terminal_ids, settings, wanted, 240)
        log = (tmp_path / "worker.log").read_text(errors="replace")
        if lost := wanted - counts.keys():
            where = trail(settings, lost)
            pytest.fail(f"{len(lost)} of {len(wanted)} lost:\n{where}\n{log[-3000:]}")
        assert worker.poll() is None, log[-3000:]
        # the outage logged once and then every so often, not a line per retry
        assert log.count("\n") < 200, log[-3000:]
    finally:
        cont(own_broker)
        poller.cancel()
        await asyncio.gather(poller, return_exceptions=True)
        stop_process(worker)


async def test_an_outage_longer_than_the_limit_ends_cleanly_and_resumes(
    own_broker: EmbeddedBroker, tmp_path: Path
) -> None:
    settings = outage_settings(own_broker, limit=5.0, request_timeout=3.0)
    await ensure_topics(settings, [])
    sources = [(str(ARTICLES), "jsonl")]
    # 10 items/s: the broker goes away in the middle of the run
    backfill = asyncio.create_task(
        run_backfill(settings, sources, Options(), rate=10, show_progress=False)
    )
    await asyncio.sleep(1.5)
    stop(own_broker)
    try:
        summary = await asyncio.wait_for(backfill, timeout=120)
        # a poller started while the broker is away: an error at once ("cannot reach
        # Kafka" on the command line), not an outage to wait out
        with pytest.raises(KafkaConnectionError):
            await asyncio.wait_for(
                run_poller(settings, [Publisher(name="b", feeds=(str(SAMPLE_FEED),))], once=True),
                timeout=120,
            )
    finally:
        cont(own_broker)
    assert summary.interrupted and summary.outage and "limit 5s" in summary.outage
    assert 0 < summary.published < GOOD_ARTICLES  # stopped in the middle, with its count

    again = await run_backfill(settings, sources, Options(), show_progress=False)
    assert again.resumed and again.run_id == summary.run_id
    assert again.outage is None and not again.interrupted
    assert summary.published + again.published == GOOD_ARTICLES
    backfilled = await asyncio.to_thread(raw, settings, "news.raw.backfill", GOOD_ARTICLES)
    assert len(backfilled) == GOOD_ARTICLES  # 0 lost (repeats: the same bytes, resent)
