from __future__ import annotations

import gzip
from pathlib import Path

import pycrfsuite
import pytest

from workers.settings import TaggingSettings
from workers.tagging.names import load_cues
from workers.tagging.ner import (
    Features,
    NameTagger,
    kb_tags,
    load_nouns,
    load_person_names,
    load_word_classes,
    load_word_freq,
    model_attributes,
    sentences,
    side_path,
    spans_from_tags,
    tokens,
    zipf_buckets,
)


def test_tokens_keep_abbreviations_ordinals_and_compounds() -> None:
    text = "Am 15. Mai sagte Dr. Anna Weber (SPD), der Selenskyj-Berater sei bzw. war 1,5 m groß."
    words = [t.text for t in tokens(text)]
    assert words[:4] == ["Am", "15.", "Mai", "sagte"]
    assert "Dr." in words and "Selenskyj-Berater" in words and "bzw." in words
    assert "1,5" in words and words[-1] == "."
    assert all(text[t.start : t.end] == t.text for t in tokens(text))


def test_sentences_end_at_full_stops_before_capitals_and_at_line_breaks() -> None:
    text = "Am 3. Oktober kam er. Dann ging er\nHeute nicht."
    parts = [" ".join(t.text for t in s) for s in sentences(text, tokens(text))]
    assert parts == ["Am 3. Oktober kam er .", "Dann ging er", "Heute nicht ."]


def test_bio_tags_to_spans_and_kb_tags() -> None:
    text = "Angela Merkel besucht New York"
    toks = tokens(text)
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC"]  # an I- after O starts a span
    spans = [(s.text, s.type) for s in spans_from_tags(toks, tags, text)]
    assert spans == [("Angela Merkel", "PER"), ("New York", "LOC")]
    assert kb_tags(toks, [(22, 30, "LOC")]) == ["", "", "", "B-LOC", "I-LOC"]


@pytest.fixture(scope="module")
def ner() -> NameTagger:
    settings = TaggingSettings()
    assert settings.ner_model is not None
    return NameTagger(settings.ner_model, load_cues(settings.cues_file))


def test_the_shipped_model_finds_names_it_was_not_told(ner: NameTagger) -> None:
    text = "Bürgermeister Roman Klitschuk traf in Tscherniwzi am Montag Vertreter der UNO."
    found = {(s.text, s.type) for s in ner.find(text, [])}
    assert {("Roman Klitschuk", "PER"), ("Tscherniwzi", "LOC"), ("UNO", "ORG")} <= found
    # derived adjectives and compound parts are not names of PER/LOC/ORG
    assert not ner.find("Die russischen Truppen und ein Selenskyj-Berater.", [])


def test_a_common_noun_after_a_neuter_article_is_no_place(ner: NameTagger) -> None:
    # Wiktionary has "Essen" as a common noun and as a town ("nt"): a town takes no article
    assert ner.features.nouns.get("Essen") == "nt"
    assert not ner.find("Das Essen war kalt.", [])
    assert {(s.text, s.type) for s in ner.find("Er wohnt in Essen.", [])} == {("Essen", "LOC")}


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="NER model not found"):
        NameTagger(tmp_path / "none.crfsuite", load_cues(TaggingSettings().cues_file))


def test_word_classes_are_features_of_the_word_and_its_neighbours(tmp_path: Path) -> None:
    path = tmp_path / "classes.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("Krynky\t3\t41\nin\t7\t102\n")
    classes = load_word_classes(path)
    assert classes == {"Krynky": ("3", "41"), "in": ("7", "102")}
    features = Features(load_cues(TaggingSettings().cues_file), None, classes)
    first, second, third = features.sentence(["in", "Krynky", "Sudscha"], ["", "", ""])
    assert {"c1=7", "c2=102", "+1c1=3"} <= set(first)
    assert {"c1=3", "c2=41", "-1c1=7"} <= set(second)
    # a word the unlabelled text never showed has no class
    assert not [f for f in third if f.startswith(("c1=", "c2="))] and "-1c1=3" in third
    with pytest.raises(FileNotFoundError, match="word classes not found"):
        load_word_classes(tmp_path / "none.tsv.gz")
    assert load_word_classes(None) == {}


def test_person_names_are_features_of_the_word_and_its_neighbours(tmp_path: Path) -> None:
    path = tmp_path / "names.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("Birthe\tg\nWolter\ts\nCarter\tgs\n")
    names = load_person_names(path)
    assert names == {"Birthe": "g", "Wolter": "s", "Carter": "gs"}
    features = Features(load_cues(TaggingSettings().cues_file), None, names=names)
    sagte, birthe, wolter, carter = features.sentence(
        ["sagte", "Birthe", "Wolter", "Carter"], [""] * 4
    )
    assert "+1pn=g" in sagte and not [a for a in sagte if a.startswith("pn=")]
    assert {"pn=g", "+1pn=s"} <= set(birthe)
    assert {"pn=s", "-1pn=g", "+1pn=gs"} <= set(wolter)
    assert {"pn=gs", "-1pn=s"} <= set(carter)
    # a lower-case word is no name, whatever the list says ("will", "hope")
    assert not [a for a in features.sentence(["wolter"], [""])[0] if "pn=" in a]
    with pytest.raises(FileNotFoundError, match="person names not found"):
        load_person_names(tmp_path / "none.tsv.gz")
    assert load_person_names(None) == {}


def test_knowledge_base_names_are_a_feature_apart_from_fakers() -> None:
    """The kinds "S" and "G" (scripts/person_names.py --kb) are "kp=", Faker's "pn=":
    a model trained without the knowledge base's kinds sees the same features."""
    names = {"Thierse": "S", "Paris": "Sg"}
    features = Features(load_cues(TaggingSettings().cues_file), None, names=names)
    sagte, thierse, paris = features.sentence(["sagte", "Thierse", "Paris"], [""] * 3)
    assert "+1kp=S" in sagte and not [a for a in sagte if "pn=" in a]
    assert "kp=S" in thierse and not [a for a in thierse if a.startswith("pn=")]
    assert {"pn=g", "kp=S", "-1kp=S"} <= set(paris)


def test_word_frequencies_are_features_of_a_capitalised_word(tmp_path: Path) -> None:
    path = tmp_path / "freq.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("3.7\t0.0\tklammern\n4.4\t4.7\thenry\n2.6\t0.0\tthierse ampel\n5.3\t4.2\tstrasse\n")
    freq = load_word_freq(path)
    assert freq["klammern"] == ("3.5", "g") and freq["henry"] == ("4", "f")
    assert freq["thierse"] == freq["ampel"] == ("2.5", "g") and freq["strasse"] == ("5", "m")
    assert zipf_buckets(1.9, 0.0) == ("0", "g") and zipf_buckets(6.8, 7.0) == ("5", "f")
    cues = load_cues(TaggingSettings().cues_file)
    words = ["in", "Klammern", "sagte", "Henry", "Thierse", "Vellage", "Straße"]
    out = Features(cues, freq=freq, freq_english=True).sentence(words, [""] * len(words))
    by_word = {
        w: {a for a in f if a.startswith(("zf=", "zd="))} for w, f in zip(words, out, strict=True)
    }
    assert by_word["Klammern"] == {"zf=3.5", "zd=g"}
    assert by_word["Henry"] == {"zf=4", "zd=f"}
    assert by_word["Thierse"] == {"zf=2.5", "zd=g"}
    # a word the list lacks is rare; "Straße" is found case-folded, as wordfreq keeps it
    assert by_word["Vellage"] == {"zf=0"} and by_word["Straße"] == {"zf=5", "zd=m"}
    assert not by_word["in"] and not by_word["sagte"]  # lower-case words have none
    plain = Features(cues, freq=freq).sentence(["Henry"], [""])[0]
    assert "zf=4" in plain and not [a for a in plain if a.startswith("zd=")]
    with pytest.raises(FileNotFoundError, match="word frequencies not found"):
        load_word_freq(tmp_path / "none.tsv.gz")
    assert load_word_freq(None) == {}


def test_wiktionary_kinds_are_features_of_a_capitalised_word(tmp_path: Path) -> None:
    path = tmp_path / "nouns.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("n\tKlammer Klammern Tierheim\nns\tBraun\ns\tMerkel\n")
    nouns = load_nouns(path)
    assert nouns == {"Klammer": "n", "Klammern": "n", "Tierheim": "n", "Braun": "ns", "Merkel": "s"}
    words = ["in", "Klammern", "sagte", "Merkel", "Braun", "Thierse"]
    out = Features(load_cues(TaggingSettings().cues_file), nouns=nouns).sentence(words, [""] * 6)
    by_word = {w: {a for a in f if a.startswith("nk=")} for w, f in zip(words, out, strict=True)}
    assert by_word["Klammern"] == {"nk=n"} and by_word["Merkel"] == {"nk=s"}
    assert by_word["Braun"] == {"nk=ns"} and not by_word["Thierse"]
    assert not by_word["in"] and not by_word["sagte"]
    with pytest.raises(FileNotFoundError, match="noun lexicon not found"):
        load_nouns(tmp_path / "none.tsv.gz")
    assert load_nouns(None) == {}


def test_noun_compounds_neighbours_and_particles_are_flagged_only_when_asked() -> None:
    cues = load_cues(TaggingSettings().cues_file)
    nouns = {"Grafiken": "n", "Reporter": "n", "Lage": "n", "Burg": "n", "Merkel": "s"}
    words = ["Druckgrafiken", "CNN-Reporter", "Vellage", "Magdeburg", "sagte", "Merkel"]
    kb = [""] * len(words)
    flagged = Features(cues, nouns=nouns, noun_compounds=True, noun_neighbours=True)
    out = flagged.sentence(words, kb)
    assert "nkc" in out[0] and "nkh=n" in out[1]
    # heads under five letters and a place's head are no compound's ("Vel|lage", "Magde|burg")
    assert not [a for f in out[2:4] for a in f if a.startswith("nk")]
    assert "+1nk=s" in out[4] and "nk=s" in out[5]
    plain = Features(cues, nouns=nouns).sentence(words, kb)
    assert not [a for f in plain for a in f if a in ("nkc", "nkh=n", "+1nk=s")]
    words = ["Giacomo", "della", "Porta", "in", "der", "Stadt"]
    out = Features(cues, names={"Giacomo": "g"}, particles=True).sentence(words, [""] * 6)
    assert "ptin" in out[1] and "-1ptin" in out[2]
    assert not [a for f in out[3:] for a in f if "ptin" in a]  # "in der Stadt": no name
    assert not [a for f in Features(cues).sentence(words, [""] * 6) for a in f if "ptin" in a]


def test_model_attributes_are_the_features_the_model_has_weights_for(tmp_path: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.append([["w=kiew", "sh=Xx"], ["w=liegt", "sh=x"]], ["B-LOC", "O"])
    trainer.append([["w=in", "sh=x"], ["w=odesa", "sh=Xx"]], ["O", "B-LOC"])
    trainer.train(str(tmp_path / "tiny.crfsuite"))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "tiny.crfsuite"))
    expected = {name for name, _ in tagger.info().state_features}
    assert model_attributes(tmp_path / "tiny.crfsuite") == expected
    assert "w=odesa" in expected
    (tmp_path / "other.bin").write_bytes(b"\0" * 64)
    with pytest.raises(ValueError, match="not a crfsuite model"):
        model_attributes(tmp_path / "other.bin")


def test_the_tagger_passes_only_known_features_and_tags_as_with_all(ner: NameTagger) -> None:
    known = ner.features.attributes
    assert known is not None
    every = Features(
        ner.features.cues,
        None,
        ner.features.classes,
        names=ner.features.names,
        freq=ner.features.freq,
        freq_english=ner.features.freq_english,
        nouns=ner.features.nouns,
    )
    # a word pair the model knows is still built when its first word comes
    pair = min(a for a in known if a.startswith("-1w+w=") and a[6:].replace("|", "").isalpha())
    first, second = pair.removeprefix("-1w+w=").split("|")
    words = ["Gestern", "sagte", first, second, "in", "Tscherniwzi", "."]
    kb = [""] * len(words)
    shown = ner.features.sentence(words, kb)
    # unknown: at most a word pair whose first word begins some known pair
    assert all(a in known or "|" in a for f in shown for a in f)
    assert pair in shown[3]
    full = every.sentence(words, kb)
    assert len(full[0]) > len(shown[0])  # unknown ones (the word pairs) are left out
    assert ner.tagger.tag(shown) == ner.tagger.tag(full)


def _tiny_model(path: Path, *features: str) -> Path:
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.append([["w=kiew", *features], ["w=liegt"]], ["B-LOC", "O"])
    trainer.train(str(path))
    return path


@pytest.mark.parametrize(
    ("feature", "kind", "missing", "line", "attribute", "read"),
    [
        ("c1=3", "classes", "word classes", "Kiew\t3\t41\n", "classes", {"Kiew": ("3", "41")}),
        ("pn=s", "names", "person names", "Wolter\ts\n", "names", {"Wolter": "s"}),
        ("nk=n", "nouns", "noun lexicon", "n\tKiew\n", "nouns", {"Kiew": "n"}),
        ("zf=3", "freq", "word frequencies", "3.2\t2.0\tkiew\n", "freq", {"kiew": ("3", "m")}),
    ],
)
def test_a_model_reads_the_files_its_features_need_beside_it(
    tmp_path: Path,
    feature: str,
    kind: str,
    missing: str,
    line: str,
    attribute: str,
    read: dict[str, object],
) -> None:
    cues = load_cues(TaggingSettings().cues_file)
    plain = NameTagger(_tiny_model(tmp_path / "plain.crfsuite"), cues).features
    assert getattr(plain, attribute) == {}  # none beside, none needed
    model = _tiny_model(tmp_path / "ner.crfsuite", feature)
    assert side_path(model, kind).parent == tmp_path
    with pytest.raises(FileNotFoundError, match=f"{missing} not found"):
        NameTagger(model, cues)  # trained with them, and they are not beside it
    with gzip.open(side_path(model, kind), "wt", encoding="utf-8") as f:
        f.write(line)
    assert getattr(NameTagger(model, cues).features, attribute) == read


def test_a_finite_verb_beside_a_word_is_flagged_only_for_a_model_that_knows_it(
    tmp_path: Path,
) -> None:
    cues = load_cues(TaggingSettings().cues_file)
    words, kb = ["sagte", "Thierse", "heute"], ["", "", ""]
    flagged = Features(cues, finite_verbs=True).sentence(words, kb)
    assert "-1fin" in flagged[1] and "+1fin" not in flagged[1]  # "heute" is no verb
    assert not any("fin" in f for f in flagged[0])  # "Thierse" is no verb
    assert not any("fin" in f for f in Features(cues).sentence(words, kb)[1])
    # the tagger turns the flag on when its model has weights for it
    assert not NameTagger(_tiny_model(tmp_path / "a.crfsuite"), cues).features.finite_verbs
    model = _tiny_model(tmp_path / "b.crfsuite", "-1fin")
    assert NameTagger(model, cues).features.finite_verbs


def test_a_word_hyphened_to_a_german_lower_case_word_is_no_name() -> None:
    from workers.tagging.ner import _lower_end

    assert _lower_end("Samsung-typisch") and _lower_end("Kreml-freundliche")
    # Korean given names keep their lower-case syllables
    assert not any(map(_lower_end, ("Kim Jong-un", "Moon Jae-in", "Lee Jae-myung")))
    assert not _lower_end("Yahya al-Sinwar") and not _lower_end("Baden-Baden")
