"""Poison records on every topic a worker reads: each ends in news.rejected, the worker
keeps running, and the good items around them are processed."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import assert_valid
from tests.kafka_reader import produce, read_topics
from workers.pipeline import READER
from workers.settings import Settings

OTHER_TEXT = (
    "Der Bundestag hat am Donnerstag über den Haushalt für das kommende Jahr beraten. "
    "Die Opposition kritisierte die geplanten Ausgaben für Verteidigung und Infrastruktur "
    "scharf, die Koalition verteidigte ihre Pläne als notwendig.\n\n"
    "Der Finanzminister sagte, die Schuldenbremse werde eingehalten. Eine Entscheidung "
    "über den Etat soll im Dezember fallen, nachdem die Ausschüsse beraten haben."
)
GOOD_TEXT = (
    "Die ukrainische Armee hat mehrere Dörfer bei Isjum zurückerobert, teilte der "
    "Generalstab in Kyjiw am Montag mit. Nach Angaben des Generalstabs zogen sich die "
    "russischen Truppen in der Nacht aus den Ortschaften am Fluss Oskil zurück.\n\n"
    "Unabhängig überprüfen ließen sich die Angaben zunächst nicht. Die Gegenoffensive im "
    "Osten des Landes dauert seit mehreren Wochen an, Beobachter rechnen mit weiteren "
    "heftigen Kämpfen in der Region um Charkiw und im Donbass."
)
BIG = 5 * 1024 * 1024


def good(item_id: str, text: str) -> bytes:
    return json.dumps(
        {
            "id": item_id,
            "url": f"https://a.example/{item_id}",
            "title": text.split(".")[0],
            "text": text,
            "fetched_at": "2026-11-20T10:00:00Z",
            "run_id": "test",
            "language_hint": "de",
        }
    ).encode()


def poisons(name: str) -> dict[str, bytes | None]:
    """The poison kinds, keyed by a message key of their own."""
    english = {
        "id": f"{name}-big",
        "title": "A very long English page",
        "text": "The army said on Monday that it had retaken several villages. " * (BIG // 62),
        "fetched_at": "2026-11-20T10:00:00Z",
        "run_id": "test",
    }
    return {
        f"{name}-version": json.dumps({"id": f"{name}-version", "version": "abc"}).encode(),
        f"{name}-utf8": b'{"id": "\xff\xfe broken", "title": "\xc3\x28"}',
        f"{name}-tombstone": None,
        f"{name}-truncated": b'{"id": "' + name.encode() + b'-truncated", "title": "Gegenoff',
        f"{name}-big": json.dumps(english).encode(),
    }


def test_poison_on_every_consumed_topic(
    kafka_settings: Settings, worker: subprocess.Popen[bytes], tmp_path
) -> None:
    bootstrap, topic = kafka_settings.kafka.bootstrap_servers, kafka_settings.topic
    produce(bootstrap, topic("news.raw"), [(b"good-before", good("good-before", GOOD_TEXT))])
    expected: dict[str, str] = {}  # poison key -> the stage that must reject it
    for name, stage in READER.items():
        kinds = poisons(name)
        produce(bootstrap, topic(name), [(k.encode(), v) for k, v in kinds.items()])
        expected |= {k: stage.name for k in kinds}
    produce(bootstrap, topic("news.raw"), [(b"good-after", good("good-after", OTHER_TEXT))])

    rejected_topic, enriched_topic = topic("news.rejected"), topic("news.enriched")

    def done(records) -> bool:
        keys = {r["key"] for r in records[rejected_topic]}
        ids = {r["value"]["id"] for r in records[enriched_topic] if isinstance(r["value"], dict)}
        return keys >= expected.keys() and ids >= {"good-before", "good-after"}

    records = read_topics(bootstrap, [rejected_topic, enriched_topic], until=done, timeout=180)
    keys = {r["key"] for r in records[rejected_topic]}
    assert expected.keys() <= keys, (
        sorted(expected.keys() - keys),
        (tmp_path / "worker0.log").read_text()[-3000:],
    )
    for r in records[rejected_topic]:
        rejection = r["value"]
        assert_valid("rejected", rejection)
        if r["key"] in expected:
            assert rejection["stage"] == expected[r["key"]], r
            assert len(rejection["original"].encode()) <= kafka_settings.kafka.max_original_bytes
        if r["key"].endswith("-big"):
            assert rejection["truncated"] and rejection["original_bytes"] > BIG
        if r["key"].endswith("-version"):
            assert rejection["id"] == r["key"] and rejection["version"] is None
    assert done(records), "the good items around the poison were not enriched"
    big_raw = next(r["value"] for r in records[rejected_topic] if r["key"] == "news.raw-big")
    assert big_raw["reason"] == "language:en"
    assert worker.poll() is None  # still running
