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
from collections.abc import Iterator
from pathlib import Path

from workers.evaluate.ner import Sentence
from workers.tagging.ner import NE, lexicon, sentences, tokens

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
            tags = ["O"] * len(toks)
            for start, end, label in spans:
                inside = [i for i, t in enumerate(toks) if t.start >= start and t.end <= end]
                if not inside or toks[inside[0]].start != start or toks[inside[-1]].end != end:
                    continue  # not on token boundaries, or not in this sentence
                if any(tags[i] != "O" for i in inside):
                    continue
                tags[inside[0]] = f"B-{label}"
                for i in inside[1:]:
                    tags[i] = f"I-{label}"
            if not names_only or any(tag != "O" for tag in tags):
                out.append(Sentence(tuple(t.text for t in toks), tuple(tags)))
    return out


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
