"""Topics from a taxonomy data file, scored by weighted evidence.

A single keyword in passing does not tag a story: each pattern counts with its
weight, more in the title and lead, less for repeats, minus negative cues, plus
entity cues, and the sum must reach the topic's threshold. Topics that need the
war as their setting (``context``) are not tagged at all in an article with
fewer than ``min_context`` distinct context words: a "Gegenoffensive" in a
football report stays a football report.
"""

from __future__ import annotations

import re
import tomllib
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


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float


def anchors(regex: str) -> set[str] | None:
    """Literal prefixes (3+ characters, lowercase) one of which every match starts with,
    or None when the pattern has none: a cue is only run where one of them occurs."""
    try:
        from re import _parser as parser  # the stdlib's own regex parser
    except ImportError:  # pragma: no cover - other Pythons
        return None

    def first(items: list) -> set[str] | None:
        prefix = ""
        for op, av in items:
            name = str(op)
            if name == "AT" and not prefix:
                continue  # a word boundary before the first letter
            if name == "LITERAL":
                prefix += chr(av)
                continue
            sub: set[str] | None = None
            if name == "SUBPATTERN":
                sub = first(list(av[-1]))
            elif name == "BRANCH":
                sub = set()
                for branch in av[1]:
                    found = first(list(branch))
                    if found is None:
                        sub = None
                        break
                    sub |= found
            if sub is not None:
                return {prefix.lower() + s for s in sub}
            break
        return {prefix.lower()} if len(prefix) >= 3 else None

    try:
        return first(list(parser.parse(regex, re.IGNORECASE)))
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


def topic_ids(path: Path) -> list[str]:
    """The taxonomy's topic ids: each has its news.enriched.<id> topic."""
    return [rule.id for rule in load_taxonomy(path)]


def load_taxonomy(path: Path) -> list[TopicRule]:
    """Read and validate the taxonomy; errors name the topic and the field."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)

    def cues(topic: str, items: list[dict]) -> tuple[Cue, ...]:
        try:
            return tuple(
                Cue(re.compile(c["regex"], re.IGNORECASE), float(c["weight"])) for c in items
            )
        except (re.error, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: topic {topic}: invalid cue: {exc}") from exc

    rules = []
    for t in data["topic"]:
        topic_id = t.get("id", "")
        if not TOPIC_ID.match(topic_id):
            raise ValueError(f"{path}: topic id {topic_id!r}: lowercase ascii, no dots or spaces")
        if not t.get("patterns"):
            raise ValueError(f"{path}: topic {topic_id}: no patterns")
        context = tuple(re.compile(c, re.IGNORECASE) for c in t.get("context", []))
        rules.append(
            TopicRule(
                id=topic_id,
                label=t["label"],
                definition=t.get("definition", ""),
                threshold=float(t.get("threshold", 2.5)),
                patterns=cues(topic_id, t["patterns"]),
                negative=cues(topic_id, t.get("negative", [])),
                entity_cues={c["id"]: float(c["weight"]) for c in t.get("entity_cues", [])},
                context=context,
                min_context=int(t.get("min_context", 1 if context else 0)),
            )
        )
    if len({r.id for r in rules}) != len(rules):
        raise ValueError(f"{path}: duplicate topic ids")
    return rules


class _Article:
    """The title, lead and body as one string, with the factor of each position."""

    def __init__(self, title: str, lead: str, body: str) -> None:
        self.text = f"{title}\n\n{lead}\n\n{body}"
        self.possible: set[int] | None = None
        self.lead_start = len(title) + 2
        self.body_start = self.lead_start + len(lead) + 2

    def factor(self, offset: int) -> float:
        if offset < self.lead_start:
            return TITLE_FACTOR
        return LEAD_FACTOR if offset < self.body_start else BODY_FACTOR


class Prefilter:
    """One Aho-Corasick pass over the lowercased article tells which cues can match."""

    def __init__(self, rules: list[TopicRule]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.always: set[int] = set()
        by_anchor: dict[str, set[int]] = {}
        for rule in rules:
            for cue in (*rule.patterns, *rule.negative):
                found = anchors(cue.pattern.pattern)
                if found is None:
                    self.always.add(id(cue))
                for anchor in found or ():
                    by_anchor.setdefault(anchor, set()).add(id(cue))
        for anchor, cues in by_anchor.items():
            self.automaton.add_word(anchor, frozenset(cues))
        self.empty = not by_anchor
        if not self.empty:
            self.automaton.make_automaton()

    def possible(self, text: str) -> set[int]:
        out = set(self.always)
        if not self.empty:
            for _, cues in self.automaton.iter(text.lower()):
                out |= cues
        return out


_PREFILTERS: dict[int, tuple[list[TopicRule], Prefilter]] = {}


def _prefilter(rules: list[TopicRule]) -> Prefilter:
    held = _PREFILTERS.get(id(rules))
    if held is None or held[0] is not rules:
        held = (rules, Prefilter(rules))
        _PREFILTERS[id(rules)] = held
    return held[1]


def _weighted_hits(cue: Cue, article: _Article) -> tuple[float, list[str]]:
    if article.possible is not None and id(cue) not in article.possible:
        return 0.0, []
    hits = [(article.factor(m.start()), m.group(0)) for m in cue.pattern.finditer(article.text)]
    hits.sort(key=lambda h: -h[0])
    score = sum(
        cue.weight * factor * (1.0 if i == 0 else REPEAT_FACTOR)
        for i, (factor, _) in enumerate(hits[:MAX_REPEATS])
    )
    return score, [phrase for _, phrase in hits]


def _context_words(rule: TopicRule, article: _Article) -> int:
    words: set[str] = set()
    for pattern in rule.context:
        words.update(m.group(0).lower() for m in pattern.finditer(article.text))
        if len(words) >= rule.min_context:
            break
    return len(words)


def score_topics(
    rules: list[TopicRule], title: str, lead: str, body: str, entity_keys: set[str]
) -> list[Topic]:
    """The topics whose weighted evidence reaches their threshold, best first."""
    article = _Article(title, lead, body)
    article.possible = _prefilter(rules).possible(article.text)
    topics = []
    for rule in rules:
        score, evidence = 0.0, []
        for cue in rule.patterns:
            s, phrases = _weighted_hits(cue, article)
            score += s
            evidence += phrases
        if not evidence or score < rule.threshold / 2:
            continue
        if rule.min_context and _context_words(rule, article) < rule.min_context:
            continue
        for cue in rule.negative:
            score -= _weighted_hits(cue, article)[0]
        score += sum(w for key, w in rule.entity_cues.items() if key in entity_keys)
        if score >= rule.threshold:
            unique = list(dict.fromkeys(e.strip() for e in evidence))
            topics.append(
                Topic(id=rule.id, label=rule.label, score=round(score, 2), evidence=unique)
            )
    return sorted(topics, key=lambda t: -t.score)
