from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import shared_path
from workers.evaluate.headlines import (
    Headline,
    evaluate_headlines,
    half,
    is_headline_file,
    print_headlines,
    read_headlines,
)
from workers.records import Topic
from workers.stage import Rejection


def test_the_split_is_by_the_text_alone_and_about_even() -> None:
    titles = [f"Schlagzeile Nummer {i}" for i in range(400)]
    halves = [half(t) for t in titles]
    assert halves == [half(t) for t in titles]  # the same on every run
    assert half("Kiew  meldet\tGewinne") == half("Kiew meldet Gewinne")
    assert 160 < halves.count("tune") < 240


def test_the_file_format_is_recognised(tmp_path: Path) -> None:
    headlines = tmp_path / "h.jsonl"
    headlines.write_text(
        '{"title": "Ukraine startet Gegenoffensive", "outlet": "X", "date": "2023-06-01", '
        '"counteroffensive": true, "kursk": false}\n\n',
        encoding="utf-8",
    )
    articles = tmp_path / "gold.jsonl"
    articles.write_text('{"file": "a.txt", "topics": {"kursk": true}}\n', encoding="utf-8")
    assert is_headline_file(headlines) and not is_headline_file(articles)
    [row] = read_headlines(headlines)
    assert row == Headline(
        "Ukraine startet Gegenoffensive", {"counteroffensive": True, "kursk": False}
    )


class _Result:
    def __init__(self, topics: list[Topic]) -> None:
        self.topics = topics


def test_counts_per_half_with_rejections_as_misses() -> None:
    rows = [Headline(f"Titel {i}", {"kursk": i % 3 == 0}) for i in range(30)]

    def enrich(title: str, text: str):
        number = int(title.split()[1])
        if number == 0:
            return Rejection("clean", "language:en", "test")
        hit = number % 2 == 0
        return _Result([Topic(id="kursk", label="Kursk", score=3, evidence=["x"])] if hit else [])

    reports = evaluate_headlines(rows, enrich)
    assert sum(r.total for r in reports.values()) == 30
    expected = {"tp": 0, "fp": 0, "fn": 0}
    for i in range(1, 30):
        got, gold = i % 2 == 0, i % 3 == 0
        expected["tp"] += got and gold
        expected["fp"] += got and not gold
        expected["fn"] += gold and not got
    expected["fn"] += 1  # the rejected 0 was a positive
    counts = [r.topics["kursk"] for r in reports.values()]
    assert sum(c.tp for c in counts) == expected["tp"]
    assert sum(c.fp for c in counts) == expected["fp"]
    assert sum(c.fn for c in counts) == expected["fn"]
    rejected = sum((r.rejected for r in reports.values()), start=type(reports["tune"].rejected)())
    assert rejected == {"language:en": 1}
    assert sum(r.kept for r in reports.values()) == 29

    out = io.StringIO()
    print_headlines(reports, out, verbose=True)
    text = out.getvalue()
    assert "tune half" in text and "held-out half" in text and "kept as German" in text
    assert "language:en 1" in text and "wrong:  kursk: Titel" in text


def test_only_the_halves_asked_for_are_run() -> None:
    rows = [Headline(f"Titel {i}", {"kursk": False}) for i in range(20)]
    seen: list[str] = []

    def enrich(title: str, text: str):
        seen.append(title)
        return _Result([])

    reports = evaluate_headlines(rows, enrich, ["tune"])
    assert set(reports) == {"tune"}
    assert seen and all(half(t) == "tune" for t in seen)


def test_lagebild_eval_prints_the_table_for_a_headline_file(tmp_path: Path) -> None:
    from workers.cli.eval import run_eval
    from workers.settings import Settings

    rows = [
        ("Ukraine startet Gegenoffensive im Süden", True),
        ("Russische Offensive im Donbass gerät ins Stocken", False),
        ("Kiew meldet Rückeroberung von Dörfern bei Cherson", True),
        ("Lindners Charmeoffensive in Brüssel", False),
    ]
    gold = tmp_path / "h.jsonl"
    gold.write_text(
        "".join(
            json.dumps({"title": t, "counteroffensive": c, "desertion": False}) + "\n"
            for t, c in rows
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    assert run_eval(gold, Settings(), out) == 0
    text = out.getvalue()
    assert "Headlines, tune half" in text and "Headlines, held-out half" in text
    tables = [line.split() for line in text.splitlines() if line.strip().startswith("counter")]
    assert len(tables) == 2 and all(row[-2:] == ["0", "0"] for row in tables)  # no fp, no fn
    assert sum(int(row[-3]) for row in tables) == 2  # both positives found
    kept = re.findall(r"language: (\d+)/(\d+) = [\d.]+% kept as German", text)
    assert sum(int(k) for k, _ in kept) == sum(int(n) for _, n in kept) == 4


def test_the_labelled_headlines_meet_the_goals_on_the_tune_half() -> None:
    """Figures the rules were tuned for; the held-out half is reported, not asserted."""
    from workers.cli.eval import enrich_text
    from workers.pipeline import Pipeline
    from workers.settings import Settings

    path = shared_path("data", "headlines", "labelled.jsonl")
    pipeline = Pipeline(Settings(), fetch=False)

    def enrich(title: str, text: str):
        return enrich_text(text, title, pipeline, title, language_hint=None)

    [report] = evaluate_headlines(read_headlines(path), enrich, ["tune"]).values()
    assert report.topics["counteroffensive"].f1 >= 0.9
    assert report.topics["desertion"].f1 >= 0.85
    assert report.topics["kursk"].fp == 0
    assert report.kept_share >= 0.98


@pytest.mark.parametrize("name", ["tune", "held-out"])
def test_halves_have_a_fixed_size_on_the_labelled_file(name: str) -> None:
    rows = read_headlines(shared_path("data", "headlines", "labelled.jsonl"))
    assert sum(half(r.title) == name for r in rows) == {"tune": 384, "held-out": 373}[name]
