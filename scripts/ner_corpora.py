"""Readers for the extra training corpora of `scripts/train_ner.py` (never shipped, never
read at run time): each turns a corpus into `Sentence`s tagged like GermEval 2014's outer
layer and tokenised as the tag stage tokenises (`workers.tagging.ner.tokens`).

SmartData (DFKI, CC BY 4.0: https://github.com/DFKI-NLP/smartdata-corpus): German news,
RSS items and tweets about traffic and industry, with character-offset concept mentions of
finer types than GermEval's. They are mapped to PER/LOC/ORG; a location written in lower
case ("deutschen") becomes LOCderiv, as GermEval labels it; nominal mentions GermEval does
not label ("Gruppe", "Flugbegleiter": a plain common noun in HanTa's lexicon) and routes,
numbers, dates and triggers become O. Only sentences with a name are kept by default: the
others are mostly traffic-report boilerplate, and its annotators left some names out
(5-fold CV on GermEval dev's tuning part: F1 0.620 with every sentence, 0.640 without them).

Europeana Newspapers NER (CC0: https://github.com/EuropeanaNewspapers/ner-corpora): OCRed
German newspapers of the 19th and early 20th century (enp_DE.lft.bio and enp_DE.sbb.bio;
enp_DE.onb.bio, of 1710, is mostly untokenised OCR noise), one
"token tag" line each with PER/LOC/ORG in BIO and no sentence breaks; sentences are cut at
a full stop, "!" or "?" before a capital (and after 60 tokens at the next comma), and
again only those with a name are kept.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from workers.evaluate.ner import Sentence
from workers.tagging.knowledge import KnownEntity
from workers.tagging.names import compound_noun
from workers.tagging.ner import NE, Token, lexicon, sentences, tokens

SMARTDATA_TYPES = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
    "location-street": "LOC",
    "location-stop": "LOC",
}


def _documents(path: Path) -> Iterator[dict]:
    """The documents of a SmartData JSON file (.json or .json.gz): concatenated objects."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        text = f.read()
    decoder, pos = json.JSONDecoder(), 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        doc, pos = decoder.raw_decode(text, pos)
        yield doc


def _label(surface: str, kind: str) -> str | None:
    """The GermEval type of a mention, or None when GermEval would not label it a name."""
    if not surface[:1].isupper():
        return "LOCderiv" if kind == "LOC" and " " not in surface else None
    if " " not in surface:
        tags = lexicon().get(surface.lower())
        if tags and tags[0][0] != NE and not surface.isupper():
            return None
    return kind


def smartdata(
    path: Path, sources: frozenset[str] = frozenset({"news", "rss"}), names_only: bool = True
) -> list[Sentence]:
    """SmartData's documents of the given sources (news, rss, tweet) as tagged sentences
    (only those with a name in them, unless ``names_only`` is false)."""
    out: list[Sentence] = []
    for doc in _documents(path):
        source = ((doc.get("refids") or {}).get("map") or {}).get("source")
        if source not in sources:
            continue
        text = doc["text"]["string"]
        spans = []
        for mention in (doc.get("conceptMentions") or {}).get("array", []):
            kind = SMARTDATA_TYPES.get(mention["type"])
            start, end = mention["span"]["start"], mention["span"]["end"]
            label = kind and _label(text[start:end], kind)
            if label:
                spans.append((start, end, label))
        for toks in sentences(text, tokens(text)):
            tags, _ = _tag_spans(toks, spans)
            if not names_only or any(tag != "O" for tag in tags):
                out.append(Sentence(tuple(t.text for t in toks), tuple(tags)))
    return out


def _tag_spans(toks: list[Token], spans: list[tuple[int, int, str]]) -> tuple[list[str], int]:
    """BIO tags of ``toks`` for character spans (start, end, label), and how many spans
    inside the tokens' stretch of text could not be placed (not on token boundaries, or
    overlapping one placed before). A span outside that stretch is another sentence's."""
    tags = ["O"] * len(toks)
    missed = 0
    for start, end, label in spans:
        if not toks or end <= toks[0].start or start >= toks[-1].end:
            continue
        inside = [i for i, t in enumerate(toks) if t.start >= start and t.end <= end]
        if (
            not inside
            or toks[inside[0]].start != start
            or toks[inside[-1]].end != end
            or any(tags[i] != "O" for i in inside)
        ):
            missed += 1
            continue
        tags[inside[0]] = f"B-{label}"
        for i in inside[1:]:
            tags[i] = f"I-{label}"
    return tags, missed


#: a sentence of the Europeana files is cut after this many tokens at the next comma
EUROPEANA_LONGEST = 60


def europeana(path: Path, names_only: bool = True) -> list[Sentence]:
    """A Europeana Newspapers BIO file as tagged sentences (types upper-cased: "B-PEr";
    MISC, which only a handful of tokens carry, becomes O)."""
    words: list[str] = []
    tags: list[str] = []
    out: list[Sentence] = []

    def flush() -> None:
        if words and (not names_only or any(t != "O" for t in tags)):
            out.append(Sentence(tuple(words), tuple(tags)))
        words.clear()
        tags.clear()

    with path.open(encoding="utf-8") as lines:
        rows = [line.split() for line in lines]
    rows = [r for r in rows if len(r) >= 2]
    # LFT leaves sentence ends on the word ("Bolzano."): a word (not an abbreviation)
    # gives its final stop or comma a line of its own
    split = []
    for word, tag, *_ in rows:
        if len(word) > 4 and word[-1] in ".," and word[-2].isalpha():
            split += [[word[:-1], tag], [word[-1], "O"]]
        else:
            split.append([word, tag])
    rows = split
    for i, (word, tag) in enumerate(r[:2] for r in rows):
        tag = tag.upper() if tag != "O" else tag
        if tag[2:] not in ("PER", "LOC", "ORG"):
            tag = "O"
        if tag.startswith("I-") and (not tags or tags[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        words.append(word)
        tags.append(tag)
        nxt = rows[i + 1][0] if i + 1 < len(rows) else ""
        if tag == "O" and (
            (word in (".", "!", "?") and nxt[:1].isupper())
            or (word == "," and len(words) >= EUROPEANA_LONGEST)
        ):
            flush()
    flush()
    return out


STURM_TYPES = {"pers": "PER", "place": "LOC"}
#: words the edition counts into a person that GermEval leaves out ("Frau Walden")
STURM_TITLES = frozenset({"Frau", "Herr", "Herrn", "Fräulein", "Frl", "Dr"})


def sturm(path: Path, names_only: bool = True) -> list[Sentence]:
    """The Sturm edition's NER file (NEISSproject/NERDatasets ``Sturm/sturm.conll``:
    "word TAG" lines, a blank line between sentences; persons, places and dates of
    letters of 1914-1922) as tagged sentences: pers PER, place LOC, dates O. It has no
    organisations, so with ``names_only`` only the sentences with a person or place.
    A title or a word that is no word ("." tagged a person) is O, as in GermEval."""
    out: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in [*lines, ""]:
            row = line.split()
            if len(row) >= 2:
                prefix, _, kind = row[1].partition("-")
                kind = STURM_TYPES.get(kind, "")
                if not row[0][:1].isalpha() or row[0] in STURM_TITLES:
                    kind = ""
                elif prefix == "I" and (not tags or tags[-1][2:] != kind):
                    prefix = "B"
                words.append(row[0])
                tags.append(f"{prefix}-{kind}" if kind else "O")
            elif words:
                if not names_only or any(t != "O" for t in tags):
                    out.append(Sentence(tuple(words), tuple(tags)))
                words, tags = [], []
    return out


def _aligned(text: str, words: list[str]) -> list[tuple[int, int] | None]:
    """Each word's character span in ``text``, in order, or None for a word that is not
    there as written (the second part of a contraction UD splits: "zum" -> "zu" "dem")."""
    out: list[tuple[int, int] | None] = []
    pos = 0
    for word in words:
        at = text.find(word, pos)
        gap = text[pos:at]
        # between two words only space, or the rest of a word matched in part ("zu|m ")
        inside = pos > 0 and text[pos - 1].isalnum()
        if at < 0 or (gap.strip() and not (inside and re.fullmatch(r"\w+\s+", gap))):
            out.append(None)
            continue
        out.append((at, at + len(word)))
        pos = at + len(word)
    return out


def _bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first, last, type) word indices of the BIO (or IOB1) spans of ``tags``."""
    out: list[tuple[int, int, str]] = []
    for i, tag in enumerate(tags):
        kind = tag[2:] if tag not in ("O", "", "_") else ""
        if not kind:
            continue
        if tag.startswith("I-") and out and out[-1][1] == i - 1 and out[-1][2] == kind:
            out[-1] = (out[-1][0], i, kind)
        else:
            out.append((i, i, kind))
    return out


def _part(toks: list[Token], span: tuple[int, int, str]) -> tuple[int, int, str]:
    """A name that is part of a hyphenated token ("CNN" of "CNN-Reporter") as GermEval
    labels it: the whole token, ORGpart; any other span as it is."""
    start, end, label = span
    for tok in toks:
        if tok.start <= start and end <= tok.end and (tok.start, tok.end) != (start, end):
            if label in ("PER", "LOC", "ORG") and "-" in tok.text:
                return tok.start, tok.end, f"{label}part"
            break
    return span


#: words a UNER span may begin with that GermEval leaves out of a name ("Die Regierung")
ARTICLES = frozenset(
    {"Der", "Die", "Das", "Den", "Dem", "Des", "der", "die", "das", "den", "dem", "des"}
)


def _uner_label(surface: str, kind: str, known: Mapping[str, Sequence[KnownEntity]]) -> str | None:
    """GermEval's type of a UNER mention: a country or city UNER calls an organisation
    when it acts ("USA", "Russland" signing a treaty) is a LOC to GermEval, as is any ORG
    mention the knowledge base knows only as a place; a compound common noun
    ("Verkehrspolizei", "Jagdlobby") is no name."""
    label = _label(surface, kind)
    if label is None:
        return None
    if " " not in surface and "-" not in surface and compound_noun(surface.lower()):
        return None
    if kind == "ORG":
        types = {e.type for e in known.get(surface, ())} or {
            e.type for e in known.get(surface[:-1], ()) if surface.endswith("s")
        }
        if types and "ORG" not in types and types <= {"LOC"}:
            return "LOC"
    return label


def uner(
    path: Path,
    names_only: bool = False,
    known: Mapping[str, Sequence[KnownEntity]] | None = None,
) -> tuple[list[Sentence], int]:
    """A Universal NER file (IOB2 with UD's ``# text =`` lines: UNER_German-PUD) as tagged
    sentences, re-tokenised from the sentence text as the tag stage tokenises it; and how
    many sentences were left out because a name could not be placed on those tokens (a
    sentence with a name missing would teach the CRF that it is none). UNER tags
    PER/LOC/ORG only: an OTH name of GermEval's and a derived adjective ("deutschen") are
    O there; a lower-case location becomes LOCderiv and a common noun O, as for
    SmartData, and a name inside a hyphenated word ("CNN-Reporter") the word's ORGpart;
    with the knowledge base's forms (``known``) a place UNER calls an organisation is a
    LOC (`_uner_label`); a leading article is left out of a name.
    UNER annotates every name, so by default sentences without one are kept."""
    out: list[Sentence] = []
    dropped = 0

    def flush(text: str, words: list[str], tags: list[str]) -> None:
        nonlocal dropped
        if not words:
            return
        if not text:
            text = " ".join(words)
        where = _aligned(text, words)
        spans = []
        for first, last, kind in _bio_spans(tags):
            if kind not in ("PER", "LOC", "ORG"):
                continue
            if where[first] is None or where[last] is None:
                dropped += 1
                return
            if words[first] in ARTICLES and first < last and where[first + 1] is not None:
                first += 1
            start, end = where[first][0], where[last][1]
            label = _uner_label(text[start:end], kind, known or {})
            if label:
                spans.append((start, end, label))
        toks = tokens(text)
        new_tags, missed = _tag_spans(toks, [_part(toks, span) for span in spans])
        if missed:
            dropped += 1
            return
        if not names_only or any(t != "O" for t in new_tags):
            out.append(Sentence(tuple(t.text for t in toks), tuple(new_tags)))

    text, words, tags = "", [], []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip():
                flush(text, words, tags)
                text, words, tags = "", [], []
            elif line.startswith("# text ="):
                text = line.split("=", 1)[1].strip()
            elif not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) >= 3 and cols[0].isdigit():  # no "5-6" multiword lines
                    words.append(cols[1])
                    tags.append(cols[2])
    flush(text, words, tags)
    return out, dropped


#: MobIE's types as GermEval's (the others: routes such as "S4", dates, triggers... are O)
MOBIE_TYPES = SMARTDATA_TYPES


def mobie(path: Path, tweets: bool = False, names_only: bool = True) -> list[Sentence]:
    """MobIE's NER file in CoNLL-2003 form (``ner_conll03_formatted.zip``: word, POS,
    chunk, tag; documents under ``-DOCSTART- -ID-``, sentences between blank lines) as
    tagged sentences: by default the traffic reports and police press releases only
    (document ids that are URLs; tweets, with their hashtags, are left out as they are for
    SmartData) and only sentences with a name. Mentions are mapped as SmartData's."""
    out: list[Sentence] = []
    keep = False
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words and keep:
            new = ["O"] * len(words)
            for first, last, kind in _bio_spans(tags):
                label = MOBIE_TYPES.get(kind) and _label(
                    " ".join(words[first : last + 1]), MOBIE_TYPES[kind]
                )
                if label:
                    new[first] = f"B-{label}"
                    for i in range(first + 1, last + 1):
                        new[i] = f"I-{label}"
            if not names_only or any(t != "O" for t in new):
                out.append(Sentence(tuple(words), tuple(new)))
        words.clear()
        tags.clear()

    with path.open(encoding="utf-8") as lines:
        for line in lines:
            cols = line.split()
            if not cols:
                flush()
            elif cols[0] == "-DOCSTART-":
                flush()
                keep = tweets or cols[1].startswith("-http")
            else:
                words.append(cols[0])
                tags.append(cols[-1])
    flush()
    return out
