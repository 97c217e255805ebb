"""Names found without the knowledge base: a CRF (python-crfsuite) shipped in the package.

The model (``data/ner.crfsuite``, made by ``scripts/train_ner.py``, described in
``data/NER_MODEL.md``) labels tokens with GermEval 2014's outer tags (PER, LOC,
ORG, OTH and their -deriv/-part forms, BIO). Its features are the word, its
shape and affixes, its neighbours, HanTa's lexicon (a known common noun or
not: a dictionary look-up, no tagging), the context cues of ``cues.toml``
(given names, roles, place prepositions, organisation endings) and the
knowledge base (the token is inside a KB match of type X). Only PER, LOC and
ORG spans are returned: "russischen" (LOCderiv) is not a mention of Russia and
"Selenskyj-Berater" (PERpart) not a person.

Everything here is a pure function of the text and the loaded model; the model
is loaded once per process (about 10 ms).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from workers.records import EntityType
from workers.tagging.knowledge import KnownEntity
from workers.tagging.names import Cues

#: GermEval-like tokens: words with inner hyphens/apostrophes/dots ("Selenskyj-Berater"),
#: numbers, and single punctuation marks
TOKEN = re.compile(r"\w+(?:[-‐'’.]\w+)*|[^\w\s]")
SENTENCE_END = re.compile(r"[.!?]\s+(?=[„\"«»(]?[A-ZÄÖÜ0-9])|\n+")
NAME_TYPES = {"PER", "LOC", "ORG"}
NN = 20  # HanTa's tag number of NN (common noun)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class NamedSpan:
    start: int
    end: int
    text: str
    type: EntityType


def tokens(text: str, offset: int = 0) -> list[Token]:
    return [Token(m.start() + offset, m.end() + offset, m.group(0)) for m in TOKEN.finditer(text)]


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) pieces of a text: split at sentence ends and line breaks."""
    start = 0
    for m in SENTENCE_END.finditer(text):
        end = m.start() + (1 if text[m.start()] in ".!?" else 0)
        if end > start:
            yield start, text[start:end]
        start = m.end()
    if start < len(text):
        yield start, text[start:]


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz").cache


def _shape(word: str) -> str:
    out = []
    for c in word:
        s = "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c
        if not out or out[-1] != s:
            out.append(s)
    return "".join(out)[:6]


class Features:
    """Token features: cheap look-ups only (the tagger must stay at >= 100 articles/s)."""

    def __init__(
        self, cues: Cues, known: Mapping[str, Sequence[KnownEntity]] | None = None
    ) -> None:
        self.cues = cues
        self.lexicon = _lexicon()
        #: every knowledge-base form (villages too) with its candidates: "lk=LOC"
        self.known = known or {}

    def _word(self, word: str) -> list[str]:
        low = word.lower()
        f = [f"w={low}", f"s3={low[-3:]}", f"s2={low[-2:]}", f"p3={low[:3]}", f"sh={_shape(word)}"]
        if word[:1].isupper():
            tags = self.lexicon.get(low)
            f.append("lx=unk" if not tags else f"lx={tags[0][0]}")
            if "-" in word:
                head = word.rsplit("-", 1)[1].lower()
                f.append(f"hd={head[-5:]}")
                f.append("hdnn" if (self.lexicon.get(head) or [(0,)])[0][0] == NN else "hdx")
            known = self.known.get(word)
            if known:
                f.append(f"lk={known[0].type}")
            cues = self.cues
            if word in cues.given_names:
                f.append("gn")
            if low.endswith(cues.org_suffixes):
                f.append("orgsuf")
            if low.endswith(cues.place_suffixes):
                f.append("locsuf")
            if low.endswith(cues.person_suffixes):
                f.append("persuf")
        return f

    def sentence(self, words: Sequence[str], kb: Sequence[str]) -> list[list[str]]:
        """Features of each token; ``kb[i]`` is "B-LOC"/"I-PER"/... or "" (no KB match)."""
        cues = self.cues
        base = [self._word(w) for w in words]
        out = []
        n = len(words)
        for i in range(n):
            f = ["b", *base[i]]
            if i == 0:
                f.append("BOS")
            if kb[i]:
                f += [f"kb={kb[i]}", f"kbt={kb[i][2:]}"]
            if i > 0:
                prev = words[i - 1]
                f += [f"-1w={prev.lower()}", f"-1sh={_shape(prev)}"]
                if kb[i - 1]:
                    f.append(f"-1kb={kb[i - 1][2:]}")
                if prev in cues.person_before:
                    f.append("-1pb")
                if prev in cues.place_before:
                    f.append("-1plb")
                if prev in cues.place_prepositions:
                    f.append("-1pp")
                if prev in cues.given_names:
                    f.append("-1gn")
                f.append(f"-1w+w={prev.lower()}|{words[i].lower()}")
                if i > 1:
                    f.append(f"-2w={words[i - 2].lower()}")
            if i + 1 < n:
                nxt = words[i + 1]
                f += [f"+1w={nxt.lower()}", f"+1sh={_shape(nxt)}"]
                if kb[i + 1]:
                    f.append(f"+1kb={kb[i + 1][2:]}")
                if i + 2 < n:
                    f.append(f"+2w={words[i + 2].lower()}")
            else:
                f.append("EOS")
            out.append(f)
        return out


def kb_tags(toks: Sequence[Token], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIO tags of the knowledge-base matches (start, end, type) over the tokens."""
    tags = [""] * len(toks)
    j = 0
    ordered = sorted(spans)
    for i, tok in enumerate(toks):
        while j < len(ordered) and ordered[j][1] <= tok.start:
            j += 1
        if j < len(ordered) and ordered[j][0] < tok.end:
            start, _, type_ = ordered[j]
            tags[i] = ("B-" if tok.start <= start or i == 0 or tags[i - 1] == "" else "I-") + type_
    return tags


def spans_from_tags(toks: Sequence[Token], tags: Sequence[str], text: str,
                    offset: int = 0) -> list[NamedSpan]:  # fmt: skip
    """PER/LOC/ORG spans of a BIO sequence (an I- after O starts a span, as conlleval does)."""
    out: list[NamedSpan] = []
    current: list | None = None
    for tok, tag in zip(toks, tags, strict=True):
        kind = tag[2:] if tag != "O" else ""
        if tag.startswith("I-") and current is not None and current[2] == kind:
            current[1] = tok.end
            continue
        if current is not None:
            out.append(current)
            current = None
        if kind in NAME_TYPES:
            current = [tok.start, tok.end, kind]
    if current is not None:
        out.append(current)
    return [NamedSpan(s, e, text[s - offset : e - offset], t) for s, e, t in out]


class NameTagger:
    """The shipped CRF: text and knowledge-base matches in, PER/LOC/ORG spans out."""

    def __init__(
        self, model: Path, cues: Cues, known: Mapping[str, Sequence[KnownEntity]] | None = None
    ) -> None:
        if not model.exists():
            raise FileNotFoundError(f"NER model not found: {model}")
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model))
        self.features = Features(cues, known)

    def find(self, text: str, kb_spans: Sequence[tuple[int, int, str]]) -> list[NamedSpan]:
        found: list[NamedSpan] = []
        for offset, sentence in sentences(text):
            toks = tokens(sentence, offset)
            if not toks or not any(t.text[:1].isupper() for t in toks):
                continue
            inside = [s for s in kb_spans if s[0] < toks[-1].end and s[1] > toks[0].start]
            tags = self.tagger.tag(
                self.features.sentence([t.text for t in toks], kb_tags(toks, inside))
            )
            found += spans_from_tags(toks, tags, text)
        return found
