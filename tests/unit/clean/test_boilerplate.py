"""The boilerplate rules: every rule removes its examples and keeps the article lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.clean.boilerplate import (
    RULES_FILE,
    RuleError,
    apply_rules,
    clean_blocks,
    load_rules,
    remove_boilerplate,
)

RULES = load_rules(RULES_FILE)
ARTICLE = [
    "Der Gemeinderat von Musterhausen hat am Montagabend mit großer Mehrheit beschlossen, "
    "das alte Hallenbad zu sanieren, statt es durch einen Neubau zu ersetzen.",
    "Die Kosten schätzt die Verwaltung auf rund zwölf Millionen Euro; ein Drittel soll "
    "aus Fördermitteln des Landes kommen, wie die Kämmerin erläuterte.",
]
DROP_CASES = [
    (rule.id, example) for rule in RULES if rule.action != "strip" for example in rule.examples
]
STRIP_CASES = [
    (rule.id, example) for rule in RULES if rule.action == "strip" for example in rule.examples
]
KEEP_CASES = [(rule.id, line) for rule in RULES for line in rule.keep]


def test_every_rule_has_examples_and_a_unique_id() -> None:
    assert RULES, "the bundled rule file has rules"
    assert len({r.id for r in RULES}) == len(RULES)
    assert all(r.examples for r in RULES)


@pytest.mark.parametrize(
    ("rule_id", "example"), DROP_CASES, ids=[f"{r}:{e[:30]}" for r, e in DROP_CASES]
)
def test_rule_removes_its_example(rule_id: str, example: str) -> None:
    rule = next(r for r in RULES if r.id == rule_id)
    assert rule.applies(example, len(example.split())), f"{rule_id} does not match its example"
    assert remove_boilerplate([ARTICLE[0], example, *ARTICLE[1:]], RULES) == ARTICLE


@pytest.mark.parametrize(("rule_id", "pair"), STRIP_CASES, ids=[r for r, _ in STRIP_CASES])
def test_strip_rule_leaves_the_sentence(rule_id: str, pair: tuple[str, str]) -> None:
    line, expected = pair
    assert remove_boilerplate([line], RULES) == [expected]


@pytest.mark.parametrize(
    ("rule_id", "line"), KEEP_CASES, ids=[f"{r}:{k[:30]}" for r, k in KEEP_CASES]
)
def test_article_lines_survive_every_rule(rule_id: str, line: str) -> None:
    assert remove_boilerplate([line], RULES) == [line]


def test_article_alone_is_untouched() -> None:
    assert remove_boilerplate(ARTICLE, RULES) == ARTICLE


def test_related_heading_takes_its_teasers_but_not_the_next_paragraph() -> None:
    lines = [
        ARTICLE[0],
        "Mehr zum Thema",
        "Bürgermeisterin kündigt Rückzug an",
        "Neue Buslinie ab Dezember",
        ARTICLE[1],
    ]
    assert remove_boilerplate(lines, RULES) == ARTICLE


def test_short_repeated_line_is_dropped_once_seen() -> None:
    caption = "Das Hallenbad von Musterhausen im Sommer"
    assert remove_boilerplate([caption, ARTICLE[0], caption], RULES) == [caption, ARTICLE[0]]


def test_lines_of_one_paragraph_are_joined_after_the_rules() -> None:
    blocks = [
        ["Der Weissrusse kämpft jetzt auf der Seite der Ukraine.", "Foto: Instagram @beispiel"],
        [
            "Publiziert: 09.04.2030 um 21:06 Uhr",
            "|",
            "Aktualisiert: 09.04.2030 um 21:24 Uhr",
            "1/6",
        ],
        [ARTICLE[0]],
    ]
    assert clean_blocks(blocks, RULES) == [
        "Der Weissrusse kämpft jetzt auf der Seite der Ukraine.",
        ARTICLE[0],
    ]


def test_apply_rules_marks_dropped_lines() -> None:
    assert apply_rules(["Fehler gefunden? Jetzt melden", ARTICLE[0]], RULES) == [None, ARTICLE[0]]


@pytest.mark.parametrize(
    "body",
    [
        '[[rule]]\nid = "x"\npattern = "("\nexamples = ["a"]\n',
        '[[rule]]\nid = "x"\npattern = "a"\n',
        '[[rule]]\nid = "x"\npattern = "a"\naction = "explode"\nexamples = ["a"]\n',
        '[[rule]]\nid = "x"\npattern = "a"\naction = "strip"\nexamples = ["a"]\n',
        '[[rule]]\nid = "x"\npattern = "a"\nexamples = ["a"]\n[[rule]]\nid = "x"\n'
        'pattern = "b"\nexamples = ["b"]\n',
    ],
    ids=["bad-regex", "no-examples", "unknown-action", "strip-without-pairs", "duplicate-id"],
)
def test_invalid_rule_files_fail_at_load(tmp_path: Path, body: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RuleError):
        load_rules(path)


def test_shared_samples_lose_their_boilerplate() -> None:
    """The three real articles in ../shared/samples carry many of the patterns."""
    from tests.conftest import shared_path
    from workers.clean.normalize import text_blocks

    samples = sorted(shared_path("samples").glob("*.txt"))
    text = "\n\n".join(
        "\n\n".join(clean_blocks(text_blocks(p.read_text(encoding="utf-8")), RULES))
        for p in samples
    )
    for boilerplate in (
        "Fehler gefunden",
        "Was sagst du dazu",
        "Lesen Sie auch",
        "Lesen sie auch",
        "(Archivbild)",
        "AP/",
        "Publiziert:",
        "Aktualisiert:",
        "Foto:",
        "1/6",
    ):
        assert boilerplate not in text, boilerplate
    assert "Massengrab" in text and "Balakliya" in text and "Kulazhanka" in text
