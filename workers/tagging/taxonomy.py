"""Topics from a taxonomy data file, scored by weighted evidence.

A single keyword in passing does not tag a story: each pattern counts with its
weight, more in the title and lead, less for repeats, minus negative cues, plus
entity cues, and the sum must reach the topic's threshold. Topics that need the
war as their setting (``context``) are not tagged at all in an article with
fewer than ``min_context`` distinct context words: a "Gegenoffensive" in a
football report stays a football report.

A headline or a headline with its teaser (a short item) has no room for two
context words: there one is enough, and it may come from the item's entities
(Russia, Ukraine, their capitals, armies and leaders) or from a cue that is war
vocabulary itself ("Fahnenflucht"). Some cues also ask which side acts: a
"Offensive" is a counteroffensive only when the nearest actor in its clause is
Ukrainian ("Kiew startet Offensive", not "Russlands Offensive"), and some which side held a
place: Ukrainian troops before Melitopol, Russians who lose Kupjansk are the counteroffensive
(a place Russia held, ``<place>`` in a cue: one of the item's linked places in the
taxonomy's ``occupied_file``); before Kramatorsk they are not.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from workers.records import Topic

TITLE_FACTOR = 2.0
LEAD_FACTOR = 1.5
BODY_FACTOR = 1.0
REPEAT_FACTOR = 0.5
MAX_REPEATS = 3
TOPIC_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
#: what ``<place>`` in a cue stands for: one or two capitalised words, a place's name
PLACE = "<place>"
PLACE_PATTERN = r"(?P<place{n}>(?-i:[A-ZÄÖÜ][\w-]*)(?: (?-i:[A-ZÄÖÜ][\w-]*))?)"


def _places(regex: str) -> str:
    """The regex with each ``<place>`` a named group of its own (place0, place1 ...)."""
    parts = regex.split(PLACE)
    out = parts[0]
    for n, part in enumerate(parts[1:]):
        out += PLACE_PATTERN.format(n=n) + part
    return out


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float
    #: the cue is war vocabulary itself: in a short item it is its own context word
    context: bool = False
    #: "ours" ("theirs"): the hit counts only when the nearest actor in its clause is ours
    #: (theirs: "Russen ziehen sich zurück")
    side: str | None = None
    #: the factor of a sided hit whose clause names no actor
    unsided: float = 0.0
    #: the factor of a sided hit whose clause names no actor but its sentence names ours
    beyond: float = 0.0
    #: substrings one of which every match contains, for a pattern without literal prefixes
    #: (the prefilter tries a pattern with prefixes only where one starts)
    anchors: tuple[str, ...] = ()
    #: the hit is a participle whose object is the actor named nearest before it, also in a
    #: perfect ("Russische Linien durchbrochen", "Russen haben ukrainische Linien durchbrochen")
    object: bool = False
    #: the cue has a ``<place>``: a hit counts only where it names a place Russia held
    place: bool = False
    #: the hit names an operation ("Gegenoffensive"): only an actor in its own word, right
    #: before it or attached after it, or one who launches it, is its side; another actor of
    #: the clause (a speaker, "Kreml: Gegenoffensive gescheitert") only speaks of it
    named: bool = False


@dataclass(frozen=True)
class Side:
    """Who acts: actor patterns of our side and of the other."""

    ours: re.Pattern[str]
    theirs: re.Pattern[str]
    #: places only the other side held: an offensive on them, no actor named, is ours
    targets: re.Pattern[str] | None = None
    #: what follows an actor's adjective when it names a thing, not who acts: "greifen
    #: ukrainische Stellungen an" (matched right after the adjective)
    things: re.Pattern[str] | None = None
    #: what follows an actor's adjective when it names someone outside the fighting: "Ukrainischer
    #: Film erobert Cannes", "russische Sängerin" (matched right after the adjective)
    civil: re.Pattern[str] | None = None


def anchors(regex: str) -> set[str] | None:
    """Literal prefixes (3+ characters, lowercase) one of which every match starts with,
    or None when the pattern has none: a cue is only run where one of them occurs."""
    try:
        from re import _parser as parser  # the stdlib's own regex parser
    except ImportError:  # pragma: no cover - other Pythons
        return None

    def first(items: list, start: str) -> set[str] | None:
        prefix = start
        for op, av in items:
            name = str(op)
            if name in ("AT", "ASSERT", "ASSERT_NOT") and not prefix:
                continue  # zero width before the first letter: a boundary, a lookbehind
            if name == "LITERAL":
                prefix += chr(av)
                continue
            sub: set[str] | None = None
            if name == "SUBPATTERN":
                sub = first(list(av[-1]), prefix)
            elif name == "IN" and len(prefix) >= 2 and all(str(o) == "LITERAL" for o, _ in av):
                sub = {(prefix + chr(c)).lower() for _, c in av}  # "de[mn]" from "dem|den"
            elif name == "BRANCH":
                sub = set()
                for branch in av[1]:
                    found = first(list(branch), prefix)
                    if found is None:
                        sub = None
                        break
                    sub |= found
            if sub is not None:
                return sub
            break
        return {prefix.lower()} if len(prefix) >= 3 else None

    try:
        return first(list(parser.parse(regex, re.IGNORECASE)), "")
    except Exception:
        return None


@dataclass(frozen=True)
class TopicRule:
    id: str
    label: str
    definition: str
    threshold: float
    patterns: tuple[Cue, ...]
    negative: tuple[Cue, ...]
    entity_cues: dict[str, float]
    context: tuple[re.Pattern[str], ...] = ()
    min_context: int = 0
    #: entity keys that put a short item in the war (shared by every topic with context)
    context_entities: frozenset[str] = frozenset()
    side: Side | None = None
    #: lead and body of fewer words than this make a short item (a headline, a teaser)
    short_words: int = 0
    #: the factor of a short item's teaser: the whole of what a feed says, not an article's
    #: lead (default: the lead's)
    teaser_factor: float = LEAD_FACTOR
    #: another war: an item that names it and neither the war's entities nor an actor of
    #: either side is not tagged ("Irakische Armee erobert Tikrit zurück")
    elsewhere: re.Pattern[str] | None = None
    #: the knowledge base's places Russia held (``occupied_file``), for cues with a ``<place>``
    occupied: frozenset[str] = frozenset()


def topic_ids(path: Path) -> list[str]:
    """The taxonomy's topic ids: each has its news.enriched.<id> topic."""
    return [rule.id for rule in load_taxonomy(path)]


def load_taxonomy(path: Path) -> list[TopicRule]:
    """Read and validate the taxonomy; errors name the topic and the field."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)

    def cues(topic: str, items: list[dict], side: Side | None) -> tuple[Cue, ...]:
        try:
            out = tuple(
                Cue(
                    re.compile(_places(c["regex"]), re.IGNORECASE),
                    float(c["weight"]),
                    context=bool(c.get("context", False)),
                    side=c.get("side"),
                    unsided=float(c.get("unsided", 0.0)),
                    beyond=float(c.get("beyond", 0.0)),
                    anchors=tuple(a.lower() for a in c.get("anchors", [])),
                    object=bool(c.get("object", False)),
                    place=PLACE in c["regex"],
                    named=bool(c.get("named", False)),
                )
                for c in items
            )
        except (re.error, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: topic {topic}: invalid cue: {exc}") from exc
        for cue in out:
            if cue.side not in (None, "ours", "theirs"):
                raise ValueError(
                    f"{path}: topic {topic}: side must be 'ours' or 'theirs', not {cue.side!r}"
                )
            if cue.side and side is None:
                raise ValueError(f"{path}: topic {topic}: a sided cue needs the topic's side")
        return out

    def ids_file(field: str) -> frozenset[str]:
        """The ids of a list of the knowledge base's places (scripts/war_places.py), one id a
        line; beside the topics file, else the shipped one (a changed copy of the rules
        elsewhere, as `replay --topics-file` reads, keeps the shipped places)."""
        if field not in data:
            return frozenset()
        places = path.parent / data[field]
        if not places.exists():
            places = Path(__file__).parent / "data" / data[field]
        try:
            lines = places.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(f"{path}: {field}: {exc}") from exc
        return frozenset(line.strip() for line in lines if line.strip()[:1] not in ("", "#"))

    context_entities = frozenset(data.get("context_entities", [])) | ids_file(
        "context_entities_file"
    )
    occupied = ids_file("occupied_file")
    short_words = int(data.get("short_words", 0))
    teaser_factor = float(data.get("teaser_factor", LEAD_FACTOR))
    rules = []
    for t in data["topic"]:
        topic_id = t.get("id", "")
        if not TOPIC_ID.match(topic_id):
            raise ValueError(f"{path}: topic id {topic_id!r}: lowercase ascii, no dots or spaces")
        if not t.get("patterns"):
            raise ValueError(f"{path}: topic {topic_id}: no patterns")
        context = tuple(re.compile(c, re.IGNORECASE) for c in t.get("context", []))
        side = None
        if "side" in t:
            try:
                targets = t["side"].get("targets")
                things = t["side"].get("things")
                civil = t["side"].get("civil")
                side = Side(
                    re.compile(t["side"]["ours"], re.IGNORECASE),
                    re.compile(t["side"]["theirs"], re.IGNORECASE),
                    re.compile(targets, re.IGNORECASE) if targets else None,
                    re.compile(things, re.IGNORECASE) if things else None,
                    re.compile(civil, re.IGNORECASE) if civil else None,
                )
            except (re.error, KeyError, TypeError) as exc:
                raise ValueError(f"{path}: topic {topic_id}: invalid side: {exc}") from exc
        try:
            elsewhere = re.compile(t["elsewhere"], re.IGNORECASE) if "elsewhere" in t else None
        except re.error as exc:
            raise ValueError(f"{path}: topic {topic_id}: invalid elsewhere: {exc}") from exc
        rules.append(
            TopicRule(
                id=topic_id,
                label=t["label"],
                definition=t.get("definition", ""),
                threshold=float(t.get("threshold", 2.5)),
                patterns=cues(topic_id, t["patterns"], side),
                negative=cues(topic_id, t.get("negative", []), side),
                entity_cues={c["id"]: float(c["weight"]) for c in t.get("entity_cues", [])},
                context=context,
                min_context=int(t.get("min_context", 1 if context else 0)),
                context_entities=context_entities if context else frozenset(),
                side=side,
                short_words=short_words,
                teaser_factor=teaser_factor,
                elsewhere=elsewhere,
                occupied=occupied,
            )
        )
        placed = [c for c in (*rules[-1].patterns, *rules[-1].negative) if c.place]
        if placed and not occupied:
            raise ValueError(f"{path}: topic {topic_id}: a cue with {PLACE} needs occupied_file")
    if len({r.id for r in rules}) != len(rules):
        raise ValueError(f"{path}: duplicate topic ids")
    return rules


#: what ends a clause in a headline or a sentence: an actor beyond it does not act here
CLAUSE_END = re.compile(r"[.!?;:,|\n–—]| - ")
#: what may stand between a hit and an actor named after it ("Offensive der Ukraine")
ATTACHED = re.compile(r"\s*((der|des|von|aus) )?", re.IGNORECASE)
#: a perfect's auxiliary: before a participle that ends its clause, the subject comes first
#: and the object last ("Russische Einheiten haben Stellungen der Ukrainer eingenommen")
PERFECT = re.compile(r"\b(hat|haben|hatte|hatten)\b", re.IGNORECASE)
#: a word: what follows a participle that does not end its clause
WORD = re.compile(r"\w")
#: two actors joined: both act ("Kiew und Moskau bereiten Winteroffensiven vor")
COORDINATED = re.compile(r"\s+(und|sowie)\s+((die|der|das)\s+)?", re.IGNORECASE)
#: a subordinate clause puts its verb last too, after its object ("Wie die Ukraine die Russen
#: aus Charkiw zurückdrängte"): there as well the subject is the first actor
SUBORDINATE = re.compile(
    r"\b(wie|als|nachdem|weil|dass|während|seit|seitdem|warum|wo|ob|wenn|bevor|bis)\b",
    re.IGNORECASE,
)


class _Article:
    """The title, lead and body as one string, with the factor of each position."""

    def __init__(self, title: str, lead: str, body: str) -> None:
        self.text = f"{title}\n\n{lead}\n\n{body}"
        self.possible: set[int] | None = None
        #: where each anchor found starts, and the prefix anchors of each cue (the prefilter's)
        self.starts: dict[str, list[int]] | None = None
        self.prefixes: dict[int, tuple[str, ...]] = {}
        self.lead_start = len(title) + 2
        self.body_start = self.lead_start + len(lead) + 2
        self.words_after_title = len(lead.split()) + len(body.split())
        self.lead_factor = LEAD_FACTOR
        self.short = False
        #: the casefolded names of the item's places Russia held (a ``<place>`` must be one)
        self.held: frozenset[str] = frozenset()
        self._clause_marks: list[tuple[int, int]] | None = None

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the clause around text[start:end] (found once per article)."""
        if self._clause_marks is None:
            self._clause_marks = [m.span() for m in CLAUSE_END.finditer(self.text)]
        marks = self._clause_marks
        i = bisect.bisect_left(marks, (start, -1))
        left = marks[i - 1][1] if i else 0
        j = bisect.bisect_left(marks, (end, -1))
        right = marks[j][0] if j < len(marks) else len(self.text)
        return left, right

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the sentence around text[start:end]; the title is one sentence."""
        if start < self.lead_start:
            return 0, self.lead_start - 2
        left = max(self.text.rfind(c, 0, start) for c in ".!?\n") + 1
        ends = [i for i in (self.text.find(c, end) for c in ".!?\n") if i >= 0]
        return left, min(ends, default=len(self.text))

    def factor(self, offset: int) -> float:
        if offset < self.lead_start:
            return TITLE_FACTOR
        return self.lead_factor if offset < self.body_start else BODY_FACTOR


class Prefilter:
    """One Aho-Corasick pass over the lowercased article tells which cues can match, and
    where: a cue whose every match starts with one of its anchors (the loader's prefixes) is
    tried only there, not scanned over the whole article."""

    def __init__(self, rules: list[TopicRule]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.always: set[int] = set()
        #: cue id -> the literal prefixes every match of it starts with
        self.prefixes: dict[int, tuple[str, ...]] = {}
        self.by_anchor: dict[str, frozenset[int]] = {}
        #: rule id -> the ids of its positive cues (one set test per rule and item, not one
        #: look-up per cue: 141 cues over 15 rules)
        self.rule_cues = {id(r): frozenset(map(id, r.patterns)) for r in rules}
        by_anchor: dict[str, set[int]] = {}
        for rule in rules:
            for cue in (*rule.patterns, *rule.negative):
                # a match tried where its prefix starts costs little, however common the prefix:
                # the given anchors (substrings) only for a cue without prefixes
                prefixes = anchors(cue.pattern.pattern)
                found = prefixes or set(cue.anchors) or None
                if found is None:
                    self.always.add(id(cue))
                if prefixes:
                    self.prefixes[id(cue)] = tuple(sorted(prefixes))
                for anchor in found or ():
                    by_anchor.setdefault(anchor, set()).add(id(cue))
        for anchor, cues in by_anchor.items():
            self.by_anchor[anchor] = frozenset(cues)
            self.automaton.add_word(anchor, anchor)
        self.empty = not by_anchor
        if not self.empty:
            self.automaton.make_automaton()

    def scan(self, text: str) -> tuple[set[int], dict[str, list[int]] | None]:
        """The cues that can match, and where each anchor found starts (None when lowercasing
        moved the offsets: then every possible cue is scanned whole)."""
        out = set(self.always)
        starts: dict[str, list[int]] = {}
        if not self.empty:
            lower = text.lower()
            for end, anchor in self.automaton.iter(lower):
                at = starts.get(anchor)
                if at is None:
                    starts[anchor] = at = []
                    out |= self.by_anchor[anchor]
                at.append(end - len(anchor) + 1)
            if len(lower) != len(text):
                return out, None
        return out, starts

    def possible(self, text: str) -> set[int]:
        return self.scan(text)[0]


_PREFILTERS: dict[int, tuple[list[TopicRule], Prefilter]] = {}


def _prefilter(rules: list[TopicRule]) -> Prefilter:
    held = _PREFILTERS.get(id(rules))
    if held is None or held[0] is not rules:
        held = (rules, Prefilter(rules))
        _PREFILTERS[id(rules)] = held
    return held[1]


def _adjective(m: re.Match[str]) -> bool:
    """Is the actor's word a side's adjective ("ukrainische", "russischen")?"""
    return m.group(0).rstrip("emnrs").lower().endswith("isch")


def _thing(side: Side, text: str, m: re.Match[str], left: int) -> bool:
    """The actor's word is an adjective of a thing or a place after another actor in
    text[left:] ("Russen greifen ukrainische Stellungen an"): it says where, not who acts.
    First in its clause the thing is the subject, and its side the one it happens to
    ("Russische Verteidigung bricht zusammen")."""
    return (
        side.things is not None
        and _adjective(m)
        and side.things.match(text, m.end()) is not None
        and any(p.search(text, left, m.start()) for p in (side.ours, side.theirs))
    )


def _civil(side: Side, text: str, m: re.Match[str]) -> bool:
    """The actor's word is an adjective of someone outside the fighting ("Ukrainischer Film
    erobert Cannes"): no actor at all."""
    return side.civil is not None and _adjective(m) and side.civil.match(text, m.end()) is not None


def _actor(side: Side, article: _Article, start: int, end: int, subject: bool = True) -> str | None:
    """ "ours", "theirs", "both" (joined by "und") or None: who acts in text[start:end]'s
    clause. An actor in the hit or attached after a noun ("Offensive Russlands", not
    "durchbrechen russische Linien") wins, then the nearest before it (the subject, the
    adjective: "Kiew startet", "ukrainische Offensive"), then the nearest after; with no
    actor, a target of ours. A participle that ends a perfect's clause, a verb that ends a
    subordinate one, takes the first actor before it, its subject, unless ``subject`` is
    false (the caller wants the object, the nearest). An actor's adjective of a thing after
    another actor is no actor ("Russen greifen ukrainische Stellungen an")."""
    text = article.text
    left, right = article.clause(start, end)
    before: tuple[int, str] | None = None
    after: tuple[int, str] | None = None
    ends: dict[int, str] = {}  # where an actor before the hit ends: whose it is
    # a participle ending a perfect's clause, a verb ending a subordinate one: its subject is
    # the first actor, not the nearest
    first = (
        subject
        and not text[end:right].strip()
        and " " not in text[start:end]
        and (
            PERFECT.search(text, left, start) is not None
            or SUBORDINATE.search(text, left, start) is not None
        )
    )
    for name, pattern in (("ours", side.ours), ("theirs", side.theirs)):
        for m in pattern.finditer(text, left, right):
            if (subject and _thing(side, text, m, left)) or _civil(side, text, m):
                continue  # "greifen ukrainische Stellungen an": where, not who
            if start <= m.start() < end and " " not in text[start:end]:
                return name  # the word names it: "Russen-Offensive"
            if m.start() >= start:  # after, or inside a phrase: "drängt Russen zurück"
                if m.start() < end:
                    if after is None or m.start() < after[0]:
                        after = (m.start(), name)
                    continue
                if (
                    text[start].isupper()
                    and " " not in text[start:end]
                    and ATTACHED.fullmatch(text, end, m.start())
                ):
                    return name  # a noun's attribute; after a verb it is the object
                if after is None or m.start() < after[0]:
                    after = (m.start(), name)
            elif m.start() < start:
                ends[m.end()] = name
                if before is None or (m.start() < before[0] if first else m.start() > before[0]):
                    before = (m.start(), name)
    if before is not None:
        for at, name in ends.items():
            if name != before[1] and COORDINATED.fullmatch(text, at, before[0]):
                return "both"  # "Kiew und Moskau bereiten Offensiven vor"
    found = before or after
    if found is None and left > 0 and text[left - 1] == ":":
        # "Selenskyj: Befreiung der Krim bleibt das Ziel": the speaker before the colon acts
        # when the claim names no one; a participle's object is then the other side
        # ("Ukrainischer General: Verteidigungslinie durchbrochen": Russia's line)
        speaker_left, _ = article.clause(left - 1, left - 1)
        for name, pattern in (("ours", side.ours), ("theirs", side.theirs)):
            for m in pattern.finditer(text, speaker_left, left - 1):
                if _civil(side, text, m):
                    continue
                if found is None or m.start() > found[0]:
                    found = (m.start(), name)
        if found is not None and not subject:
            return "theirs" if found[1] == "ours" else "ours"
    if found is None and (
        (side.targets is not None and side.targets.search(text, left, right))
        or _held_in(article, left, right)
    ):
        # "Cherson-Offensive", "Flagge über Snihuriwka gehisst": a town only the other side
        # held was the target
        return "ours"
    return found[1] if found else None


#: what lies between an actor and an operation it launches ("Russland startet Gegenoffensive")
LAUNCHES = re.compile(
    r"\s+(\w+\s+){0,2}(start\w*|beginn\w*|begann\w*|lancier\w*|führ\w*|unternimmt|unternehm\w*|"
    r"unternahm\w*|plan\w*|bereit\w*|eröffn\w*|kündig\w*|setz\w*|treib\w*|trieb\w*)\b"
    r"(\s+[\w-]+){0,4}\s+$",
    re.IGNORECASE,
)


def _operation_actor(side: Side, article: _Article, start: int, end: int) -> str | None:
    """Whose operation text[start:end] is: the side its own word names ("Russen-Offensive"),
    the actor right before it ("russische Gegenoffensive", "Kiews Gegenoffensive"), attached
    after it ("Gegenoffensive der Russen") or launching it ("Moskau startet eine
    Gegenoffensive"); None when the clause names it only as what someone speaks of."""
    text = article.text
    left, right = article.clause(start, end)
    nearest: tuple[int, int, str] | None = None
    for name, pattern in (("ours", side.ours), ("theirs", side.theirs)):
        for m in pattern.finditer(text, left, right):
            if _civil(side, text, m):
                continue
            if start <= m.start() < end:
                return name
            if m.start() >= end:
                if ATTACHED.fullmatch(text, end, m.start()):
                    return name
            elif nearest is None or m.start() > nearest[0]:
                nearest = (m.start(), m.end(), name)
    if nearest is None:
        return None
    between = text[nearest[1] : start]
    if not between.strip(" -") or LAUNCHES.fullmatch(between):
        return nearest[2]
    return None


def _actor_beyond(side: Side, article: _Article, start: int, end: int) -> str | None:
    """The nearest actor in the rest of the sentence of text[start:end] (a headline's whole
    title: "Soldaten bereiten sich auf Offensive vor - Bundeswehr trainiert Ukrainer"); in
    a short item, when it names none, the other part's: the teaser's first sentence for a
    hit in the title, the title for a hit in the teaser. With no actor, a target of ours."""
    first, last = article.sentence(start, end)
    found = _nearest(side, article, first, last, start, end)
    targets = side.targets
    if found is None and targets is not None and targets.search(article.text, first, last):
        return "ours"  # "Nach der Befreiung: Cherson ohne Strom"
    if found is not None or not article.short:
        return found
    return _actor_other(side, article, start, end)


def _actor_other(side: Side, article: _Article, start: int, end: int) -> str | None:
    """In a short item, the nearest actor of the part text[start:end] is not in: the
    teaser's first sentence for a hit in the title, the title for a hit in the teaser."""
    if not article.short:
        return None
    if start < article.lead_start:
        first, last = article.sentence(article.lead_start, article.lead_start)
        start = end = first
    else:  # a teaser's hit: the title ("Wagner rückt vor" - "Die Söldner melden ...")
        first, last = 0, article.lead_start - 2
        start = end = last
    return _nearest(side, article, first, last, start, end) if last > first else None


def _nearest(
    side: Side, article: _Article, first: int, last: int, start: int, end: int
) -> str | None:
    """The actor in text[first:last] nearest to text[start:end]."""
    found: tuple[int, str] | None = None
    for name, pattern in (("ours", side.ours), ("theirs", side.theirs)):
        for m in pattern.finditer(article.text, first, last):
            if _thing(side, article.text, m, first) or _civil(side, article.text, m):
                continue
            distance = start - m.end() if m.start() < start else m.start() - end
            if found is None or distance < found[0]:
                found = (distance, name)
    return found[1] if found else None


def _matches(cue: Cue, article: _Article) -> Iterator[re.Match[str]]:
    """The cue's matches in the article, as finditer finds them: where the prefilter knows
    every match starts at one of its anchors, tried only at those."""
    prefixes = article.prefixes.get(id(cue)) if article.starts is not None else None
    if prefixes is None:
        yield from cue.pattern.finditer(article.text)
        return
    starts = article.starts
    assert starts is not None
    if len(prefixes) == 1:
        positions: Iterable[int] = starts.get(prefixes[0], ())
    else:
        positions = sorted({p for a in prefixes for p in starts.get(a, ())})
    match, text, end = cue.pattern.match, article.text, -1
    for at in positions:
        if at < end:
            continue
        m = match(text, at)
        if m is not None:
            end = max(m.end(), at + 1)
            yield m


def _finite(article: _Article, start: int, end: int) -> bool:
    """Is an ``object`` cue's word a finite verb, not a headline's participle? A participle
    ends its clause ("Russische Linien durchbrochen"); a verb has its object after it
    ("Russische Armee verdrängt Ukrainer aus Dorf"), unless a perfect's auxiliary precedes."""
    left, right = article.clause(start, end)
    rest = WORD.search(article.text, end, right) is not None  # "+++" ends a ticker's line
    return rest and not PERFECT.search(article.text, left, start)


#: a capitalised word: a place's name, maybe
CAPITALISED = re.compile(r"(?-i:[A-ZÄÖÜ][\w-]*)")


def _is_held(form: str, held: frozenset[str]) -> bool:
    """Is the word one of the held places' names, maybe in the genitive ("Melitopols")?"""
    form = form.casefold()
    return form in held or (form.endswith("s") and form[:-1] in held)


def _held_in(article: _Article, left: int, right: int) -> bool:
    """Does text[left:right] name a place Russia held (one of the item's linked places)?"""
    if not article.held:
        return False
    return any(
        _is_held(m.group(0), article.held) for m in CAPITALISED.finditer(article.text, left, right)
    )


def _held(article: _Article, m: re.Match[str]) -> bool:
    """Does the hit's ``<place>`` (one or two words, maybe a genitive) name a place Russia
    held? A hit of an alternative without one asks nothing of the place."""
    name = next((v for k, v in m.groupdict().items() if k.startswith("place") and v), None)
    if name is None:
        return True
    return any(_is_held(form, article.held) for form in (name, name.split(" ", 1)[0]))


def _weighted_hits(
    cue: Cue, article: _Article, side: Side | None = None
) -> tuple[float, list[str], bool]:
    """The cue's weighted score, its phrases, and whether a hit's actor was of its side
    (a Ukrainian who recaptures is the war itself: the item's context)."""
    if article.possible is not None and id(cue) not in article.possible:
        return 0.0, [], False
    hits = []
    acted = False
    for m in _matches(cue, article):
        if cue.place and not _held(article, m):
            continue
        factor = article.factor(m.start())
        if cue.side and side is not None:
            participle = cue.object and not _finite(article, m.start(), m.end())
            if cue.named:
                actor = _operation_actor(side, article, m.start(), m.end())
            else:
                actor = _actor(side, article, m.start(), m.end(), subject=not participle)
            if cue.object and not participle and actor in ("ours", "theirs"):
                # a finite verb: its subject acts on the side named after it ("Russische
                # Armee verdrängt Ukrainer aus Dorf"), the opposite of a participle's object
                actor = "theirs" if actor == "ours" else "ours"
            actor = cue.side if actor == "both" else actor
            if actor is None and cue.beyond:
                actor = _actor_beyond(side, article, m.start(), m.end())
                factor *= cue.beyond if actor == cue.side else cue.unsided if not actor else 0.0
            elif actor is None and cue.unsided and article.short:
                # the other side named in the other part of a short item speaks against a
                # hit without an actor ("Wagner rückt vor" - "Die Söldner melden Gewinne")
                other = _actor_other(side, article, m.start(), m.end())
                factor *= 0.0 if other and other != cue.side else cue.unsided
            else:
                factor *= 1.0 if actor == cue.side else cue.unsided if actor is None else 0.0
            acted = acted or (actor == cue.side and factor > 0)
        if factor > 0:
            hits.append((factor, m.group(0)))
    hits.sort(key=lambda h: -h[0])
    score = sum(
        cue.weight * factor * (1.0 if i == 0 else REPEAT_FACTOR)
        for i, (factor, _) in enumerate(hits[:MAX_REPEATS])
    )
    return score, [phrase for _, phrase in hits], acted


def _in_context(rule: TopicRule, article: _Article, entity_keys: set[str]) -> bool:
    """Enough distinct context words; in a short item one, or a context entity."""
    short = article.words_after_title < rule.short_words
    if short and rule.context_entities & entity_keys:
        return True
    needed = min(rule.min_context, 1) if short else rule.min_context
    words: set[str] = set()
    for pattern in rule.context:
        for m in pattern.finditer(article.text):
            words.add(m.group(0).lower())
            if len(words) >= needed:
                return True  # enough: the rest of the article need not be read
    return False


def _elsewhere(rule: TopicRule, article: _Article, entity_keys: set[str]) -> bool:
    """The item is about another war: it names one and nothing of this one."""
    assert rule.elsewhere is not None
    if not rule.elsewhere.search(article.text) or rule.context_entities & entity_keys:
        return False
    side = rule.side
    return side is None or not (side.ours.search(article.text) or side.theirs.search(article.text))


def score_topics(
    rules: list[TopicRule],
    title: str,
    lead: str,
    body: str,
    entity_keys: set[str],
    places: Mapping[str, str] | None = None,
) -> list[Topic]:
    """The topics whose weighted evidence reaches their threshold, best first. ``places``:
    the forms the item's linked places were named by, each with its knowledge-base key (which
    side held a place: the rules' ``occupied``)."""
    article = _Article(title, lead, body)
    if places and rules and rules[0].occupied:
        occupied = rules[0].occupied
        article.held = frozenset(f.casefold() for f, key in places.items() if key in occupied)
    prefilter = _prefilter(rules)
    article.possible, article.starts = prefilter.scan(article.text)
    article.prefixes = prefilter.prefixes
    if rules and article.words_after_title < rules[0].short_words:
        article.short = True
        article.lead_factor = rules[0].teaser_factor
    topics = []
    for rule in rules:
        possible = article.possible
        if possible is not None and possible.isdisjoint(prefilter.rule_cues[id(rule)]):
            continue
        score, evidence, own = 0.0, [], False
        for cue in rule.patterns:
            s, phrases, acted = _weighted_hits(cue, article, rule.side)
            score += s
            evidence += phrases
            own = own or (cue.context and bool(phrases)) or acted
        if not evidence or score < rule.threshold / 2:
            continue
        if rule.elsewhere is not None and _elsewhere(rule, article, entity_keys):
            continue
        # in a short item a cue of war vocabulary, or a sided cue whose actor is of its
        # side, is its own context, unless a negative cue speaks for another sense of it
        # (then the context must be found as usual)
        own = own and article.words_after_title < rule.short_words
        if rule.min_context and not own and not _in_context(rule, article, entity_keys):
            continue
        against = sum(_weighted_hits(cue, article, rule.side)[0] for cue in rule.negative)
        if rule.min_context and own and against and not _in_context(rule, article, entity_keys):
            continue
        score -= against
        score += sum(w for key, w in rule.entity_cues.items() if key in entity_keys)
        if score >= rule.threshold:
            unique = list(dict.fromkeys(e.strip() for e in evidence))
            topics.append(
                Topic(id=rule.id, label=rule.label, score=round(score, 2), evidence=unique)
            )
    return sorted(topics, key=lambda t: -t.score)
