"""An analyst follows a village the knowledge base has without a Wikidata id, by its own id.

Raw items → a real `lagebild worker` (clean, dedup, tag) → news.enriched on the
embedded broker → `lagebild subscribe --entity geonames:695586` (Robotyne).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import settings_env
from tests.kafka_reader import produce, read_topics
from workers.settings import Settings

ROBOTYNE = "geonames:695586"
#: two different articles (near-duplicates would be told apart by dedup, not tagged)
BODIES = {
    "robo0001": (
        "\n\nNach Angaben des Generalstabs wurden die Stellungen in der Nacht mehrfach "
        "mit Artillerie beschossen. Unabhängig überprüfen ließen sich die Angaben zunächst "
        "nicht.\n\nDie Gegenoffensive im Süden des Landes dauert seit mehreren Wochen an."
    ),
    "other001": (
        "\n\nDie Stadt war monatelang besetzt gewesen. Bewohner berichten von zerstörten "
        "Brücken, verminten Feldern und fehlendem Strom.\n\nHilfsorganisationen bringen "
        "seit Tagen Lebensmittel und Medikamente in die befreiten Orte."
    ),
}


def raw(item_id: str, title: str, lead: str) -> tuple[bytes, bytes]:
    item = {
        "id": item_id,
        "title": title,
        "text": lead + BODIES[item_id],
        "fetched_at": "2026-11-20T10:00:00Z",
        "run_id": "test",
        "language_hint": "de",
    }
    return item_id.encode(), json.dumps(item, ensure_ascii=False).encode()


def test_a_village_without_wikidata_id_is_followed_by_its_own_id(
    kafka_settings: Settings, worker, tmp_path: Path
) -> None:
    bootstrap = kafka_settings.kafka.bootstrap_servers
    produce(
        bootstrap,
        kafka_settings.topic("news.raw"),
        [
            raw("robo0001", "Kämpfe um Robotyne", "Ukrainische Truppen sind in das Dorf "
                "Robotyne im Gebiet Saporischschja vorgedrungen, teilte Kyjiw mit."),
            raw("other001", "Kämpfe um Isjum", "Ukrainische Truppen haben mehrere Dörfer "
                "bei Isjum im Gebiet Charkiw zurückerobert, teilte Kyjiw mit."),
        ],
    )  # fmt: skip
    enriched = kafka_settings.topic("news.enriched")
    records = read_topics(bootstrap, [enriched], until=lambda r: len(r[enriched]) >= 2, timeout=90)
    assert len(records[enriched]) == 2, (tmp_path / "worker0.log").read_text()

    def subscribe(entity: str) -> list[dict]:
        done = subprocess.run(
            [sys.executable, "-m", "workers.cli.main", "subscribe", "--from-beginning",
             "--timeout", "5", "--json", "--entity", entity],
            env=settings_env(kafka_settings, tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in done.stdout.splitlines()]

    [followed] = subscribe(ROBOTYNE)
    assert followed["id"] == "robo0001"
    [robotyne] = [e for e in followed["entities"] if e["key"] == ROBOTYNE]
    assert robotyne["id"] is None and robotyne["name"] == "Robotyne" and robotyne["type"] == "LOC"
    assert robotyne["in_title"] and robotyne["link"]["alias"] == "Robotyne"
    # the same thing by name, any case; the other record names neither
    assert [r["id"] for r in subscribe("robotyne")] == ["robo0001"]
    assert {r["id"] for r in subscribe("Q1899")} == {"robo0001", "other001"}  # Kyjiw in both
