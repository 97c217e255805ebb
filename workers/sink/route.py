"""Where an enriched record goes besides news.enriched."""

from __future__ import annotations

from workers.records import EnrichedItem


def destinations(item: EnrichedItem, known_topics: set[str]) -> list[str]:
    """The topic ids whose news.enriched.<topic> the item goes to.

    Only topics of the taxonomy have a provisioned topic; anything else is a bug
    upstream and is not routed (it stays on news.enriched).
    """
    return [t.id for t in item.topics if t.id in known_topics]
