"""The entity knowledge base: a JSON-lines data file, matched with Aho-Corasick.

Each line: ``{"id": "Q7747" | null, "name": ..., "type": "PER|LOC|ORG|MISC",
"aliases": [...], "descriptors": [...], "quoted": [...], "priority": 0}``.

- ``aliases``: other names, transliterations and irregular inflected forms;
- ``descriptors``: phrases that stand for the entity ("Kremlchef");
- ``quoted``: forms that are also common words ("Bild", "Spiegel"): they match
  only inside quotation marks (»die „Bild“ berichtet«);
- ``priority``: the rule that decides when two entries claim the same form:
  the higher one wins; a form claimed by two entries of equal priority is an
  error in the data file.

The genitive ``-s`` of every name, alias and descriptor is added here
(Putins, Kiews, Selenskyjs). Matching is case-sensitive, on token boundaries,
longest match first ("Washington Post" is an organisation, not a place).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from workers.records import EntityType


@dataclass(frozen=True)
class KnownEntity:
    id: str | None
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = field(default=())
    quoted: tuple[str, ...] = ()
    priority: int = 0

    @property
    def key(self) -> str:
        """Identity inside lagebild: the Wikidata id, else the canonical name."""
        return self.id or f"name:{self.name}"


def load_entities(path: Path) -> list[KnownEntity]:
    entities = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                raw = json.loads(line)
                entities.append(
                    KnownEntity(
                        id=raw.get("id"),
                        name=raw["name"],
                        type=raw["type"],
                        aliases=tuple(raw.get("aliases", ())),
                        descriptors=tuple(raw.get("descriptors", ())),
                        quoted=tuple(raw.get("quoted", ())),
                        priority=int(raw.get("priority", 0)),
                    )
                )
                if entities[-1].type not in TYPES:
                    raise ValueError(f"unknown type {entities[-1].type!r}")
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: invalid entity line: {exc}") from exc
    problems = validate(entities)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems[:10]))
    return entities


TYPES = ("PER", "LOC", "ORG", "MISC")
OPENING_QUOTES = '„“"«»‚‘›‹'
CLOSING_QUOTES = '“”"»«‘’‹›'


def _genitives(forms: set[str]) -> set[str]:
    return {f + "s" for f in forms if f[-1:].isalpha() and f[-1:] not in "sßxz"}


def surface_forms(entity: KnownEntity) -> set[str]:
    """Every form matched anywhere (the quoted-only forms are not among them)."""
    forms = {entity.name, *entity.aliases, *entity.descriptors} - set(entity.quoted)
    return forms | _genitives(forms)


def validate(entities: list[KnownEntity]) -> list[str]:
    """Problems of a knowledge base: duplicate ids, forms claimed without a rule to choose."""
    problems = []
    seen_ids: dict[str, str] = {}
    for entity in entities:
        if entity.id is not None:
            if not (entity.id.startswith("Q") and entity.id[1:].isdigit()):
                problems.append(f"{entity.name}: {entity.id!r} is not a Wikidata id")
            if entity.id in seen_ids:
                problems.append(f"id {entity.id} used by {seen_ids[entity.id]} and {entity.name}")
            seen_ids[entity.id] = entity.name
    claims: dict[str, list[KnownEntity]] = {}
    for entity in entities:
        for form in surface_forms(entity) | set(entity.quoted):
            claims.setdefault(form, []).append(entity)
    for form, claimants in claims.items():
        if len(claimants) < 2:
            continue
        top = max(c.priority for c in claimants)
        winners = [c.name for c in claimants if c.priority == top]
        if len(winners) > 1:
            problems.append(f"{form!r} claimed by {', '.join(winners)} with equal priority")
    return problems


class Gazetteer:
    """Longest-match lookup of every surface form, on token boundaries."""

    def __init__(self, entities: list[KnownEntity]) -> None:
        self.automaton = ahocorasick.Automaton()
        chosen: dict[str, tuple[str, KnownEntity, bool]] = {}
        for entity in entities:
            forms = [(f, False) for f in surface_forms(entity)]
            forms += [(f, True) for f in entity.quoted]
            for form, quoted in forms:
                held = chosen.get(form)
                if held is None or entity.priority > held[1].priority:
                    chosen[form] = (form, entity, quoted)
        for form, value in chosen.items():
            self.automaton.add_word(form, value)
        self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, KnownEntity]]:
        """(start, end, entity) of each match not inside a longer word."""
        if not text or len(self.automaton) == 0:
            return []
        found = []
        for last, (form, entity, quoted) in self.automaton.iter_long(text):
            start, end = last - len(form) + 1, last + 1
            before = text[start - 1] if start > 0 else " "
            after = text[end] if end < len(text) else " "
            if before.isalnum() or after.isalnum():
                continue
            if quoted and not (before in OPENING_QUOTES and after in CLOSING_QUOTES):
                continue
            found.append((start, end, entity))
        return found
