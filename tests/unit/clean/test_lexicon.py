"""The German lexicon's second opinion on short texts the n-grams call foreign.

Headlines written by us; the ones marked as such are called English, Polish or Dutch by
the n-grams alone (langdetect's profiles, naive Bayes), which is why they need it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workers.clean.language import detect_language
from workers.clean.lexicon import german_by_words, german_word
from workers.settings import CleanSettings

SETTINGS = CleanSettings()
WITHOUT = CleanSettings(lexicon_min_share=0)
LOGP, SHARE = SETTINGS.lexicon_min_logp, SETTINGS.lexicon_min_share
FIXTURES = Path(__file__).parents[2] / "fixtures" / "clean"

# the n-grams alone call these foreign (en, pl, en, en)
RESCUED = (
    "Lawrows Drohung",
    "Moskaus Propaganda",
    "Wolodymyr Selenskyj trifft Joe Biden",
)


@pytest.mark.parametrize("headline", RESCUED)
def test_a_german_headline_the_ngrams_call_foreign_is_german(headline: str) -> None:
    assert detect_language(headline, None, WITHOUT).code != "de"
    lang = detect_language(headline, None, SETTINGS)
    assert (lang.code, lang.method) == ("de", "detected")


@pytest.mark.parametrize(
    "word", ["Drohung", "trifft", "Propaganda", "Raketenalarm", "Charmeoffensive", "essen"]
)
def test_german_words_forms_and_compounds_are_known(word: str) -> None:
    assert german_word(word, LOGP)


@pytest.mark.parametrize("word", ["retakes", "opens", "zwalnia", "spotkał", "Biden", "the"])
def test_foreign_words_and_names_are_not(word: str) -> None:
    assert not german_word(word, LOGP)


def test_every_word_written_small_must_be_german() -> None:
    assert german_by_words("Selenskyj trifft Biden", LOGP, SHARE)
    assert not german_by_words("Zelensky meets Biden", LOGP, SHARE)
    assert not german_by_words("Ukraine retakes Kharkiv villages", LOGP, SHARE)


def test_without_small_words_names_count_against() -> None:
    assert german_by_words("Moskaus Propaganda", LOGP, SHARE)
    assert not german_by_words("Trump Meets Zelensky In Paris", LOGP, SHARE)
    assert not german_by_words("Emmanuel Macron", LOGP, SHARE)


def test_a_foreign_function_word_keeps_the_lexicon_out() -> None:
    # "in" and "Oktoberfest" are German words, "the" is English's
    assert detect_language("The Oktoberfest in Munich", None, SETTINGS).code != "de"


def test_the_second_opinion_turns_no_foreign_headline_german() -> None:
    # the language bench's headlines and the judge set: what the lexicon may not change
    shorts = json.loads((FIXTURES / "languages.json").read_text("utf-8"))
    judge = json.loads((FIXTURES / "foreign_headlines.json").read_text("utf-8"))
    texts = [t for c in ("en", "fr", "nl", "pl") for t in shorts[c]["short"]]
    texts += [t for c in ("en", "fr", "pl", "ru", "uk") for t in judge[c]]
    turned = [
        t
        for t in texts
        if detect_language(t, None, SETTINGS).code == "de"
        and detect_language(t, None, WITHOUT).code != "de"
    ]
    assert turned == []


def test_a_hinted_short_text_goes_by_its_hint() -> None:
    # the lexicon is for texts without a feed language
    assert detect_language("Lawrows Drohung", "de", SETTINGS).method == "feed"
