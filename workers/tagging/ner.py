"""Names found without the knowledge base: a CRF (python-crfsuite) shipped in the package.

The model (``data/ner.crfsuite``, made by ``scripts/train_ner.py``, described in
``data/NER_MODEL.md``) labels tokens with GermEval 2014's outer tags (PER, LOC,
ORG, OTH and their -deriv/-part forms, BIO). Its features are the word, its
shape and affixes, its neighbours, HanTa's lexicon (a known common noun or
not: a dictionary look-up, no tagging), the context cues of ``cues.toml``
(given names, roles, place prepositions, organisation endings), the
knowledge base (the token is inside a KB match of type X), a list of given
names and surnames of many languages (``data/ner.names.tsv.gz``, made by
``scripts/person_names.py``: "sagte Wolter", a lone surname, is the commonest
miss without it), what the German Wiktionary calls a capitalised word
(``data/ner.nouns.tsv.gz``, made by ``scripts/noun_lexicon.py``: "in Klammern" is a
common noun, "Merkel" a surname) and word classes
learnt from unlabelled text (``data/ner.classes.tsv.gz``, made by
``scripts/word_clusters.py``: a village the labelled data never showed shares a
class with the towns it did; a model's classes lie beside it, see `side_path`).
Only PER, LOC and ORG spans are returned: "russischen" (LOCderiv) is not a mention of
Russia and "Selenskyj-Berater" (PERpart) not a person.

Everything here is a pure function of the text and the loaded model; the model
is loaded once per process (a few ms).
"""

from __future__ import annotations

import gzip
import re
import struct
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple, TypeVar

import pycrfsuite

from workers.hanta import NE, NN, german
from workers.records import EntityType
from workers.tagging.knowledge import KnownEntity
from workers.tagging.names import PLACE_HEADS, Cues, compound_noun

T = TypeVar("T")

#: abbreviations that keep their dot (GermEval writes "bzw.", "Dr.", "S." as one token)
ABBREVIATIONS = (
    r"(?:[^\W\d_]|bzw|ca|St|Dr|Mrd|Mio|Nr|Prof|vgl|usw|etc|Jh|Abs|Str|evtl|ggf|inkl|sog|sogen"
    r"|Hrsg|Bd|Jr|Sr|Mr|Mrs|Ms|Co|Inc|Ltd|Gen|Lt|Col|Sgt|[IVX]+)\.(?=\s+\S)"
)
#: GermEval-like tokens: abbreviations and ordinals with their dot, numbers with their
#: decimal comma ("1,5", "1:1"), words with inner hyphens/apostrophes/dots
#: ("Selenskyj-Berater"), single punctuation marks
TOKEN = re.compile(
    rf"\b{ABBREVIATIONS}|\d+(?:[.,:]\d+)*(?:\.(?=\s+[^\W\d_]))?(?![\w-])"
    r"|\w+(?:[-‐'’./]\w+)*-?|[^\w\s]"
)
NAME_TYPES = {"PER", "LOC", "ORG"}
#: words tagged on either side of a possible name (names are rarely longer)
WINDOW = 6
#: the particles inside a person's name ("Giacomo della Porta", "Patrick von Brunn")
PARTICLES = frozenset(
    {"von", "van", "de", "der", "den", "della", "delle", "degli", "di", "da", "del", "des",
     "du", "la", "le", "dos", "das", "do", "ter", "ten", "zu", "vom", "bin", "ibn", "al", "el"}
)  # fmt: skip
#: articles of a neuter noun, which a town or country never has without an adjective
NEUTER_ARTICLES = frozenset({"das", "dem", "des", "ein", "einem", "eines"})
#: HanTa's tag numbers of finite verbs: VA(FIN), VV(FIN), VM(FIN) ("ist", "sagte", "kann")
FINITE = frozenset({13, 22, 50})


class Token(NamedTuple):
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
    # tuple.__new__ skips the named tuple's own __new__, a Python call per token
    new = tuple.__new__
    return [
        new(Token, (m.start() + offset, m.end() + offset, m.group())) for m in TOKEN.finditer(text)
    ]


def sentences(text: str, toks: Sequence[Token]) -> Iterator[list[Token]]:
    """The tokens in sentences: a sentence ends at a full stop, "!" or "?" before a
    capital (abbreviations and ordinals keep their dot, so "am 15. Mai" goes on) and at
    every line break."""
    current: list[Token] = []
    for i, tok in enumerate(toks):
        if current and "\n" in text[current[-1].end : tok.start]:
            yield current
            current = []
        current.append(tok)
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if tok.text in (".", "!", "?") and nxt is not None and nxt.text[:1].isupper():
            before = current[-2].text if len(current) > 1 else ""
            if (
                tok.text == "."
                and before.isalpha()
                and len(before) <= 3
                and tok.start == current[-2].end + 1
            ):
                continue  # "St . Pauli", "5 Mrd . Euro": an abbreviation's dot, spaced
            yield current
            current = []
    if current:
        yield current


def lexicon() -> dict:
    """HanTa's word table: the word classes a word can have."""
    return german().cache


def _shape(word: str) -> str:
    """The word's character classes, runs folded, at most six: "Xx", "x", "X-Xx", "dd.d"."""
    if word.isalpha():  # most words: their shape without a walk over every letter
        if word.islower():
            return "x"
        if word[0].isupper() and (len(word) == 1 or word[1:].islower()):
            return "Xx" if len(word) > 1 else "X"
    out = []
    for c in word:
        s = "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c
        if not out or out[-1] != s:
            out.append(s)
    return "".join(out)[:6]


@dataclass(frozen=True)
class _Word:
    """What a word contributes, to itself and to its neighbours (computed once per word, so a
    token's features are mostly concatenated tuples: no string is built per token but one)."""

    own: tuple[str, ...]
    low: str
    #: what it says about the word after it ("-1pb": a role before a person, ...)
    before_next: tuple[str, ...]
    #: what it says about the word before it ("+1w=", "+1sh=", "+1lx=")
    after_prev: tuple[str, ...]
    #: two words away, on either side ("": nothing the model knows)
    two_before: str
    two_after: str
    #: could it begin a word pair the model knows, as the word before ("-1w+w=") or as
    #: the word itself ("w+1w=")? (few pairs are known: most are never built)
    pair_as_prev: bool = True
    pair_as_word: bool = True


class Features:
    """Token features: cheap look-ups only, each word's computed once and kept."""

    #: words kept; a long-running worker clears the cache when it is full
    CACHE = 300_000

    def __init__(
        self,
        cues: Cues,
        known: Mapping[str, Sequence[KnownEntity]] | None = None,
        classes: Mapping[str, tuple[str, str]] | None = None,
        attributes: frozenset[str] | None = None,
        names: Mapping[str, str] | None = None,
        finite_verbs: bool = False,
        freq: Mapping[str, tuple[str, str]] | None = None,
        freq_english: bool = False,
        nouns: Mapping[str, str] | None = None,
        noun_compounds: bool = False,
        noun_neighbours: bool = False,
        particles: bool = False,
    ) -> None:
        self.cues = cues
        #: flag a particle between a given name and a capitalised word ("ptin") and the word
        #: after it ("-1ptin"): a name the particle would otherwise cut
        self.particles = particles
        #: also a neighbour's Wiktionary kinds ("-1nk=n": after a common noun)
        self.noun_neighbours = noun_neighbours
        #: also flag a word ending in one of Wiktionary's common nouns ("Druck|grafiken")
        #: and the kinds of a hyphenated word's last part ("CNN-Reporter")
        self.noun_compounds = noun_compounds
        #: Wiktionary's nouns and names with every inflected form (`load_nouns`): "Klammern"
        #: is a common noun ("n"), "Merkel" a surname ("s")
        self.nouns = nouns or {}
        #: each case-folded word's German Zipf bucket and how it stands to English
        #: (`load_word_freq`): "in Klammern" is a frequent word, "sagte Thierse" a rare one
        self.freq = freq or {}
        #: also the English comparison ("Henry" as frequent in English: a foreign name)
        self.freq_english = freq_english
        #: flag a lower-case neighbour that is a finite verb ("sagte Thierse"): a lone
        #: surname's commonest context
        self.finite_verbs = finite_verbs
        #: given names and surnames of many languages (`load_person_names`): "g", "s", "gs";
        #: "G", "S" those of the knowledge base's people, a feature of their own ("kp=")
        self.names = names or {}
        #: the features the model has weights for (`model_attributes`): a word's others are
        #: left out once, when it is first seen, as the CRF would ignore them on every
        #: token; None (training): every feature
        self.attributes = attributes
        #: the first words of the model's word pairs, by feature
        self._pair_starts: dict[str, frozenset[str]] = {}
        if attributes is not None:
            for name in ("-1w+w=", "w+1w="):
                pairs = [a[len(name) :] for a in attributes if a.startswith(name)]
                # every split at a "|" (a word may be "|" itself)
                self._pair_starts[name] = frozenset(
                    p[:i] for p in pairs for i, c in enumerate(p) if c == "|"
                )
        #: each word's (coarse, fine) class from unlabelled text (`load_word_classes`)
        self.classes = classes or {}
        self.lexicon = lexicon()
        #: every knowledge-base form (villages too) with its candidates: "lk=LOC"
        self.known = known or {}
        self._cache: dict[str, _Word] = {}
        #: each word's answer to `candidate` (a look-up per word, not per occurrence)
        self._candidates: dict[str, bool] = {}

    def clear(self) -> None:
        """Forget every word's features (a benchmark's cold start)."""
        self._cache.clear()
        self._candidates.clear()

    def candidate(self, word: str) -> bool:
        """Could this word be (part of) a name? Capitalised and not a plain German word:
        unknown to HanTa, a proper noun, an acronym or a given name."""
        held = self._candidates.get(word)
        if held is None:
            if not word[:1].isupper():
                held = False
            else:
                tags = self.lexicon.get(word.lower())
                held = (
                    not tags or tags[0][0] == NE or word.isupper() or word in self.cues.given_names
                )
            if len(self._candidates) >= self.CACHE:
                self._candidates.clear()
            self._candidates[word] = held
        return held

    def _word(self, word: str) -> _Word:
        held = self._cache.get(word)
        if held is not None:
            return held
        low = word.lower()
        shape = _shape(word)
        f = [
            f"w={low}",
            f"s4={low[-4:]}",
            f"s3={low[-3:]}",
            f"s2={low[-2:]}",
            f"p3={low[:3]}",
            f"p4={low[:4]}",
            f"sh={shape}",
        ]
        cues = self.cues
        classes = self.classes.get(word)
        if classes:
            f += (f"c1={classes[0]}", f"c2={classes[1]}")
        word_class = "lc"
        if word[:1].isupper():
            tags = self.lexicon.get(low)
            word_class = "unk" if not tags else str(tags[0][0])
            f.append(f"lx={word_class}")
            if not tags and "-" not in word and compound_noun(low):
                # ends in a common noun HanTa knows ("Flugabwehr|zuges"): no name
                f.append("cmp")
                word_class = "cmp"
            if "-" in word:
                head = word.rsplit("-", 1)[1].lower()
                f.append(f"hd={head[-5:]}")
                f.append("hdnn" if (self.lexicon.get(head) or [(0,)])[0][0] == NN else "hdx")
            known = self.known.get(word)
            if known:
                f.append(f"lk={known[0].type}")
                word_class = f"lk{known[0].type}"
            if word in cues.given_names:
                f.append("gn")
            f += _name_kinds("", self.names.get(word, ""))
            if self.nouns:
                kinds = self.nouns.get(word)
                if kinds:
                    f.append(f"nk={kinds}")
                elif self.noun_compounds:
                    f += self._noun_compound(word)
            if self.freq:
                zipf, english = self.freq.get(word.casefold(), ("0", ""))
                f.append(f"zf={zipf}")
                if self.freq_english and english:
                    f.append(f"zd={english}")
            if low.endswith(cues.org_suffixes):
                f.append("orgsuf")
            if low.endswith(cues.place_suffixes):
                f.append("locsuf")
            if low.endswith(cues.person_suffixes):
                f.append("persuf")
        flags = [f"-1w={low}", f"-1sh={shape}", f"-1lx={word_class}"]
        after = [f"+1w={low}", f"+1sh={shape}", f"+1lx={word_class}"]
        if classes:
            flags.append(f"-1c1={classes[0]}")
            after.append(f"+1c1={classes[0]}")
        if word[:1].isupper() and (kinds := self.names.get(word)):
            flags += _name_kinds("-1", kinds)
            after += _name_kinds("+1", kinds)
        if self.noun_neighbours and word[:1].isupper() and (kinds := self.nouns.get(word)):
            flags.append(f"-1nk={kinds}")
            after.append(f"+1nk={kinds}")
        if self.finite_verbs and word_class == "lc":
            tags = self.lexicon.get(low)
            if tags and tags[0][0] in FINITE:
                flags.append("-1fin")
                after.append("+1fin")
        for name, words in (
            ("-1pb", cues.person_before),
            ("-1plb", cues.place_before),
            ("-1pp", cues.place_prepositions),
            ("-1gn", cues.given_names),
        ):
            if word in words:
                flags.append(name)
        two = [f"-2w={low}", f"+2w={low}"]
        pairs = (True, True)
        known = self.attributes
        if known is not None:
            has = known.__contains__
            f, flags, after = (list(filter(has, x)) for x in (f, flags, after))
            two = [a if a in known else "" for a in two]
            pairs = (low in self._pair_starts["-1w+w="], low in self._pair_starts["w+1w="])
        if len(self._cache) >= self.CACHE:
            self._cache.clear()
        held = self._cache[word] = _Word(tuple(f), low, tuple(flags), tuple(after), *two, *pairs)
        return held

    def _noun_compound(self, word: str) -> list[str]:
        """A word Wiktionary lacks: "nkc" if it ends in a common noun of five letters or more
        it has (not a place's head: "Magde|burg"; shorter ones end names: "Troplo|witz"),
        "nkh=" the kinds of its last hyphenated part."""
        if "-" in word:
            kinds = self.nouns.get(word.rsplit("-", 1)[1])
            return [f"nkh={kinds}"] if kinds else []
        for i in range(3, len(word) - 4):
            head = word[i:]
            if head.lower() in PLACE_HEADS:
                continue
            if self.nouns.get(head[0].upper() + head[1:]) == "n":
                return ["nkc"]
        return []

    def sentence(
        self, words: Sequence[str], kb: Sequence[str], lo: int = 0, hi: int | None = None
    ) -> list[list[str]]:
        """Features of tokens ``lo``..``hi`` of a sentence (all by default), their
        neighbours taken from the whole sentence; ``kb[i]`` is "B-LOC"/"I-PER"/... or ""."""
        n = len(words)
        hi = n if hi is None else hi
        base = max(0, lo - 2)
        cache, compute = self._cache, self._word
        window = [cache.get(w) or compute(w) for w in words[base : hi + 2]]
        out = []
        for i in range(lo, hi):
            j = i - base
            me = window[j]
            f = ["b", *me.own]
            tag = kb[i]
            if tag:
                f += ("kb=" + tag, "kbt=" + tag[2:])
            if i > 0:
                prev = window[j - 1]
                f += prev.before_next
                if kb[i - 1]:
                    f.append("-1kb=" + kb[i - 1][2:])
                if prev.pair_as_prev:
                    f.append(f"-1w+w={prev.low}|{me.low}")
                if i > 1 and window[j - 2].two_before:
                    f.append(window[j - 2].two_before)
            else:
                f.append("BOS")
            if i + 1 < n:
                nxt = window[j + 1]
                f += nxt.after_prev
                if kb[i + 1]:
                    f.append("+1kb=" + kb[i + 1][2:])
                if me.pair_as_word:
                    f.append(f"w+1w={me.low}|{nxt.low}")
                if i + 2 < n and window[j + 2].two_after:
                    f.append(window[j + 2].two_after)
            else:
                f.append("EOS")
            if self.particles and i > 0:
                f += self._particle(words, i, me.low, window[j - 1].low)
            out.append(f)
        return out

    def _particle(self, words: Sequence[str], i: int, low: str, prev: str) -> list[str]:
        """ "ptin": word ``i`` is a particle between a given name and a capitalised word;
        "-1ptin": the word before it is."""
        n = len(words)
        if low in PARTICLES and words[i] == low:
            if i + 1 < n and words[i + 1][:1].isupper() and self.given(words[i - 1]):
                return ["ptin"]
            return []
        if i > 1 and prev in PARTICLES and words[i - 1] == prev and words[i][:1].isupper():
            return ["-1ptin"] if self.given(words[i - 2]) else []
        return []

    def given(self, word: str) -> bool:
        """A given name: the cues' or the names list's."""
        return word in self.cues.given_names or "g" in self.names.get(word, "")


def _name_kinds(prefix: str, kinds: str) -> list[str]:
    """A names-list entry's features: Faker's kinds ("pn=gs") and, apart from them, the
    knowledge base's ("kp=S": a surname of a person the knowledge base knows, a stronger
    cue than a surname some locale of Faker lists)."""
    faker = "".join(k for k in kinds if k.islower())
    kb = "".join(k for k in kinds if k.isupper())
    return [f"{prefix}{name}={k}" for name, k in (("pn", faker), ("kp", kb)) if k]


def side_path(model: Path, kind: str) -> Path:
    """Where a side file a model was trained with lies (its word ``classes``, person
    ``names``, word ``freq`` or ``nouns``): beside it, named after it ("ner.crfsuite":
    "ner.nouns.tsv.gz"), so that a model never meets another model's."""
    return model.with_name(f"{model.stem}.{kind}.tsv.gz")


def zipf_buckets(german: float, english: float) -> tuple[str, str]:
    """A word's German Zipf frequency in half steps from 2 ("2" .. "5", "0" below 2) and
    how its English frequency compares: "f" as frequent or more (a foreign name, "Henry"),
    "m" up to 1.5 below, "g" further below (a German word, "Tierheim")."""
    zipf = "0" if german < 2 else f"{min(5.0, int(german * 2) / 2):g}"
    gap = german - english
    return zipf, "f" if gap <= 0 else "m" if gap <= 1.5 else "g"


def load_word_freq(path: Path | None) -> dict[str, tuple[str, str]]:
    """The word frequencies of `scripts/word_freq.py` (gzipped lines "German Zipf TAB
    English Zipf TAB the words of those figures, space-separated": a few thousand long
    lines read in a tenth of a second, where a line a word took ten times that) as
    {case-folded word: `zipf_buckets`}; none without a file."""
    if path is None:
        return {}
    if not path.exists():
        raise FileNotFoundError(f"word frequencies not found: {path}")
    out: dict[str, tuple[str, str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            german, english, words = line.rstrip("\n").split("\t")
            out.update(dict.fromkeys(words.split(" "), zipf_buckets(float(german), float(english))))
    return out


def load_nouns(path: Path | None) -> dict[str, str]:
    """The noun lexicon of `scripts/noun_lexicon.py` (gzipped lines "kinds TAB words",
    space-separated) as {form: kinds}; none without a file."""
    if path is None:
        return {}
    if not path.exists():
        raise FileNotFoundError(f"noun lexicon not found: {path}")
    out: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            kinds, words = line.rstrip("\n").split("\t")
            out.update(dict.fromkeys(words.split(" "), kinds))
    return out


def load_person_names(path: Path | None) -> dict[str, str]:
    """The given names and surnames of `scripts/person_names.py` ("name TAB kinds" lines,
    gzipped; kinds "g", "s" or "gs", and "G", "S" of the knowledge base's people):
    {name: kinds}; none without a file."""
    if path is None:
        return {}
    if not path.exists():
        raise FileNotFoundError(f"person names not found: {path}")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t") for line in f)


@cache
def person_names() -> dict[str, str]:
    """The shipped names list (``data/ner.names.tsv.gz``), which the knowledge-base build
    reads too: a city's other name or a politician's alias that is a given name."""
    return load_person_names(Path(__file__).parent / "data" / "ner.names.tsv.gz")


@cache
def noun_kinds() -> dict[str, str]:
    """The shipped Wiktionary kinds of capitalised words (``data/ner.nouns.tsv.gz``: "t" a
    place name, "n" a common noun, "nt" both), which the knowledge-base build reads too:
    whether a city's name is a common word."""
    return load_nouns(Path(__file__).parent / "data" / "ner.nouns.tsv.gz")


def load_word_classes(path: Path | None) -> dict[str, tuple[str, str]]:
    """The word classes of `scripts/word_clusters.py` ("word TAB coarse TAB fine" lines,
    gzipped): {word: (coarse, fine)}; none without a file."""
    if path is None:
        return {}
    if not path.exists():
        raise FileNotFoundError(f"word classes not found: {path}")
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            word, coarse, fine = line.rstrip("\n").split("\t")
            out[word] = (coarse, fine)
    return out


def model_attributes(path: Path) -> frozenset[str]:
    """The features a crfsuite model has weights for, read from its attribute dictionary
    (the file's header, then the CQDB chunk at its attribute offset: a backward array of
    records id, size, NUL-ended name). pycrfsuite's ``Tagger.info()`` says the same but
    builds every weight too (0.8 s against 0.05 s)."""
    data = path.read_bytes()
    magic, *_, off_attrs, _, _ = struct.unpack_from("<4sI4s9I", data, 0)
    chunk, _, _, _, count, offset = struct.unpack_from("<4s5I", data, off_attrs)
    if magic != b"lCRF" or chunk != b"CQDB":
        raise ValueError(f"not a crfsuite model: {path}")
    names = []
    for at in struct.unpack_from(f"<{count}I", data, off_attrs + offset):
        if at:
            start = off_attrs + at + 8
            size = struct.unpack_from("<I", data, start - 4)[0]
            names.append(data[start : start + size - 1].decode("utf-8"))
    return frozenset(names)


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


def _lower_end(name: str) -> bool:
    """A word hyphened to a German lower-case word is an adjective or a compound, no name
    of its own ("Samsung-typisch", "Kreml-nahe"): GermEval tags it a -part or -deriv. Not a
    Korean given name's syllable ("Kim Jong-un", "Lee Jae-myung"), which HanTa does not know,
    knows as a name or which is too short to be such a word ("Moon Jae-in")."""
    rest = name.rpartition("-")[2]
    tags = german().cache.get(rest) if len(rest) > 3 and rest.islower() else None
    return rest != name and bool(tags) and tags[0][0] != NE


def _beside(
    model: Path,
    kind: str,
    prefix: str,
    load: Callable[[Path], T],
    attributes: frozenset[str],
) -> T | None:
    """A side file of the model, loaded when it exists or the model has features of it."""
    path = side_path(model, kind)
    if path.exists() or any(a.startswith(prefix) for a in attributes):
        return load(path)
    return None


class NameTagger:
    """The shipped CRF: text and knowledge-base matches in, PER/LOC/ORG spans out."""

    def __init__(
        self,
        model: Path,
        cues: Cues,
        known: Mapping[str, Sequence[KnownEntity]] | None = None,
        classes: Mapping[str, tuple[str, str]] | None = None,
        names: Mapping[str, str] | None = None,
        freq: Mapping[str, tuple[str, str]] | None = None,
        nouns: Mapping[str, str] | None = None,
    ) -> None:
        """``classes``: the word classes (`load_word_classes`); None: those beside the model
        (`side_path`), which must be there when the model has class features; ``names``
        ``freq`` and ``nouns`` likewise (`load_person_names`, `load_word_freq`,
        `load_nouns`)."""
        if not model.exists():
            raise FileNotFoundError(f"NER model not found: {model}")
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model))
        attributes = model_attributes(model)
        # each side file beside the model, when it is there or the model's features need it
        # (then a missing one is an error)
        if classes is None:
            classes = _beside(model, "classes", "c1=", load_word_classes, attributes)
        if names is None:
            names = _beside(model, "names", "pn=", load_person_names, attributes)
        if freq is None:
            freq = _beside(model, "freq", "zf=", load_word_freq, attributes)
        if nouns is None:
            nouns = _beside(model, "nouns", "nk=", load_nouns, attributes)
        compounds = "nkc" in attributes or any(a.startswith("nkh=") for a in attributes)
        neighbours = any(a.startswith(("-1nk=", "+1nk=")) for a in attributes)
        particles = "ptin" in attributes or "-1ptin" in attributes
        finite = "-1fin" in attributes or "+1fin" in attributes
        english = any(a.startswith("zd=") for a in attributes)
        self.features = Features(
            cues,
            known,
            classes,
            attributes,
            names,
            finite,
            freq,
            english,
            nouns,
            noun_compounds=compounds,
            noun_neighbours=neighbours,
            particles=particles,
        )
        #: organisation endings long enough not to end a surname ("rat": Murat)
        self.org_heads = tuple(h for h in cues.org_suffixes if len(h) >= 5)

    def is_candidate(self, word: str) -> bool:
        """Could this word be (part of) a name? Capitalised and not a plain German word."""
        return self.features.candidate(word)

    def is_given_name(self, word: str) -> bool:
        return self.features.given(word)

    def find(self, text: str, kb_spans: Sequence[tuple[int, int, str]]) -> list[NamedSpan]:
        found: list[NamedSpan] = []
        toks = tokens(text)
        # the KB's tags over the whole text at once (a sentence's first token opens a span)
        kb_all = kb_tags(toks, kb_spans)
        first = 0
        for sentence in sentences(text, toks):
            kb = kb_all[first : first + len(sentence)]
            first += len(sentence)
            if kb and kb[0].startswith("I-"):
                kb[0] = "B-" + kb[0][2:]
            words = [t.text for t in sentence]
            for lo, hi in self._windows(words, kb):
                tags = self.tagger.tag(self.features.sentence(words, kb, lo, hi))
                if self.features.nouns:
                    self._not_after_neuter(words, lo, tags)
                spans = spans_from_tags(sentence[lo:hi], tags, text)
                found += [self._retype(span) for span in spans if not _lower_end(span.text)]
        return found

    def _not_after_neuter(self, words: Sequence[str], lo: int, tags: list[str]) -> None:
        """A one-word place that is a common noun too ("Essen": Wiktionary's "nt") is the
        noun after a neuter article ("Das Essen war kalt"): a town or country takes none
        ("das Saarland" is no common noun). GermEval dev has no such gold place (its one
        "nt" place after an article is "der Polen"), so this only drops false places."""
        nouns = self.features.nouns
        for k, tag in enumerate(tags):
            i = lo + k
            if tag != "B-LOC" or i == 0 or words[i - 1].lower() not in NEUTER_ARTICLES:
                continue
            if k + 1 < len(tags) and tags[k + 1] == "I-LOC":
                continue
            kinds = nouns.get(words[i], "")
            if "n" in kinds and "t" in kinds:
                tags[k] = "O"

    def _windows(self, words: Sequence[str], kb: Sequence[str]) -> list[tuple[int, int]]:
        """The stretches of a sentence worth tagging: every word that could be part of
        a name with WINDOW words on either side (a sentence of dictionary words has none)."""
        n = len(words)
        out: list[tuple[int, int]] = []
        candidate = self.features.candidate
        for i, word in enumerate(words):
            if not (kb[i] or candidate(word)):
                continue
            lo, hi = max(0, i - WINDOW), min(n, i + WINDOW + 1)
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], hi)
            else:
                out.append((lo, hi))
        return out

    def _retype(self, span: NamedSpan) -> NamedSpan:
        """A name of several words ending in an organisation's head word ("Kastus
        Kalinouski Batallion", "Freie Demokratische Partei") is an organisation."""
        if span.type == "ORG" or " " not in span.text:
            return span
        last = span.text.rsplit(" ", 1)[1].lower()
        if last.endswith(self.org_heads):
            return NamedSpan(span.start, span.end, span.text, "ORG")
        return span
