"""World cities of the shipped KB (GeoNames) through the tag stage: linked, with coordinates
and their country as parent; a city called like a common word stays out."""

from __future__ import annotations

from tests.unit.tagging.conftest import unique
from workers.tagging.stage import Tagger


def places(tagger: Tagger, text: str) -> dict[str, str]:
    return {e.name: e.key for e in tagger.tag(unique("Meldung", text)).entities if e.type == "LOC"}


def test_world_cities_linked_with_coordinates_and_parent(tagger: Tagger) -> None:
    found = places(
        tagger, "In Mailand, Wesel und Lüneburg demonstrierten Tausende, später auch in München."
    )
    # Natural Earth's Wikidata id where it has the city (NWBib's for NRW's towns), else the
    # GeoNames id
    assert found["Mailand"] == "Q490" and found["Wesel"] == "Q4011"
    assert found["Lüneburg"].startswith("geonames:")
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
    """Essen is a place after a preposition of place; "Essen" after an article, a fused
    preposition, a quantity or at a sentence's start is food."""
    found = places(tagger, "Das Konzert in Essen wurde abgesagt, auch das in Karlsruhe.")
    assert found["Essen"] == "Q2066" and found["Karlsruhe"] == "Q1040"
    assert places(tagger, "Eine Bande aus Essen wurde gefasst.")["Essen"] == "Q2066"
    for text in ("Die Gefangenen bekamen mehr Essen.", "Kinder rannten zum Essen.",
                 "Sie sind weniger aufs Essen fixiert.", "Essen ist dort keine Kultur.",
                 "Wo Essen eine gesellige Aktivität ist, wird gefeiert."):  # fmt: skip
        assert "Essen" not in places(tagger, text), text
    # Tours, matched only as a name: the town after "nach", the plural of "Tour" elsewhere
    assert places(tagger, "Der Zug fuhr von Paris nach Tours.")["Tours"] == "Q288"
    assert "Tours" not in places(tagger, "Zwei Tours führten Besucher durch das Museum.")


def test_a_name_only_town_spelled_like_a_noun_needs_a_preposition_of_place() -> None:
    """noun_not_town on a lookup of our own: a one-word place every entry of which is matched
    only as a name, spelled like a noun HanTa knows, is the town after "in", "aus", "nach"."""
    from workers.tagging.knowledge import KnownEntity
    from workers.tagging.link_rules import noun_not_town
    from workers.tagging.ner import NamedSpan

    town = KnownEntity(id="geonames:1", name="Hafen", type="LOC", anywhere=False)
    lookup = {"Hafen": (town,), "Kiel": (KnownEntity(id="Q2", name="Kiel", type="LOC"),)}

    def span(text: str, word: str, kind: str = "LOC") -> tuple[str, NamedSpan]:
        at = text.index(word)
        return text, NamedSpan(at, at + len(word), word, kind)

    assert not noun_not_town(lookup, *span("Er kam aus Hafen zurück.", "Hafen"))
    assert noun_not_town(lookup, *span("Er ging zum Hafen zurück.", "Hafen"))
    assert noun_not_town(lookup, *span("Hafen ist wichtig.", "Hafen"))
    # an entry matched anywhere, or a person, is not this rule's
    assert not noun_not_town(lookup, *span("Er ging zum Kiel.", "Kiel"))
    assert not noun_not_town(lookup, *span("Er ging zum Hafen.", "Hafen", "PER"))


def test_natural_earth_s_german_name_of_a_city_is_a_form_of_it(tagger: Tagger) -> None:
    found = places(tagger, "Die Konferenz in Addis Abeba endete ohne Ergebnis.")
    assert found["Addis Ababa"] == "Q3624"


def test_frankfurt_an_der_oder_is_not_frankfurt_am_main(tagger: Tagger) -> None:
    """One id per real thing: "Frankfurt" alone is the city on the Main, every form of the
    one on the Oder keeps that city's GeoNames id."""
    for form in ("Frankfurt an der Oder", "Frankfurt (Oder)", "Frankfurt/Oder"):
        assert places(tagger, f"In {form} protestierten Bauern.") == {
            "Frankfurt (Oder)": "geonames:2925535"
        }
    assert places(tagger, "Die Börse in Frankfurt schloss fester.") == {
        "Frankfurt am Main": "Q1794"
    }
