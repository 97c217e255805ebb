"""The tag stage: unique item in, enriched item out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from workers import __version__
from workers.records import EnrichedItem, Entity, EntityType, Mention, UniqueItem
from workers.settings import TaggingSettings
from workers.tagging.knowledge import Gazetteer, KnownEntity, load_entities
from workers.tagging.names import NameFinder, Span, load_cues, strip_genitive
from workers.tagging.taxonomy import load_taxonomy, score_topics


@dataclass
class _Found:
    """One entity of one text while it is being collected."""

    id: str | None
    name: str
    type: EntityType
    mentions: list[Mention]
    in_title: bool = False


class Tagger:
    """Knowledge base, name cues and taxonomy, loaded and validated once at start."""

    def __init__(self, settings: TaggingSettings) -> None:
        self.settings = settings
        self.gazetteer = Gazetteer(load_entities(settings.entities_file))
        self.names = NameFinder(load_cues(settings.cues_file)) if settings.unlinked else None
        self.rules = load_taxonomy(settings.topics_file)
        digest = hashlib.sha256()
        for path in (settings.entities_file, settings.topics_file, settings.cues_file):
            digest.update(path.read_bytes())
        digest.update(b"unlinked" if settings.unlinked else b"linked-only")
        #: changes whenever the code or the tagging data change (replay compares it)
        self.pipeline_version = f"{__version__}+{digest.hexdigest()[:8]}"

    @property
    def topic_ids(self) -> list[str]:
        return [rule.id for rule in self.rules]

    # -- entities --------------------------------------------------------------------------

    def _spans(self, text: str) -> tuple[list[tuple[int, int, KnownEntity]], list[Span]]:
        linked = self.gazetteer.find(text)
        unlinked: list[Span] = []
        if self.names is not None and text:
            unlinked = self.names.find(text, [(s, e, ent.type) for s, e, ent in linked])
        return linked, unlinked

    def entities(self, title: str, text: str) -> list[Entity]:
        lead_end = text.find("\n\n") if "\n\n" in text else len(text)
        found: dict[str, _Found] = {}

        def linked_key(entity: KnownEntity) -> str:
            key = entity.key
            if key not in found:
                found[key] = _Found(entity.id, entity.name, entity.type, [])
            return key

        def unlinked_keys(spans: list[Span]) -> list[str]:
            # a surname alone joins the full name it ends ("Kulazhanka" -> "Pavel Kulazhanka")
            surnames = {
                s.text.split()[-1]: s.text for s in spans if s.type == "PER" and " " in s.text
            }
            keys = []
            for span in spans:
                name = strip_genitive(span.text, surnames)
                name = surnames.get(name, name) if span.type == "PER" else name
                key = f"name:{span.type}:{name}"
                other = next((k for k in found if k.endswith(f":{name}s")), None)
                if other is not None and key not in found:
                    key = other  # met "Kulazhankas" first, now "Kulazhanka"
                if key not in found:
                    found[key] = _Found(None, name, span.type, [])
                elif len(name) < len(found[key].name):
                    found[key].name = name
                keys.append(key)
            return keys

        linked, unlinked = self._spans(text)
        for start, end, entity in linked:
            found[linked_key(entity)].mentions.append(
                Mention(text=text[start:end], start=start, end=end)
            )
        for key, span in zip(unlinked_keys(unlinked), unlinked, strict=True):
            found[key].mentions.append(Mention(text=span.text, start=span.start, end=span.end))
        title_linked, title_unlinked = self._spans(title)
        for _, _, entity in title_linked:
            found[linked_key(entity)].in_title = True
        for key in unlinked_keys(title_unlinked):
            found[key].in_title = True

        result = [
            Entity(
                id=f.id,
                name=f.name,
                type=f.type,
                mentions=sorted(f.mentions, key=lambda m: m.start),
                count=len(f.mentions),
                in_title=f.in_title,
                in_lead=any(m.start < lead_end for m in f.mentions),
            )
            for f in found.values()
        ]
        return sorted(result, key=lambda e: (not e.in_title, -e.count, e.name))

    # -- the stage -------------------------------------------------------------------------

    def tag(self, item: UniqueItem) -> EnrichedItem:
        entities = self.entities(item.title, item.text)
        lead, _, body = item.text.partition("\n\n")
        # an entity answers to its Wikidata id and to its name (taxonomy cues use either)
        keys = {e.id for e in entities if e.id} | {f"name:{e.name}" for e in entities}
        topics = score_topics(self.rules, item.title, lead, body, keys)
        return EnrichedItem(
            **item.model_dump(exclude={"schema_version"}),
            entities=entities,
            topics=topics,
            pipeline_version=self.pipeline_version,
        )
