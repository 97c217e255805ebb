"""The entity knowledge base: a JSON-lines data file, matched with Aho-Corasick.

Each line: ``{"id": "Q7747" | null, "name": ..., "type": "PER|LOC|ORG|MISC",
"aliases": [...], "descriptors": [...]}``. Aliases are other names and spellings
(and irregular inflected forms); descriptors are phrases that stand for the
entity ("Kremlchef"). The genitive ``-s`` of every name and alias is added here.
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
                    )
                )
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path}:{number}: invalid entity line: {exc}") from exc
    return entities


def surface_forms(entity: KnownEntity) -> set[str]:
    forms = {entity.name, *entity.aliases}
    genitives = {f + "s" for f in forms if f[-1:].isalpha() and f[-1:] not in "sßxz"}
    return forms | genitives | set(entity.descriptors)


class Gazetteer:
    """Longest-match lookup of every surface form, on token boundaries."""

    def __init__(self, entities: list[KnownEntity]) -> None:
        self.automaton = ahocorasick.Automaton()
        for entity in entities:
            for form in surface_forms(entity):
                self.automaton.add_word(form, (form, entity))
        self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, KnownEntity]]:
        """(start, end, entity) of each match not inside a longer word."""
        if not text or len(self.automaton) == 0:
            return []
        found = []
        for last, (form, entity) in self.automaton.iter_long(text):
            start, end = last - len(form) + 1, last + 1
            before = text[start - 1] if start > 0 else " "
            after = text[end] if end < len(text) else " "
            if not before.isalnum() and not after.isalnum():
                found.append((start, end, entity))
        return found
