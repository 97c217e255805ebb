"""End to end: the sample feed over HTTP → `lagebild poll` → `lagebild worker` → the sink.

The sink is read with confluent-kafka, independent of the project's own consumer code.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.conftest import assert_valid, settings_env
from tests.kafka_reader import latest, produce, read_topics
from workers.poller.feeds import SAMPLE_FEED
from workers.settings import Settings

TERMINAL = {
    "news.enriched": "enriched",
    "news.duplicates": "duplicate",
    "news.rejected": "rejected",
}


def test_sample_feed_end_to_end(kafka_settings: Settings, worker, http_dir, tmp_path: Path) -> None:
    root, base = http_dir
    shutil.copy(SAMPLE_FEED, root / "feed.xml")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[publisher]]\nname = "beispiel"\nfeeds = ["{base}/feed.xml"]\n', encoding="utf-8"
    )
    env = settings_env(kafka_settings, tmp_path)
    poll = subprocess.run(
        [sys.executable, "-m", "workers.cli.main", "poll", "--once", "--feeds", str(feeds)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert poll.returncode == 0, poll.stderr

    bootstrap = kafka_settings.kafka.bootstrap_servers
    topic = kafka_settings.topic
    raw = read_topics(
        bootstrap, [topic("news.raw")], until=lambda r: len(r[topic("news.raw")]) >= 20, timeout=30
    )[topic("news.raw")]
    raw_ids = {r["value"]["id"] for r in raw}
    assert len(raw_ids) == 20

    terminal_topics = [topic(t) for t in TERMINAL]

    def all_accounted(records) -> bool:
        return {r["value"]["id"] for t in terminal_topics for r in records[t]} >= raw_ids

    records = read_topics(bootstrap, terminal_topics, until=all_accounted, timeout=90, settle=3.0)
    assert all_accounted(records), (tmp_path / "worker0.log").read_text()

    # every raw id ends in exactly one terminal record per version: a dedup correction (an
    # earlier-published copy processed later) supersedes a record with its version + 1
    ends = Counter(
        (r["value"]["id"], r["value"]["version"]) for t in terminal_topics for r in records[t]
    )
    assert {item_id for item_id, _ in ends} == raw_ids
    assert all(n == 1 for n in ends.values()), ends
    newest = latest(records)

    for name, schema in TERMINAL.items():
        for record in records[topic(name)]:
            assert_valid(schema, record["value"])
            assert record["key"] == record["value"]["id"]

    enriched = [v for name, v in newest.values() if name == topic("news.enriched")]
    duplicates = [v for name, v in newest.values() if name == topic("news.duplicates")]
    rejected = [v for name, v in newest.values() if name == topic("news.rejected")]
    assert len(enriched) == 17
    assert {d["kind"] for d in duplicates} == {"text", "near"}
    # which copy counts as first depends on processing order across raw partitions
    exact = next(d for d in duplicates if d["kind"] == "text")
    pair = {
        r["value"]["url"]: r["value"]["id"]
        for r in raw
        if "deserteure-fahnenflucht" in r["value"]["url"]
    }
    assert len(pair) == 2 and exact["url"] in pair
    assert exact["duplicate_of"] == next(i for u, i in pair.items() if u != exact["url"])
    assert exact["duplicate_of"] in {e["id"] for e in enriched}
    [english] = rejected
    assert english["stage"] == "clean" and english["reason"] == "language:en"
    assert json.loads(english["original"])["id"] == english["id"]

    # the sink routes each topic-tagged record to news.enriched.<topic>
    kursk_ids = {e["id"] for e in enriched if any(t["id"] == "kursk" for t in e["topics"])}
    assert len(kursk_ids) >= 3
    kursk_topic = topic("news.enriched.kursk")
    routed = read_topics(
        bootstrap,
        [kursk_topic],
        until=lambda r: {x["value"]["id"] for x in r[kursk_topic]} >= kursk_ids,
        timeout=30,
    )[kursk_topic]
    assert {r["value"]["id"] for r in routed} == kursk_ids


def test_poison_records_are_rejected_and_the_worker_goes_on(
    kafka_settings: Settings, worker, tmp_path: Path
) -> None:
    bootstrap = kafka_settings.kafka.bootstrap_servers
    raw_topic = kafka_settings.topic("news.raw")
    good = {
        "id": "good0001",
        "url": "https://a.example/x",
        "title": "Gegenoffensive bei Isjum",
        "text": "Die ukrainische Armee hat mehrere Dörfer bei Isjum zurückerobert, "
        "teilte der Generalstab in Kyjiw am Montag mit.\n\n"
        "Nach Angaben des Generalstabs zogen sich die russischen Truppen in der "
        "Nacht aus den Ortschaften am Fluss Oskil zurück. Unabhängig überprüfen "
        "ließen sich die Angaben zunächst nicht.\n\n"
        "Die Gegenoffensive im Osten des Landes dauert seit mehreren Wochen an. "
        "Militärbeobachter rechnen mit weiteren heftigen Kämpfen in der Region.",
        "fetched_at": "2026-11-20T10:00:00Z",
        "run_id": "test",
        "language_hint": "de",
    }
    produce(
        bootstrap,
        raw_topic,
        [
            (b"p1", b"{this is not json"),
            (b"p2", b"\xff\xfe\x00garbage"),
            (b"p3", json.dumps({"id": "p3", "title": 42}).encode()),
            (b"good0001", json.dumps(good).encode()),
        ],
    )
    topics = [kafka_settings.topic("news.rejected"), kafka_settings.topic("news.enriched")]
    records = read_topics(
        bootstrap,
        topics,
        until=lambda r: len(r[topics[0]]) >= 3 and len(r[topics[1]]) >= 1,
        timeout=60,
    )
    reasons = sorted(r["value"]["reason"] for r in records[topics[0]])
    assert reasons == ["invalid_json", "invalid_json", "invalid_schema"]
    for r in records[topics[0]]:
        assert r["value"]["stage"] == "clean" and r["value"]["original"]
        assert_valid("rejected", r["value"])
    assert any(r["value"]["original"] == "{this is not json" for r in records[topics[0]])
    [enriched] = records[topics[1]]
    assert enriched["value"]["id"] == "good0001"
    assert worker.poll() is None  # still running
