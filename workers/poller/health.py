"""Per-feed health as data: what the poller knows of each feed it owns.

A plain typed structure for `lagebild feeds`, logs and metrics (workers/metrics.py
can export these fields as gauges and counters). It is read from the feed's
record in news.poller-state, so any process can build it, not only the poller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workers.records import PollerState

FEED_PREFIX = "feed:"


@dataclass(frozen=True)
class FeedHealth:
    feed: str
    publisher: str | None
    kind: str | None
    last_success: datetime | None
    last_attempt: datetime | None
    next_due: datetime | None
    interval: float | None
    failures: int  # in a row
    last_error: str | None
    fetches: int
    not_modified: int
    errors: int
    items: int

    @property
    def not_modified_share(self) -> float:
        return self.not_modified / self.fetches if self.fetches else 0.0

    @property
    def healthy(self) -> bool:
        return self.failures == 0

    @classmethod
    def from_state(cls, state: PollerState) -> FeedHealth:
        return cls(
            feed=state.key.removeprefix(FEED_PREFIX),
            publisher=state.publisher,
            kind=state.kind,
            last_success=state.last_success,
            last_attempt=state.last_attempt,
            next_due=state.next_due,
            interval=state.interval,
            failures=state.failures,
            last_error=state.last_error,
            fetches=state.fetches,
            not_modified=state.not_modified,
            errors=state.errors,
            items=state.items,
        )


def feed_health(states: dict[str, PollerState]) -> list[FeedHealth]:
    """The health of every feed among the state records, by feed URL."""
    return sorted(
        (FeedHealth.from_state(s) for k, s in states.items() if k.startswith(FEED_PREFIX)),
        key=lambda h: h.feed,
    )
