"""Proper nouns the knowledge base does not know: found, typed by context, unlinked.

German capitalises every noun, so a capital letter alone says little. A token
is taken as part of a name when it is a known given name, an acronym, or when
HanTa's German morphological model (shipped in its wheel, no download) ranks
"proper noun" (NE) first for it. HanTa runs only on capitalised tokens that the
knowledge base did not match, word by word with a cache, never over whole
sentences: that keeps the stage at hundreds of articles per second.

Adjacent name tokens form a span; the span's type comes from cues in
``data/cues.toml``: organisation heads ("...bataillon", "Post"), a given name or
a role before it ("Präsident X"), an age after it ("X (36)"), a place noun or a
preposition before it ("Kleinstadt X", "in X"), and typical endings. A span
with no cue at all is dropped: unlinked entities are for names we can type.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workers.hanta import NN, german
from workers.records import EntityType

TOKEN = re.compile(r"[^\W\d_][^\W_]*(?:[-‐’'][^\W_]+)*")
#: lowercase words allowed inside a name ("Ursula von der Leyen", "Institute for the Study of War")
PARTICLES = frozenset({"von", "van", "der", "de", "da", "di", "bin", "al", "for", "of", "the"})
#: characters after which a token starts a sentence (its capital says nothing)
SENTENCE_END = set(".!?:;|•–—(")
#: characters skipped when looking back for a sentence end (»Das „Kastus ...«)
LOOK_THROUGH = " \t„“”\"«»›‹‚‘’'"
#: words that join two names of the same type ("Kupjansk und Horochowatka")
CONJUNCTIONS = frozenset({"und", "oder", "sowie", "bzw"})
AGE = re.compile(r"\s*\(\d{1,3}\)")
QUOTES_OPEN = set('„“"«»‚‘›‹')
#: a known common noun scores above this log-probability in HanTa (unknown words: about -30)
KNOWN_WORD_LOGP = -18.0


def strip_genitive(name: str, known: Mapping[str, object]) -> str:
    """'Selenskyj' for 'Selenskyjs' when the bare name is known and the full one is not."""
    if name not in known and name.endswith("s") and name[:-1] in known:
        return name[:-1]
    return name


@dataclass(frozen=True)
class Cues:
    given_names: frozenset[str]
    person_before: frozenset[str]
    person_after_verbs: frozenset[str]
    place_before: frozenset[str]
    place_prepositions: frozenset[str]
    org_suffixes: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    person_suffixes: tuple[str, ...]
    not_names: frozenset[str]
    #: relatives named through a person ("Putins Tochter"): the relative, not the person
    kin: frozenset[str] = frozenset()
    #: parties named by an adjective ("Grüne", "Linke"): the adjective before a noun
    attributive: frozenset[str] = frozenset()
    #: forms of address and titles beside person_before ("Pfarrer Wagner" is a person)
    addressed: frozenset[str] = frozenset()
    #: nouns after which a town's adjective names no town ("Minsker Abkommen", "Kursker
    #: Bogen"), and those that do so as the end of a compound too ("Getreideabkommen")
    town_adjective_not_before: tuple[str, ...] = ()
    town_adjective_not_before_heads: tuple[str, ...] = ()
    #: nouns after a town's adjective that name the oblast named after the town
    town_adjective_regions: frozenset[str] = frozenset()
    #: town adjectives not made by adding -er: the town's name and its adjective
    town_adjectives: tuple[tuple[str, str], ...] = ()


def load_cues(path: Path) -> Cues:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return Cues(
        given_names=frozenset(data["given_names"]),
        person_before=frozenset(data["person_before"]),
        person_after_verbs=frozenset(data["person_after_verbs"]),
        place_before=frozenset(data["place_before"]),
        place_prepositions=frozenset(data["place_prepositions"]),
        org_suffixes=tuple(s.lower() for s in data["org_suffixes"]),
        place_suffixes=tuple(s.lower() for s in data["place_suffixes"]),
        person_suffixes=tuple(s.lower() for s in data["person_suffixes"]),
        not_names=frozenset(data["not_names"]),
        kin=frozenset(w.casefold() for w in data.get("kin", ())),
        attributive=frozenset(data.get("attributive", ())),
        addressed=frozenset(data.get("addressed", ())),
        town_adjective_not_before=tuple(data.get("town_adjective_not_before", ())),
        town_adjective_not_before_heads=tuple(data.get("town_adjective_not_before_heads", ())),
        town_adjective_regions=frozenset(data.get("town_adjective_regions", ())),
        town_adjectives=tuple(data.get("town_adjectives", {}).items()),
    )


#: heads that make place names ("Wolfsburg"), not common-noun compounds
PLACE_HEADS = frozenset({"burg", "dorf", "berg", "heim", "feld", "furt", "bach", "hausen"})
#: the log-probability given to a word found to be a compound of a known common noun
COMPOUND_LOGP = -20.0


def compound_noun(low: str) -> bool:
    """Ends in a common noun HanTa knows ("flugabwehr|zuges"): a compound, not a name.

    A dictionary walk of a few microseconds that saves HanTa's analysis of an
    unknown word (about a millisecond): the bulk of capitalised words it has
    not seen are such compounds.
    """
    lexicon = german().cache
    for i in range(3, len(low) - 3):
        head = low[i:]
        tags = lexicon.get(head)
        if tags and tags[0][0] == NN and head not in PLACE_HEADS:
            return True
    return False


def common_noun(word: str) -> bool:
    """A common noun HanTa knows, or a compound ending in one ("Sprecher", "Vollversammlung")."""
    low = word.lower()
    tags = german().cache.get(low)
    return bool(tags and tags[0][0] == NN) or compound_noun(low)


def known_noun(word: str) -> bool:
    """A word HanTa knows as a common noun among its readings ("Wolf", "Fischer": names
    too)."""
    return any(tag == NN for tag, _ in german().cache.get(word.lower()) or ())


def may_be_noun(word: str) -> bool:
    """A `known_noun`, or a compound ending in one ("Gepäckabfertigung", but also
    "Steinmeier")."""
    return known_noun(word) or compound_noun(word.lower())


#: HanTa's tags of a word that opens or sits in a noun phrase: a capitalised word after it
#: is a common noun there ("die Fischer", "mit drei Wölfen", "großen Fischer")
_NOUN_PHRASE_TAGS = frozenset((
    "ART", "ADJ(A)", "CARD", "APPR", "APPRART", "PPOSAT", "PDAT", "PIAT", "PIDAT", "PWAT",
    "PRELAT",
))  # fmt: skip


def in_noun_phrase(word: str) -> bool:
    """Is a word (or a number) one after which a capitalised word is a common noun ("die",
    "Die", "drei", "großen", "luxuriösesten", "mit")? HanTa's best reading, or its guess
    for a word it does not know."""
    if word[:1].isdigit():
        return True
    tags = german().cache.get(word.lower())
    if tags:
        return german().int2tag[tags[0][0]] in _NOUN_PHRASE_TAGS
    return word.islower() and word_class(word, False)[0] in _NOUN_PHRASE_TAGS


def noun_word(word: str) -> bool:
    """A common noun or a noun made of an adjective ("Vertrauter", "Angehöriger"), by
    HanTa's lexicon or its best guess for the word as written: what follows "Putin-" in
    "Putin-Vertrauter" is no name."""
    return common_noun(word) or word_class(word, False)[0] in ("NN", "NNA")


@lru_cache(maxsize=200_000)
def word_class(word: str, sentence_initial: bool) -> tuple[str, float]:
    """HanTa's best tag for a word alone and its log-probability (cached)."""
    tagger = german()
    low = word.lower()
    if low not in tagger.cache and compound_noun(low):
        return "NN", COMPOUND_LOGP
    tags = tagger.tag_word(word, casesensitive=not sentence_initial)
    if not tags:
        return "NE", -99.0
    tag, logp = tags[0]
    return tag, float(logp)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    type: EntityType | None


@dataclass
class _Tok:
    start: int
    end: int
    word: str
    initial: bool
    proper: bool = False
    #: the type of a knowledge-base match this token stands for ("" for plain words)
    linked: str = ""


def _is_acronym(word: str) -> bool:
    letters = word.replace("-", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


class NameFinder:
    """Finds and types proper nouns outside the knowledge base's matches."""

    def __init__(self, cues: Cues) -> None:
        self.cues = cues

    # -- deciding tokens ---------------------------------------------------------------

    def _proper(self, word: str, initial: bool, after_noun_cue: bool = False) -> bool:
        cues = self.cues
        if word in cues.not_names or not word[0].isupper():
            return False
        if word in cues.given_names or _is_acronym(word):
            return True
        parts = re.split(r"[-‐]", word)
        if len(parts) > 1:
            # "Kastus-Kalinouski-Regiment" yes, "Oppositions-Bewegung" no
            last_tag, last_logp = word_class(parts[-1], False)
            if parts[-1].lower().endswith(cues.org_suffixes):
                return any(self._proper(p, False) for p in parts[:-1] if p)
            if last_tag == "NN" and last_logp > KNOWN_WORD_LOGP:
                return False
            return all(p[:1].isupper() for p in parts) and any(
                word_class(p, False)[0] == "NE" for p in parts if p
            )
        tag, logp = word_class(word, initial)
        # "Ortschaft Borivske": after a place or role noun, an unknown word is a name
        return tag == "NE" or (after_noun_cue and not initial and logp < KNOWN_WORD_LOGP)

    def _cued(self, text: str, tokens: list[_Tok], i: int) -> bool:
        """Could this capitalised token end up in a typed span? Only then is it worth
        asking the tagger: spans without any cue are dropped anyway."""
        cues = self.cues
        tok = tokens[i]
        word = tok.word
        if word in cues.given_names or _is_acronym(word):
            return True
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and text[prev.end : tok.start] in (" ", " „", " «", ' "'):
            if (prev.word[:1].isupper() and not prev.initial) or prev.linked:
                return True
            if (
                prev.word in cues.place_prepositions
                or prev.word in cues.person_after_verbs
                or prev.word in cues.person_before
                or prev.word in cues.place_before
                or prev.word in PARTICLES
                or prev.word in CONJUNCTIONS
            ):
                return True
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            not tok.initial
            and nxt is not None
            and text[tok.end : nxt.start] == " "
            and nxt.word[:1].isupper()
        ):
            return True
        if AGE.match(text, tok.end):
            return True
        low = word.lower()
        return low.endswith(cues.place_suffixes) or low.endswith(cues.person_suffixes)

    def _tokens(self, text: str, covered: list[tuple[int, int, str]]) -> list[_Tok]:
        tokens = []
        cover = iter(sorted(covered))
        block = next(cover, None)
        for m in TOKEN.finditer(text):
            start, end = m.span()
            while block is not None and block[1] <= start:
                block = next(cover, None)
            if block is not None and block[0] < end:
                # a knowledge-base match: keep a placeholder so runs do not join across it
                tokens.append(_Tok(start, end, "", initial=False, linked=block[2]))
                continue
            before = text[max(0, start - 20) : start].rstrip(LOOK_THROUGH)
            initial = (not before and start < 20) or (
                bool(before) and (before[-1] in SENTENCE_END or before[-1] == "\n")
            )
            tokens.append(_Tok(start, end, m.group(0), initial))
        return tokens

    # -- spans -------------------------------------------------------------------------

    def find(self, text: str, covered: list[tuple[int, int, str]]) -> list[Span]:
        """Typed name spans in ``text`` that overlap none of the ``covered`` ranges
        (start, end, type of the knowledge-base match)."""
        cues = self.cues
        tokens = self._tokens(text, covered)
        for i, tok in enumerate(tokens):
            if tok.word and tok.word[0].isupper() and self._cued(text, tokens, i):
                prev = tokens[i - 1].word if i > 0 else ""
                noun_cue = (
                    prev in cues.place_before
                    or prev in cues.person_before
                    or (
                        prev in CONJUNCTIONS
                        and i >= 2
                        and bool(tokens[i - 2].linked or tokens[i - 2].proper)
                    )
                )
                tok.proper = self._proper(tok.word, tok.initial, noun_cue)
        # a sentence-initial word seen as a name elsewhere in the text is one here too
        seen = {t.word for t in tokens if t.proper and not t.initial}
        for tok in tokens:
            if tok.initial and not tok.proper and tok.word in seen:
                tok.proper = True

        spans: list[Span] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if not tok.proper:
                i += 1
                continue
            j = i + 1
            while j < len(tokens):
                nxt = tokens[j]
                gap = text[tokens[j - 1].end : nxt.start]
                if gap != " ":
                    break
                if nxt.proper:
                    j += 1
                    continue
                if nxt.word in PARTICLES and j + 1 < len(tokens) and tokens[j + 1].proper:
                    j += 2
                    continue
                if self._joins(tokens[j - 1], nxt):
                    j += 1
                    continue
                break
            span = self._span(text, tokens, i, j)
            if span is not None:
                if span.type is None and i >= 2 and tokens[i - 1].word in CONJUNCTIONS:
                    # "Kupjansk und Horochowatka": the type of the name before
                    before = tokens[i - 2]
                    type_ = before.linked or next(
                        (s.type for s in spans if s.end == before.end), None
                    )
                    span = Span(span.start, span.end, span.text, type_ or None)
                spans.append(span)
            i = j
        return self._resolve(spans)

    def _joins(self, prev: _Tok, nxt: _Tok) -> bool:
        """A capitalised word that continues a name though it is not a name by itself."""
        word = nxt.word
        if not word or not word[0].isupper() or word in self.cues.not_names:
            return False
        if word.lower().endswith(self.cues.org_suffixes):
            return True  # "Kastus Kalinouski Bataillon", "Washington Post"
        if prev.word in self.cues.given_names:
            # "Sahra Wagenknecht": a rare word after a given name is a surname
            return word_class(word, False)[1] < KNOWN_WORD_LOGP
        return False

    def _span(self, text: str, tokens: list[_Tok], i: int, j: int) -> Span | None:
        cues = self.cues
        start, end = tokens[i].start, tokens[j - 1].end
        words = [t.word for t in tokens[i:j]]
        first, last = words[0], words[-1]
        prev = tokens[i - 1].word if i > 0 else ""
        # a dot-free title like "Dr." is tokenised as "Dr"
        prev_text = text[max(0, start - 30) : start].rstrip()
        type_: EntityType | None = None
        if (len(words) == 1 and _is_acronym(first)) or (
            last.lower().endswith(cues.org_suffixes) and (len(words) > 1 or "-" in last)
        ):
            type_ = "ORG"
        elif (
            first in cues.given_names
            or prev in cues.person_before
            or AGE.match(text, end)
            or (
                prev in cues.person_after_verbs
                and prev_text.endswith(prev)
                and "," in text[max(0, start - 40) : start]
            )
        ):
            type_ = "PER"
        elif prev in cues.place_before:
            type_ = "LOC"
        elif len(words) > 1 and last.lower().endswith(cues.person_suffixes):
            type_ = "PER"
        elif prev in cues.place_prepositions or last.lower().endswith(cues.place_suffixes):
            type_ = "LOC"
        elif last.lower().endswith(cues.person_suffixes) or len(words) > 1:
            type_ = "PER"
        if len(words) == 1 and start > 0 and text[start - 1] in QUOTES_OPEN and type_ != "ORG":
            return None  # a quoted word („Spassiba“) is rarely a name of its own
        return Span(start, end, text[start:end], type_)

    def _resolve(self, spans: list[Span]) -> list[Span]:
        """Within one text: a surname alone takes the type of the full name, a name
        without a cue the type it has elsewhere; names still untyped are dropped."""
        known: dict[str, EntityType] = {}
        for span in spans:
            if span.type is not None:
                known.setdefault(span.text, span.type)
        for span in spans:
            parts = span.text.split()
            if len(parts) > 1 and span.type == "PER":
                known[parts[-1]] = "PER"
        out = []
        for span in spans:
            key = strip_genitive(span.text, known)
            type_ = known.get(key, span.type) if len(span.text.split()) == 1 else span.type
            if type_ is not None:
                out.append(Span(span.start, span.end, span.text, type_))
        return out
