"""Clubs, sports bodies, competitions and sportspeople with checked Wikidata ids (issue #15).

Sentences of our own. A club's city-like short form ("Leverkusen", "Dortmund") is the club
only where football words speak for it, the city otherwise; a sportsperson's surname alone
is them where it names nobody and nothing else ("Klopp"), and only in an item that names
them in full where it is a word, a town or a family's ("Neuer", "Hamilton").
"""

from __future__ import annotations

import pytest

from tests.unit.tagging.conftest import keys
from workers.tagging.follow import current_id
from workers.tagging.stage import Tagger

LEVERKUSEN_CITY = current_id("geonames:2878234")
DORTMUND_CITY = current_id("geonames:2935517")


def ids(tagger: Tagger, text: str) -> set[str]:
    return {e.id for e in tagger.entities("", text) if e.id}


@pytest.mark.parametrize(
    ("own", "qid"),
    [
        ("lagebild:ORG:fc-bayern-münchen", "Q15789"),
        ("lagebild:ORG:borussia-dortmund", "Q41420"),
        ("lagebild:ORG:sv-werder-bremen", "Q51976"),
        ("lagebild:ORG:real-madrid", "Q8682"),
        ("lagebild:ORG:fifa", "Q253414"),
    ],
)
def test_a_club_that_shipped_with_its_own_id_is_followed_to_its_wikidata_id(
    own: str, qid: str
) -> None:
    assert current_id(own) == qid


@pytest.mark.parametrize(
    ("text", "form", "qid"),
    [
        ("Die Bayern gewinnen das Spiel gegen Dortmund mit 3:1.", "Bayern", "Q15789"),
        ("Die Bayern gewinnen das Spiel gegen Dortmund mit 3:1.", "Dortmund", "Q41420"),
        ("Leverkusen gewinnt gegen Wolfsburg mit 2:0, der Trainer lobt die Elf.",
         "Leverkusen", "Q104761"),
        ("Leverkusen gewinnt gegen Wolfsburg mit 2:0, der Trainer lobt die Elf.",
         "Wolfsburg", "Q101859"),
        ("Der VfL Bochum verliert am Samstag.", "VfL Bochum", "Q105861"),
        ("Gastgeber Heidenheim blieb im Spiel gegen Kiel ohne Tor, der Trainer schwieg.",
         "Heidenheim", "Q162251"),
        ("Mainz 05 verliert, Mainz steigt ab, sagte der Trainer.", "Mainz 05", "Q105254"),
        ("Tottenham gewinnt das Derby gegen Arsenal, der Trainer jubelt.", "Arsenal", "Q9617"),
        ("Real gewinnt gegen Barça mit 2:1, das Tor fiel spät.", "Real", "Q8682"),
    ],
)  # fmt: skip
def test_a_club_by_its_short_form_with_football_words(
    tagger: Tagger, text: str, form: str, qid: str
) -> None:
    assert keys(tagger, text)[form] == qid


@pytest.mark.parametrize(
    ("text", "form", "key"),
    [
        ("In Dortmund wurde ein Mann festgenommen.", "Dortmund", DORTMUND_CITY),
        ("In Leverkusen brennt eine Lagerhalle, die Feuerwehr ist im Einsatz.",
         "Leverkusen", LEVERKUSEN_CITY),
        ("Der Stadtrat von Wolfsburg berät über den Haushalt.", "Wolfsburg",
         current_id("geonames:2806654")),
        ("Der Polizeipräsident von Freiburg sprach von einem Einzeltäter.", "Freiburg",
         current_id("geonames:2925177")),
        # the town's own words outweigh a sports story's: "die Polizei in Dortmund"
        ("Nach dem Spiel gegen Bayern nahm die Polizei in Dortmund drei Fans fest.",
         "Dortmund", DORTMUND_CITY),
        ("Die Staatsanwaltschaft in Kaiserslautern ermittelt nach dem Spiel gegen Fans.",
         "Kaiserslautern", current_id("geonames:2894003")),
    ],
)  # fmt: skip
def test_a_city_named_like_a_club_stays_the_city(
    tagger: Tagger, text: str, form: str, key: str
) -> None:
    found = keys(tagger, text)
    assert found[form] == key, found


@pytest.mark.parametrize(
    "text",
    [
        "Russland baut sein Arsenal an Atomwaffen aus.",
        "Chelsea Clinton besuchte Berlin.",
        "In ihrer Netflix-Show „Chelsea“ spottet sie über Hollywood.",  # a quoted title
        "Lazio ist eine Region in Italien.",
        "Die Real-Märkte schließen, Real meldet Verluste.",
    ],
)
def test_a_word_or_name_that_is_also_a_club_is_no_club_without_football_words(
    tagger: Tagger, text: str
) -> None:
    assert not {"Q9617", "Q9616", "Q2609", "Q8682"} & ids(tagger, text)


def test_bodies_and_competitions(tagger: Tagger) -> None:
    found = keys(tagger, "Fifa-Präsident und Uefa-Chef stritten, das IOC schwieg.")
    assert found["Fifa"] == "Q253414" and found["Uefa"] == "Q35572" and found["IOC"] == "Q40970"
    cup = "In der Champions League trifft Real Madrid auf Manchester City."
    assert keys(tagger, cup)["Champions League"] == "Q18756"
    assert keys(tagger, "Die Fußball-WM 2026 findet in Nordamerika statt.")["Fußball-WM"] == (
        "Q19317"
    )
    games = keys(tagger, "Bei den Olympischen Spielen in Paris gewann sie Gold.")
    assert games["Olympischen Spielen"] == "Q5389"
    assert keys(tagger, "Er wechselt in die Serie A zu Juventus.")["Serie A"] == "Q15804"
    league = {e.name: e for e in tagger.entities("", "Die Bundesliga startet am Freitag.")}
    assert league["Fußball-Bundesliga"].id == "Q82595"
    assert league["Fußball-Bundesliga"].type == "ORG"  # as the name tagger reads a league


def test_another_sports_league_is_not_the_football_bundesliga(tagger: Tagger) -> None:
    """A hyphen compound names its parts ("Kreml-Sprecher"), but a competition named like
    another is no mention of it."""
    found = ids(tagger, "Die Handball-Bundesliga startet am Wochenende.")
    assert "Q82595" not in found
    assert keys(tagger, "Die Handball-Bundesliga startet am Wochenende.")[
        "Handball-Bundesliga"
    ] == current_id("lagebild:ORG:handball-bundesliga")


@pytest.mark.parametrize(
    ("text", "form", "qid"),
    [
        ("Klopp verlässt Liverpool, der Trainer verkündete seinen Abschied.", "Klopp", "Q83106"),
        ("Messi und Federer trafen sich in Paris.", "Messi", "Q615"),
        ("Messi und Federer trafen sich in Paris.", "Federer", "Q1426"),
        ("Djoković gewinnt in Wimbledon.", "Djoković", "Q5812"),
        ("Verstappen holte die Pole-Position.", "Verstappen", "Q2239218"),
    ],
)
def test_a_sportsperson_by_a_surname_that_names_nobody_else(
    tagger: Tagger, text: str, form: str, qid: str
) -> None:
    assert keys(tagger, text)[form] == qid


def test_a_surname_that_is_a_town_names_the_person_only_after_their_full_name(
    tagger: Tagger,
) -> None:
    race = keys(tagger, "Lewis Hamilton gewann in Monaco. Hamilton lag von Beginn an vorne.")
    assert race["Lewis Hamilton"] == race["Hamilton"] == "Q9673"
    assert "Q9673" not in ids(tagger, "Hamilton liegt am Ontariosee in Kanada.")


@pytest.mark.parametrize(
    "text",
    [
        "Ein neuer Vertrag wurde unterzeichnet. Neuer Rekord im Weitsprung.",
        "Ronaldo trifft im Finale.",  # Cristiano or the Brazilian: nothing said which
    ],
)
def test_a_surname_alone_that_may_be_a_word_or_two_people_links_no_one(
    tagger: Tagger, text: str
) -> None:
    assert not {"Q11571", "Q529207"} & ids(tagger, text)
    assert all(e.type != "PER" or not e.id for e in tagger.entities("", text))


@pytest.mark.parametrize(
    ("text", "form", "key"),
    [
        ("Real Betis gewinnt gegen Real Madrid, der Trainer jubelt.", "Real Betis", "Q8723"),
        ("Messi spielt bei Inter Miami, das Spiel endete 2:2.", "Inter Miami",
         current_id("lagebild:ORG:inter-miami")),
    ],
)  # fmt: skip
def test_a_club_named_real_or_inter_is_not_real_madrid_or_inter_mailand(
    tagger: Tagger, text: str, form: str, key: str
) -> None:
    found = keys(tagger, text)
    assert found[form] == key, found
    assert "Q631" not in found.values()
