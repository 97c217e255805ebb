from __future__ import annotations

from pathlib import Path

import pytest

from workers.settings import TaggingSettings
from workers.tagging.names import load_cues
from workers.tagging.ner import NameTagger, kb_tags, sentences, spans_from_tags, tokens


def test_tokens_keep_abbreviations_ordinals_and_compounds() -> None:
    text = "Am 15. Mai sagte Dr. Anna Weber (SPD), der Selenskyj-Berater sei bzw. war 1,5 m groß."
    words = [t.text for t in tokens(text)]
    assert words[:4] == ["Am", "15.", "Mai", "sagte"]
    assert "Dr." in words and "Selenskyj-Berater" in words and "bzw." in words
    assert "1,5" in words and words[-1] == "."
    assert all(text[t.start : t.end] == t.text for t in tokens(text))


def test_sentences_end_at_full_stops_before_capitals_and_at_line_breaks() -> None:
    text = "Am 3. Oktober kam er. Dann ging er\nHeute nicht."
    parts = [" ".join(t.text for t in s) for s in sentences(text, tokens(text))]
    assert parts == ["Am 3. Oktober kam er .", "Dann ging er", "Heute nicht ."]


def test_bio_tags_to_spans_and_kb_tags() -> None:
    text = "Angela Merkel besucht New York"
    toks = tokens(text)
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC"]  # an I- after O starts a span
    spans = [(s.text, s.type) for s in spans_from_tags(toks, tags, text)]
    assert spans == [("Angela Merkel", "PER"), ("New York", "LOC")]
    assert kb_tags(toks, [(22, 30, "LOC")]) == ["", "", "", "B-LOC", "I-LOC"]


@pytest.fixture(scope="module")
def ner() -> NameTagger:
    settings = TaggingSettings()
    assert settings.ner_model is not None
    return NameTagger(settings.ner_model, load_cues(settings.cues_file))


def test_the_shipped_model_finds_names_it_was_not_told(ner: NameTagger) -> None:
    text = "Bürgermeister Roman Klitschuk traf in Tscherniwzi am Montag Vertreter der UNO."
    found = {(s.text, s.type) for s in ner.find(text, [])}
    assert {("Roman Klitschuk", "PER"), ("Tscherniwzi", "LOC"), ("UNO", "ORG")} <= found
    # derived adjectives and compound parts are not names of PER/LOC/ORG
    assert not ner.find("Die russischen Truppen und ein Selenskyj-Berater.", [])


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="NER model not found"):
        NameTagger(tmp_path / "none.crfsuite", load_cues(TaggingSettings().cues_file))
