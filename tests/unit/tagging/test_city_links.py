"""World cities of the shipped KB (GeoNames) through the tag stage: linked, with coordinates
and their country as parent; a city called like a common word stays out."""

from __future__ import annotations

from tests.unit.tagging.conftest import unique
from workers.tagging.stage import Tagger


def places(tagger: Tagger, text: str) -> dict[str, str]:
    return {e.name: e.key for e in tagger.tag(unique("Meldung", text)).entities if e.type == "LOC"}


def test_world_cities_linked_with_coordinates_and_parent(tagger: Tagger) -> None:
    found = places(tagger, "In Mailand und Wesel demonstrierten Tausende, später auch in München.")
    # Natural Earth's Wikidata id where it has the city, else the GeoNames id
    assert found["Mailand"] == "Q490" and found["Wesel"].startswith("geonames:")
    assert found["München"] == "Q1726"  # the curated entry, merged with its GeoNames city
    lookup = tagger.gazetteer.lookup
    milan, munich = lookup["Mailand"][0], lookup["München"][0]
    assert milan.parent == "Q38" and milan.kind == "city" and milan.lat is not None
    assert munich.parent == "Q183" and munich.population and munich.population > 1_000_000


def test_city_called_like_a_common_word_is_not_a_place(tagger: Tagger) -> None:
    found = places(tagger, "Nach dem Essen gingen die Gäste nach Hause. Das Essen war kalt.")
    assert "Essen" not in found
    assert not any(e.key.startswith("geonames:") for e in tagger.gazetteer.lookup.get("Hof", ()))


def test_a_large_city_called_like_a_common_word_is_a_place_where_named_as_one(
    tagger: Tagger,
) -> None:
    """Essen is in the KB, matched only where the name tagger found a place's name after a
    preposition of place; "Essen" after an article, a fused preposition, a quantity or at a
    sentence's start is food."""
    found = places(tagger, "Das Konzert in Essen wurde abgesagt, auch das in Karlsruhe.")
    assert found["Essen"] == "Q2066" and found["Karlsruhe"] == "Q1040"
    assert places(tagger, "Eine Bande aus Essen wurde gefasst.")["Essen"] == "Q2066"
    for text in ("Die Gefangenen bekamen mehr Essen.", "Kinder rannten zum Essen.",
                 "Sie sind weniger aufs Essen fixiert.", "Essen ist dort keine Kultur.",
                 "Wo Essen eine gesellige Aktivität ist, wird gefeiert."):  # fmt: skip
        assert "Essen" not in places(tagger, text), text
    essen = tagger.gazetteer.lookup["Essen"]
    assert essen and not any(e.anywhere for e in essen)


def test_natural_earth_s_german_name_of_a_city_is_a_form_of_it(tagger: Tagger) -> None:
    found = places(tagger, "Die Konferenz in Addis Abeba endete ohne Ergebnis.")
    assert found["Addis Ababa"] == "Q3624"
