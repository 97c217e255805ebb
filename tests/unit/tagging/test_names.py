from __future__ import annotations

import pytest

from workers.settings import TaggingSettings
from workers.tagging.names import NameFinder, Span, load_cues, noun_word, word_class


@pytest.fixture(scope="module")
def finder() -> NameFinder:
    return NameFinder(load_cues(TaggingSettings().cues_file))


def spans(finder: NameFinder, text: str, covered: list | None = None) -> set[tuple[str, str]]:
    return {(s.text, s.type) for s in finder.find(text, covered or [])}


def test_given_name_role_and_age_make_a_person(finder: NameFinder) -> None:
    text = (
        "Die Journalistin Marta Hrytsenko (41) sprach mit Taras Boiko. "
        "„Wir bleiben“, sagte Hrytsenko."
    )
    found = spans(finder, text)
    assert ("Marta Hrytsenko", "PER") in found
    assert ("Taras Boiko", "PER") in found
    assert ("Hrytsenko", "PER") in found


def test_place_nouns_and_coordination_make_places(finder: NameFinder) -> None:
    text = "Die Truppen erreichten die Ortschaft Pryvilne. Danach fielen Kupjansk und Tscherwone."
    kupjansk = text.index("Kupjansk")
    found = spans(finder, text, [(kupjansk, kupjansk + len("Kupjansk"), "LOC")])
    assert ("Pryvilne", "LOC") in found
    assert ("Tscherwone", "LOC") in found
    assert not any(name == "Kupjansk" for name, _ in found)  # the knowledge base had it


def test_organisation_heads_and_acronyms(finder: NameFinder) -> None:
    found = spans(finder, "Er diente im «Sokil Wowk Bataillon», berichtete die OSW.")
    assert ("Sokil Wowk Bataillon", "ORG") in found
    assert ("OSW", "ORG") in found


def test_common_nouns_and_sentence_starts_are_not_names(finder: NameFinder) -> None:
    text = (
        "Die Soldaten verließen die Stadt fluchtartig. Neben militärischer Ausrüstung "
        "fanden sie Briefe. Laut Angaben der Behörden blieb die Lage ruhig. "
        "Im Flugabwehrzug herrschte moralische Erschöpfung."
    )
    assert spans(finder, text) == set()


def test_untyped_single_names_are_dropped(finder: NameFinder) -> None:
    # a lone unknown capitalised word with no cue is not reported
    assert spans(finder, "Das Wort Quorxel fiel gestern.") == set()


def test_the_tagger_decides_word_classes_with_a_cache() -> None:
    assert word_class("Menschen", False)[0] == "NN"
    assert word_class("Flugabwehrzuges", False)[0] == "NN"  # compound of a known noun
    assert word_class("Merkel", False)[0] == "NE"
    assert word_class.cache_info().currsize > 0


def test_span_offsets_point_into_the_text(finder: NameFinder) -> None:
    text = "Gestern sagte Präsidentin Oksana Melnyk in Pryvilne, es gehe voran."
    for span in finder.find(text, []):
        assert isinstance(span, Span)
        assert text[span.start : span.end] == span.text


def test_surname_endings_are_spelt_every_way() -> None:
    from workers.tagging.translit import surname_variants

    assert {"Syrski", "Syrsky", "Syrskyi", "Syrskij"} <= surname_variants("Syrskyj")
    assert "Olexander Zelenskyy" in surname_variants("Olexander Zelenskyj")
    assert surname_variants("Grossi") == set() and surname_variants("Sergei") == set()


def test_half_english_spellings_only_of_transliterated_names() -> None:
    from workers.tagging.translit import mixed_spellings

    assert mixed_spellings({"Prigoschin", "Prigozhin"}) == {"Prigoshin"}
    assert "Gerassimov" in mixed_spellings({"Gerassimow", "Gerasimov"})
    assert mixed_spellings({"Olaf Scholz", "Scholz"}) == set()


def test_noun_words_take_nominalised_adjectives_too() -> None:
    # what may follow "Putin-" in a compound that is no name
    assert noun_word("Vertrauter") and noun_word("Angehöriger") and noun_word("Front")
    assert not noun_word("Steglitz") and not noun_word("Anhalt")
