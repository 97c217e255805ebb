"""The SmartData reader of scripts/ner_corpora.py, on a document written here."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _reader():
    spec = importlib.util.spec_from_file_location(
        "ner_corpora", REPO / "scripts" / "ner_corpora.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _doc(text: str, mentions: list[tuple[str, str]], source: str = "news") -> dict:
    """A SmartData v1 document: each mention (surface, type) at its first occurrence."""
    array = []
    for surface, type_ in mentions:
        start = text.index(surface)
        span = {"start": start, "end": start + len(surface), "attributes": None}
        array.append({"span": span, "type": type_})
    return {
        "text": {"string": text},
        "refids": {"map": {"source": source}},
        "conceptMentions": {"array": array},
    }


def test_smartdata_mentions_become_germeval_outer_tags(tmp_path: Path) -> None:
    text = "Der Sprecher der Deutschen Bahn sagte in Köln, die deutschen Züge der Gruppe fahren."
    mentions = [
        ("Deutschen Bahn", "organization-company"),
        ("Sprecher", "org-position"),  # not a name type
        ("Köln", "location-city"),
        ("deutschen", "location"),  # a derived adjective: LOCderiv, as GermEval has it
        ("Gruppe", "organization-company"),  # a plain common noun: not a name
        ("Züge", "location-route"),
    ]
    tweet = _doc("Stau bei Berlin", [("Berlin", "location-city")], source="tweet")
    path = tmp_path / "train.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps(_doc(text, mentions), indent=2) + "\n" + json.dumps(tweet))
    reader = _reader()
    (sentence,) = reader.smartdata(path)  # tweets are left out by default
    tagged = {w: t for w, t in zip(sentence.words, sentence.tags, strict=True) if t != "O"}
    assert tagged == {
        "Deutschen": "B-ORG",
        "Bahn": "I-ORG",
        "Köln": "B-LOC",
        "deutschen": "B-LOCderiv",
    }
    assert len(reader.smartdata(path, frozenset({"news", "tweet"}))) == 2


def test_smartdata_sentences_without_names_are_left_out_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "train.json"
    text = "Auf der Strecke ist Stau. Die Polizei in Bonn ermittelt."
    path.write_text(json.dumps(_doc(text, [("Bonn", "location-city")])), encoding="utf-8")
    reader = _reader()
    assert [s.text for s in reader.smartdata(path)] == ["Die Polizei in Bonn ermittelt ."]
    assert len(reader.smartdata(path, names_only=False)) == 2
