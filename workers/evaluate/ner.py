"""PER/LOC/ORG precision, recall and F1 on a CoNLL- or GermEval-format file.

Both formats: one token per line, a blank line between sentences. GermEval
2014: ``index TAB token TAB outer-tag TAB nested-tag`` with ``#`` comment
lines; CoNLL (2003 and similar): ``token ... tag`` with the tag in the last
column and ``-DOCSTART-`` lines. Tags are BIO or IOB1 (an ``I-`` after ``O``
starts a span). Only outer spans of type PER, LOC and ORG count, with exact
boundaries and type (conlleval's rule); GermEval's -deriv and -part tags
("russischen", "Selenskyj-Berater") are not names of these types.

Each sentence's tokens are joined by single spaces, and a document's sentences
(CoNLL's, between ``-DOCSTART-`` lines) by line breaks: the predictor gets a
whole document, as the tag stage gets a whole article, so its spans are character
offsets into that text. A file without ``-DOCSTART-`` (GermEval's) is one
sentence per document. A file that is not UTF-8 is read
as Latin-1: CoNLL-2003's German files are ISO-8859-1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workers.evaluate.counts import Counts

if TYPE_CHECKING:
    from workers.tagging.stage import Tagger

NER_TYPES = ("PER", "LOC", "ORG")

Span = tuple[int, int, str]


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    #: the outer tag of each token (BIO or IOB1, any type)
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def offsets(self) -> list[tuple[int, int]]:
        out, pos = [], 0
        for word in self.words:
            out.append((pos, pos + len(word)))
            pos += len(word) + 1
        return out

    def spans(self, types: Iterable[str] = NER_TYPES) -> set[Span]:
        """Gold spans (start, end, type) of the given types, as offsets into ``text``."""
        wanted = set(types)
        spans: set[Span] = set()
        current: list | None = None
        for (start, end), tag in zip(self.offsets(), self.tags, strict=True):
            kind = tag[2:] if tag not in ("O", "") else ""
            if tag.startswith("I-") and current is not None and current[2] == kind:
                current[1] = end
                continue
            if current is not None:
                spans.add(tuple(current))
                current = None
            if kind:
                current = [start, end, kind]
        if current is not None:
            spans.add(tuple(current))
        return {s for s in spans if s[2] in wanted}


def _lines(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.splitlines()


def _comment(line: str) -> bool:
    return (line.startswith("#") and "\t" in line[:2]) or line.startswith("# ")


def is_token_file(path: Path) -> bool:
    """A CoNLL/GermEval file (a token and its tag per line), not a JSON Lines gold file."""
    first = next((line for line in _lines(path) if line.strip() and not _comment(line)), "")
    return bool(first) and not first.lstrip().startswith("{") and len(first.split()) >= 2


def _is_tag(column: str) -> bool:
    return column == "O" or column[:2] in ("B-", "I-")


def _germeval(parts: list[str]) -> bool:
    """GermEval's four columns (index, token, outer tag, nested tag); not a CoNLL line of a
    number ("1992 @card@ CARD I-NC O": token, lemma, part of speech, chunk, tag)."""
    return len(parts) == 4 and parts[0].isdigit() and _is_tag(parts[2]) and _is_tag(parts[3])


def _read(path: Path) -> Iterator[Sentence | None]:
    """The file's sentences, None where a ``-DOCSTART-`` line begins a document."""
    words: list[str] = []
    tags: list[str] = []

    def flush() -> Iterator[Sentence]:
        if words:
            yield Sentence(tuple(words), tuple(tags))
        words.clear()
        tags.clear()

    for number, line in enumerate(_lines(path), 1):
        if _comment(line):
            continue
        if line.startswith("-DOCSTART-") or not line.strip():
            yield from flush()
            if line.startswith("-DOCSTART-"):
                yield None
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if _germeval(parts):  # index, token, outer, nested
            word, tag = parts[1], parts[2]
        elif len(parts) >= 2:
            word, tag = parts[0], parts[-1]
        else:
            raise ValueError(f"{path}:{number}: expected token and tag columns: {line!r}")
        words.append(word)
        tags.append(tag)
    yield from flush()


def read_sentences(path: Path) -> Iterator[Sentence]:
    """Sentences of a GermEval 2014 or CoNLL file (the format is told by its columns)."""
    return (s for s in _read(path) if s is not None)


def read_documents(path: Path) -> Iterator[list[Sentence]]:
    """The documents of a CoNLL file; without ``-DOCSTART-`` each sentence is one."""
    document: list[Sentence] = []
    marked = False
    for sentence in _read(path):
        if sentence is None or not marked:
            if document:
                yield document
            document = []
            marked = marked or sentence is None
        if sentence is not None:
            document.append(sentence)
    if document:
        yield document


def score(sentences: Iterable[Sentence], predict: Callable[[str], set[Span]]) -> dict[str, Counts]:
    """Exact-match counts per type of ``predict(text)`` against each sentence's gold spans."""
    return score_documents(([s] for s in sentences), predict)


def score_documents(
    documents: Iterable[list[Sentence]],
    predict: Callable[[str], set[Span]],
    errors: list[str] | None = None,
) -> dict[str, Counts]:
    """The same, each document's sentences given to ``predict`` as one text. ``errors``
    gathers a line for each wrong and missed span, with the words around it."""
    counts = {t: Counts() for t in NER_TYPES}
    for document in documents:
        gold: set[Span] = set()
        offset = 0
        for sentence in document:
            gold |= {(s + offset, e + offset, t) for s, e, t in sentence.spans()}
            offset += len(sentence.text) + 1
        text = "\n".join(sentence.text for sentence in document)
        predicted = {s for s in predict(text) if s[2] in NER_TYPES}
        for _, _, type_ in predicted & gold:
            counts[type_].tp += 1
        for _, _, type_ in predicted - gold:
            counts[type_].fp += 1
        for _, _, type_ in gold - predicted:
            counts[type_].fn += 1
        if errors is not None:
            errors += _error_lines(text, predicted, gold)
    return counts


def _error_lines(text: str, predicted: set[Span], gold: set[Span]) -> list[str]:
    """ "wrong"/"missed" lines, in text order; a wrong span whose words gold has under another
    type says which ("wrong LOC 'Bremen' (gold: ORG)")."""
    gold_type = {(s, e): t for s, e, t in gold}
    lines = []
    for kind, spans in (("wrong", predicted - gold), ("missed", gold - predicted)):
        for start, end, type_ in spans:
            other = gold_type.get((start, end)) if kind == "wrong" else None
            note = f" (gold: {other})" if other else ""
            around = text[max(0, start - 40) : end + 40].replace("\n", " ")
            lines.append((start, f"{kind:<6} {type_} {text[start:end]!r}{note}   …{around}…"))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]


def total(counts: dict[str, Counts]) -> Counts:
    return Counts(
        sum(c.tp for c in counts.values()),
        sum(c.fp for c in counts.values()),
        sum(c.fn for c in counts.values()),
    )


def inside_token(text: str, start: int, end: int) -> bool:
    """Does text[start:end] cover only part of a token of the (space-joined) sentence?

    The gold file labels whole tokens: "Berlin" of the token "Darmstadt/Berlin", like
    "Selenskyj" of "Selenskyj-Berater", is a mention for the analyst but no span a
    token tagging can have (projected onto the tokens, it is left out)."""
    return (start > 0 and not text[start - 1].isspace()) or (
        end < len(text) and not text[end].isspace()
    )


def tagger_predict(tagger: Tagger) -> Callable[[str], set[Span]]:
    """The tag stage's entity mentions as spans (parts of a token left out, see above)."""

    def predict(text: str) -> set[Span]:
        return {
            (m.start, m.end, e.type)
            for e in tagger.entities("", text)
            if e.type in NER_TYPES
            for m in e.mentions
            if not inside_token(text, m.start, m.end)
        }

    return predict


def evaluate_file(path: Path, tagger: Tagger, errors: list[str] | None = None) -> dict[str, Counts]:
    """PER/LOC/ORG counts of the tag stage on a CoNLL/GermEval file, document by document."""
    return score_documents(read_documents(path), tagger_predict(tagger), errors)
