"""`lagebild feeds`: every feed's health, read from news.poller-state, as a table."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from workers import kafka
from workers.poller.feeds import all_sources, load_publishers
from workers.poller.health import FeedHealth, feed_health
from workers.poller.state import PollerStateStore
from workers.records import utcnow
from workers.settings import Settings


async def read_health(settings: Settings) -> list[FeedHealth]:
    producer = kafka.producer(settings)
    await producer.start()
    try:
        store = PollerStateStore(settings, producer)
        await store.load()
        return feed_health(store.entries)
    finally:
        await producer.stop()


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = (moment - now).total_seconds()
    size = abs(seconds)
    text = (
        f"{size:.0f}s"
        if size < 120
        else f"{size / 60:.0f}m"
        if size < 7200
        else f"{size / 3600:.1f}h"
        if size < 172800
        else f"{size / 86400:.0f}d"
    )
    return f"in {text}" if seconds > 0 else f"{text} ago"


def show_feeds(settings: Settings, feeds_file: Path | None, as_json: bool) -> int:
    health = {h.feed: h for h in asyncio.run(read_health(settings))}
    configured = [s.url for s in all_sources(load_publishers(feeds_file))] if feeds_file else []
    now = utcnow()
    if as_json:
        for h in health.values():
            print(json.dumps(asdict(h), default=str, ensure_ascii=False))
        return 0
    table = Table(title=f"{len(health)} feeds polled", show_lines=False)
    for column in ("feed", "publisher", "last success", "items", "304 share", "next due"):
        table.add_column(column, overflow="fold")
    table.add_column("errors", justify="right")
    for url in sorted(set(health) | set(configured)):
        h = health.get(url)
        if h is None:
            table.add_row(url, "", "never polled", "", "", "", "")
            continue
        errors = f"{h.errors}" + (f" ({h.failures} in a row: {h.last_error})" if h.failures else "")
        table.add_row(
            url,
            h.publisher or "",
            _ago(h.last_success, now),
            str(h.items),
            f"{h.not_modified_share:.0%}",
            _ago(h.next_due, now),
            errors,
        )
    console = Console()
    if not console.is_terminal:  # piped: do not fold feed URLs into an 80-column table
        console = Console(width=240)
    console.print(table)
    return 0
