"""Names outside the knowledge base, counted over many records so the KB can grow.

Every such name already has a stable key of its own (``name:<TYPE>:<normalised
name>``); this counts in how many records each key occurs, with the spelling
seen most, so the most frequent unknown people, places and organisations can
be listed and curated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from workers.records import Entity


@dataclass(frozen=True)
class UnlinkedName:
    key: str
    name: str
    type: str
    records: int


def count_unlinked(records: Iterable[list[Entity]]) -> list[UnlinkedName]:
    """The unlinked names of the records, most frequent first (ties by key)."""
    per_key: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    types: dict[str, str] = {}
    for entities in records:
        for entity in entities:
            if entity.link is not None or entity.id is not None:
                continue
            key = entity.key or f"name:{entity.type}:{entity.name.casefold()}"
            per_key[key] += 1
            spellings.setdefault(key, Counter())[entity.name] += 1
            types[key] = entity.type
    return [
        UnlinkedName(key, spellings[key].most_common(1)[0][0], types[key], n)
        for key, n in sorted(per_key.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
