"""A real worker on the real broker: /healthz, /readyz and what /metrics counts."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import fixture_items
from tests.kafka_reader import produce
from tests.readiness import status as get
from tests.readiness import wait_ready
from workers.broker import free_port
from workers.settings import Settings


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def total(found: dict[tuple[str, frozenset], float], name: str, **labels: str) -> float:
    want = set(labels.items())
    return sum(v for (n, ls), v in found.items() if n == name and want <= ls)


def test_worker_serves_health_readiness_and_metrics(
    kafka_settings: Settings, start_worker: Callable[..., subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    port = free_port()
    worker = start_worker(log_format="json", worker={"web_port": port})
    base = f"http://127.0.0.1:{port}"
    wait_ready([(worker, port)], timeout=60)
    status, body = get(f"{base}/readyz")
    assert status == 200, body
    assert json.loads(body) == {
        "ready": True,
        "assigned": True,
        "consuming": True,
        "broker_reachable": True,
        "models_loaded": True,
    }
    assert get(f"{base}/healthz") == (200, b'{"status":"ok"}')

    items = fixture_items()
    first = items[0]
    later = (first.published_at or first.fetched_at) + timedelta(hours=1)  # a copy comes later
    items.append(
        first.model_copy(
            update={"id": "copy-of-first", "url": f"{first.url}?copy=1", "published_at": later}
        )
    )
    bad = b'{"id": "broken", "title": 3}'
    produce(
        kafka_settings.kafka.bootstrap_servers or "",
        kafka_settings.topic("news.raw"),
        [(i.id.encode(), i.to_json()) for i in items] + [(b"broken", bad)],
    )
    found: dict = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = samples(get(f"{base}/metrics")[1].decode())
        outcomes = sum(  # dedup's verdicts (it also sends probes and signals to itself)
            total(found, "lagebild_records_total", stage="dedup", outcome=o)
            for o in ("news.unique", "news.duplicates")
        ) + total(found, "lagebild_records_total", stage="clean", outcome="news.rejected")
        unique = total(found, "lagebild_records_total", stage="dedup", outcome="news.unique")
        tagged = total(found, "lagebild_records_total", stage="tag")
        if outcomes >= len(items) + 1 and tagged >= unique:
            break
        time.sleep(0.5)
    enriched = total(found, "lagebild_records_total", stage="tag", outcome="news.enriched")
    duplicates = total(found, "lagebild_duplicates_total")
    rejected = total(found, "lagebild_rejections_total")
    assert enriched > 0 and duplicates > 0
    # the malformed record and the clean stage's refusals, each with a reason
    assert total(found, "lagebild_rejections_total", stage="clean", reason="invalid_schema") == 1
    assert enriched + duplicates + rejected == len(items) + 1
    # one latency observation per enriched item
    assert total(found, "lagebild_terminal_latency_seconds_count") == enriched
    # lag per assigned partition of the stream topics, the changelog left out
    lag_topics = {dict(ls)["topic"] for (n, ls) in found if n == "lagebild_consumer_lag"}
    assert kafka_settings.topic("news.raw") in lag_topics
    assert not any(t.endswith("-changelog") for t in lag_topics)

    # its log: one JSON object per line, the rejection with its item id and reason
    events = [
        json.loads(line)
        for line in (tmp_path / "worker0.log").read_text().splitlines()
        if line.startswith("{")
    ]
    refused = [e for e in events if e.get("item_id") == "broken"]
    assert refused and refused[0]["reason"] == "invalid_schema" and refused[0]["stage"] == "clean"
    assert refused[0]["level"] == "warning" and refused[0]["logger"] == "workers.pipeline"
