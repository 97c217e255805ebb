from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import load_script
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


# -- short items, context entities and sides -----------------------------------------


def test_a_headline_needs_one_context_word_an_article_two() -> None:
    title = "Soldaten verweigern den Dienst"
    assert "desertion" in topics(title, "")
    body = "Die Lage ist unübersichtlich. " * 30  # a long article: one context word is not enough
    assert "desertion" not in topics(title, "", body)


def test_a_context_entity_puts_a_headline_in_the_war() -> None:
    title = "Erneut Dörfer zurückerobert"
    assert "counteroffensive" not in topics(title, "")
    assert "counteroffensive" in topics(title, "", keys={"name:Cherson"})


def test_a_cue_that_is_war_vocabulary_is_its_own_context_unless_contradicted() -> None:
    assert "desertion" in topics("Mehr Fahnenflucht", "")
    assert "desertion" not in topics("Mehr Fahnenflucht", "Ein Film über drei Deserteure.")


def test_which_side_acts() -> None:
    from workers.tagging.taxonomy import _actor, _Article

    [rule] = [r for r in RULES if r.id == "counteroffensive"]
    side = rule.side
    assert side is not None

    def who(text: str, word: str = "Offensive") -> str | None:
        start = text.index(word)
        return _actor(side, _Article(text, "", ""), start, start + len(word))

    assert who("Kiew startet Offensive im Süden") == "ours"
    assert who("Russische Offensive stockt") == "theirs"
    assert who("Nato erwartet Offensive Russlands im Osten") == "theirs"  # attached after
    assert who("Russland fürchtet die Offensive der Ukraine") == "ours"
    assert who("Russland erwartet ukrainische Offensive") == "ours"  # the nearest before
    assert who("Die Offensive hat begonnen") is None
    assert who("Ukraine meldet Erfolge, Offensive stockt") is None  # another clause
    assert who("Russen-Offensive im Donbass", "Russen-Offensive") == "theirs"
    assert who("Selenskyj: Befreiung der Krim bleibt das Ziel", "Befreiung") == "ours"  # speaker
    # after a verb an actor is its object, not its attribute
    assert who("Ukrainer durchbrechen russische Linien", "durchbrechen") == "ours"
    # a town only the other side held, no actor named: the offensive is ours
    assert who("Cherson-Offensive: Was wir wissen") == "ours"
    assert who("Offensive im Osten") is None
    # a capital after a preposition is a place, not an actor
    assert who("Offensive bei Kiew") is None
    # two actors joined by "und" both act
    assert who("Kiew und Moskau bereiten Winteroffensiven vor", "Winteroffensiven") == "both"
    # a verb ending a subordinate clause: the subject comes first, the object nearer
    assert who("Wie die Ukraine die Russen zurückdrängte", "zurückdrängte") == "ours"
    assert who("Als die Russen die Ukrainer zurückdrängten", "zurückdrängten") == "theirs"
    # an adjective of a place or a thing after another actor says where, not who
    assert who("Russen greifen ukrainische Stellungen an und melden Gewinne", "Gewinne") == (
        "theirs"
    )
    assert who("Russische Verteidigung bricht zusammen", "bricht") == "theirs"  # first: subject
    # an adjective of someone outside the fighting, a woman of either country: no actor
    assert who("Ukrainischer Spielfilm erobert Venedig", "erobert") is None
    assert who("Russische Band tourt, ukrainische Truppen rücken vor", "rücken") == "ours"
    assert who("Ukrainerin erobert die Herzen", "erobert") is None


def test_an_actor_beyond_the_clause_for_cues_that_ask() -> None:
    from workers.tagging.taxonomy import _actor_beyond, _Article

    [rule] = [r for r in RULES if r.id == "counteroffensive"]
    assert rule.side is not None

    def beyond(text: str, word: str = "Offensive") -> str | None:
        start = text.index(word)
        return _actor_beyond(rule.side, _Article(text, "", ""), start, start + len(word))

    assert beyond("Soldaten proben die Offensive - Bundeswehr bildet Ukrainer aus") == "ours"
    assert beyond("Neue Offensive im Osten, Russland meldet Erfolge") == "theirs"
    assert beyond("Offensive im Osten - Angriffe bei Kiew") is None
    # no actor in the sentence, but a town only the other side held
    assert beyond("Nach der Befreiung: Cherson ohne Strom", "Befreiung") == "ours"
    # the sentence of a hit in a body ends at its full stop
    article = _Article("Lage", "", "Die Offensive beginnt. Die Ukraine wartet.")
    start = article.text.index("Offensive")
    assert _actor_beyond(rule.side, article, start, start + 9) is None
    assert "counteroffensive" in topics(
        "Soldaten proben Offensive - Bundeswehr bildet Ukrainer aus", ""
    )
    assert "counteroffensive" not in topics("Ukraine wehrt Offensive im Donbass ab", "")


def test_a_short_items_teaser_weighs_as_its_title_an_articles_lead_less() -> None:
    teaser = "Die Ukraine eroberte nach eigenen Angaben Dutzende Orte zurück."
    assert "counteroffensive" in topics("Was in Balaklija geschah", teaser)
    # the same lead before a long body is an article's lead (x1.5): one hit is not enough
    body = " ".join(["Die Bewohner erzählen von den Wochen der Besatzung."] * 12)
    assert "counteroffensive" not in topics("Was in Balaklija geschah", teaser, body)


def test_the_other_part_of_a_short_item_names_who_acts() -> None:
    # a title hit with no actor takes the teaser's; the other side named there vetoes it
    assert "counteroffensive" in topics(
        "Die Offensive hat begonnen", "Ukrainische Brigaden greifen bei Orichiw an."
    )
    assert "counteroffensive" not in topics(
        "Die Offensive hat begonnen", "Russische Brigaden greifen bei Kupjansk an."
    )
    assert "counteroffensive" not in topics(
        "Geländegewinne im Zentrum", "Wagner-Söldner melden Erfolge in Bachmut."
    )
    assert "counteroffensive" in topics(
        "Geländegewinne im Zentrum", "Die Brigaden melden Erfolge in Bachmut.", "", {"name:Bachmut"}
    )


def test_a_participles_object_and_a_perfects_subject() -> None:
    # the side before a participle is its object; in a perfect the first actor its subject
    assert "counteroffensive" in topics("Russische Linien bei Robotyne durchbrochen", "")
    assert "counteroffensive" not in topics("Ukrainische Stellungen bei Awdijiwka durchbrochen", "")
    assert "counteroffensive" not in topics("Russen haben ukrainische Front durchbrochen", "")
    assert "counteroffensive" not in topics(
        "Russische Einheiten haben Stellungen der Ukrainer eingenommen", ""
    )
    assert "counteroffensive" in topics("Ukrainer haben russische Stellungen eingenommen", "")


def test_another_war_is_not_this_ones() -> None:
    assert "counteroffensive" not in topics(
        "IS im Irak: Armee meldet Befreiung von Tikrit",
        "Die Armee hat die Stadt von der Terrormiliz zurückerobert.",
    )
    assert "counteroffensive" not in topics("Syrische Armee erobert Aleppo zurück", "")
    # the war's own actor or entity keeps it: a Ukrainian recapture next to another war
    assert "counteroffensive" in topics("Ukraine erobert Dorf zurück - Israel greift Gaza an", "")


def test_context_entities_are_in_the_knowledge_base() -> None:
    """They name the knowledge base's entries: a renamed entry must be renamed here, a rebuilt
    knowledge base needs scripts/war_places.py run again."""
    from workers.tagging.knowledge import load_entities

    entities = load_entities(TaggingSettings().entities_file)
    # the hand-written ones by canonical name, scripts/war_places.py's by id
    names = {f"name:{e.name}" for e in entities} | {e.key for e in entities}
    used = {key for rule in RULES for key in rule.context_entities}
    assert used and used <= names, used - names


def test_sided_cues_are_validated(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text(
        '[[topic]]\nid = "x"\nlabel = "x"\n'
        "patterns = [{ regex = 'x', weight = 1, side = 'ours' }]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="needs the topic's side"):
        load_taxonomy(bad)
    bad.write_text(
        '[[topic]]\nid = "x"\nlabel = "x"\nside = { ours = "a", theirs = "b" }\n'
        "patterns = [{ regex = 'x', weight = 1, side = 'both' }]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="side must be 'ours' or 'theirs'"):
        load_taxonomy(bad)


def test_every_cue_has_anchors_for_the_prefilter() -> None:
    # a cue without literal prefixes or anchors is scanned over every article: the hot path
    # (a leading \w* in one alternative takes the whole cue's prefixes away)
    from workers.tagging.taxonomy import Prefilter

    prefilter = Prefilter(RULES)
    loose = [
        f"{rule.id}: {cue.pattern.pattern[:60]}"
        for rule in RULES
        for cue in (*rule.patterns, *rule.negative)
        if id(cue) in prefilter.always
    ]
    assert not loose, loose


def test_a_copy_of_the_rules_elsewhere_keeps_the_shipped_war_places(tmp_path: Path) -> None:
    """`replay --topics-file` reads a changed copy of topics.toml from anywhere."""
    shipped = TaggingSettings().topics_file
    copy = tmp_path / "topics.toml"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    places = {r.id: r.context_entities for r in load_taxonomy(copy)}
    assert places == {r.id: r.context_entities for r in RULES}
    assert any(len(p) > 1000 for p in places.values())
    copy.write_text(
        copy.read_text(encoding="utf-8").replace('"war_places.txt"', '"no_such_places.txt"'),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="context_entities_file"):
        load_taxonomy(copy)


PLACED = """
occupied_file = "held.txt"
[[topic]]
id = "advance"
label = "Advance"
side = { ours = '\\bukrain\\w*', theirs = '\\bruss\\w*' }
patterns = [
  { regex = '\\bstehen vor <place>', weight = 2.0, side = "ours" },
  { regex = '\\bverlieren <place>|\\bverlieren den krieg', weight = 2.0, side = "theirs" },
]
"""


def test_a_place_cue_counts_only_where_the_other_side_held_the_place(tmp_path: Path) -> None:
    (tmp_path / "held.txt").write_text("# held\nQ1\n", encoding="utf-8")
    (tmp_path / "t.toml").write_text(PLACED, encoding="utf-8")
    rules = load_taxonomy(tmp_path / "t.toml")
    assert rules[0].occupied == {"Q1"}

    def found(title: str, places: dict[str, str]) -> bool:
        return bool(score_topics(rules, title, "", "", set(), places))

    held, other = {"Melitopol": "Q1"}, {"Kramatorsk": "Q2"}
    assert found("Ukrainer stehen vor Melitopol", held)
    assert found("Ukrainer stehen vor Melitopols Toren", held)  # a genitive
    assert not found("Ukrainer stehen vor Kramatorsk", other)  # a town Ukraine held
    assert not found("Ukrainer stehen vor Melitopol", {})  # no linked place: no side
    assert not found("Russen stehen vor Melitopol", held)  # the other side
    assert found("Russen verlieren Melitopol", held)
    # an alternative without a place asks nothing of one
    assert found("Russen verlieren den Krieg", {})


def test_a_place_cue_needs_the_list_of_held_places(tmp_path: Path) -> None:
    (tmp_path / "t.toml").write_text(PLACED.replace('occupied_file = "held.txt"', ""))
    with pytest.raises(ValueError, match="needs occupied_file"):
        load_taxonomy(tmp_path / "t.toml")


def test_the_shipped_held_places_are_places_of_the_war() -> None:
    occupied = RULES[0].occupied
    assert {"Q33349", "Q889555", "Q156732", "Q7525"} <= occupied  # Melitopol, Kupjansk ...
    assert not {"Q1899", "Q33613", "Q42308"} & occupied  # Kyiv, Kramatorsk, Kharkiv
    # each is a place of the war (its areas too, but for a raion or two the KB puts nowhere)
    assert len(occupied - RULES[0].context_entities) < 10


def test_a_named_operation_is_ours_unless_russia_launches_or_owns_it() -> None:
    said = (
        "Kreml: Gegenoffensive gescheitert",
        "Russland meldet Scheitern der Gegenoffensive",
        "Kiews Gegenoffensive kommt voran",
    )
    for title in said:
        assert "counteroffensive" in topics(title, "", keys={"name:Russland"}), title
    for title in (
        "Russische Gegenoffensive bei Charkiw",
        "Russland startet eine Gegenoffensive",
        "Gegenoffensive der Russen bei Kupjansk",
    ):
        assert "counteroffensive" not in topics(title, "", keys={"name:Russland"}), title


def test_the_shipped_place_lists_are_what_the_script_writes() -> None:
    """scripts/war_places.py made both lists from the shipped knowledge base: a rebuilt one,
    or a changed list of areas Russia held, needs the script run again."""
    module = load_script("war_places")
    assert set(module.occupied_places()) == RULES[0].occupied
    assert set(module.war_places()) <= RULES[0].context_entities


def test_a_clause_that_names_a_place_russia_held_and_no_actor_is_ours() -> None:
    rules = RULES
    title = "Flagge über Snihuriwka gehisst"
    held = {"Snihuriwka": next(iter(rules[0].occupied))}
    found = {t.id for t in score_topics(rules, title, "", "", {"name:Ukraine"}, held)}
    assert "counteroffensive" in found
    assert not score_topics(rules, title, "", "", {"name:Ukraine"}, {"Snihuriwka": "Q1899"})
