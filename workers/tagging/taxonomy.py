"""Topics from a taxonomy data file, scored by weighted evidence.

A single keyword in passing does not tag a story: each pattern counts with its
weight, more in the title and lead, less for repeats, minus negative cues, and
the sum must reach the topic's threshold.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from workers.records import Topic

TITLE_FACTOR = 2.0
LEAD_FACTOR = 1.5
REPEAT_FACTOR = 0.5
MAX_REPEATS = 3


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class TopicRule:
    id: str
    label: str
    definition: str
    threshold: float
    patterns: tuple[Cue, ...]
    negative: tuple[Cue, ...]
    entity_cues: dict[str, float]


def load_taxonomy(path: Path) -> list[TopicRule]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)

    def cues(items: list[dict]) -> tuple[Cue, ...]:
        return tuple(Cue(re.compile(c["regex"], re.IGNORECASE), float(c["weight"])) for c in items)

    return [
        TopicRule(
            id=t["id"],
            label=t["label"],
            definition=t.get("definition", ""),
            threshold=float(t.get("threshold", 2.0)),
            patterns=cues(t.get("patterns", [])),
            negative=cues(t.get("negative", [])),
            entity_cues={c["id"]: float(c["weight"]) for c in t.get("entity_cues", [])},
        )
        for t in data["topic"]
    ]


def _weighted_hits(cue: Cue, title: str, lead: str, body: str) -> tuple[float, list[str]]:
    hits: list[tuple[float, str]] = []
    for factor, part in ((TITLE_FACTOR, title), (LEAD_FACTOR, lead), (1.0, body)):
        hits += [(factor, m.group(0)) for m in cue.pattern.finditer(part)]
    hits.sort(key=lambda h: -h[0])
    score = sum(
        cue.weight * factor * (1.0 if i == 0 else REPEAT_FACTOR)
        for i, (factor, _) in enumerate(hits[:MAX_REPEATS])
    )
    return score, [phrase for _, phrase in hits]


def score_topics(
    rules: list[TopicRule], title: str, lead: str, body: str, entity_keys: set[str]
) -> list[Topic]:
    topics = []
    for rule in rules:
        score, evidence = 0.0, []
        for cue in rule.patterns:
            s, phrases = _weighted_hits(cue, title, lead, body)
            score += s
            evidence += phrases
        if not evidence:
            continue
        for cue in rule.negative:
            score -= _weighted_hits(cue, title, lead, body)[0]
        score += sum(w for key, w in rule.entity_cues.items() if key in entity_keys)
        if score >= rule.threshold:
            unique = list(dict.fromkeys(evidence))
            topics.append(Topic(id=rule.id, label=rule.label, score=round(score, 2),
                                evidence=unique))
    return sorted(topics, key=lambda t: -t.score)
