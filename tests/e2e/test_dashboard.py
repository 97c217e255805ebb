"""The dashboard in headless Chromium against a real broker and worker: it lists, filters, updates.

The screenshot lands in the test's tmp folder (dashboard.png).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import settings_env
from tests.e2e.browser import Browser, chromium_binary
from tests.integration.conftest import fixture_items
from tests.kafka_reader import produce
from workers.broker import free_port
from workers.poller.feeds import SAMPLE_FEED
from workers.settings import Settings

LAGEBILD = [sys.executable, "-m", "workers.cli.main"]


def state(base: str, query: str = "") -> dict:
    with urllib.request.urlopen(f"{base}/api/state{query}", timeout=5) as response:
        return json.loads(response.read())


def settled(base: str, expected: int, timeout: float = 120) -> dict:
    """The dashboard's state once it has seen ``expected`` terminal records."""
    deadline = time.monotonic() + timeout
    found: dict = {"totals": {}}
    while time.monotonic() < deadline:
        try:
            found = state(base)
        except OSError:  # not listening yet
            found = {"totals": {}}
        if sum(found["totals"].values()) >= expected:
            return found
        time.sleep(0.5)
    raise AssertionError(f"the dashboard saw {found['totals']}, not {expected} records")


async def test_dashboard_shows_filters_and_follows_the_stream(
    kafka_settings: Settings, worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    chromium_binary()  # skips cleanly without it
    env = settings_env(kafka_settings, tmp_path)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[publisher]]\nname = "beispiel"\nfeeds = ["{SAMPLE_FEED}"]\n')
    poll = subprocess.run(
        [*LAGEBILD, "poll", "--once", "--feeds", str(feeds)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert poll.returncode == 0, poll.stderr
    published = int(poll.stdout.split(" items published")[0].rsplit(" ", 1)[1])

    port = free_port()
    log = (tmp_path / "dashboard.log").open("w")
    dashboard = subprocess.Popen(
        [*LAGEBILD, "dashboard", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        totals = settled(base, published)["totals"]
        async with Browser(tmp_path) as page:
            await page.open(f"{base}/")
            await page.wait_for("document.body.dataset.loaded === 'true'")
            shown = await page.wait_for("document.querySelectorAll('#items > li.item').length || 0")
            assert shown == sum(totals.values()) - totals.get("duplicate", 0)
            assert await page.js("document.getElementById('t-enriched').textContent") == str(
                totals["enriched"]
            )
            # chips, verdicts, duplicates under their original, the chart, the rejections
            assert await page.js("document.querySelectorAll('.chip.topic').length") > 0
            assert await page.js("document.querySelectorAll('.chip.entity').length") > 0
            assert await page.js(
                "document.querySelectorAll('#items li.item .dups li').length"
            ) == totals.get("duplicate", 0)
            assert await page.js("document.querySelectorAll('#chart-svg rect.bar-rect').length")
            assert "clean:language:en" in await page.js(
                "document.getElementById('rejections').textContent"
            )

            # filter by topic: every item left carries the topic's chip
            await page.js(
                "const s = document.getElementById('f-topic'); s.value = 'kursk';"
                "s.dispatchEvent(new Event('change'))"
            )
            kursk = len(state(base, "?topic=kursk")["items"])
            assert 0 < kursk < shown
            await page.wait_for(f"document.querySelectorAll('#items > li.item').length === {kursk}")
            assert await page.js(
                "[...document.querySelectorAll('#items > li.item')].every(li =>"
                " [...li.querySelectorAll('.chip.topic .id')].some(c => c.textContent === 'kursk'))"
            )

            # and by entity, typed into the box, on top of the topic
            await page.js(
                "const e = document.getElementById('f-entity'); e.value = 'Q7747';"
                "e.dispatchEvent(new Event('input'))"
            )
            both = len(state(base, "?topic=kursk&entity=Q7747")["items"])
            await page.wait_for(f"document.querySelectorAll('#items > li.item').length === {both}")
            await page.js("document.getElementById('f-clear').click()")
            await page.wait_for(f"document.querySelectorAll('#items > li.item').length === {shown}")

            # live: a new item shows up without a reload
            item = fixture_items("dashboard")[0]
            item = item.model_copy(update={"id": "dashboard-live", "title": "Ganz neu: Hafen"})
            produce(
                kafka_settings.kafka.bootstrap_servers or "",
                kafka_settings.topic("news.raw"),
                [(item.id.encode(), item.to_json())],
            )
            await page.wait_for(
                "document.querySelector('#items > li.item[data-id=\"dashboard-live\"]') !== null",
                timeout=60,
            )
            await page.wait_for("document.querySelector('#items > li.item').dataset.id")
            shot = await page.screenshot(tmp_path / "dashboard.png")
            assert shot.stat().st_size > 10_000
    finally:
        dashboard.terminate()
        dashboard.wait(timeout=20)
        log.close()
