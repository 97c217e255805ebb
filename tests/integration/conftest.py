"""Helpers for the backfill, replay, audit and fault tests: raw fixture items, and which
items reached a terminal topic (or where a lost one stopped)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.conftest import settings_env
from tests.kafka_reader import read_topics
from workers.dedup.state import Progress
from workers.rawinput import raw_from_input
from workers.records import RawItem, utcnow
from workers.settings import Settings
from workers.topics import DEDUP_TABLE, TERMINAL, changelog_topic

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "backfill"


def fixture_items(run_id: str = "test-live") -> list[RawItem]:
    """The 30 valid articles of tests/fixtures/backfill/articles.jsonl as live raw items."""
    items = []
    for line in (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
            item = raw_from_input(data, run_id, utcnow())
        except ValueError:
            continue
        if item.title and (item.text or item.html):
            items.append(item.model_copy(update={"origin": "live"}))
    return items


def terminal_ids(settings: Settings, wanted: set[str], timeout: float) -> Counter[str]:
    """How many terminal records each wanted id has, once all have one (or time is up)."""
    names = [settings.topic(t) for t in TERMINAL]

    def ids(records) -> Counter[str]:
        return Counter(r["value"]["id"] for n in names for r in records[n])

    records = read_topics(
        settings.kafka.bootstrap_servers or "",
        names,
        until=lambda r: wanted <= ids(r).keys(),
        timeout=timeout,
    )
    return ids(records)


#: every topic an item passes through, in the order of the flow
PASSES = (
    "news.raw",
    "news.fetch",
    "news.fetched",
    "news.clean",
    "news.dedup-probes",
    "news.dedup-signals",
    "news.unique",
    *TERMINAL,
)


def trail(settings: Settings, lost: set[str]) -> str:
    """Where each lost id was seen, a line per id (topic[partition]@offset, a signal's type
    and attempt; the dedup verdicts' changelog entries of its id): which hop dropped it."""
    names = {settings.topic(t): t for t in PASSES}
    table = changelog_topic(settings, DEDUP_TABLE)
    bootstrap = settings.kafka.bootstrap_servers or ""
    records = read_topics(bootstrap, [*names, table], timeout=60, decode=False, to_end=True)
    seen: dict[str, list[str]] = {i: [] for i in sorted(lost)}
    for name, rs in records.items():
        for r in rs:
            where = f"{names.get(name, 'verdicts')}[{r['partition']}]@{r['offset']}"
            if name == table:
                kind, _, id = r["key"].strip('"').partition("/")[2].partition(":")
                if id in seen:
                    value = r["value"]
                    if kind == "a" and value:  # an item's progress: the buckets answered
                        value = sorted(Progress.decode(value).got)
                    seen[id].append(f"{where} {kind}={value if kind == 'a' else bool(value)}")
                continue
            v = json.loads(r["value"]) if r["value"] else None
            if isinstance(v, dict) and v.get("id") in seen:
                what = ":".join(str(v[k]) for k in ("type", "attempt", "bucket") if k in v)
                seen[v["id"]].append(f"{where} {what}")
    return "\n".join(f"{i}: {', '.join(where)}" for i, where in seen.items())


def audit(settings: Settings, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`lagebild audit` on the test's topics."""
    return subprocess.run(
        [sys.executable, "-m", "workers.cli.main", "audit", *args],
        env=settings_env(settings, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
