"""The worker's agents without a broker: faust's test_context, a dict for the dedup table,
a collecting sender in place of the producer."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError

from workers import topics as t
from workers.app import create_app
from workers.pipeline import CHAIN, Emit
from workers.records import CleanItem, Lang, RawItem, UniqueItem
from workers.settings import Settings

TEXT = (
    "Die ukrainische Armee hat nach eigenen Angaben mehrere Dörfer im Gebiet Charkiw "
    "zurückerobert. Die Gegenoffensive komme voran, sagte ein Sprecher in Kyjiw am Montag. "
    "Russische Truppen hätten sich aus mehreren Ortschaften zurückgezogen."
)


def clean_item(item_id: str, url: str) -> CleanItem:
    return CleanItem(
        id=item_id,
        url=url,
        title="Gegenoffensive bei Charkiw",
        text=TEXT,
        fetched_at=datetime(2030, 1, 1, tzinfo=UTC),
        run_id="test",
        lang=Lang(code="de", confidence=1.0),
    )


def loaded(app: Any) -> Any:
    """The app once its models are built (a worker builds them while it joins its group):
    the tests time the agents, not the loading."""
    app.context.models.result()
    return app


async def settled(sent: list[Emit], n: int, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while len(sent) < n and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)


@pytest.fixture
def app_and_sent() -> tuple[object, list[Emit]]:
    sent: list[Emit] = []

    async def sender(emit: Emit) -> None:
        sent.append(emit)

    settings = Settings(kafka={"bootstrap_servers": "127.0.0.1:9"})
    return loaded(create_app(settings, sender, store={})), sent


def test_one_agent_per_stage_and_a_background_one(app_and_sent) -> None:
    app, _ = app_and_sent
    names = set(app.agents)
    assert {f"lagebild.{s.name}" for s in CHAIN} <= names
    assert "lagebild.clean.background" in names


async def put(agent_test, topic: str, emit: Emit, timestamp: float | None = None) -> None:
    """``agent_test.put`` with the record's own topic (an agent may read several)."""
    message = agent_test.to_message(emit.key.encode(), emit.payload(), timestamp=timestamp)
    message.topic = topic
    channel = agent_test.stream().channel
    await channel.put(await channel.decode(message))
    async with agent_test.new_value_processed:
        await agent_test.new_value_processed.wait()


async def through(app, sent: list[Emit], item: CleanItem, timestamp: float | None = None) -> None:
    """An item into the dedup agent and what it causes, hop by hop between the two dedup
    agents (the test channels do not route), until the item's verdict is out. Every hop
    carries the item's timestamp, as the worker's producer does."""
    dedup_test, index_test = (
        app.agents[f"lagebild.{name}"].test_context() for name in ("dedup", "dedup-index")
    )
    async with dedup_test, index_test:
        await put(dedup_test, t.CLEAN, Emit(t.CLEAN, item.id, item), timestamp)
        deadline = asyncio.get_running_loop().time() + 10
        terminal = (t.UNIQUE, t.DUPLICATES, t.REJECTED)
        while not any(e.topic in terminal and e.key == item.id for e in sent):
            assert asyncio.get_running_loop().time() < deadline
            internal = [e for e in sent if e.topic in (t.DEDUP_PROBES, t.DEDUP_SIGNALS)]
            if not internal:
                await asyncio.sleep(0.02)  # the agent sends after its batch
            for emit in internal:
                sent.remove(emit)
                probe = emit.topic == t.DEDUP_PROBES
                assert emit.key == (str(emit.value.bucket) if probe else emit.value.id)
                await put(index_test if probe else dedup_test, emit.topic, emit, timestamp)


async def test_dedup_agents_route_probes_and_answers_to_a_verdict(app_and_sent) -> None:
    app, sent = app_and_sent
    await through(app, sent, clean_item("a", "https://a.example/1"))
    await through(app, sent, clean_item("b", "https://b.example/2"))
    async with app.agents["lagebild.dedup"].test_context() as dedup_test:
        await dedup_test.put(b"{broken", key=b"c")
        await settled(sent, 4)
    sent = [e for e in sent if e.topic != t.DEDUP_SIGNALS]  # b tells a it is its copy
    assert [e.topic for e in sent] == [t.UNIQUE, t.DUPLICATES, t.REJECTED]
    assert isinstance(sent[0].value, UniqueItem)
    assert sent[1].value.duplicate_of == "a" and sent[1].value.kind == "text"
    assert sent[2].value.stage == "dedup" and sent[2].value.reason == "invalid_json"
    metrics = app.lagebild_metrics  # what /metrics serves
    assert metrics.value("lagebild_duplicates_total", kind="text") == 1
    assert metrics.value("lagebild_records_total", stage="dedup", outcome=t.UNIQUE) == 1
    assert metrics.value("lagebild_rejections_total", stage="dedup", reason="invalid_json") == 1
    assert metrics.value("lagebild_records_total", stage="dedup-index", outcome=t.DEDUP_SIGNALS) > 0


async def test_clean_agent_sends_a_teaser_to_the_fetch_stage(app_and_sent) -> None:
    app, sent = app_and_sent
    teaser = RawItem(
        id="t",
        url="https://a.example/artikel",
        title="Hallenbad",
        summary="Kurz.",
        fetched_at=datetime(2030, 1, 1, tzinfo=UTC),
        run_id="test",
    )
    async with app.agents["lagebild.clean"].test_context() as agent_test:
        await agent_test.put(teaser.to_json(), key=b"t")
        await agent_test.put(None, key=b"x")  # a tombstone on news.raw
        await settled(sent, 2)  # the clean stage runs in a thread
    assert [e.topic for e in sent] == [t.FETCH, t.REJECTED]
    assert sent[0].value == teaser
    assert sent[1].value.reason == "invalid_json"


async def test_an_unsendable_result_is_rejected_and_an_outage_waited_out() -> None:
    sent: list[Emit] = []
    failures = {"outage": 2}

    async def sender(emit: Emit) -> None:
        if emit.topic == t.UNIQUE and emit.key == "big":
            raise MessageSizeTooLargeError("the broker said no")
        if emit.key == "late" and failures["outage"]:
            failures["outage"] -= 1
            raise KafkaConnectionError("broker away")
        sent.append(emit)

    settings = Settings(kafka={"bootstrap_servers": "127.0.0.1:9"})
    app = loaded(create_app(settings, sender, store={}))
    await through(app, sent, clean_item("big", "https://a.example/1"))
    late = clean_item("late", "https://b.example/2").model_copy(update={"text": "Anders."})
    await through(app, sent, late)
    sent = [e for e in sent if e.topic not in (t.DEDUP_PROBES, t.DEDUP_SIGNALS)]
    assert [(e.topic, e.key) for e in sent] == [(t.REJECTED, "big"), (t.UNIQUE, "late")]
    rejection = sent[0].value
    assert rejection.stage == "dedup" and rejection.reason == "unsendable"
    assert rejection.id == "big" and rejection.original_bytes > 0
    assert failures["outage"] == 0
    metrics = app.lagebild_metrics
    assert metrics.value("lagebild_unsendable_total", stage="dedup", topic=t.UNIQUE) == 1
    assert metrics.value("lagebild_rejections_total", stage="dedup", reason="unsendable") == 1


async def test_a_record_processed_again_after_its_state_was_lost_is_byte_identical() -> None:
    """A worker killed after producing, before its dedup verdict reached the changelog:
    the next worker decides again, and stamps the record's own time, not its clock."""
    payloads = []
    for _ in range(2):
        sent: list[Emit] = []

        async def sender(emit: Emit, sent: list[Emit] = sent) -> None:
            sent.append(emit)

        app = loaded(create_app(Settings(kafka={"bootstrap_servers": "127.0.0.1:9"}), sender, {}))
        await through(app, sent, clean_item("a", "https://a.example/1"), 1_700_000_000.0)
        payloads.append(next(e.payload() for e in sent if e.topic == t.UNIQUE))
        await asyncio.sleep(0.01)
    assert payloads[0] == payloads[1]
    assert b'"processed_at":"2023-11-14T22:13:20Z"' in payloads[0]
