"""Readiness: every condition must hold, and the broker check goes stale."""

from __future__ import annotations

import asyncio

from workers.broker import free_port
from workers.web import BrokerWatch, Readiness, any_broker_answers, bootstrap_hosts


def test_ready_needs_assignment_consumption_and_the_broker() -> None:
    assert Readiness(True, True, True).ready
    assert not Readiness(False, True, True).ready
    assert not Readiness(True, False, True).ready
    assert not Readiness(True, True, False).ready
    assert not Readiness(True, True, True, models_loaded=False).ready


def test_the_broker_check_goes_stale() -> None:
    watch = BrokerWatch()
    assert not watch.reachable(10, now=100.0)  # never answered
    watch.last_ok = 95.0
    assert watch.reachable(10, now=100.0)
    assert not watch.reachable(10, now=106.0)


def test_bootstrap_hosts() -> None:
    assert bootstrap_hosts("kafka1:9092, [::1]:9093,bad") == [("kafka1", 9092), ("::1", 9093)]
    assert bootstrap_hosts(None) == []


def test_a_closed_port_is_no_broker() -> None:
    assert not asyncio.run(any_broker_answers(f"127.0.0.1:{free_port()}", 1.0))
