"""What we evaluate is what runs: `enrich`, the worker and `replay --dry-run` agree.

The sample feed and a feed of teaser-only items whose article pages a local HTTP
server serves (one page missing) are polled into news.raw, with a poison record
beside them. The worker's terminal records (read with confluent-kafka), `lagebild
enrich` over the same raw records, and `lagebild replay --dry-run` must agree record
for record; timestamps aside.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import settings_env
from tests.kafka_reader import produce, read_topics
from workers.poller.feeds import SAMPLE_FEED
from workers.process import spawn_worker, stop_process
from workers.provision import ensure_topics
from workers.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TERMINAL = ("news.enriched", "news.duplicates", "news.rejected")
POISON = b'{"id": "poison-1", "title": "abgeschnitten'

TEASERS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Teaser</title><link>{base}/</link>
<description>Nur Anrisse</description>
<item><title>Hafenfest in Stralsund</title><link>{base}/pages/hafen.html</link>
<guid>{base}/pages/hafen.html</guid><description>Viele Besucher am Hafen.</description></item>
<item><title>Neuer Bahnhof eröffnet</title><link>{base}/pages/bahnhof.html</link>
<guid>{base}/pages/bahnhof.html</guid><description>Der Umbau ist fertig.</description></item>
<item><title>Bundestag berät über Haushalt für Verteidigung</title>
<link>{base}/pages/hinter-der-bezahlschranke.html</link>
<guid>{base}/pages/hinter-der-bezahlschranke.html</guid>
<description>Die Opposition kritisiert die geplanten Ausgaben.</description></item>
</channel></rss>
"""


def essence(record: dict[str, Any], status: str) -> dict[str, Any]:
    """What must agree: status, text, topics, entity ids, the dedup verdict."""
    if status == "enriched":
        return {
            "status": status,
            "title": record["title"],
            "text": record["text"],
            "text_source": record["text_source"],
            "page_error": record["page_error"],
            "topics": sorted(t["id"] for t in record["topics"]),
            "entities": sorted((e["id"] or "", e["name"], e["type"]) for e in record["entities"]),
            "cluster": record["dedup"]["cluster_id"],
        }
    if status == "duplicate":
        return {"status": status, "of": record["duplicate_of"], "kind": record["kind"]}
    return {"status": status, "stage": record["stage"], "reason": record["reason"]}


def test_enrich_worker_and_replay_agree(kafka_settings: Settings, http_dir, tmp_path) -> None:
    root, base = http_dir
    (root / "pages").mkdir()
    for page in ("hafen.html", "bahnhof.html"):
        shutil.copy(FIXTURES / "backfill" / "pages" / page, root / "pages" / page)
    shutil.copy(SAMPLE_FEED, root / "feed.xml")
    (root / "teasers.xml").write_text(TEASERS.format(base=base), encoding="utf-8")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[publisher]]\nname = "beispiel"\nfeeds = ["{base}/feed.xml", "{base}/teasers.xml"]\n',
        encoding="utf-8",
    )
    # one partition: the worker then sees the items in the order `enrich` reads them
    settings = kafka_settings.replace(kafka={"partitions": 1})
    asyncio.run(ensure_topics(settings))
    env = settings_env(settings, tmp_path)
    cli = [sys.executable, "-m", "workers.cli.main"]
    poll = subprocess.run(
        [*cli, "poll", "--once", "--feeds", str(feeds)], env=env, capture_output=True, timeout=120
    )
    assert poll.returncode == 0, poll.stderr
    bootstrap, topic = settings.kafka.bootstrap_servers, settings.topic
    produce(bootstrap, topic("news.raw"), [(b"poison-1", POISON)])

    raw = read_topics(
        bootstrap,
        [topic("news.raw")],
        until=lambda r: any(x["value"] == POISON for x in r[topic("news.raw")]),
        decode=False,
    )[topic("news.raw")]
    assert len(raw) == 24  # 20 sample items, 3 teasers, the poison record

    worker = spawn_worker(
        settings.replace(worker={"data_dir": str(tmp_path / "w")}), log=tmp_path / "worker.log"
    )
    try:
        terminal_topics = [topic(t) for t in TERMINAL]
        keys = {x["key"] for x in raw}

        def done(records) -> bool:
            return {r["key"] for t in terminal_topics for r in records[t]} >= keys

        records = read_topics(bootstrap, terminal_topics, until=done, timeout=120, settle=3.0)
        missing = keys - {r["key"] for t in terminal_topics for r in records[t]}
        assert not missing, (missing, (tmp_path / "worker.log").read_text())
        by_worker = {
            r["key"]: essence(r["value"], status)
            for t, status in zip(
                terminal_topics, ("enriched", "duplicate", "rejected"), strict=True
            )
            for r in records[t]
        }

        lines = tmp_path / "raw.jsonl"
        lines.write_bytes(b"".join(x["value"] + b"\n" for x in raw))
        enrich = subprocess.run(
            [*cli, "enrich", str(lines)], env=env, capture_output=True, text=True, timeout=120
        )
        assert enrich.returncode == 0, enrich.stderr
        outcomes = [json.loads(line) for line in enrich.stdout.splitlines()]
        by_enrich = {o.get("id") or "poison-1": essence(o, o["status"]) for o in outcomes}
        assert by_enrich == by_worker

        statuses = sorted(e["status"] for e in by_worker.values())
        assert statuses.count("duplicate") == 2 and statuses.count("rejected") == 2
        pages = {e["title"]: e for e in by_worker.values() if e["status"] == "enriched"}
        assert pages["Hafenfest in Stralsund"]["text_source"] == "html"
        assert "vierzigtausend" in pages["Hafenfest in Stralsund"]["text"]
        paywalled = pages["Bundestag berät über Haushalt für Verteidigung"]
        assert paywalled["page_error"] == "fetch:http_status"
        assert paywalled["text"] == "Die Opposition kritisiert die geplanten Ausgaben."
        assert by_worker["poison-1"] == {
            "status": "rejected",
            "stage": "clean",
            "reason": "invalid_json",
        }

        replay = subprocess.run(
            [*cli, "replay", "--dry-run"], env=env, capture_output=True, text=True, timeout=120
        )
        assert replay.returncode == 0, replay.stderr
        assert "changed: 0" in replay.stdout and "unchanged: 23" in replay.stdout, replay.stdout
    finally:
        stop_process(worker)
