"""Language decision: langdetect seeded, the feed's language for short or unsure texts."""

from __future__ import annotations

from workers.clean.language import detect_language, language_sample
from workers.settings import CleanSettings

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
