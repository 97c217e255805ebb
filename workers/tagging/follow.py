"""Which records speak of an entity an analyst follows (`subscribe --entity`, replay).

An entity is asked for by any of its ids or names: the Wikidata id ("Q7747"),
lagebild's own id of a thing without one ("geonames:695586",
"lagebild:LOC:kursk", "name:PER:ilja ponomarenko"), the canonical name or any
form it was mentioned by, all compared case-insensitively.
"""

from __future__ import annotations

from workers.records import EnrichedItem, Entity


def entity_matches(entity: Entity, wanted: str) -> bool:
    needle = " ".join(wanted.split()).casefold()
    if not needle:
        return True
    ids = {entity.id or "", entity.key}
    names = {entity.name, *(m.text for m in entity.mentions)}
    if entity.link is not None:
        names.add(entity.link.alias)
    return needle in {i.casefold() for i in ids if i} or needle in {
        " ".join(n.split()).casefold() for n in names
    }


def matches_entity(item: EnrichedItem, wanted: str | None) -> bool:
    """Does the record name the wanted entity (by id, key, name or mention)? No filter: yes."""
    if not wanted or not wanted.strip():
        return True
    return any(entity_matches(e, wanted) for e in item.entities)
