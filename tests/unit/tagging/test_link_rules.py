"""The rules that read a tagged name in its sentence (workers/tagging/link_rules.py)."""

from __future__ import annotations

from workers.tagging.follow import current_id
from workers.tagging.knowledge import KnownEntity
from workers.tagging.link_rules import trim
from workers.tagging.ner import NamedSpan
from workers.tagging.stage import Tagger

BANK = KnownEntity(id="Q1", name="Deutsche Bank", type="ORG")
ZEIT = KnownEntity(id="Q2", name="Die Zeit", type="ORG")
LOOKUP = {"Deutsche Bank": (BANK,), "Die Zeit": (ZEIT,)}


def span(text: str, start: int = 10) -> NamedSpan:
    return NamedSpan(start, start + len(text), text, "ORG")


def test_a_lower_case_article_is_no_part_of_a_name() -> None:
    assert trim(LOOKUP, span("dem Tagesspiegel")) == NamedSpan(14, 26, "Tagesspiegel", "ORG")


def test_an_upper_case_article_goes_only_where_the_knowledge_base_says_so() -> None:
    # a sentence's first word: the knowledge base has the bank without its article
    assert trim(LOOKUP, span("Die Deutsche Bank")).text == "Deutsche Bank"
    # the article is the name's own: known with it, or unknown either way
    assert trim(LOOKUP, span("Die Zeit")).text == "Die Zeit"
    assert trim(LOOKUP, span("Der Tagesspiegel")).text == "Der Tagesspiegel"
    # an article before a word in lower case is left to the tagger
    assert trim(LOOKUP, span("Die drei")).text == "Die drei"


def test_a_known_persons_surname_alone_is_that_person(tagger: Tagger) -> None:
    """The same id for "Helmut Kohl", "Kohl" and "Kohls": one real thing, not three. A
    surname that is a common noun too joins only as a genitive before a noun."""
    text = (
        "Bundeskanzler Helmut Kohl traf den Präsidenten. Kohl sagte, er sei zufrieden. "
        "Kohls Sprecher bestätigte das Treffen."
    )
    [kohl] = [e for e in tagger.entities("", text) if e.type == "PER"]
    assert kohl.key == "Q2518"
    assert [m.text for m in kohl.mentions] == ["Helmut Kohl", "Kohl", "Kohls"]
    # the title's lone surname too, named in full in the text
    title = [e for e in tagger.entities("Kohl trifft Mitterrand", text) if e.key == "Q2518"]
    assert title and title[0].in_title


def test_a_surname_two_people_share_joins_neither(tagger: Tagger) -> None:
    text = "Helmut Kohl und Hannelore Kohl kamen nach Bonn. Kohls Rede war kurz."
    keys = {m.text: e.key for e in tagger.entities("", text) for m in e.mentions}
    assert keys["Helmut Kohl"] == "Q2518"
    assert keys.get("Kohls") != "Q2518"


def test_a_word_in_capitals_is_the_name_it_spells(tagger: Tagger) -> None:
    """A dateline's or a headline's capitals name what the word names ("BERLIN (dpa)",
    "NEW YORK"); an acronym that the knowledge base has as written stays its own, and one
    that only a small town's name spells is no town."""

    def keys(text: str) -> dict[str, str]:
        return {m.text: e.key for e in tagger.entities("", text) for m in e.mentions}

    assert keys("BERLIN (dpa) - Die Bundesregierung tagt.")["BERLIN"] == "Q64"
    found = keys("KRIEG IN DER UKRAINE: NATO BERÄT IN NEW YORK")
    assert found["UKRAINE"] == "Q212" and found["NATO"] == "Q7184"
    assert found["NEW YORK"] == "Q60"
    ocha = keys("Das Büro der UN für humanitäre Hilfe (OCHA) warnte in Genf.")
    assert not ocha.get("OCHA", "").startswith("geonames:")


def test_a_surname_the_tagger_typed_otherwise_is_the_person() -> None:
    """'Jürgen Klinsmann ... Klinsmann habe versagt' with the second read as ORG: one
    person; an acronym after a bad full name stays what it was."""
    from workers.tagging.stage import one_type

    text = "Der FC Bayern trennte sich von Jürgen Klinsmann. Klinsmann habe versagt."
    full = NamedSpan(31, 47, "Jürgen Klinsmann", "PER")
    alone = NamedSpan(49, 58, "Klinsmann", "ORG")
    assert text[full.start : full.end] == "Jürgen Klinsmann"
    assert text[alone.start : alone.end] == "Klinsmann"
    _, spans = one_type([], [full, alone], {"Klinsmann": "Jürgen Klinsmann"})
    assert [(s.text, s.type) for s in spans] == [
        ("Jürgen Klinsmann", "PER"),
        ("Klinsmann", "PER"),
    ]
    pkk = NamedSpan(0, 3, "PKK", "ORG")
    _, spans = one_type([], [pkk], {"PKK": "Kurdistans PKK"})
    assert [s.type for s in spans] == ["ORG"]


def test_a_company_with_its_legal_form_is_the_known_company(tagger: Tagger) -> None:
    text = "Die Siemens AG meldet Gewinne, Siemens will wachsen."
    [siemens] = [e for e in tagger.entities("", text) if e.type == "ORG"]
    assert [m.text for m in siemens.mentions] == ["Siemens AG", "Siemens"]
    assert siemens.key == current_id("lagebild:ORG:siemens")  # its Wikidata id once checked


def test_a_name_typed_twice_in_one_item_is_one_thing() -> None:
    from workers.tagging.stage import one_type

    chirac = [NamedSpan(0, 6, "Chirac", "LOC"), NamedSpan(20, 26, "Chirac", "PER")]
    title = [NamedSpan(0, 6, "Chirac", "PER")]
    head, text = one_type(title, chirac, {})
    assert {s.type for s in [*text, *head]} == {"PER"}
    # at a tie, the first reading
    tie = [NamedSpan(0, 4, "Dili", "LOC"), NamedSpan(9, 13, "Dili", "PER")]
    assert {s.type for s in one_type([], tie, {})[1]} == {"LOC"}


def test_a_persons_last_words_are_the_person() -> None:
    from workers.tagging.link_rules import full_names

    spans = [
        NamedSpan(0, 20, "Friedrich Karl Flick", "PER"),
        NamedSpan(30, 40, "Karl Flick", "PER"),
    ]
    assert full_names(spans) == {
        "Karl Flick": "Friedrich Karl Flick",
        "Flick": "Friedrich Karl Flick",
    }


def test_a_clubs_full_name_needs_no_sports_words(tagger: Tagger) -> None:
    """'Hamburger SV', '1. FC Köln' are the clubs wherever they stand (a results line, a
    headline); 'Bayern' and 'St. Pauli' alone still need the words of a sports story."""

    def keys(text: str) -> dict[str, str]:
        return {m.text: e.key for e in tagger.entities("", text) for m in e.mentions}

    results = keys("Eintracht Frankfurt - Hamburger SV 3:0 , Der 1. FC Köln verlor .")
    assert results["Hamburger SV"] == current_id("lagebild:ORG:hamburger-sv")
    assert results["Eintracht Frankfurt"] == current_id("lagebild:ORG:eintracht-frankfurt")
    assert results["1. FC Köln"] == current_id("lagebild:ORG:1.-fc-köln")
    assert keys("In Bayern regnet es.")["Bayern"] == "Q980"
    assert keys("In Hamburg-St. Pauli demonstrierten Tausende.")["St. Pauli"].startswith(
        "lagebild:LOC:"
    )
    sport = keys("Der FC St. Pauli gewann, St. Pauli steht in der Tabelle oben.")
    assert sport["St. Pauli"] == current_id("lagebild:ORG:fc-st.-pauli")


def test_a_result_is_no_part_of_a_name() -> None:
    assert trim(LOOKUP, span("Hamburger SV 3:0")).text == "Hamburger SV"
    assert trim(LOOKUP, span("Werder Bremen (1:0)")).text == "Werder Bremen"
    assert trim(LOOKUP, span("Hannover 96")).text == "Hannover 96"


def test_a_company_after_a_given_name_is_its_founder(tagger: Tagger) -> None:
    text = "Gottlieb Daimler baute das erste Auto. Heute meldet Daimler Gewinne."
    found = {m.text: (e.type, e.key) for e in tagger.entities("", text) for m in e.mentions}
    assert found["Gottlieb Daimler"][0] == "PER"
    assert found["Daimler"] == ("ORG", current_id("lagebild:ORG:mercedes-benz-group"))


def test_a_tagged_clause_is_no_name_over_the_places_in_it() -> None:
    from workers.tagging.stage import _clause

    assert _clause("Russische Truppen greifen Awdijiwka")
    assert _clause("FC Sachsen Leipzig gegen Erzgebirge Aue")
    for name in (
        "Frankfurt am Main",
        "Bundesamt für Verfassungsschutz",
        "Jaap de Hoop Scheffer",
        "Rafik al-Hariri",
        "University of Toronto",
        "Chaos Computer Club e.V.",
    ):
        assert not _clause(name), name


def test_an_adjective_alone_is_no_name() -> None:
    assert trim(LOOKUP, span("Nordkoreanische")) is None
    assert trim(LOOKUP, span("Ecuadorianischen")) is None
    assert trim(LOOKUP, span("Nordkoreanische Volksarmee")).text == "Nordkoreanische Volksarmee"
    assert trim(LOOKUP, span("Fischer")).text == "Fischer"  # no -isch, a surname


def test_a_surname_with_a_glued_particle_is_found_without_it() -> None:
    """ "Yahya al-Sinwar ... Sinwar ... Sinwars Tod": one person, whatever the tagger typed
    the lone surname; a hyphenated surname without a particle keeps its whole."""
    from workers.tagging.link_rules import full_names
    from workers.tagging.stage import one_type

    full = NamedSpan(0, 15, "Yahya al-Sinwar", "PER")
    alone = NamedSpan(30, 37, "Sinwars", "ORG")
    surnames = full_names([full, alone])
    assert surnames["Sinwar"] == "Yahya al-Sinwar"
    assert [s.type for s in one_type([], [full, alone], surnames)[1]] == ["PER", "PER"]
    assert "Schnarrenberger" not in full_names(
        [NamedSpan(0, 36, "Sabine Leutheusser-Schnarrenberger", "PER")]
    )


def test_an_unknown_full_name_and_its_genitive_are_one_thing(tagger: Tagger) -> None:
    """Whichever comes first, and though the tagger typed the genitive an organisation:
    one person, keyed by the name without its genitive s."""
    for text in (
        "Der Anwalt Markus Wendtner sagte am Montag, er sei zufrieden. "
        "Die Kanzlei Markus Wendtners bestätigte das.",
        "Die Kanzlei Markus Wendtners bestätigte am Montag den Fall. "
        "Der Anwalt Markus Wendtner sagte, er sei zufrieden.",
    ):
        [person] = tagger.entities("", text)
        assert (person.type, person.key) == ("PER", "name:PER:markus wendtner")
        assert {m.text for m in person.mentions} == {"Markus Wendtner", "Markus Wendtners"}


def test_a_title_and_its_body_speak_for_each_others_names(tagger: Tagger) -> None:
    """The body's car speaks for the headline's "Golf"; the headline's "Frankreich" for the
    body's "PCF", a foreign party's abbreviation that stands for it only where its country
    is named."""
    title = "Papst-Golf bei eBay versteigert"
    car = "Der Volkswagen des Papstes wurde verkauft. Das Auto hat 10.000 Kilometer."
    golf = {e.key for e in tagger.entities(title, car) if e.in_title}
    assert golf == {"lagebild:MISC:vw-golf"}
    assert not [e for e in tagger.entities(title, "Der Papst hat gespendet.") if e.in_title]
    body = "Auf der Tagung der Kommunisten (PCF) fiel keine Entscheidung. Der PCF ist schwach."
    pcf = {e.key for e in tagger.entities("Frankreich: Kommunisten vertagen sich", body)}
    assert "Q192821" in pcf
    assert "Q192821" not in {e.key for e in tagger.entities("Kommunisten vertagen sich", body)}


def test_a_plain_noun_after_an_article_or_adjective_is_no_name() -> None:
    from workers.tagging.link_rules import noun_in_noun_phrase

    kinds = {"Bank": "n", "Straße": "n", "Nordpol": "n", "Pfeffer": "ns", "Bremen": "nt"}

    def dropped(text: str, word: str, type_: str = "ORG") -> bool:
        start = text.index(word)
        return noun_in_noun_phrase(
            LOOKUP, kinds, text, NamedSpan(start, start + len(word), word, type_)
        )

    assert dropped("Rücktritt. Die Bank hatte sich verspekuliert.", "Bank")
    assert dropped("Sie gingen auf die Straße, um zu protestieren.", "Straße", "LOC")
    # a place after a preposition, a surname, a place name, a sentence's first word stay
    assert not dropped("Die Expedition kam am Nordpol an.", "Nordpol", "LOC")
    assert not dropped("Dazu sagte der Minister Pfeffer nichts.", "Pfeffer", "PER")
    assert not dropped("Der Bürgermeister in Bremen sagt nein.", "Bremen", "LOC")
    assert not dropped("Bank of America meldet Gewinne.", "Bank")
    # nor a form of the knowledge base
    assert not dropped("Er las in der Zeit. Die Deutsche Bank fiel.", "Deutsche Bank")


def test_given_names_of_others_drops_a_bare_given_name_inside_a_longer_name() -> None:
    from workers.tagging.knowledge import Link
    from workers.tagging.link_rules import given_names_of_others

    harry = KnownEntity(
        id="Q152316", name="Prinz Harry", type="PER", aliases=("Harry",),
        ambiguous=("Harry",), context=frozenset({"Queen"}), local=frozenset({"Prinz"}),
    )  # fmt: skip
    link = Link(harry, "context", 1.0)
    text = "Harry S. Truman und Prinz Harry. Harry lacht, Maisie Harry nicht."
    starts = [i for i in range(len(text)) if text.startswith("Harry", i)]
    spans = [(s, s + 5, link) for s in starts]
    kept = [s for s, _, _ in given_names_of_others(text, spans)]
    assert kept == [starts[1], starts[2]]  # "Prinz Harry", "Harry lacht"
