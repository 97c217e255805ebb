"""Names outside the knowledge base, counted over many records so the KB can grow.

Every such name already has a stable key of its own (``name:<TYPE>:<normalised
name>``); this counts in how many records each key occurs, with the spelling
seen most, so the most frequent unknown people, places and organisations can
be listed and curated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from workers.records import Entity

#: a company's legal form after its name: "Siemens AG" is Siemens
LEGAL_FORM = re.compile(
    r"\s+(?:AG|GmbH|SE|S\.E\.?|e\.\s?V\.|KG|KGaA|(?:GmbH |AG )?& Co\.?(?: KG)?|Inc\.?|"
    r"Ltd\.?|plc|S\.A\.|SA|N\.V\.|NV|Corp\.?|Co\.|LLC|Holding)$",
    re.IGNORECASE,
)


def without_legal_form(name: str) -> str:
    """The organisation's name without its legal form, when anything is left."""
    bare = LEGAL_FORM.sub("", name)
    return bare if bare else name


#: an adjective's case ending before the rest of a name: "der Münsterschen Zeitung" is the
#: "Münstersche Zeitung" (only endings no noun has before another word)
INFLECTED = re.compile(r"([a-zäöü](?:isch|sch|lich|ig|al|ell|iv|är))e[nrsm]$")


def unlinked_key(type_: str, name: str) -> str:
    """The stable id of a name outside the knowledge base: type and normalised name, the
    same for the spellings of one name ("Franz-Josef Jung" and "Franz Josef Jung", "Conradty
    AG" and "Conradty", "Münsterschen Zeitung" and "Münstersche Zeitung")."""
    if type_ == "PER":
        name = name.replace("-", " ")
    elif type_ == "ORG":
        name = without_legal_form(name)
    words = name.split()
    if type_ != "PER":
        words = [INFLECTED.sub(r"\1e", w) for w in words[:-1]] + words[-1:]
    return f"name:{type_}:{' '.join(words).casefold()}"


def same_key(key: str) -> str:
    """A subscriber's ``name:TYPE:...`` id as `unlinked_key` writes it today."""
    prefix, type_, name = [*key.split(":", 2), "", ""][:3]
    return unlinked_key(type_.upper(), name) if prefix.casefold() == "name" and name else key


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
