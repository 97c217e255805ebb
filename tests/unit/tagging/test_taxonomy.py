from __future__ import annotations

import re
from pathlib import Path

import pytest

from workers.settings import TaggingSettings
from workers.tagging.taxonomy import anchors, load_taxonomy, score_topics

RULES = load_taxonomy(TaggingSettings().topics_file)


def topics(title: str, lead: str, body: str = "", keys: set[str] | None = None) -> set[str]:
    return {t.id for t in score_topics(RULES, title, lead, body, keys or set())}


def test_the_taxonomy_has_the_required_topics_with_kafka_safe_ids() -> None:
    ids = [r.id for r in RULES]
    assert {"desertion", "counteroffensive", "kursk"} <= set(ids)
    assert len(ids) >= 12 and len(set(ids)) == len(ids)
    for rule in RULES:
        assert re.fullmatch(r"[a-z][a-z0-9_-]*", rule.id)
        assert rule.definition and rule.label and rule.patterns and rule.negative


def test_invalid_topic_ids_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text(
        '[[topic]]\nid = "war.crimes"\nlabel = "x"\npatterns = [{ regex = "x", weight = 1 }]\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="lowercase ascii"):
        load_taxonomy(bad)


KURSK = (
    "Ukrainische Truppen rücken im Gebiet Kursk vor",
    "Die ukrainische Armee ist tiefer in die russische Region Kursk vorgedrungen.",
    "Um die Kleinstadt Sudscha wird weiter gekämpft, meldet das Militär.",
)


def test_kursk_incursion_is_tagged() -> None:
    assert "kursk" in topics(*KURSK)


@pytest.mark.parametrize(
    "story",
    [
        ("Notenbank plant Kurskorrektur", "Die Zentralbank kündigt eine Kurskorrektur an.", ""),
        (
            "Gedenken an die Kursk",
            "Vor Jahren sank das Atom-U-Boot Kursk in der Barentssee.",
            "Die Besatzung des U-Boots Kursk kam ums Leben. Das U-Boot wurde geborgen.",
        ),
        ("Handel", "Der Weizenpreis stieg.", "Ein Händler aus Kursk sagte, der Markt sei ruhig."),
    ],
)
def test_kursk_is_not_tagged_for_other_things(story: tuple[str, str, str]) -> None:
    assert "kursk" not in topics(*story)


def test_desertion_reports_are_tagged() -> None:
    assert "desertion" in topics(
        "Russische Soldaten laufen über",
        "Immer mehr Soldaten weigern sich, an die Front zu gehen.",
        "Einige Einheiten ergaben sich kampflos. Deserteure berichten von schlechter Moral.",
    )


def test_a_passing_mention_does_not_tag() -> None:
    body = (
        "Der Krieg dauert an, die Armee meldet Angriffe an der Front. "
        + "Die Lage bleibt angespannt. " * 20
        + "Ein früherer Deserteur aus dem Zweiten Weltkrieg wurde geehrt."
    )
    assert "desertion" not in topics("Lage an der Front", "Schwere Kämpfe im Osten.", body)


def test_sport_is_not_a_counteroffensive() -> None:
    assert "counteroffensive" not in topics(
        "Gegenoffensive im zweiten Durchgang",
        "Nach der Pause startete der Tabellenführer seine Gegenoffensive.",
        "Der Trainer lobte die Mannschaft, die sich die Tabellenführung zurückeroberte. "
        "In der Bundesliga ist das selten.",
    )
    assert "counteroffensive" in topics(
        "Ukrainische Gegenoffensive",
        "Die ukrainischen Truppen haben mehrere Dörfer zurückerobert.",
        "Die russische Armee zog sich zurück, die Soldaten befreiten die Stadt.",
    )


def test_evidence_and_score_are_reported() -> None:
    [kursk] = [t for t in score_topics(RULES, *KURSK, set()) if t.id == "kursk"]
    assert kursk.score >= 2.5
    assert any("Kursk" in e for e in kursk.evidence)


def test_anchors_are_literal_prefixes() -> None:
    assert anchors(r"\bgeländegewinn\w*|\bgebietsgewinn\w*") == {"geländegewinn", "gebietsgewinn"}
    assert anchors(r"\b(\d+ soldaten)") is None  # no literal start: always scanned
    assert anchors(r"\b(ab|cd)x") is None  # too short to filter on


def test_the_prefilter_changes_no_result() -> None:
    from workers.tagging import taxonomy

    story = (
        "Ukraine meldet Erfolge",
        "Geländegewinne und Rückeroberung von Dörfern; "
        "Soldaten weigern sich, den Dienst fortzusetzen.",
        "Die Armee rückte vor. " * 3,
    )
    with_filter = score_topics(RULES, *story, set())
    cached = taxonomy._prefilter(RULES)
    try:
        cached.always = {id(c) for r in RULES for c in (*r.patterns, *r.negative)}
        without = score_topics(RULES, *story, set())
    finally:
        taxonomy._PREFILTERS.clear()
    assert with_filter == without and with_filter
