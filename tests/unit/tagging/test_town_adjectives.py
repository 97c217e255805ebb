"""A town's adjective in -er before a noun names the town ("Mariupoler Stahlwerk"), the
oblast named after it before "Gebiet", and nothing where the pair names something else
("Minsker Abkommen", "Wiener Schnitzel", "Leipziger Straße")."""

from __future__ import annotations

import pytest

from tests.unit.tagging.conftest import unique
from workers.tagging.follow import current_id
from workers.tagging.knowledge import Gazetteer, KnownEntity
from workers.tagging.link_rules import town_adjective_links, town_adjectives
from workers.tagging.names import Cues
from workers.tagging.stage import Tagger


def ids(tagger: Tagger, title: str) -> set[str]:
    return {e.key for e in tagger.tag(unique(title, "")).entities}


def town(tagger: Tagger, name: str) -> str:
    return tagger.gazetteer.lookup[name][0].key


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Mariupoler Stahlwerk weiter unter Beschuss", "Mariupol"),
        ("Kiewer Regierung dementiert Bericht über Verhandlungen", "Kiew"),
        ("Charkiwer Bürgermeister warnt vor neuen Angriffen", "Charkiw"),
        ("Moskauer Führung droht dem Westen", "Moskau"),
        ("Explosionen nahe dem Odessaer Hafen", "Odessa"),
        ("Die Münchner Polizei ermittelt", "München"),  # not made by adding -er
        ("Die New Yorker Börse schließt früher", "New York"),  # not York's
        ("Ukrainische Drohnen treffen Kursker Flughafen", "Kursk"),
        ("Schwere Kämpfe an der Robotyner Front", "Robotyne"),  # the text's last words
    ],
)
def test_town_adjective_before_a_noun_names_the_town(tagger: Tagger, title: str, name: str) -> None:
    assert town(tagger, name) in ids(tagger, title)


def test_adjective_before_a_region_word_names_the_oblast_and_before_a_plant_the_plant(
    tagger: Tagger,
) -> None:
    found = ids(tagger, "Schwere Kämpfe im Charkiwer Gebiet")
    assert town(tagger, "Oblast Charkiw") in found and town(tagger, "Charkiw") not in found
    found = ids(tagger, "Saporischschjaer AKW erneut ohne Strom")
    plant = current_id("lagebild:LOC:akw-saporischschja")
    assert plant in found and town(tagger, "Saporischschja") not in found


def test_adjective_in_a_descriptor_or_a_longer_name_still_names_the_town(
    tagger: Tagger,
) -> None:
    found = ids(tagger, "Kiewer Bürgermeister Klitschko warnt vor Stromausfällen")
    assert {town(tagger, "Kiew"), town(tagger, "Klitschko")} <= found
    assert town(tagger, "Mariupol") in ids(tagger, "Mariupoler Stahlwerk Asowstal gefallen")


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Wiener Schnitzel im Test", "Wien"),
        ("Minsker Abkommen endgültig gescheitert", "Minsk"),
        ("Pariser Klimaabkommen: Ziele verfehlt", "Paris"),
        ("Schlacht am Kursker Bogen: Gedenken in Prochorowka", "Kursk"),
        ("Frankfurter Allgemeine berichtet über Lieferungen", "Frankfurt"),
        ("Die Stuttgarter Zeitung berichtet", "Stuttgart"),
        ("Ein Berliner gewinnt im Lotto", "Berlin"),
        ("Hamburger sind teurer geworden", "Hamburg"),
        ("Der Hamburger SV verliert", "Hamburg"),
        ("Stau auf der Leipziger Straße", "Leipzig"),
        ("Angriff um 4 Uhr Moskauer Zeit", "Moskau"),
        ("Im Radio lief „Moskauer Nächte“", "Moskau"),
        ("Touristen am Brandenburger Tor", "Brandenburg"),
        ("Die Kertscher Brücke ist gesperrt", "Kertsch"),  # the Krim bridge's name
    ],
)
def test_adjective_names_no_town_where_the_pair_names_something_else(
    tagger: Tagger, title: str, name: str
) -> None:
    assert town(tagger, name) not in ids(tagger, title)


def test_a_country_adjective_names_no_country(tagger: Tagger) -> None:
    assert town(tagger, "Schweiz") not in ids(tagger, "Schweizer Regierung besorgt")


def test_table_and_links_of_own_places() -> None:
    """The pure rules on a knowledge base of their own: a town's adjective, a country's
    none, an irregular one from the cues, the oblast by the region word."""
    entities = [
        KnownEntity("t1", "Testhausen", "LOC", wikidata="Q1", kind="city"),
        KnownEntity("t2", "Oblast Testhausen", "LOC", wikidata="Q2", kind="region"),
        KnownEntity("t3", "Fooland", "LOC", wikidata="Q3", kind="country"),
        KnownEntity("t4", "Barstadt", "LOC", kind="locality", priority=-1, population=5_000),
        KnownEntity("t5", "Quxburg", "LOC", wikidata="Q5", kind="city"),
    ]
    lookup = Gazetteer(entities).lookup
    empty: frozenset[str] = frozenset()
    cues = Cues(
        empty, empty, empty, empty, empty, (), (), (), empty,
        town_adjective_not_before=("Bogen",),
        town_adjective_not_before_heads=("Abkommen",),
        town_adjective_regions=frozenset({"Gebiet"}),
        town_adjectives=(("Quxburg", "Quxbürger"),),
    )  # fmt: skip
    table = town_adjectives(lookup, cues)
    # a small village of no note and a country make none
    assert set(table.towns) == {"Testhausener", "Quxbürger"}

    def linked(text: str) -> list[tuple[str, str]]:
        return [
            (text[s:e], x.entity.id) for s, e, x in town_adjective_links(table, lookup, text, [])
        ]

    assert linked("Die Testhausener Polizei und die Quxbürger Feuerwehr") == [
        ("Testhausener", "t1"),
        ("Quxbürger", "t5"),
    ]
    assert linked("Im Testhausener Gebiet") == [("Testhausener Gebiet", "t2")]
    assert linked("Das Testhausener Friedensabkommen am Testhausener Bogen") == []
    assert linked("Die Testhausener sind da. Testhausener SV") == []
