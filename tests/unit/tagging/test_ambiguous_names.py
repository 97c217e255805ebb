"""Names that are also other things: linked by the words around them (issue #15).

Sentences of our own, each a case German news has: a name that may be a company, a
party, a club, a person, a place or a common word. test_linking.py holds the first
cases (Golf, Wagner, Bayern, the ship Deutschland, russisch).
"""

from __future__ import annotations

import pytest

from tests.unit.tagging.conftest import keys
from workers.tagging.follow import current_id
from workers.tagging.stage import Tagger


def linked(tagger: Tagger, text: str) -> set[str]:
    """The knowledge-base ids of a text (no unlinked names)."""
    return {e.key for e in tagger.entities("", text) if not e.key.startswith("name:")}


BP = "Q152057"
BAYERNPARTEI = "Q255857"
PIRATES = "Q13129"
GERMANY = "Q183"
USA = "Q30"
COAST_GUARD = "lagebild:ORG:us-küstenwache"
WAGNER_GROUP = "Q36597284"
GREENS = "Q49766"
LEFT = "Q49764"
FC_BAYERN = current_id("lagebild:ORG:fc-bayern-münchen")
BAVARIA = "Q980"
WASHINGTON = "Q61"
PARIS = "Q90"
JORDAN = "Q810"
GEORGIA_COUNTRY = "Q230"
GEORGIA_STATE = "Q1428"
TURKEY = "Q43"
AMAZON = "Q3884"
AMAZON_RIVER = "Q3783"
APPLE = "Q312"
MERCEDES = current_id("lagebild:ORG:mercedes-benz-group")
OPEL = current_id("lagebild:ORG:opel")
PORSCHE = current_id("lagebild:ORG:porsche")
BILD = current_id("lagebild:ORG:bild")
WELT = "lagebild:ORG:die-welt"
ZEIT = "lagebild:ORG:die-zeit"
SPIEGEL = "Q131478"
HERTHA = current_id("lagebild:ORG:hertha-bsc")
SCHALKE = current_id("lagebild:ORG:fc-schalke-04")


def test_golf_of_mexico_is_not_the_persian_gulf(tagger: Tagger) -> None:
    found = keys(tagger, "Die Küstenwache sucht im Golf von Mexiko nach zwei Fischern.")
    assert found["Golf von Mexiko"] == "Q12630"
    assert current_id("lagebild:LOC:persischer-golf") not in found.values()
    tanker = keys(tagger, "Ein Öltanker wurde im Persischen Golf vor Iran festgesetzt.")
    assert tanker["Persischen Golf"] == current_id("lagebild:LOC:persischer-golf")
    bengal = keys(tagger, "Die Rakete traf ihr Ziel im Golf von Bengalen.")
    assert bengal == {"Golf von Bengalen": "lagebild:LOC:golf-von-bengalen"}


@pytest.mark.parametrize(
    "text",
    [
        "Er hat den im März 1999 zugelassenen Golf im Internet versteigert.",
        "Der Student fuhr mit seinem Golf gegen einen Baum.",
    ],
)
def test_golf_the_car_by_the_words_right_before_it(tagger: Tagger, text: str) -> None:
    assert keys(tagger, text)["Golf"] == "lagebild:MISC:vw-golf"


def test_bp_is_the_oil_company(tagger: Tagger) -> None:
    assert keys(tagger, "Der Ölkonzern BP meldet einen Rekordgewinn.")["BP"] == BP
    assert keys(tagger, "BP erhöht die Preise an seinen Tankstellen.")["BP"] == BP
    # the Bavarian party is named by its words: Landtag, Partei, Bayern
    party = "Die Bayernpartei tritt zur Landtagswahl an, die BP will fünf Prozent."
    assert keys(tagger, party)["BP"] == BAYERNPARTEI
    assert BP not in linked(tagger, party)


def test_piraten_the_party_and_the_pirates(tagger: Tagger) -> None:
    party = "Die Piraten ziehen mit neun Prozent in den Landtag ein, die Partei jubelt."
    assert keys(tagger, party)["Piraten"] == PIRATES
    assert keys(tagger, "Die Piratenpartei fordert mehr Datenschutz.")["Piratenpartei"] == PIRATES
    sea = "Piraten haben vor der Küste Somalias einen Frachter gekapert."
    assert PIRATES not in linked(tagger, sea)
    assert "Q1045" in linked(tagger, sea)


def test_the_frigate_deutschland_is_not_the_country(tagger: Tagger) -> None:
    for text in (
        "Die Fregatte Deutschland lief in Wilhelmshaven aus.",
        "Das Panzerschiff Deutschland wurde 1931 vom Stapel gelassen.",
    ):
        found = keys(tagger, text)
        assert found.get("Deutschland") == "lagebild:MISC:deutschland-(schiff)", text
        assert GERMANY not in found.values(), text
    for text in (
        "Die Fregatte fährt nach Deutschland.",
        "Das Schiff mit 300 Flüchtlingen fährt nach Deutschland zurück.",
    ):
        assert keys(tagger, text)["Deutschland"] == GERMANY, text


def test_the_us_coast_guard_is_not_the_united_states(tagger: Tagger) -> None:
    found = keys(tagger, "Die US-Küstenwache hat drei Menschen aus dem Meer gerettet.")
    assert found["US-Küstenwache"] == COAST_GUARD
    assert keys(tagger, "Die Küstenwache der USA sucht das Boot.")["USA"] == USA
    # another country's coast guard is not the American one
    assert COAST_GUARD not in linked(tagger, "Die griechische Küstenwache rettete 50 Menschen.")
    # "US-amerikanisch" is an adjective, no mention of the country
    assert USA not in linked(tagger, "Das US-amerikanische Konsulat bleibt geschlossen.")


@pytest.mark.parametrize(
    "text",
    [
        "Frau Wagner aus Leipzig hat den Preis gewonnen.",
        "Trainer Sandro Wagner sagte nach dem Spiel, er sei zufrieden.",
        "Die Ministerin Andrea Wagner sprach im Landtag.",
        "Der konservative Pfarrer Wagner hatte seine Gemeinde verärgert.",
        "Bericht: Ex-BVB-Coach Wagner unterschreibt bei einem neuen Verein.",
    ],
)
def test_a_person_named_wagner_is_neither_the_group_nor_the_composer(
    tagger: Tagger, text: str
) -> None:
    found = linked(tagger, text)
    assert WAGNER_GROUP not in found and "lagebild:PER:richard-wagner" not in found
    assert any(e.type == "PER" for e in tagger.entities("", text))


def test_a_place_after_a_title_is_still_the_place(tagger: Tagger) -> None:
    assert "Q99" in linked(tagger, "Der Gouverneur Kaliforniens ordnet Evakuierungen an.")
    assert GEORGIA_COUNTRY in linked(tagger, "Präsidentin Georgiens ist Surabischwili.")


def test_wagner_the_group_in_the_war(tagger: Tagger) -> None:
    assert keys(tagger, "Die Gruppe Wagner zieht aus Mali ab.")["Gruppe Wagner"] == WAGNER_GROUP
    assert WAGNER_GROUP in linked(tagger, "Prigoschin: Wagner-Kämpfer ziehen ab.")
    assert WAGNER_GROUP in linked(tagger, "Eine Söldnertruppe namens Wagner kämpft in Mali.")


def test_russisch_adjectives_are_no_mention_of_russia(tagger: Tagger) -> None:
    text = "Die russische Regierung und russischsprachige Medien berichten auf Russisch."
    assert "Q159" not in linked(tagger, text)


def test_merkel_and_the_union(tagger: Tagger) -> None:
    found = keys(tagger, "Merkel traf Macron in Paris.")
    assert found["Merkel"] == "Q567" and found["Paris"] == PARIS
    assert keys(tagger, "Die Europäische Union verhängt Sanktionen.")["Europäische Union"] == "Q458"
    assert not linked(tagger, "Die Gewerkschaft ist eine Union der Arbeiter.")


@pytest.mark.parametrize(
    ("text", "form", "key"),
    [
        ("Die Linke will den Mindestlohn erhöhen.", "Die Linke", LEFT),
        ("Die Grünen wollen mehr Windräder bauen.", "Die Grünen", GREENS),
        ("Die Grünen-Chefin sprach in Berlin.", "Die Grünen", GREENS),
        ("SPD und Grüne einigen sich auf einen Koalitionsvertrag.", "Grüne", GREENS),
    ],
)
def test_the_left_and_the_greens_as_parties(tagger: Tagger, text: str, form: str, key: str) -> None:
    assert keys(tagger, text)[form] == key


@pytest.mark.parametrize(
    "text",
    [
        "Er hob die linke Hand und schwor.",
        "Linke Hand hoch, sagte der Lehrer.",
        "Auf der grünen Wiese entsteht ein Einkaufszentrum.",
        "Grüne Wiese statt Beton: Der Park bleibt.",
        "Die Grüne Woche in Berlin beginnt am Freitag.",
        "Die SPD-Linke sieht in dem Treffen ein Signal.",
    ],
)
def test_left_and_green_as_common_words(tagger: Tagger, text: str) -> None:
    assert not {GREENS, LEFT, "Q193178"} & linked(tagger, text)


def test_the_austrian_greens_only_in_austria(tagger: Tagger) -> None:
    vienna = "In Wien bilden ÖVP und die Grünen eine Koalition, der Nationalrat stimmt zu."
    assert keys(tagger, vienna)["Grünen"] == "Q193178"


def test_bayern_the_state_by_its_words(tagger: Tagger) -> None:
    assert keys(tagger, "Der Landtag in Bayern beschließt ein Gesetz.")["Bayern"] == BAVARIA
    match = "Die Bayern gewinnen das Spiel gegen Dortmund mit 3:1, Kane trifft."
    assert keys(tagger, match)["Bayern"] == FC_BAYERN
    # a word of any contest is no football word: the city stays the city
    vote = "Nach dem Sieg bei der Wahl feierte die SPD in Dortmund."
    assert keys(tagger, vote)["Dortmund"] == current_id("geonames:2935517")
    for text in ("Bayern-Präsident Hainer lobt die Mannschaft.", "Der Klub Bayern plant neu."):
        assert keys(tagger, text)["Bayern"] == FC_BAYERN, text


@pytest.mark.parametrize(
    ("text", "form", "wanted"),
    [
        ("Washington verhängt neue Sanktionen gegen Moskau.", "Washington", WASHINGTON),
        ("George Washington war der erste Präsident der USA.", "George Washington", "Q23"),
        ("Denzel Washington spielt die Hauptrolle.", "Denzel Washington", None),
        ("Paris Hilton besucht eine Party in Los Angeles.", "Paris Hilton", "Q47899"),
        ("In Paris wurde ein Anschlag verhindert.", "Paris", PARIS),
        ("Jordanien schließt seinen Luftraum.", "Jordanien", JORDAN),
        ("Michael Jordan gewann sechs Titel mit den Chicago Bulls.", "Michael Jordan", "Q41421"),
        ("Die Wahl in Georgia entscheidet über den Senat der USA.", "Georgia", GEORGIA_STATE),
        ("Georgien und Armenien verhandeln in Tiflis.", "Georgien", GEORGIA_COUNTRY),
        ("Turkey and the EU: Ankara verhandelt.", "Turkey", TURKEY),
        ("Amazon entlässt 10.000 Mitarbeiter.", "Amazon", AMAZON),
        ("Am Amazonas brennt der Regenwald.", "Amazonas", AMAZON_RIVER),
        ("Apple stellt ein neues iPhone vor.", "Apple", APPLE),
        ("Mercedes ruft 100.000 Autos zurück.", "Mercedes", MERCEDES),
        ("Mercedes-Benz meldet einen Gewinn.", "Mercedes-Benz", MERCEDES),
        ("Der Autobauer Opel schließt das Werk in Eisenach.", "Opel", OPEL),
        ("Porsche will an die Börse.", "Porsche", PORSCHE),
        ("Hertha verliert gegen Schalke mit 0:2.", "Hertha", HERTHA),
        ("Hertha verliert gegen Schalke mit 0:2.", "Schalke", SCHALKE),
        ("Hertha BSC entlässt den Trainer.", "Hertha BSC", HERTHA),
    ],
)
def test_a_name_that_means_several_things(
    tagger: Tagger, text: str, form: str, wanted: str | None
) -> None:
    found = keys(tagger, text)
    assert form in found, found
    if wanted is None:  # a person the knowledge base does not know: a name of its own
        assert found[form].startswith("name:PER:"), found
    else:
        assert found[form] == wanted, found


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Adam Opel gründete das Unternehmen 1862.", OPEL),
        ("Ferdinand Porsche konstruierte den Käfer.", PORSCHE),
        ("Paris Hilton hat ein Parfum vorgestellt.", PARIS),
        ("George Washington war der erste Präsident.", WASHINGTON),
        ("Michael Jordan traf 40 Punkte.", JORDAN),
    ],
)
def test_a_person_is_not_the_company_or_place_named_after_them(
    tagger: Tagger, text: str, other: str
) -> None:
    assert other not in linked(tagger, text)
    assert any(e.type == "PER" for e in tagger.entities("", text))


def test_one_id_for_a_person_whatever_the_taggers_type(tagger: Tagger) -> None:
    first = keys(tagger, "Paris Hilton besucht eine Party in Los Angeles.")["Paris Hilton"]
    second = keys(tagger, "Paris Hilton hat ein Parfum vorgestellt.")["Paris Hilton"]
    assert first == second


@pytest.mark.parametrize(
    ("text", "form", "key"),
    [
        ("Die „Bild“ berichtet über den Skandal.", "Bild", BILD),
        ("Die Bild-Zeitung berichtet über den Skandal.", "Bild-Zeitung", BILD),
        ("Wie die „Welt“ berichtet, plant die Regierung Kürzungen.", "Welt", WELT),
        ("Die Welt berichtet unter Berufung auf Regierungskreise.", "Die Welt", WELT),
        ("Der Spiegel berichtet über neue Pläne.", "Der Spiegel", SPIEGEL),
        ("Die Zeit berichtet, Scholz plane eine Reise.", "Die Zeit", ZEIT),
        ("Das sagte er der „Zeit“.", "Zeit", ZEIT),
    ],
)
def test_a_newspaper_named_like_a_word(tagger: Tagger, text: str, form: str, key: str) -> None:
    assert keys(tagger, text)[form] == key


@pytest.mark.parametrize(
    "text",
    [
        "Ein Bild sagt mehr als tausend Worte.",
        "Das zeigt ein Bild aus Kiew.",
        "Die Welt ist nicht genug.",
        "Die Welt schaut auf Kiew.",
        "Er sah in den Spiegel.",
        "Die Zeit drängt.",
        "Die Zeit läuft ab, sagte der Minister.",
    ],
)
def test_the_common_word_is_no_newspaper(tagger: Tagger, text: str) -> None:
    assert not {BILD, WELT, ZEIT, SPIEGEL} & linked(tagger, text)


@pytest.mark.parametrize(
    ("text", "form", "key"),
    [
        ("FC Bayern München hat einen neuen Präsidenten gewählt.", "FC Bayern München", FC_BAYERN),
        ("Borussia Dortmund hat einen neuen Präsidenten.", "Borussia Dortmund",
         current_id("lagebild:ORG:borussia-dortmund")),
        ("Dortmunds Sportdirektor widersprach dem Trainer.", "Dortmunds",
         current_id("lagebild:ORG:borussia-dortmund")),
        ("In Dortmund wird die Innenstadt umgebaut.", "Dortmund", current_id("geonames:2935517")),
        ("Inter Mailand hat einen neuen Präsidenten gewählt.", "Inter Mailand",
         current_id("lagebild:ORG:inter-mailand")),
    ],
)  # fmt: skip
def test_a_club_by_its_full_name_and_a_city_by_its_own(
    tagger: Tagger, text: str, form: str, key: str
) -> None:
    """A club's full name needs no football words (it was an unlinked name without them:
    two ids for one club); a city's name is the club only with them."""
    found = keys(tagger, text)
    assert found[form] == key, found
    if key != current_id("geonames:2935517"):
        assert current_id("geonames:3173435") not in found.values()  # Mailand, the city


def test_an_unlinked_name_has_one_type_and_one_id_in_an_item(tagger: Tagger) -> None:
    """The tagger types each sentence on its own; the item gives a name one type, so one
    id (a person's for the surname of someone it names in full)."""
    from workers.tagging.ner import NamedSpan
    from workers.tagging.stage import one_type

    title = [NamedSpan(0, 9, "Greenpax", "PER")]
    text = [NamedSpan(0, 9, "Greenpax", "ORG"), NamedSpan(20, 29, "Greenpax", "ORG"),
            NamedSpan(40, 51, "Nico Rosbek", "PER"), NamedSpan(60, 66, "Rosbek", "LOC"),
            NamedSpan(70, 77, "Rosbeks", "ORG")]  # fmt: skip
    title, text = one_type(title, text, {"Rosbek": "Nico Rosbek"})
    assert [s.type for s in title] == ["ORG"]
    assert [s.type for s in text] == ["ORG", "ORG", "PER", "PER", "PER"]
    item = "Nico Rosbek gewann in Monaco. Rosbek sagte danach, Rosbek sei müde."
    people = [e for e in tagger.entities("", item) if "Rosbek" in e.name]
    assert len(people) == 1 and people[0].type == "PER" and people[0].count == 3


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Der neue Opel Astra kommt im Herbst.", None),
        ("Ein Porsche 911 wurde gestohlen.", None),
        ("Amazon Prime wird teurer.", None),
        ("Die Porsche Holding meldet Gewinne.", PORSCHE),
        ("Opel Eisenach baut Stellen ab.", OPEL),
        ("Mercedes Benz ruft Autos zurück.", MERCEDES),
    ],
)
def test_a_model_of_a_maker_is_no_mention_of_the_maker(
    tagger: Tagger, text: str, company: str | None
) -> None:
    found = linked(tagger, text)
    if company is None:
        assert not {OPEL, PORSCHE, AMAZON, MERCEDES} & found, found
    else:
        assert company in found, found


def test_the_union_is_the_cdu_csu_of_party_facts(tagger: Tagger) -> None:
    union = "Die Union legt in Umfragen zu, Merz ist zufrieden. CDU/CSU wollen regieren."
    found = keys(tagger, union)
    assert found["Union"] == found["CDU/CSU"] == "Q708725"
    # a compound names the party; only an adjective of origin is none ("US-amerikanisch")
    assert "Q49768" in linked(tagger, "Die SPD-geführte Regierung tritt zurück.")


def test_an_abbreviation_after_a_name_is_no_surname(tagger: Tagger) -> None:
    from workers.tagging.ner import NamedSpan
    from workers.tagging.stage import one_type

    text = [NamedSpan(0, 15, "Kurdistans PKK", "PER"), NamedSpan(30, 33, "PKK", "ORG")]
    _, text = one_type([], text, {"PKK": "Kurdistans PKK"})
    assert text[1].type == "ORG"


def test_one_sense_per_text(tagger: Tagger) -> None:
    """An interview: the paper is named once with a word of the press, then it asks."""
    text = (
        "Der Regisseur sprach mit der „Welt“ über seinen Film.\n\n"
        "Die Welt: Was ist geschehen? Loznitsa: Sehr viel.\n\n"
        "Die Welt: Und jetzt? Loznitsa: Jetzt warte ich."
    )
    paper = [e for e in tagger.entities("", text) if e.key == WELT]
    assert len(paper) == 1 and paper[0].count == 3
    # a default stays where the text chose it: the ship once, the country elsewhere
    both = "Die Fregatte Deutschland fährt aus. Deutschland schickt sie."
    assert {GERMANY, "lagebild:MISC:deutschland-(schiff)"} <= linked(tagger, both)


def test_a_name_that_needs_no_words_lends_its_sense_to_the_short_one(tagger: Tagger) -> None:
    guard = "Die US-Küstenwache sucht vor Florida. Die Küstenwache setzte Flugzeuge ein."
    coast = [e for e in tagger.entities("", guard) if e.key == COAST_GUARD]
    assert len(coast) == 1 and coast[0].count == 2
    greek = "Die griechische Küstenwache rettete 40 Menschen vor Lesbos."
    assert COAST_GUARD not in linked(tagger, greek)
    party = "Die Piratenpartei feiert. Die Piraten wollen mehr Transparenz."
    assert [e.count for e in tagger.entities("", party) if e.key == PIRATES] == [2]


def test_a_quoted_ship_name_is_the_ship(tagger: Tagger) -> None:
    found = keys(tagger, "Die „Deutschland“ lief am Morgen aus.")
    assert found["Deutschland"] == "lagebild:MISC:deutschland-(schiff)"


@pytest.mark.parametrize(
    ("text", "key", "count"),
    [
        ("Trainer Sandro Wagner lobte das Team. Wagner sagte, er sei stolz.",
         "name:PER:sandro wagner", 2),
        ("Paris Hilton feierte. Hilton sagte, sie sei glücklich.", "Q47899", 2),
        ("Michael Jordan spielte für Chicago. Jordan gewann sechs Titel.", "Q41421", 2),
    ],
)  # fmt: skip
def test_a_persons_surname_alone_is_that_person(
    tagger: Tagger, text: str, key: str, count: int
) -> None:
    entities = {e.key: e for e in tagger.entities("", text)}
    assert entities[key].count == count, entities
    assert WAGNER_GROUP not in entities


def test_a_company_keeps_its_founders_name(tagger: Tagger) -> None:
    text = "Ferdinand Porsche gründete die Firma. Porsche baut heute Sportwagen."
    assert PORSCHE in linked(tagger, text)


ESSEN = "Q2066"


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Die Polizei in Essen meldete einen Unfall.", True),
        ("Aus Essen kam die Meldung, die Feuerwehr sei im Einsatz.", True),
        ("Nach dem Essen gingen alle nach Hause.", False),
        ("Die Regierung stellte den Gefangenen mehr Essen zur Verfügung.", False),
        ("Wenn wir Essen zubereiten, brauchen wir Licht.", False),
    ],
)
def test_essen_the_city_and_the_food(tagger: Tagger, text: str, town: bool) -> None:
    """A town called like a common noun is the town where a word before it or around it
    speaks for it; elsewhere the noun is no name at all, not even an unlinked place."""
    found = keys(tagger, text)
    if town:
        assert found.get("Essen") == ESSEN
    else:
        assert "Essen" not in found


def test_victories_are_no_town(tagger: Tagger) -> None:
    assert "Siegen" not in keys(tagger, "Mit vier Siegen in Serie führt das Team die Tabelle an.")
    # the curated town, Q3167 since NWBib's spatial classification gave it its id
    assert keys(tagger, "Das sagte der Trainer in Siegen.")["Siegen"] == "Q3167"
