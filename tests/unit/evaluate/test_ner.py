from __future__ import annotations

from pathlib import Path

import pytest

from workers.evaluate.ner import (
    Counts,
    inside_token,
    is_token_file,
    read_documents,
    read_sentences,
    score,
    score_documents,
    total,
)

GERMEVAL = (
    "#\tsource\n1\tAngela\tB-PER\tO\n2\tMerkel\tI-PER\tO\n3\tbesucht\tO\tO\n"
    "4\tdeutsche\tB-LOCderiv\tO\n5\tBank\tO\tO\n6\tin\tO\tO\n7\tNew\tB-LOC\tO\n"
    "8\tYork\tI-LOC\tO\n9\tBank\tB-ORG\tO\n\n"
    "1\tSelenskyj-Berater\tB-PERpart\tO\n2\tsprach\tO\tO\n\n"
)
#: CoNLL-2003 style: IOB1 (a span starts with I-), -DOCSTART-, tag in the last column
CONLL = (
    "-DOCSTART- -X- O O\n\nAngela NE I-PER\nMerkel NE I-PER\nbesucht VV O\n"
    "New NE I-LOC\nYork NE I-LOC\nBank NN I-ORG\n\n"
)


@pytest.mark.parametrize("content", [GERMEVAL, CONLL])
def test_both_formats_give_outer_per_loc_org_spans(tmp_path: Path, content: str) -> None:
    path = tmp_path / "gold.txt"
    path.write_text(content, encoding="utf-8")
    first, *rest = list(read_sentences(path))
    spans = {(first.text[s:e], t) for s, e, t in first.spans()}
    assert spans == {("Angela Merkel", "PER"), ("New York", "LOC"), ("Bank", "ORG")}
    if rest:  # GermEval: a -part tag is no person
        assert rest[0].spans() == set()


def test_a_conll_line_of_a_number_is_not_taken_for_germeval(tmp_path: Path) -> None:
    """CoNLL-2003's German files have five columns (token, lemma, part of speech, chunk,
    tag): a line whose token is a number looks like GermEval's index first."""
    path = tmp_path / "news.conll"
    path.write_text(
        "-DOCSTART- -X- -X- -X- O\n\nHannover Hannover NE I-NC I-ORG\n96 @card@ CARD I-NC I-ORG\n"
        "siegte siegen VVFIN I-VC O\n1992 @card@ CARD I-NC O\nin in APPR I-PC O\n"
        "Bremen Bremen NE I-NC I-LOC\n\n",
        encoding="utf-8",
    )
    [sentence] = list(read_sentences(path))
    assert sentence.text == "Hannover 96 siegte 1992 in Bremen"
    spans = {(sentence.text[s:e], t) for s, e, t in sentence.spans()}
    assert spans == {("Hannover 96", "ORG"), ("Bremen", "LOC")}


def test_scores_count_exact_spans_per_type(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text(GERMEVAL, encoding="utf-8")

    def predict(text: str) -> set[tuple[int, int, str]]:
        if not text.startswith("Angela"):
            return set()
        return {(0, 6, "PER"), (text.index("New"), text.index("York") + 4, "LOC")}

    counts = score(read_sentences(path), predict)
    assert (counts["PER"].tp, counts["PER"].fp, counts["PER"].fn) == (0, 1, 1)
    assert (counts["LOC"].tp, counts["LOC"].fp, counts["LOC"].fn) == (1, 0, 0)
    assert counts["ORG"].fn == 1
    assert total(counts).precision == pytest.approx(0.5)
    assert Counts(tp=1, fp=1, fn=0).f1 == pytest.approx(2 / 3)


def test_parts_of_a_token() -> None:
    text = "Ein Selenskyj-Berater und Selenskyj"
    assert inside_token(text, 4, 13)
    assert not inside_token(text, 26, 35)
    assert inside_token("Ukraine-Krieg", 0, 7)
    assert inside_token("Anti-Putin", 5, 10)
    text = "Darmstadt/Berlin - Die Übernahme"
    assert inside_token(text, 10, 16)
    assert not inside_token(text, 0, 16)


def test_a_latin1_conll_file_is_read_and_told_from_jsonl(tmp_path: Path) -> None:
    """CoNLL-2003's German files are ISO-8859-1, not UTF-8."""
    conll = tmp_path / "deu.testb"
    conll.write_bytes(
        "-DOCSTART- -X- -X- O\n\nJürgen Jürgen NE I-PER\nMöllemann Möllemann NE I-PER\n"
        "kam kommen VVFIN O\nnach nach APPR O\nDüsseldorf Düsseldorf NE I-LOC\n\n".encode("latin-1")
    )
    [sentence] = list(read_sentences(conll))
    assert {(sentence.text[s:e], t) for s, e, t in sentence.spans()} == {
        ("Jürgen Möllemann", "PER"),
        ("Düsseldorf", "LOC"),
    }
    germeval = tmp_path / "test.tsv"
    germeval.write_text(GERMEVAL, encoding="utf-8")
    jsonl = tmp_path / "gold.jsonl"
    jsonl.write_text('{"title": "Kiew", "kursk": false}\n', encoding="utf-8")
    assert is_token_file(conll) and is_token_file(germeval) and not is_token_file(jsonl)


def test_lagebild_eval_scores_a_token_file_given_as_its_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from workers.cli.main import main

    path = tmp_path / "news.conll"
    path.write_text(CONLL, encoding="utf-8")
    assert main(["eval", str(path)]) == 0
    rows = {
        line.split()[0]: line.split()[1:]
        for line in capsys.readouterr().out.splitlines()
        if line.strip()[:3] in {"PER", "LOC", "ORG", "all"}
    }
    assert set(rows) == {"PER", "LOC", "ORG", "all"}
    # three gold spans: every tp + fn row adds up to them
    assert sum(int(rows[t][-3]) + int(rows[t][-1]) for t in ("PER", "LOC", "ORG")) == 3
    assert main(["eval", str(path), "--germeval", str(path)]) == 1  # a usage error
    assert "give it once" in capsys.readouterr().err


def test_a_conll_document_is_scored_as_one_text(tmp_path: Path) -> None:
    """The predictor sees a document's sentences together, as the tag stage sees an
    article: a surname named in full one sentence earlier is found on its own."""
    conll = tmp_path / "docs.conll"
    conll.write_text(
        "-DOCSTART- -X- O O\n\nIvo NE I-PER\nKowalczuk NE I-PER\nkam VV O\n. $. O\n\n"
        "Kowalczuk NE I-PER\nsprach VV O\n. $. O\n\n"
        "-DOCSTART- -X- O O\n\nKowalczuk NE I-PER\nschwieg VV O\n. $. O\n\n",
        encoding="utf-8",
    )
    documents = list(read_documents(conll))
    assert [len(d) for d in documents] == [2, 1]
    texts: list[str] = []

    def predict(text: str) -> set[tuple[int, int, str]]:
        texts.append(text)
        return {(0, 13, "PER"), (20, 29, "PER")} if len(texts) == 1 else set()

    assert total(score_documents(documents, predict)) == Counts(2, 0, 1)
    assert texts == ["Ivo Kowalczuk kam .\nKowalczuk sprach .", "Kowalczuk schwieg ."]
    # a file without -DOCSTART- (GermEval) is one sentence per document
    germeval = tmp_path / "test.tsv"
    germeval.write_text(GERMEVAL, encoding="utf-8")
    assert [len(d) for d in read_documents(germeval)] == [1, 1]
    # a line break is a token's edge, as a space is
    assert not inside_token("kam .\nKowalczuk sprach", 6, 15)


def test_errors_name_each_wrong_and_missed_span_with_its_words(tmp_path: Path) -> None:
    """`eval --show` on a token file: what the tagger got wrong, in text order, and the
    type gold gives a span the tagger typed otherwise."""
    path = tmp_path / "gold.conll"
    path.write_text(CONLL, encoding="utf-8")
    text = "Angela Merkel besucht New York Bank"

    def predict(_: str) -> set[tuple[int, int, str]]:
        return {(0, 13, "PER"), (31, 35, "LOC")}  # Merkel right, the bank a place

    errors: list[str] = []
    counts = score_documents(read_documents(path), predict, errors)
    assert total(counts) == Counts(1, 1, 2)
    assert [line.split("   …")[0] for line in errors] == [
        "missed LOC 'New York'",
        "wrong  LOC 'Bank' (gold: ORG)",
        "missed ORG 'Bank'",
    ]
    assert text in errors[0]
