"""The corpus readers of scripts/ner_corpora.py (SmartData, Europeana), on files written here."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.conftest import load_script

REPO = Path(__file__).resolve().parents[3]


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
    reader = load_script("ner_corpora")
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
    reader = load_script("ner_corpora")
    assert [s.text for s in reader.smartdata(path)] == ["Die Polizei in Bonn ermittelt ."]
    assert len(reader.smartdata(path, names_only=False)) == 2


def test_europeana_lines_become_sentences_with_names(tmp_path: Path) -> None:
    lines = [
        "Der O", "Andreas B-ORG", "Hofer-Bund I-ORG", "tagte O", "in O", "Bolzano. B-LOC",
        "Es O", "regnete O", "den O", "ganzen O", "Tag O", ". O",
        "Herr O", "Meier B-PEr", "sprach O", "mit O", "Dr. O", "Huber I-PER", "! O",
        "Die O", "Mode O", "MISC-Zeug B-MISC",
    ]  # fmt: skip
    path = tmp_path / "enp_DE.test.bio"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = load_script("ner_corpora").europeana(path)
    # the sentence without a name, and the one whose only name is MISC, are left out
    assert [" ".join(s.words) for s in found] == [
        "Der Andreas Hofer-Bund tagte in Bolzano .",
        "Herr Meier sprach mit Dr. Huber !",
    ]
    assert found[0].tags == ("O", "B-ORG", "I-ORG", "O", "O", "B-LOC", "O")
    # a type in the wrong case is mended; an I- after another word starts a name
    assert found[1].tags == ("O", "B-PER", "O", "O", "O", "B-PER", "O")
    everything = load_script("ner_corpora").europeana(path, names_only=False)
    assert len(everything) == 4
