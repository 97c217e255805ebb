"""`lagebild replay` after a topic rule changed: only the affected items get a new version."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from tests.conftest import settings_env
from tests.integration.conftest import fixture_items
from tests.integration.test_audit import publish, wait_terminal
from tests.kafka_reader import read_topics
from workers.provision import ensure_topics
from workers.settings import Settings
from workers.topics import ENRICHED, enriched_topic

#: the fixture articles 4, 12 and 20 mention a flood ("Hochwasser"); no other does
FLOOD_ITEMS = 3
NEW_PATTERN = "  { regex = '\\bhochwasser\\w*', weight = 3.0 },\n"


def changed_taxonomy(settings: Settings, tmp_path: Path) -> Path:
    """The taxonomy with one more pattern for `sanctions` (a rule change to replay)."""
    text = settings.tagging.topics_file.read_text(encoding="utf-8")
    start = text.index('id = "sanctions"')
    at = text.index("patterns = [\n", start) + len("patterns = [\n")
    path = tmp_path / "topics.toml"
    path.write_text(text[:at] + NEW_PATTERN + text[at:], encoding="utf-8")
    return path


def replay(
    settings: Settings, tmp_path: Path, *args: str, topics_file: Path | None = None
) -> subprocess.CompletedProcess[str]:
    if topics_file is not None:
        settings = settings.replace(tagging={"topics_file": topics_file})
    env = settings_env(settings, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "workers.cli.main", "replay", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_replay_publishes_only_what_a_rule_change_changed(
    kafka_settings: Settings, tmp_path: Path, worker: subprocess.Popen[bytes]
) -> None:
    items = fixture_items()
    asyncio.run(ensure_topics(kafka_settings))
    asyncio.run(publish(kafka_settings, items))
    wait_terminal(kafka_settings, {i.id for i in items})

    same = replay(kafka_settings, tmp_path)
    assert "unchanged: 30" in same.stdout and "published: 0" in same.stdout, same.stdout

    rules = changed_taxonomy(kafka_settings, tmp_path)
    dry = replay(kafka_settings, tmp_path, "--dry-run", topics_file=rules)
    assert "dry run" in dry.stdout
    assert f"changed: {FLOOD_ITEMS}" in dry.stdout
    assert f"by stage tag: {FLOOD_ITEMS}" in dry.stdout
    assert f"topic sanctions gained: {FLOOD_ITEMS}" in dry.stdout

    real = replay(kafka_settings, tmp_path, topics_file=rules)
    assert f"published: {FLOOD_ITEMS}" in real.stdout

    bootstrap = kafka_settings.kafka.bootstrap_servers or ""
    enriched, sink = (
        kafka_settings.topic(ENRICHED),
        kafka_settings.topic(enriched_topic("sanctions")),
    )
    records = read_topics(
        bootstrap,
        [enriched, sink],
        timeout=60,
        until=lambda rs: (
            len(rs[sink]) >= FLOOD_ITEMS
            and sum(r["value"]["version"] > 1 for r in rs[enriched]) >= FLOOD_ITEMS
        ),
    )
    corrections = [r["value"] for r in records[enriched] if r["value"]["version"] > 1]
    assert len(corrections) == FLOOD_ITEMS
    for c in corrections:
        assert c["version"] == 2 and c["origin"] == "replay"
        assert "sanctions" in {t["id"] for t in c["topics"]}
    assert {r["key"] for r in records[sink]} == {c["id"] for c in corrections}

    again = replay(kafka_settings, tmp_path, "--topic", "sanctions", topics_file=rules)
    assert "changed: 0" in again.stdout and "published: 0" in again.stdout, again.stdout
