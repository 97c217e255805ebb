from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.conftest import shared_path
from workers.cli.eval import (
    GoldReport,
    evaluate_gold,
    match_entities,
    norm,
    run_eval,
)
from workers.cli.main import build_parser
from workers.pipeline import Pipeline
from workers.settings import Settings


def test_names_compare_without_case_and_genitive() -> None:
    assert norm("Putins") == norm("putin")
    assert norm("Selenskyj’s") == norm("SELENSKYJ")
    assert norm("Washington  Post") == "washington post"
    assert norm("Minsk") != norm("Mins")


def entity(name: str, type_: str, *mentions: str) -> dict:
    return {
        "name": name,
        "type": type_,
        "mentions": [{"text": m, "start": 0, "end": len(m)} for m in mentions or (name,)],
    }


def test_matching_rule_types_names_and_optional() -> None:
    gold = [
        {"type": "PER", "names": ["Wladimir Putin", "Putin"]},
        {"type": "LOC", "names": ["Kyjiw", "Kiew"]},
        {"type": "ORG", "names": ["AP"], "optional": True},
        {"type": "LOC", "names": ["Minsk"]},
    ]
    predicted = [
        entity("Wladimir Putin", "PER", "Putins"),
        entity("Kyjiw", "ORG"),  # wrong type: a false positive
        entity("Associated Press", "ORG", "AP"),  # optional: not counted
        entity("Nastja", "PER"),
    ]  # not in gold: a false positive
    report = GoldReport()
    match_entities(predicted, gold, report, "doc")
    assert (report.entity_precision.tp, report.entity_precision.fp) == (1, 2)
    assert (report.entity_recall.tp, report.entity_recall.fn) == (1, 2)
    assert report.entity_precision.precision == pytest.approx(1 / 3)


def test_gold_file_of_own_making(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Die ukrainische Armee hat bei ihrer Gegenoffensive die Stadt Isjum zurückerobert. "
        "Präsident Wolodymyr Selenskyj dankte den Soldaten an der Front.\n\n"
        "Die russischen Truppen zogen sich zurück, Dörfer wurden befreit.",
        encoding="utf-8",
    )
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "file": "a.txt",
                "topics": {"counteroffensive": True, "kursk": False},
                "entities": [
                    {"type": "LOC", "names": ["Isjum"]},
                    {"type": "PER", "names": ["Selenskyj", "Wolodymyr Selenskyj"]},
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    settings = Settings()
    report = evaluate_gold(gold, Pipeline(settings, fetch=False))
    assert report.topics_right == report.topics_total == 2
    assert report.entity_recall.recall == 1.0


def test_eval_command_is_wired() -> None:
    args = build_parser().parse_args(["eval", "g.jsonl", "--germeval", "x.tsv"])
    assert args.gold == Path("g.jsonl") and args.germeval == Path("x.tsv")
    assert args.fp_topics.split(",") == ["desertion", "counteroffensive", "kursk"]


@pytest.mark.shared
def test_samples_reach_the_targets() -> None:
    gold = shared_path("samples", "gold.jsonl")
    settings = Settings()
    report = evaluate_gold(gold, Pipeline(settings, fetch=False))
    assert report.topics_right == report.topics_total > 0
    assert report.entity_recall.recall >= 0.9
    assert report.entity_precision.precision >= 0.8


@pytest.mark.shared
def test_germeval_and_false_positives_print() -> None:
    germeval = shared_path("data", "ner", "germeval2014", "NER-de-dev.tsv")
    corpus = shared_path("data", "corpus")
    out = io.StringIO()
    run_eval(None, Settings(), out, germeval=germeval, corpus=corpus)
    text = out.getvalue()
    all_f1 = float(text.split("  all")[1].split()[2])
    assert all_f1 >= 0.45, text
    share = text.split("False positives: ")[1].split("=")[1].split("%")[0]
    assert float(share) < 1.0, text
