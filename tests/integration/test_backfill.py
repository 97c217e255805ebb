"""`lagebild backfill` against the embedded broker: idempotent, resumable, beside the poller."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import settings_env, shared_path
from tests.kafka_reader import read_topics
from workers.provision import ensure_topics
from workers.settings import Settings
from workers.topics import DUPLICATES, ENRICHED, RAW, RAW_BACKFILL, REJECTED, TERMINAL

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "backfill"
ARTICLES = FIXTURES / "articles.jsonl"
GOOD_ARTICLES = 30  # and three invalid lines


def provision(settings: Settings) -> None:
    asyncio.run(ensure_topics(settings))


def lagebild(
    settings: Settings, tmp_path: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workers.cli.main", *args],
        env=settings_env(settings, tmp_path),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def ids_on(settings: Settings, topic: str, idle: float = 2.0) -> Counter[str]:
    name = settings.topic(topic)
    records = read_topics(settings.kafka.bootstrap_servers or "", [name], timeout=20, idle=idle)
    return Counter(r["key"] for r in records[name])


def terminal_ids(settings: Settings, wanted: set[str], timeout: float = 90) -> dict[str, set[str]]:
    """Item id -> the terminal topics it reached, once every wanted id has one."""
    names = [settings.topic(t) for t in TERMINAL]
    records = read_topics(
        settings.kafka.bootstrap_servers or "",
        names,
        timeout=timeout,
        until=lambda rs: wanted <= {r["value"].get("id") for n in names for r in rs[n]},
    )
    reached: dict[str, set[str]] = {}
    for name in names:
        for r in records[name]:
            reached.setdefault(r["value"].get("id"), set()).add(name)
    return reached


def test_backfill_beside_the_poller_then_again_publishes_nothing(
    kafka_settings: Settings, worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    env = settings_env(kafka_settings, tmp_path)
    poller = subprocess.Popen(
        [sys.executable, "-m", "workers.cli.main", "poll", "--once"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    first = lagebild(kafka_settings, tmp_path, "backfill", str(ARTICLES), "--no-progress")
    assert poller.wait(timeout=60) == 0
    assert first.returncode == 0, first.stderr
    assert "published: 30" in first.stdout
    assert "invalid: 3" in first.stdout
    for line in (
        "articles.jsonl:11: invalid_json",
        "articles.jsonl:22: empty",
        "articles.jsonl:28: invalid_field",
    ):
        assert line in first.stderr.replace("\n", " "), first.stderr

    names = [kafka_settings.topic(t) for t in (RAW_BACKFILL, RAW, *TERMINAL)]
    bf, live_t = names[0], names[1]

    def settled(rs: dict[str, list[dict]]) -> bool:
        raw_ids = {r["key"] for r in rs[bf]} | {r["key"] for r in rs[live_t]}
        done = {r["value"].get("id") for n in names[2:] for r in rs[n]}
        return len(rs[bf]) >= GOOD_ARTICLES and len(rs[live_t]) >= 20 and raw_ids <= done

    bootstrap = kafka_settings.kafka.bootstrap_servers or ""
    before = read_topics(bootstrap, names, until=settled, timeout=90)
    assert settled(before)
    raw = Counter(r["value"]["id"] for r in before[bf])
    assert len(raw) == GOOD_ARTICLES and set(raw.values()) == {1}
    assert {r["value"]["origin"] for r in before[bf]} == {"backfill"}
    assert len({r["value"]["run_id"] for r in before[bf]}) == 1
    enriched = {r["value"]["id"] for r in before[kafka_settings.topic(ENRICHED)]}
    outcomes = {
        r["value"].get("id"): (t, r["value"].get("reason") or r["value"].get("duplicate_of"))
        for t in (DUPLICATES, REJECTED)
        for r in before[kafka_settings.topic(t)]
    }
    # none of the backfill is a duplicate or rejected (the live feed has dups and English)
    assert set(raw) <= enriched and not set(raw) & set(outcomes), [
        outcomes.get(i) for i in set(raw) - enriched
    ]

    again = lagebild(kafka_settings, tmp_path, "backfill", str(ARTICLES), "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "published: 0" in again.stdout
    assert "skipped as already known: 30" in again.stdout
    time.sleep(1.5)
    after = read_topics(bootstrap, names, timeout=30, idle=2.0)
    assert {n: len(v) for n, v in after.items()} == {n: len(v) for n, v in before.items()}


def test_ctrl_c_halfway_then_resume_publishes_each_item_once(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    provision(kafka_settings)
    env = settings_env(kafka_settings, tmp_path)
    cmd = [
        sys.executable,
        "-m",
        "workers.cli.main",
        "backfill",
        str(ARTICLES),
        "--rate",
        "6",
        "--no-progress",
    ]
    process = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    read_topics(
        kafka_settings.kafka.bootstrap_servers or "",
        [kafka_settings.topic(RAW_BACKFILL)],
        timeout=30,
        until=lambda rs: sum(len(v) for v in rs.values()) >= 8,
    )
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "interrupted" in out
    first = int(out.split("published: ")[1].split()[0])
    assert 0 < first < GOOD_ARTICLES, out

    resumed = lagebild(kafka_settings, tmp_path, "backfill", str(ARTICLES), "--no-progress")
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming run" in resumed.stderr
    second = int(resumed.stdout.split("published: ")[1].split()[0])
    assert first + second == GOOD_ARTICLES
    assert f"skipped as already known: {first}" in resumed.stdout

    raw = read_topics(
        kafka_settings.kafka.bootstrap_servers or "",
        [kafka_settings.topic(RAW_BACKFILL)],
        timeout=20,
        idle=1.5,
    )
    values = [r["value"] for r in raw[kafka_settings.topic(RAW_BACKFILL)]]
    counts = Counter(v["id"] for v in values)
    assert len(counts) == GOOD_ARTICLES and set(counts.values()) == {1}
    assert len({v["run_id"] for v in values}) == 1  # the resumed run kept its run id
    assert len({v["fetched_at"] for v in values}) == 1


@pytest.mark.shared
def test_backfill_of_the_shared_corpus_sample(kafka_settings: Settings, tmp_path: Path) -> None:
    """A slice of ../shared's Wikinews corpus (skipped when ../shared is absent)."""
    corpus = shared_path("data", "corpus", "wikinews_de", "articles.jsonl")
    sample = tmp_path / "wikinews.jsonl"
    with corpus.open(encoding="utf-8") as fh, sample.open("w", encoding="utf-8") as out:
        for _, line in zip(range(40), fh, strict=False):
            row = json.loads(line)
            out.write(
                json.dumps(
                    {
                        "id": row["documentName"],
                        "title": row["documentName"],
                        "text": row["text"],
                        "source": "wikinews",
                    }
                )
                + "\n"
            )
    result = lagebild(kafka_settings, tmp_path, "backfill", str(sample), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "published: 40" in result.stdout
    assert len(ids_on(kafka_settings, RAW_BACKFILL)) == 40
