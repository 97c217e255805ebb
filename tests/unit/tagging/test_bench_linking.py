"""The speaker names bench/linking.py takes as partial gold (spans of our own)."""

from __future__ import annotations

import pytest

from bench.linking import Article, speaker_name


@pytest.mark.parametrize(
    ("speaker", "name"),
    [
        ("Bundeskanzlerin Angela Merkel", "Angela Merkel"),  # a title before a given name
        ("US-Außenministerin Condoleezza Rice", "Condoleezza Rice"),
        ("Die SPD", "SPD"),
        ("Obama", "Obama"),
        ("Präsident Bush", "Bush"),  # a role before a surname
        ("Die Nachrichtenagentur Reuters", "Reuters"),  # the kind of body
        ("Ursula von der Leyen", "Ursula von der Leyen"),
        ("Er", None),  # a pronoun
        ("Die Polizei", None),  # a common noun
        ("Danach", None),  # an adverb
        ("Gutachtern", None),  # an inflected common noun
        ("Der Leiter des Programms, Klaus Stöhr", None),  # a phrase, not a name
    ],
)
def test_speaker_names(speaker: str, name: str | None) -> None:
    assert speaker_name(speaker) == name


def test_halves_are_stable_and_both_used() -> None:
    halves = [Article(f"doc {i}", "", "").half for i in range(200)]
    assert halves == [Article(f"doc {i}", "", "").half for i in range(200)]
    assert 60 < halves.count("judge") < 140
