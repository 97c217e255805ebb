"""The schedule rules on a fake clock: adaptive intervals, backoff, jitter, streaks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from workers.poller.schedule import (
    PollOutcome,
    after_poll,
    backoff,
    is_due,
    starts_failure_streak,
)
from workers.settings import PollerSettings

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
SETTINGS = PollerSettings(
    interval=300, min_interval=60, max_interval=3600, jitter=0.0, backoff_base=60, max_backoff=3600
)
NEW = PollOutcome("new", items=3)
SAME = PollOutcome("unchanged")


def run(outcomes: list[PollOutcome], settings: PollerSettings = SETTINGS, seed: int = 1):
    """Poll at each due time (the fake clock jumps there); every state along the way."""
    rng, now, state, states = random.Random(seed), T0, None, []
    for outcome in outcomes:
        state = after_poll(state, "feed:x", outcome, now, settings, rng)
        states.append(state)
        now = state.next_due
    return states


def test_a_busy_feed_is_polled_more_often_down_to_the_minimum() -> None:
    intervals = [s.interval for s in run([NEW] * 6)]
    assert intervals == [150, 75, 60, 60, 60, 60]


def test_a_quiet_feed_is_polled_less_often_up_to_the_maximum() -> None:
    intervals = [s.interval for s in run([SAME] * 12)]
    assert intervals[0] == 450 and intervals == sorted(intervals)
    assert intervals[-1] == 3600


def test_the_publishers_ttl_is_a_floor_within_the_bounds() -> None:
    [state] = run([PollOutcome("new", hint_seconds=1800)])
    assert state.interval == 1800  # not 150: the feed says it changes every 30 minutes
    [state] = run([PollOutcome("new", hint_seconds=86400)])
    assert state.interval == 3600  # a daily ttl is capped by max_interval


def test_failures_back_off_exponentially_and_reset_on_success() -> None:
    fail = PollOutcome("failed", reason="timeout")
    states = run([fail] * 8 + [SAME])
    waits = [(s.next_due - s.last_attempt).total_seconds() for s in states]
    assert waits[:7] == [60, 120, 240, 480, 960, 1920, 3600]  # capped at max_backoff
    assert [s.failures for s in states] == [1, 2, 3, 4, 5, 6, 7, 8, 0]
    assert states[-2].interval == 300  # the healthy interval is kept through the streak
    assert states[-1].last_error == "timeout" and states[-1].errors == 8
    assert backoff(1, retry_after=None, settings=SETTINGS) == 60


def test_retry_after_is_honoured_exactly_even_with_jitter() -> None:
    jittery = SETTINGS.model_copy(update={"jitter": 0.5})
    [state] = run([PollOutcome("failed", retry_after=900, reason="rate_limited")], jittery)
    assert state.next_due - T0 == timedelta(seconds=900)


def test_jitter_spreads_feeds_that_started_together() -> None:
    jittery = SETTINGS.model_copy(update={"jitter": 0.1})
    dues = {run([SAME], jittery, seed=seed)[0].next_due for seed in range(20)}
    assert len(dues) == 20
    for due in dues:
        assert 405 <= (due - T0).total_seconds() <= 495  # 450 ± 10 %


def test_counters_and_due() -> None:
    states = run([NEW, SAME, PollOutcome("failed", reason="http_status"), NEW])
    last = states[-1]
    assert (last.fetches, last.not_modified, last.errors, last.items) == (4, 1, 1, 6)
    assert not is_due(last, last.next_due - timedelta(seconds=1))
    assert is_due(last, last.next_due) and is_due(None, T0)


def test_a_failing_feed_is_reported_once_per_streak() -> None:
    fail = PollOutcome("failed", reason="feed_malformed")
    states = run([fail, fail, fail, NEW, fail, fail])
    previous = [None, *states[:-1]]
    reported = [starts_failure_streak(p, fail) for p in previous]
    # polls 1 and 5 start a streak; the others are the same streak (or a success)
    assert reported == [True, False, False, False, True, False]
