"""Several `lagebild poll` processes on one broker share the feeds: each item once,
and a survivor takes over the feeds of a poller killed with SIGKILL within seconds."""

from __future__ import annotations

import asyncio
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import settings_env
from tests.kafka_reader import read_topics
from workers.provision import ensure_topics
from workers.settings import Settings

FEEDS = 12


class Feeds(http.server.BaseHTTPRequestHandler):
    """/feed/<n>.xml: an RSS feed with ``items`` entries; the entries grow when told."""

    items: ClassVar[int] = 3
    hits: ClassVar[Counter[str]] = Counter()

    def do_GET(self) -> None:
        n = self.path.rsplit("/", 1)[-1].removesuffix(".xml")
        type(self).hits[n] += 1
        entries = "".join(
            f"<item><title>Meldung {i} aus Feed {n}</title>"
            f"<link>https://nachrichten.example/{n}/{i}.html</link>"
            f"<description>Kurzmeldung {i}.</description></item>"
            for i in range(self.items)
        )
        body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>{n}</title>{entries}"
        body += "</channel></rss>"
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def feeds_file(tmp_path: Path) -> Iterator[Path]:
    Feeds.items, Feeds.hits = 3, Counter()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feeds = ", ".join(f'"{base}/feed/{n}.xml"' for n in range(FEEDS))
    path = tmp_path / "feeds.toml"
    path.write_text(f'[[publisher]]\nname = "beispiel"\nfeeds = [{feeds}]\n', encoding="utf-8")
    yield path
    server.shutdown()
    server.server_close()


def owned_partitions(log: Path) -> set[int]:
    """The partitions a poller last said it owns (its -v log)."""
    lines = [line for line in log.read_text().splitlines() if "poller owns partitions" in line]
    if not lines:
        return set()
    listed = lines[-1].rsplit("[", 1)[-1].rstrip("]")
    return {int(p) for p in listed.split(",") if p.strip()}


def raw_counts(settings: Settings, at_least: int, timeout: float) -> Counter[tuple[str, int]]:
    topic = settings.topic("news.raw")
    records = read_topics(
        settings.kafka.bootstrap_servers or "",
        [topic],
        until=lambda r: len(r[topic]) >= at_least,
        timeout=timeout,
    )[topic]
    return Counter((r["value"]["id"], r["value"]["version"]) for r in records)


async def test_two_pollers_publish_each_item_once_and_take_over(
    kafka_settings: Settings, feeds_file: Path, tmp_path: Path
) -> None:
    await ensure_topics(kafka_settings, [])
    env = {
        **settings_env(kafka_settings, tmp_path),
        "LAGEBILD_HTTP__PER_HOST_DELAY": "0",
        "LAGEBILD_POLLER__INTERVAL": "1",
        "LAGEBILD_POLLER__MIN_INTERVAL": "1",
        "LAGEBILD_POLLER__MAX_INTERVAL": "1",
        "LAGEBILD_POLLER__JITTER": "0",
        "LAGEBILD_POLLER__TICK": "0.2",
    }
    pollers: list[subprocess.Popen[bytes]] = []
    try:
        for n in range(2):
            log = (tmp_path / f"poller{n}.log").open("wb")
            pollers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "workers.cli.main", "-v", "poll", "--feeds", feeds_file],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        first = raw_counts(kafka_settings, FEEDS * 3, timeout=60)
        assert len(first) == FEEDS * 3
        # both pollers joined and share the partitions; let them poll a few more rounds
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            owned = [owned_partitions(tmp_path / f"poller{n}.log") for n in range(2)]
            if all(owned) and not owned[0] & owned[1]:
                break
            await asyncio.sleep(0.5)
        assert all(owned) and not owned[0] & owned[1], f"partitions not shared: {owned}"
        assert owned[0] | owned[1] == set(range(kafka_settings.poller.partitions))
        await asyncio.sleep(3)
        polled = sum(Feeds.hits.values())
        assert polled > FEEDS * 2  # they keep polling
        shared = raw_counts(kafka_settings, FEEDS * 3, timeout=20)
        assert max(shared.values()) == 1, "an item was published twice"

        # one poller dies without a word; the other must take its feeds over
        os.killpg(pollers[0].pid, signal.SIGKILL)
        pollers[0].wait()
        killed = time.monotonic()
        Feeds.items = 4  # every feed gets a new entry
        after = raw_counts(kafka_settings, FEEDS * 4, timeout=60)
        took = time.monotonic() - killed
        assert len(after) == FEEDS * 4, f"{len(after)} items, {FEEDS * 4} expected"
        assert max(after.values()) == 1, "an item was published twice"
        assert took < 30, f"takeover took {took:.1f}s"
        print(f"takeover: all new items of the dead poller's feeds published in {took:.1f}s")
    finally:
        for process in pollers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
