"""The tag stage: unique item in, enriched item out."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from workers import __version__
from workers.records import EnrichedItem, Entity, Mention, UniqueItem
from workers.settings import TaggingSettings
from workers.tagging.knowledge import Gazetteer, KnownEntity, load_entities
from workers.tagging.taxonomy import load_taxonomy, score_topics


class Tagger:
    """Knowledge base and taxonomy, loaded and validated once at start."""

    def __init__(self, settings: TaggingSettings) -> None:
        self.gazetteer = Gazetteer(load_entities(settings.entities_file))
        self.rules = load_taxonomy(settings.topics_file)
        digest = hashlib.sha256()
        for path in (settings.entities_file, settings.topics_file):
            digest.update(path.read_bytes())
        #: changes whenever the code or the tagging data change (replay compares it)
        self.pipeline_version = f"{__version__}+{digest.hexdigest()[:8]}"

    @property
    def topic_ids(self) -> list[str]:
        return [rule.id for rule in self.rules]

    def entities(self, title: str, text: str) -> list[Entity]:
        lead_end = text.find("\n\n") if "\n\n" in text else len(text)
        mentions: dict[str, list[Mention]] = defaultdict(list)
        known: dict[str, KnownEntity] = {}
        for start, end, entity in self.gazetteer.find(text):
            known[entity.key] = entity
            mentions[entity.key].append(Mention(text=text[start:end], start=start, end=end))
        in_title = set()
        for _, _, entity in self.gazetteer.find(title):
            known[entity.key] = entity
            in_title.add(entity.key)
        result = [
            Entity(
                id=entity.id,
                name=entity.name,
                type=entity.type,
                mentions=mentions[key],
                count=len(mentions[key]),
                in_title=key in in_title,
                in_lead=any(m.start < lead_end for m in mentions[key]),
            )
            for key, entity in known.items()
        ]
        return sorted(result, key=lambda e: (not e.in_title, -e.count, e.name))

    def tag(self, item: UniqueItem) -> EnrichedItem:
        entities = self.entities(item.title, item.text)
        lead, _, body = item.text.partition("\n\n")
        keys = {e.id or f"name:{e.name}" for e in entities}
        topics = score_topics(self.rules, item.title, lead, body, keys)
        return EnrichedItem(
            **item.model_dump(exclude={"schema_version"}),
            entities=entities,
            topics=topics,
            pipeline_version=self.pipeline_version,
        )
