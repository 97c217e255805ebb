"""Each feed on its own clock: the pure rules for when a feed is polled next.

After a poll the feed's record (``feed:<url>`` in news.poller-state) gets its next
due time. The interval adapts to how often the feed changes: shorter after new
items, longer after none, within ``[min_interval, max_interval]`` and never below
what the publisher asks for (``ttl``, ``sy:updatePeriod``, ``Cache-Control``,
``Expires``). A failing feed waits ``backoff_base × 2^(failures-1)`` (at most
``max_backoff``), at least its Retry-After. Every wait gets ± ``jitter`` so feeds
that started together drift apart. The record also counts what the health view
shows (fetches, unchanged, errors, items). Time and randomness are arguments, so
tests run the rules on a fake clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from workers.records import PollerState
from workers.settings import PollerSettings

Result = Literal["new", "unchanged", "failed"]


@dataclass(frozen=True)
class PollOutcome:
    """What one poll of a feed found."""

    result: Result
    items: int = 0  # published by this poll
    hint_seconds: float | None = None  # the publisher's own idea of freshness
    retry_after: float | None = None  # a failure's Retry-After
    reason: str | None = None  # a failure's reason code


def jittered(seconds: float, jitter: float, rng: random.Random) -> float:
    return seconds * (1.0 + rng.uniform(-jitter, jitter))


def adapted_interval(
    previous: float | None, outcome: PollOutcome, settings: PollerSettings
) -> float:
    """The healthy interval after this poll (a failure leaves it as it was)."""
    interval = previous or settings.interval
    if outcome.result == "new":
        interval *= settings.speedup
    elif outcome.result == "unchanged":
        interval *= settings.slowdown
    if outcome.hint_seconds:
        interval = max(interval, outcome.hint_seconds)
    return min(settings.max_interval, max(settings.min_interval, interval))


def backoff(failures: int, retry_after: float | None, settings: PollerSettings) -> float:
    """How long a feed that failed ``failures`` times in a row waits (before jitter)."""
    wait = min(settings.max_backoff, settings.backoff_base * 2 ** max(0, failures - 1))
    return max(wait, retry_after or 0.0)


def after_poll(
    previous: PollerState | None,
    key: str,
    outcome: PollOutcome,
    now: datetime,
    settings: PollerSettings,
    rng: random.Random,
) -> PollerState:
    """The feed's record after a poll: schedule and counters (validators are the caller's)."""
    base = previous or PollerState(key=key, updated_at=now)
    interval = adapted_interval(base.interval, outcome, settings)
    failed = outcome.result == "failed"
    failures = base.failures + 1 if failed else 0
    wait = backoff(failures, outcome.retry_after, settings) if failed else interval
    if failed and outcome.retry_after and outcome.retry_after >= wait:
        delay = wait  # the server named the time: no jitter below it
    else:
        delay = jittered(wait, settings.jitter, rng)
    return base.model_copy(
        update={
            "interval": (base.interval or settings.interval) if failed else interval,
            "next_due": now + timedelta(seconds=delay),
            "failures": failures,
            "last_attempt": now,
            "last_success": base.last_success if failed else now,
            "last_error": outcome.reason if failed else base.last_error,
            "fetches": base.fetches + 1,
            "not_modified": base.not_modified + (outcome.result == "unchanged"),
            "errors": base.errors + failed,
            "items": base.items + outcome.items,
            "updated_at": now,
        }
    )


def starts_failure_streak(previous: PollerState | None, outcome: PollOutcome) -> bool:
    """A failing feed is reported (rejected) once per streak of failures, not every poll."""
    return outcome.result == "failed" and (previous is None or previous.failures == 0)


def is_due(state: PollerState | None, now: datetime) -> bool:
    return state is None or state.next_due is None or state.next_due <= now
