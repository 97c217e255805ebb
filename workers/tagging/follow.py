"""Which records speak of an entity an analyst follows (`subscribe --entity`, replay).

An entity is asked for by any of its ids or names: the Wikidata id ("Q7747"),
lagebild's own id of a thing without one ("geonames:695586",
"lagebild:LOC:kursk", "name:PER:ilja ponomarenko", also as written before its
normalisation changed), the canonical name or any form it was mentioned by, all
compared case-insensitively. A curated entry's own id
from before it got a checked Wikidata id ("lagebild:PER:alexej-nawalny", now
"Q155979") keeps finding it: a subscription made with the old id does not go quiet. So does
a city's GeoNames id from before it got Natural Earth's Wikidata id ("geonames:2935517",
Dortmund, now "Q1295"): the KB build lists those in ``kb_former_ids.tsv``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from workers.records import EnrichedItem, Entity
from workers.settings import PACKAGE_DIR
from workers.tagging.unlinked import same_key

#: which curated own id each checked Wikidata id replaced (scripts/wikidata_ids.py)
CHECKED_IDS = PACKAGE_DIR / "tagging" / "data" / "kb_wikidata_ids.jsonl"
#: which GeoNames id each city's Wikidata id replaced (written by build_kb)
CITY_IDS = PACKAGE_DIR / "tagging" / "data" / "kb_former_ids.tsv"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=4)
def replaced_ids(path: Path = CHECKED_IDS, cities: Path | None = CITY_IDS) -> dict[str, str]:
    """Former own id ('lagebild:PER:...', 'geonames:N') -> the Wikidata id that replaced it;
    none without the files."""
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["curated"] != row["qid"]:  # a confirmed curated id replaced nothing
                    out[row["curated"]] = row["qid"]
    if cities is not None and cities.exists():
        for line in cities.read_text(encoding="utf-8").splitlines()[1:]:
            if line.strip():
                old, new = line.split("\t")[:2]
                out[old] = new
    return out


@lru_cache(maxsize=4)
def former_ids(path: Path = CHECKED_IDS, cities: Path | None = CITY_IDS) -> dict[str, str]:
    """``replaced_ids`` keyed case-insensitively, as a subscriber's id is compared."""
    return {_fold(old): new for old, new in replaced_ids(path, cities).items()}


def current_id(wanted: str, former: dict[str, str] | None = None) -> str:
    """The id an entity carries now for an id a subscriber may have used before."""
    return (former_ids() if former is None else former).get(_fold(wanted), wanted)


def entity_matches(entity: Entity, wanted: str, former: dict[str, str] | None = None) -> bool:
    needle = _fold(wanted)
    if not needle:
        return True
    needles = {needle, _fold(current_id(wanted, former)), _fold(same_key(wanted))}
    ids = {_fold(i) for i in (entity.id or "", entity.key) if i}
    names = {entity.name, *(m.text for m in entity.mentions)}
    if entity.link is not None:
        names.add(entity.link.alias)
    return bool(needles & ids) or needle in {_fold(n) for n in names}


def matches_entity(
    item: EnrichedItem, wanted: str | None, former: dict[str, str] | None = None
) -> bool:
    """Does the record name the wanted entity (by id, former id, key, name or mention)?
    No filter: yes."""
    if not wanted or not wanted.strip():
        return True
    return any(entity_matches(e, wanted, former) for e in item.entities)
