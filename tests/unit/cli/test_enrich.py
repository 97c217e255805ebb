from __future__ import annotations

import io
import json
import subprocess
import sys

from tests.conftest import assert_valid
from workers.cli.enrich import run_enrich
from workers.settings import Settings

GERMAN = (
    "Die ukrainische Armee hat nach eigenen Angaben mehrere Dörfer im Gebiet Charkiw "
    "zurückerobert. Die Gegenoffensive komme voran, sagte ein Sprecher in Kyjiw."
)


def lines() -> list[str]:
    return [
        json.dumps({"url": "https://a.example/1", "title": "Gegenoffensive", "text": GERMAN}),
        "{not json",
        json.dumps({"url": "https://b.example/2", "title": "Kopie", "text": GERMAN}),
        json.dumps(
            {
                "title": "War",
                "text": "The army said on Monday that it had retaken "
                "several villages near Kharkiv after days of heavy fighting in the region.",
            }
        ),
        json.dumps(
            {
                "id": "x1",
                "title": "Nur HTML",
                "source": "Beispiel",
                "html": "<html><body><article><p>Der Bundestag hat am Donnerstag über den "
                "Haushalt beraten. Die Opposition kritisierte die geplanten Ausgaben für "
                "Verteidigung scharf.</p></article></body></html>",
            }
        ),
        json.dumps(["not", "an", "object"]),
    ]


def test_one_line_out_per_line_in_and_in_order(tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines()) + "\n", encoding="utf-8")
    out = io.StringIO()
    assert run_enrich(str(path), Settings(), out, fetch=False) == 0
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["status"] for r in results] == [
        "enriched",
        "rejected",
        "duplicate",
        "rejected",
        "enriched",
        "rejected",
    ]
    assert results[1]["reason"] == "invalid_json" and results[1]["original"] == "{not json"
    assert results[2]["duplicate_of"] == results[0]["id"]
    assert results[3]["reason"] == "language:en"
    assert results[4]["id"] == "x1" and results[4]["source"]["publisher"] == "Beispiel"
    assert results[5]["reason"] == "invalid_schema"
    assert any(t["id"] == "counteroffensive" for t in results[0]["topics"])
    for r in results:
        name = {"enriched": "enriched", "duplicate": "duplicate", "rejected": "rejected"}
        record = {k: v for k, v in r.items() if k != "status"}
        assert_valid(name[r["status"]], record)


def test_cli_reads_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "workers.cli.main", "enrich", "--no-fetch", "-"],
        input="\n".join(lines()[:2]) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert [json.loads(x)["status"] for x in proc.stdout.splitlines()] == ["enriched", "rejected"]
