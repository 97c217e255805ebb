"""The stage functions chained over the bundled sample feed, without Kafka."""

from __future__ import annotations

from collections import Counter

from tests.conftest import assert_valid
from workers.pipeline import Pipeline
from workers.poller.feeds import SAMPLE_FEED, Publisher
from workers.poller.parse import parse_feed
from workers.records import Duplicate, EnrichedItem, Rejected, utcnow
from workers.settings import Settings

SCHEMA = {EnrichedItem: "enriched", Duplicate: "duplicate", Rejected: "rejected"}


async def run_sample() -> dict[str, EnrichedItem | Duplicate | Rejected]:
    publisher = Publisher(name="beispiel", feeds=(str(SAMPLE_FEED),))
    items = parse_feed(SAMPLE_FEED.read_bytes(), publisher, str(SAMPLE_FEED), utcnow(), "r").items
    async with Pipeline(Settings(), fetch=False) as pipeline:
        return {item.url: await pipeline.process_item(item) for item in items}


async def test_sample_feed_outcomes() -> None:
    outcomes = await run_sample()
    kinds = Counter(type(o).__name__ for o in outcomes.values())
    assert kinds == {"EnrichedItem": 17, "Duplicate": 2, "Rejected": 1}
    for outcome in outcomes.values():
        assert_valid(SCHEMA[type(outcome)], outcome.model_dump(mode="json"))

    english = next(o for o in outcomes.values() if isinstance(o, Rejected))
    assert english.stage == "clean" and english.reason == "language:en"
    assert "Pokrovsk" in english.original

    dups = {o.kind: o for o in outcomes.values() if isinstance(o, Duplicate)}
    assert set(dups) == {"text", "near"}
    assert "partnerzeitung" in (dups["text"].url or "")
    assert "agenturmeldungen" in (dups["near"].url or "")


async def test_enriched_records_carry_text_lang_and_topics() -> None:
    outcomes = await run_sample()
    html_only = outcomes[
        "https://www.beispiel-nachrichten.de/ausland/eu-sanktionspaket-russland-101.html"
    ]
    assert isinstance(html_only, EnrichedItem)
    assert "<" not in html_only.text and "\n\n" in html_only.text
    assert html_only.html is None
    assert html_only.text_source == "html"
    assert html_only.word_count == len(html_only.text.split()) > 100
    kursk = [
        o
        for o in outcomes.values()
        if isinstance(o, EnrichedItem) and any(t.id == "kursk" for t in o.topics)
    ]
    assert len(kursk) >= 3
    for item in kursk:
        for entity in item.entities:
            for m in entity.mentions:
                assert item.text[m.start : m.end] == m.text
