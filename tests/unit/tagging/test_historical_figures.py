"""Historical political figures German news names (issue #15): linked with their Wikidata
ids, a relative's name is not them. Sentences of our own."""

from __future__ import annotations

from tests.unit.tagging.conftest import keys
from workers.tagging.stage import Tagger


def test_historical_figures_have_their_ids(tagger: Tagger) -> None:
    found = keys(tagger, "Hitler und Churchill führten Krieg. Mao Tse-tung traf Richard Nixon.")
    assert found["Hitler"] == "Q352" and found["Churchill"] == "Q8016"
    assert found["Mao Tse-tung"] == "Q5816" and found["Richard Nixon"] == "Q9588"


def test_a_kennedy_relative_is_not_john_f_kennedy(tagger: Tagger) -> None:
    found = keys(tagger, "Robert Kennedy sprach in Washington.")
    assert "Q9696" not in found.values()
    assert keys(tagger, "John F. Kennedy besuchte Berlin.")["John F. Kennedy"] == "Q9696"
