"""Two gaps the real headlines of other outlets showed (bench/newsapi_labels.json), with
headlines written by us: the other side giving up ground named in a longer phrase, a company
leaving Russia, and a refuser of something other than service written with a hyphen."""

from __future__ import annotations

import pytest

from tests.unit.tagging.conftest import unique
from workers.tagging.stage import Tagger


def _topics(tagger: Tagger, title: str, teaser: str = "") -> set[str]:
    return {t.id for t in tagger.tag(unique(title, teaser)).topics}


@pytest.mark.parametrize(
    "title",
    [
        "Russen ziehen sich am Westufer des Dnipro weiter zurück",
        "Russische Einheiten ziehen sich nach schweren Verlusten von Stellungen bei Swatowe zurück",
        "Besatzer ziehen sich überraschend vom gesamten linken Ufer zurück",
        "Russische Truppen ziehen sich aus Isjum zurück",
    ],
)
def test_the_other_side_giving_up_ground_is_the_counteroffensive(
    tagger: Tagger, title: str
) -> None:
    assert "counteroffensive" in _topics(tagger, title)


@pytest.mark.parametrize(
    ("title", "teaser"),
    [
        ("Sportartikelhersteller zieht sich aus Russland zurück", ""),
        (
            "Autobauer beendet Russland-Geschäft",
            "Der Konzern zieht sich nach 20 Jahren vollständig aus Russland zurück.",
        ),
        ("Moskau zieht sich aus dem Getreideabkommen zurück", ""),
        ("Putin zieht sich nach der Wahl in seine Residenz zurück", ""),
        ("Spieler zieht sich nach Pfiffen von der Front der Fankurve zurück", ""),
    ],
)
def test_leaving_russia_or_a_deal_is_no_retreat(tagger: Tagger, title: str, teaser: str) -> None:
    assert "counteroffensive" not in _topics(tagger, title, teaser)


@pytest.mark.parametrize(
    "title",
    [
        "Trainer rätselt über Strafstoß-Verweigerer",
        "Bürgergeld-Verweigerer sollen weniger bekommen",
        "Impf-Verweigerer in Russland: Behörden drohen mit Strafen",
    ],
)
def test_a_hyphenated_refuser_of_something_else_is_no_deserter(tagger: Tagger, title: str) -> None:
    assert "desertion" not in _topics(tagger, title)


@pytest.mark.parametrize(
    "title",
    [
        "Immer mehr Wehrdienst-Verweigerer in Russland",
        "Kriegsdienst-Verweigerer flieht aus Russland",
    ],
)
def test_a_hyphenated_refuser_of_service_is(tagger: Tagger, title: str) -> None:
    assert "desertion" in _topics(tagger, title)
