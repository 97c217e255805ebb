"""Riding out a broker outage: a Kafka operation retried with backoff, up to a time limit.

The poller, backfill and worker wrap their sends in `Outage.run`: while the broker is
away (restarting, partitioned, SIGSTOPped) they wait and retry, logging the outage
once and then every ``log_every`` seconds. Past ``limit`` seconds the poller and
backfill stop with `BrokerUnavailable`, which their callers turn into a clean exit
with a summary; the worker has no limit (its batch waits, uncommitted).
Retried sends publish the same bytes again: at least once, never lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiokafka.errors import KafkaError, KafkaTimeoutError

log = logging.getLogger(__name__)

T = TypeVar("T")

#: what a broker that is away looks like to an aiokafka client (see `is_outage`)
BROKER_ERRORS: tuple[type[BaseException], ...] = (KafkaError, OSError, TimeoutError)


def is_outage(exc: BaseException) -> bool:
    """A broker away (retry), not a record it will never take (MessageSizeTooLarge: raise)."""
    if isinstance(exc, OSError | TimeoutError | KafkaTimeoutError):
        return True
    return isinstance(exc, KafkaError) and bool(exc.retriable)


class BrokerUnavailable(Exception):
    """The broker has been unreachable for longer than the configured limit."""


class Outage:
    """One outage at a time for all operations that share it: logged once when the broker
    goes, every ``log_every`` seconds while it stays away, once when it is back; each
    operation retries with its own backoff until ``limit`` seconds of outage have passed."""

    def __init__(
        self,
        limit: float,
        first_wait: float = 0.5,
        max_wait: float = 10.0,
        log_every: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.first_wait = first_wait
        self.max_wait = max_wait
        self.log_every = log_every
        self.clock = clock
        self.sleep = sleep
        self.outages = 0  # outages ridden out
        self.longest = 0.0  # seconds
        self.since: float | None = None  # when the current outage began
        self.logged = 0.0

    async def run(self, operation: Callable[[], Awaitable[T]], what: str) -> T:
        """``operation()`` until it succeeds; BrokerUnavailable once ``limit`` has passed."""
        attempt = 0
        while True:
            began = self.clock()
            try:
                result = await operation()
            except BROKER_ERRORS as exc:
                if not is_outage(exc):
                    raise
                self._failed(began, what, exc)
                await self.sleep(min(self.max_wait, self.first_wait * 2**attempt))
                attempt += 1
                continue
            self._ok(what)
            return result

    def _failed(self, began: float, what: str, exc: BaseException) -> None:
        now = self.clock()
        if self.since is None:
            self.since, self.logged = began, now
            log.warning("broker unreachable (%s): %s; retrying", what, exc)
        elif now - self.logged >= self.log_every:
            self.logged = now
            log.warning("broker still unreachable after %.0fs (%s)", now - self.since, what)
        if now - self.since > self.limit:
            raise BrokerUnavailable(
                f"broker unreachable for {now - self.since:.0f}s (limit {self.limit:.0f}s) "
                f"while {what}: {exc}"
            ) from exc

    def _ok(self, what: str) -> None:
        if self.since is not None:
            seconds = self.clock() - self.since
            self.since = None
            self.outages += 1
            self.longest = max(self.longest, seconds)
            log.warning("broker back after %.0fs (%s)", seconds, what)
