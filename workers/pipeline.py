"""The stages chained in one process, without Kafka.

``lagebild enrich``, replay and the benchmarks run items through exactly the
functions the faust agents call, in the same order.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from workers.clean.stage import clean
from workers.dedup.stage import DedupIndex, dedup
from workers.records import Duplicate, EnrichedItem, RawItem, Rejected, utcnow
from workers.settings import Settings
from workers.stage import Rejection, decode, peek_id, rejected, run_stage
from workers.tagging.stage import Tagger

Outcome = EnrichedItem | Duplicate | Rejected


class Pipeline:
    def __init__(self, settings: Settings, store: MutableMapping[str, Any] | None = None) -> None:
        self.settings = settings
        self.tagger = Tagger(settings.tagging)
        self.index = DedupIndex({} if store is None else store, settings.dedup)

    def process_payload(self, payload: bytes) -> Outcome:
        raw = decode("decode", payload, RawItem)
        if isinstance(raw, Rejection):
            return rejected(raw, payload, *peek_id(payload))
        return self.process(raw, payload)

    def process(self, raw: RawItem, original: bytes | str | None = None) -> Outcome:
        original = raw.model_dump_json() if original is None else original
        cleaned = run_stage("clean", clean, raw, self.settings.clean)
        if isinstance(cleaned, Rejection):
            return rejected(cleaned, original, raw.id, raw.version)
        unique = run_stage("dedup", dedup, cleaned, self.index, utcnow())
        if isinstance(unique, Rejection):
            return rejected(unique, original, raw.id, raw.version)
        if isinstance(unique, Duplicate):
            return unique
        enriched = run_stage("tag", self.tagger.tag, unique)
        if isinstance(enriched, Rejection):
            return rejected(enriched, original, raw.id, raw.version)
        return enriched
