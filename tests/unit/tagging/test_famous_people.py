"""Famous people who are no politicians: royals, popes, business and entertainment (issue #15).

Sentences of our own. A royal's given name alone ("Harry", "Charles", "Kate") is the royal
only where royal words speak for it; a surname that is a German word or a city ("Jobs",
"Pitt", "Swift") is the person only in an item that names them in full.
"""

from __future__ import annotations

import pytest

from tests.unit.tagging.conftest import keys
from workers.tagging.stage import Tagger

ELIZABETH = "Q9682"
CHARLES = "Q43274"
HARRY = "Q152316"
WILLIAM = "Q36812"
KATE = "Q10479"
MEGHAN = "lagebild:PER:meghan,-herzogin-von-sussex"
STEVE_JOBS = "Q19837"
BRAD_PITT = "Q35332"
TAYLOR_SWIFT = "Q26876"
MADONNA = "Q1744"
ORLANDO_BLOOM = "lagebild:PER:orlando-bloom"
ORLANDO_CITY = "Q49233"
MUSK = "Q317521"


@pytest.mark.parametrize(
    ("text", "form", "key"),
    [
        ("Queen Elizabeth II. ist tot.", "Queen Elizabeth II.", ELIZABETH),
        ("Die Trauer um Königin Elizabeth II. war groß.", "Königin Elizabeth II.", ELIZABETH),
        ("Prinz Harry und Herzogin Meghan leben in Kalifornien.", "Prinz Harry", HARRY),
        ("Prinz Harry und Herzogin Meghan leben in Kalifornien.", "Herzogin Meghan", MEGHAN),
        ("Prinz William und Herzogin Kate besuchten London.", "Herzogin Kate", KATE),
        ("König Charles III. wurde in London gekrönt.", "König Charles III.", CHARLES),
        ("Prinz Charles war lange Thronfolger.", "Prinz Charles", CHARLES),
    ],
)
def test_a_royal_with_a_title_is_linked(tagger: Tagger, text: str, form: str, key: str) -> None:
    assert keys(tagger, text)[form] == key


def test_a_royal_given_name_alone_needs_royal_words(tagger: Tagger) -> None:
    royal = keys(tagger, "Der Buckingham-Palast schweigt. Harry und William reden nicht.")
    assert royal["Harry"] == HARRY and royal["William"] == WILLIAM
    # a footballer named in full is no prince, nor is his given name alone
    sport = keys(tagger, "Harry Kane traf zweimal. Harry jubelte.")
    assert HARRY not in sport.values()
    assert keys(tagger, "Charles sagte, er komme morgen nach Berlin.").get("Charles") != CHARLES


def test_a_surname_that_is_a_word_links_only_after_the_full_name(tagger: Tagger) -> None:
    found = keys(tagger, "Steve Jobs gründete Apple. Brad Pitt lachte. Pitt sagte nichts.")
    assert found["Steve Jobs"] == STEVE_JOBS and found["Pitt"] == BRAD_PITT
    assert "Jobs" not in keys(tagger, "Die Jobs in der Autoindustrie sind sicher.")
    assert TAYLOR_SWIFT not in keys(tagger, "Swift ist ein Zahlungssystem der Banken.").values()


def test_orlando_bloom_opening_a_sentence_is_the_actor(tagger: Tagger) -> None:
    found = keys(tagger, "Orlando Bloom spielte in Fluch der Karibik. Bloom freut sich.")
    assert found["Orlando Bloom"] == ORLANDO_BLOOM
    assert ORLANDO_CITY not in found.values()


def test_madonna_is_the_singer_only_with_music_words(tagger: Tagger) -> None:
    assert keys(tagger, "Madonna gab ein Konzert in Berlin.")["Madonna"] == MADONNA
    assert MADONNA not in keys(tagger, "Die Madonna in der Kirche ist alt.").values()


def test_elon_musk_keeps_his_former_own_id() -> None:
    from workers.tagging.follow import current_id

    assert current_id("lagebild:PER:elon-musk") == MUSK


def test_a_royal_given_name_inside_another_persons_name_is_not_the_royal(tagger: Tagger) -> None:
    """ "Harry S. Truman" and "Maisie Williams" are no princes, though the text has royal
    words; "Harry und William" beside the palace are."""
    truman = keys(tagger, "Harry S. Truman zog ins Weiße Haus. Die Queen empfing ihn.")
    assert HARRY not in truman.values()
    maisie = keys(tagger, "Aryas (Maisie Williams, 22) Rache. Die Königin Cersei stirbt.")
    assert WILLIAM not in maisie.values()
    royal = keys(tagger, "Der Buckingham-Palast schweigt. Harry und William reden nicht.")
    assert royal["Harry"] == HARRY and royal["William"] == WILLIAM


def test_the_queen_is_elizabeth_only_with_royal_words(tagger: Tagger) -> None:
    royal = keys(tagger, "Die Queen empfing Prinz Harry im Buckingham-Palast.")
    assert royal["Queen"] == ELIZABETH
    band = keys(tagger, "Die Band Queen spielte Bohemian Rhapsody, Freddie Mercury sang.")
    assert ELIZABETH not in band.values()


def test_albert_ii_is_monacos_or_belgiums_by_the_words_around_it(tagger: Tagger) -> None:
    monaco = keys(tagger, "Fürst Albert feierte in Monaco. Albert II. lachte.")
    belgium = keys(tagger, "In Brüssel dankte der belgische König Albert II. ab.")
    assert monaco["Albert II."] == "lagebild:PER:albert-ii.-(monaco)"
    assert belgium["König Albert II."] == "lagebild:PER:albert-ii.-(belgien)"


def test_greta_alone_is_thunberg_only_with_climate_words(tagger: Tagger) -> None:
    greta = "Q56434717"
    assert greta not in keys(tagger, "Greta hat heute Geburtstag, sagte ihre Oma.").values()
    found = keys(tagger, "Greta Thunberg protestierte. Greta forderte mehr Klimaschutz.")
    assert found["Greta"] == greta
