"""Riding out a broker outage on a fake clock: retries with backoff, then a clear stop."""

from __future__ import annotations

import pytest
from aiokafka.errors import KafkaTimeoutError

from workers.outage import BrokerUnavailable, Outage


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def flaky(failures: int, time: FakeTime, cost: float = 0.0):
    calls = {"n": 0}

    async def operation() -> str:
        calls["n"] += 1
        time.now += cost  # a request that times out takes its time
        if calls["n"] <= failures:
            raise KafkaTimeoutError("broker away")
        return "ok"

    return operation, calls


async def test_an_outage_shorter_than_the_limit_is_ridden_out() -> None:
    time = FakeTime()
    outage = Outage(limit=90, first_wait=0.5, max_wait=8, clock=time.clock, sleep=time.sleep)
    operation, calls = flaky(6, time)
    assert await outage.run(operation, "sending") == "ok"
    assert calls["n"] == 7
    assert time.sleeps == [0.5, 1, 2, 4, 8, 8]  # exponential, capped
    assert outage.outages == 1 and outage.longest == pytest.approx(23.5)


async def test_a_longer_outage_stops_with_broker_unavailable() -> None:
    time = FakeTime()
    outage = Outage(limit=90, clock=time.clock, sleep=time.sleep)
    operation, calls = flaky(1000, time, cost=40.0)  # each attempt waits out a 40 s timeout
    with pytest.raises(BrokerUnavailable, match="limit 90s"):
        await outage.run(operation, "sending")
    assert calls["n"] == 3  # 40 s, 80 s (still within 90), 120 s: given up
    assert time.now > 90


async def test_other_errors_are_not_retried() -> None:
    outage = Outage(limit=90)

    async def bug() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        await outage.run(bug, "sending")


async def test_a_record_the_broker_will_never_take_is_not_retried() -> None:
    from aiokafka.errors import MessageSizeTooLargeError

    time = FakeTime()
    outage = Outage(limit=90, clock=time.clock, sleep=time.sleep)

    async def too_large() -> None:
        raise MessageSizeTooLargeError()

    with pytest.raises(MessageSizeTooLargeError):
        await outage.run(too_large, "sending")
    assert time.sleeps == []
