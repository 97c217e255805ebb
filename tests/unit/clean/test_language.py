"""Language decision: langdetect seeded, the feed's language for short or unsure texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workers.clean import language
from workers.clean.language import (
    _probabilities,
    clearly_accepted,
    detect_language,
    language_sample,
    load_function_words,
    short_text_probabilities,
)
from workers.clean.stage import clean
from workers.records import RawItem, utcnow
from workers.settings import CleanSettings
from workers.stage import Rejection

SETTINGS = CleanSettings()
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die Gebühren für das Parken in der "
    "Innenstadt zum kommenden Jahr deutlich zu erhöhen. Die Opposition kritisierte den "
    "Beschluss scharf und kündigte an, ein Bürgerbegehren zu unterstützen."
)
ENGLISH = (
    "The city council decided on Tuesday to raise parking fees in the city centre "
    "considerably from next year. The opposition sharply criticised the decision and "
    "announced that it would support a citizens' initiative."
)


def test_long_german_is_detected() -> None:
    lang = detect_language(GERMAN, "de", SETTINGS)
    assert (lang.code, lang.method) == ("de", "detected")
    assert lang.confidence > 0.9


def test_plain_german_is_decided_without_langdetect(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    real = language._probabilities
    monkeypatch.setattr(language, "_probabilities", lambda s, *a: asked.append(s) or real(s, *a))
    assert clearly_accepted(GERMAN, SETTINGS) is not None
    for hint in ("de", None):
        assert detect_language(GERMAN, hint, SETTINGS).code == "de"
    assert asked == []
    # English with a German feed hint, and German full of English, are still asked
    quoted = (
        'Der Minister sagte: "We will not leave the people of the city alone, and we will '
        'be there for them as long as it takes, with all of the help that they need." Dann '
        "reiste er ab."
    )
    assert (
        clearly_accepted(ENGLISH, SETTINGS) is None and clearly_accepted(quoted, SETTINGS) is None
    )
    assert detect_language(ENGLISH, "de", SETTINGS).code == "en"
    detect_language(quoted, "de", SETTINGS)
    assert asked == [ENGLISH, quoted]


def test_deterministic() -> None:
    sample = "Kurz und knapp: Bahn streikt"
    assert len({detect_language(sample, None, SETTINGS).model_dump_json() for _ in range(5)}) == 1


def test_short_german_title_only_accepted_by_feed_hint() -> None:
    lang = detect_language("Bahn streikt wieder", "de-DE", SETTINGS)
    assert (lang.code, lang.method) == ("de", "feed")


def test_unsure_detection_falls_back_to_hint() -> None:
    # a headline of names and numbers: long enough to ask, too unsure to trust
    lang = detect_language("Bayern – Dortmund 2:1, Kane trifft doppelt in München", "de", SETTINGS)
    assert lang.code == "de"


def test_english_long_text_beats_a_german_hint() -> None:
    lang = detect_language(ENGLISH, "de", SETTINGS)
    assert lang.code == "en" and lang.method == "detected" and lang.confidence > 0.9


def test_nothing_to_go_on_is_undetermined() -> None:
    assert detect_language("2:1", None, SETTINGS).code == "und"


def test_sample_is_title_teaser_body_without_repeating_the_teaser() -> None:
    assert language_sample("Titel", "Teaser", "Body") == "Titel\n\nTeaser\n\nBody"
    assert language_sample("Titel", "Body beginnt", "Body beginnt hier") == (
        "Titel\n\nBody beginnt hier"
    )


def test_short_cyrillic_headline_is_not_accepted_by_a_german_hint() -> None:
    for headline in ("Город закрывает старый бассейн", "Місто закриває старий басейн"):
        lang = detect_language(headline, "de", SETTINGS)
        assert lang.code != "de" and lang.method == "detected", headline


def test_detection_is_the_same_from_many_threads_at_once() -> None:
    """The worker cleans in threads: concurrent first calls must not see half-loaded profiles."""
    import subprocess
    import sys

    code = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from workers.clean.language import detect_language\n"
        "from workers.settings import CleanSettings\n"
        "text = 'Die Bundesregierung hat am Mittwoch neue Hilfen für die Ukraine beschlossen, "
        "teilte ein Sprecher in Berlin mit.' * 3\n"
        "with ThreadPoolExecutor(8) as pool:\n"
        "    codes = set(pool.map(lambda _: detect_language(text, None, CleanSettings()).code,"
        " range(32)))\n"
        "print(sorted(codes))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['de']"


# -- short texts without a feed hint --------------------------------------------------

FIXTURE = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "clean" / "languages.json").read_text("utf-8")
)
FOREIGN = ("en", "fr", "pl", "ru", "uk")


def test_german_headlines_without_a_hint_are_german() -> None:
    headlines = FIXTURE["de"]["short"]
    kept = [h for h in headlines if detect_language(h, None, SETTINGS).code == "de"]
    assert len(kept) / len(headlines) >= 0.95, set(headlines) - set(kept)


@pytest.mark.parametrize("code", FOREIGN)
def test_foreign_headlines_without_a_hint_are_rejected(code: str) -> None:
    headlines = FIXTURE[code]["short"]
    assert len(headlines) >= 20
    german = [h for h in headlines if detect_language(h, None, SETTINGS).code == "de"]
    assert len(german) / len(headlines) <= 0.03, german


def test_foreign_headlines_are_rejected_at_least_97_percent() -> None:
    headlines = [h for code in FOREIGN for h in FIXTURE[code]["short"]]
    rejected = sum(detect_language(h, None, SETTINGS).code != "de" for h in headlines)
    assert rejected / len(headlines) >= 0.97


def test_headlines_written_as_a_judge_are_rejected_at_least_97_percent() -> None:
    judge = json.loads(
        (Path(__file__).parents[2] / "fixtures" / "clean" / "foreign_headlines.json").read_text()
    )
    headlines = [h for code in FOREIGN for h in judge[code]]
    rejected = sum(detect_language(h, None, SETTINGS).code != "de" for h in headlines)
    assert rejected / len(headlines) >= 0.97


def test_function_words_decide_a_short_headline() -> None:
    # langdetect alone calls these Norwegian and Afrikaans
    for headline in (
        "Wir hatten unsere Demokratie verloren",
        "Selenskyj an Russland: Ukraine wird niemals vergeben",
    ):
        assert detect_language(headline, None, SETTINGS).code == "de", headline
    assert detect_language("The talks resume in Geneva after a pause", None, SETTINGS).code == "en"


def test_an_acronym_is_no_function_word() -> None:
    words = load_function_words()
    assert words.scores("Offensive in Charkiw, UN beklagen Lage")["fr"] == 0
    assert words.scores("un nouvel attaquant")["fr"] == 1


def test_a_single_word_without_a_hint_is_undetermined() -> None:
    for text in ("tagesschau", "Befreiungsschlag", "2:1"):
        lang = detect_language(text, None, SETTINGS)
        assert (lang.code, lang.method) == ("und", "default"), text
    # with the feed's word it is the feed's language, as before
    assert detect_language("tagesschau", "de", SETTINGS).code == "de"


def test_an_undetermined_item_is_rejected_with_its_own_reason() -> None:
    raw = RawItem(id="v1", title="tagesschau", fetched_at=utcnow(), run_id="t")
    result = clean(raw, SETTINGS)
    assert isinstance(result, Rejection) and result.reason == "language:undetermined"
    english = RawItem(
        id="e1",
        title="Peace talks resume in Geneva after the summer",
        fetched_at=utcnow(),
        run_id="t",
    )
    result = clean(english, SETTINGS)
    assert isinstance(result, Rejection) and result.reason == "language:en"


def test_a_hinted_short_text_in_another_language_is_that_language() -> None:
    # two English function words, no German one, and the n-grams agree
    assert detect_language("Talks resume in Geneva after the summer", "de", SETTINGS).code == "en"
    # one borrowed word is not enough to overrule the feed
    assert detect_language("Massiver Stromausfall in New York", "de", SETTINGS).code == "de"


def test_short_text_scoring_is_deterministic_and_restricted() -> None:
    probs = short_text_probabilities("Putin ordnet Teilmobilmachung an", ["de", "en", "fr"])
    assert set(probs) <= {"de", "en", "fr"} and max(probs, key=probs.__getitem__) == "de"
    assert probs == short_text_probabilities("Putin ordnet Teilmobilmachung an", ["de", "en", "fr"])
    assert short_text_probabilities("2:1 !", ["de"]) == {}


def test_500_characters_decide_as_2000_do_on_german_articles() -> None:
    from tests.conftest import shared_path
    from workers.corpus import articles

    corpus = shared_path("data", "corpus")
    texts = [a.text for a in articles(corpus) if len(a.text) >= 2000][:60]
    assert texts
    for text in texts:
        assert _probabilities(text, 0, 500).keys() >= {"de"}
        short = max(_probabilities(text, 0, 500).items(), key=lambda kv: kv[1])[0]
        long = max(_probabilities(text, 0, 2000).items(), key=lambda kv: kv[1])[0]
        assert short == long == "de"


def test_a_quoted_foreign_title_does_not_make_a_german_headline_foreign() -> None:
    # the words in quotation marks name a film or a show; the words around them are German
    for headline in (
        "'House of the Dragon'-Star verlässt die Serie",
        "„The Last of Us“: Dritte Staffel bestätigt",
        "Kritik zu »Lost in Translation«: Ein Wiedersehen nach zwanzig Jahren",
    ):
        assert detect_language(headline, None, SETTINGS).code == "de", headline
    # a foreign headline stays foreign, quotation or not
    for headline, code in (
        ("'Succession' star joins the cast of a new show", "en"),
        ("Le film « The Brutalist » remporte le grand prix", "fr"),
        ("Czołgi wjechały do miasta: „Nie damy się”", "pl"),
    ):
        assert detect_language(headline, None, SETTINGS).code == code, headline


def test_unquoted_drops_only_a_short_foreign_quotation() -> None:
    words = load_function_words()
    for kept in (
        "„Wir schaffen das“",  # nothing left outside it
        "Giro d'Italia: Etappensieg für Pogačar",  # an apostrophe, no quotation
        "Torhüter nach dem Aus: 'Das ist Schmerz pur'",  # a quote in German
    ):
        assert language.unquoted(kept, words) == kept
    assert "Dragon" not in language.unquoted("'House of the Dragon'-Star verlässt die Serie", words)


def test_a_foreign_name_s_letters_speak_for_no_language() -> None:
    words = load_function_words()
    # "César" mid-headline is a name; "été" in lower case is French
    menotti = "Trauer um César Luis Menotti: Weltmeister-Trainer gestorben"
    assert words.scores(menotti, names=False)["fr"] == 0
    assert words.scores(menotti)["fr"] == 1  # still a foreign letter: the lexicon is not asked
    assert words.scores("Le président a été réélu", names=False)["fr"] >= 3
    assert (
        detect_language(
            "Trauer um César Luis Menotti: Weltmeister-Trainer gestorben", None, SETTINGS
        ).code
        == "de"
    )


def test_a_long_quotation_is_what_someone_said_and_stays() -> None:
    headline = "Iris Berben: „Ich habe heute mehr Freude an der Arbeit als früher“"
    assert language.unquoted(headline, load_function_words()) == headline
    assert detect_language(headline, None, SETTINGS).code == "de"


def test_one_foreign_word_among_german_ones_is_a_loan() -> None:
    # "live" is English and German: one foreign function word, the other words German
    for headline in (
        "Olympia live: Handball-Frauen schlagen Norwegen",
        "Champions League live: Leipzig zerlegt Porto",
    ):
        assert detect_language(headline, None, SETTINGS).code == "de", headline
    # English words written small are no German: the lexicon does not overrule them
    for headline in ("Ukraine war live: Zelensky meets Biden", "Live updates: Storm hits Florida"):
        assert detect_language(headline, None, SETTINGS).code != "de", headline


def test_a_hyphenated_compound_is_no_function_word() -> None:
    words = load_function_words()
    assert words.scores("Live-Ticker: Hertha gegen Schalke")["en"] == 0
    assert words.scores("Live: Hertha gegen Schalke")["en"] == 1
    assert (
        detect_language("Auslosung Pokal-Achtelfinale - Live-Ticker & Termine", None, SETTINGS).code
        == "de"
    )
    # an English headline keeps its words outside the compound
    assert (
        detect_language("State-of-the-art drones change the war in the east", None, SETTINGS).code
        == "en"
    )
