"""The corpus readers of scripts/ner_corpora.py (SmartData, Europeana, Universal NER,
MobIE), on files written here."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.conftest import load_script
from workers.tagging.knowledge import KnownEntity

REPO = Path(__file__).resolve().parents[3]


def _doc(text: str, mentions: list[tuple[str, str]], source: str = "news") -> dict:
    """A SmartData v1 document: each mention (surface, type) at its first occurrence."""
    array = []
    for surface, type_ in mentions:
        start = text.index(surface)
        span = {"start": start, "end": start + len(surface), "attributes": None}
        array.append({"span": span, "type": type_})
    return {
        "text": {"string": text},
        "refids": {"map": {"source": source}},
        "conceptMentions": {"array": array},
    }


def test_smartdata_mentions_become_germeval_outer_tags(tmp_path: Path) -> None:
    text = "Der Sprecher der Deutschen Bahn sagte in Köln, die deutschen Züge der Gruppe fahren."
    mentions = [
        ("Deutschen Bahn", "organization-company"),
        ("Sprecher", "org-position"),  # not a name type
        ("Köln", "location-city"),
        ("deutschen", "location"),  # a derived adjective: LOCderiv, as GermEval has it
        ("Gruppe", "organization-company"),  # a plain common noun: not a name
        ("Züge", "location-route"),
    ]
    tweet = _doc("Stau bei Berlin", [("Berlin", "location-city")], source="tweet")
    path = tmp_path / "train.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps(_doc(text, mentions), indent=2) + "\n" + json.dumps(tweet))
    reader = load_script("ner_corpora")
    (sentence,) = reader.smartdata(path)  # tweets are left out by default
    tagged = {w: t for w, t in zip(sentence.words, sentence.tags, strict=True) if t != "O"}
    assert tagged == {
        "Deutschen": "B-ORG",
        "Bahn": "I-ORG",
        "Köln": "B-LOC",
        "deutschen": "B-LOCderiv",
    }
    assert len(reader.smartdata(path, frozenset({"news", "tweet"}))) == 2


def test_smartdata_sentences_without_names_are_left_out_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "train.json"
    text = "Auf der Strecke ist Stau. Die Polizei in Bonn ermittelt."
    path.write_text(json.dumps(_doc(text, [("Bonn", "location-city")])), encoding="utf-8")
    reader = load_script("ner_corpora")
    assert [s.text for s in reader.smartdata(path)] == ["Die Polizei in Bonn ermittelt ."]
    assert len(reader.smartdata(path, names_only=False)) == 2


def test_europeana_lines_become_sentences_with_names(tmp_path: Path) -> None:
    lines = [
        "Der O", "Andreas B-ORG", "Hofer-Bund I-ORG", "tagte O", "in O", "Bolzano. B-LOC",
        "Es O", "regnete O", "den O", "ganzen O", "Tag O", ". O",
        "Herr O", "Meier B-PEr", "sprach O", "mit O", "Dr. O", "Huber I-PER", "! O",
        "Die O", "Mode O", "MISC-Zeug B-MISC",
    ]  # fmt: skip
    path = tmp_path / "enp_DE.test.bio"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = load_script("ner_corpora").europeana(path)
    # the sentence without a name, and the one whose only name is MISC, are left out
    assert [" ".join(s.words) for s in found] == [
        "Der Andreas Hofer-Bund tagte in Bolzano .",
        "Herr Meier sprach mit Dr. Huber !",
    ]
    assert found[0].tags == ("O", "B-ORG", "I-ORG", "O", "O", "B-LOC", "O")
    # a type in the wrong case is mended; an I- after another word starts a name
    assert found[1].tags == ("O", "B-PER", "O", "O", "O", "B-PER", "O")
    everything = load_script("ner_corpora").europeana(path, names_only=False)
    assert len(everything) == 4


def test_sturm_letters_become_sentences_with_persons_and_places(tmp_path: Path) -> None:
    lines = [
        "Liebe O", "Frau B-pers", "Walden I-pers", ", O", "am O", "3. B-date", "Mai I-date",
        "fahre O", "ich O", "nach O", "Frankfurt B-place", "am I-place", "Main I-place", "",
        "Es O", "regnet O", "", "Gruss O", ". B-pers", "Marc I-pers",
    ]  # fmt: skip
    path = tmp_path / "sturm.conll"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = load_script("ner_corpora").sturm(path)
    # the sentence without a name is left out; the last needs no blank line after it
    assert [" ".join(s.words) for s in found] == [
        "Liebe Frau Walden , am 3. Mai fahre ich nach Frankfurt am Main",
        "Gruss . Marc",
    ]
    # the title is no part of the name (GermEval's rule), a date no name at all
    assert found[0].tags[1:7] == ("O", "B-PER", "O", "O", "O", "O")
    assert found[0].tags[-3:] == ("B-LOC", "I-LOC", "I-LOC")
    # a stop tagged a person is none, and the name after it starts anew
    assert found[1].tags == ("O", "O", "B-PER")
    assert len(load_script("ner_corpora").sturm(path, names_only=False)) == 3


def _uner_file(path: Path, sentences: list[tuple[str, list[tuple[str, str]]]]) -> Path:
    """A Universal NER IOB2 file: each sentence's text line, then id, word, tag rows."""
    rows = []
    for text, words in sentences:
        rows.append(f"# text = {text}")
        rows += [f"{i}\t{word}\t{tag}\t-\t-" for i, (word, tag) in enumerate(words, 1)]
        rows.append("")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_uner_sentences_are_retokenised_and_mapped_to_germeval(tmp_path: Path) -> None:
    # UD splits "zum" into "zu dem"; the text line keeps it, and so do our tokens
    text = "Die Regierung der USA lud CNN-Reporter zum Treffen in Köln."
    words = [
        ("Die", "B-ORG"), ("Regierung", "I-ORG"), ("der", "O"), ("USA", "B-ORG"),
        ("lud", "O"), ("CNN", "B-ORG"), ("-Reporter", "O"), ("zu", "O"), ("dem", "O"),
        ("Treffen", "O"), ("in", "O"), ("Köln", "B-LOC"), (".", "O"),
    ]  # fmt: skip
    quiet = ("Es regnete.", [("Es", "O"), ("regnete", "O"), (".", "O")])
    path = _uner_file(tmp_path / "de.iob2", [(text, words), quiet])
    reader = load_script("ner_corpora")
    usa = KnownEntity(id="loc:usa", name="USA", type="LOC")
    found, dropped = reader.uner(path, known={"USA": (usa,)})
    assert dropped == 0
    assert [s.text for s in found] == [
        "Die Regierung der USA lud CNN-Reporter zum Treffen in Köln .",
        "Es regnete .",
    ]
    tagged = {w: t for w, t in zip(found[0].words, found[0].tags, strict=True) if t != "O"}
    # "Die Regierung" is a common noun with its article: no name to GermEval; a place
    # acting as an organisation is a LOC; a name inside a word is that word's -part
    assert tagged == {"USA": "B-LOC", "CNN-Reporter": "B-ORGpart", "Köln": "B-LOC"}
    # without the knowledge base the USA stay what UNER says; names only on request
    plain = reader.uner(path)[0][0]
    assert dict(zip(plain.words, plain.tags, strict=True))["USA"] == "B-ORG"
    assert len(reader.uner(path, names_only=True)[0]) == 1


def test_uner_sentence_with_a_name_off_our_tokens_is_left_out(tmp_path: Path) -> None:
    # "Berlin" as a name inside "Berlinerin" lands on no token boundary (and no hyphen
    # makes it a -part): the sentence would teach that the name is none, so it goes
    text = "Berlinerin kamen."
    words = [("Berlin", "B-LOC"), ("erin", "O"), ("kamen", "O"), (".", "O")]
    path = _uner_file(tmp_path / "de.iob2", [(text, words)])
    assert load_script("ner_corpora").uner(path) == ([], 1)


def test_mobie_keeps_reports_with_names_and_maps_types(tmp_path: Path) -> None:
    lines = [
        "-DOCSTART- -https://example.org/report/1- O O", "",
        "Stau\tNN\tI-NN\tO", "auf\tAPPR\tI-AP\tO", "der\tART\tI-AR\tO",
        "A5\tNE\tI-NE\tB-location-street", "bei\tAPPR\tI-AP\tO",
        "Frankfurt\tNE\tI-NE\tB-location-city", "am\tAPPRART\tI-AP\tI-location-city",
        "Main\tNE\tI-NE\tI-location-city", ",\t$,\tI-$,\tO", "S4\tCARD\tI-CA\tB-location-route",
        "der\tART\tI-AR\tO", "Deutschen\tADJA\tI-AD\tB-organization-company",
        "Bahn\tNN\tI-NN\tI-organization-company", "fällt\tVVFIN\tI-VV\tB-trigger",
        "aus\tPTKVZ\tI-PT\tI-trigger", "", "Gute\tADJA\tI-AD\tO", "Fahrt\tNN\tI-NN\tO", "",
        "-DOCSTART- -1108129826844672001- O O", "",
        "#Stau\tNN\tI-NN\tO", "in\tAPPR\tI-AP\tO", "Bonn\tNE\tI-NE\tB-location-city", "",
    ]  # fmt: skip
    path = tmp_path / "train.conll2003"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reader = load_script("ner_corpora")
    (report,) = reader.mobie(path)  # the tweet and the sentence without a name are out
    tagged = [(w, t) for w, t in zip(report.words, report.tags, strict=True) if t != "O"]
    assert tagged == [
        ("A5", "B-LOC"),
        ("Frankfurt", "B-LOC"),
        ("am", "I-LOC"),
        ("Main", "I-LOC"),
        ("Deutschen", "B-ORG"),
        ("Bahn", "I-ORG"),
    ]  # the route and the trigger are no names
    assert len(reader.mobie(path, tweets=True, names_only=False)) == 3
