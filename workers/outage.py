"""Riding out a broker outage: a Kafka operation retried with backoff, up to a time limit.

The poller and backfill wrap their sends in `Outage.run`: while the broker is away
(restarting, partitioned, SIGSTOPped) they wait and retry, logging the outage once
and then every ``log_every`` seconds; past ``limit`` seconds they stop with
`BrokerUnavailable`, which their callers turn into a clean exit with a summary.
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

    async def run(self, operation: Callable[[], Awaitable[T]], what: str) -> T:
        """``operation()`` until it succeeds; BrokerUnavailable once ``limit`` has passed."""
        started: float | None = None
        logged = 0.0
        attempt = 0
        while True:
            began = self.clock()
            try:
                result = await operation()
            except BROKER_ERRORS as exc:
                if not is_outage(exc):
                    raise
                now = self.clock()
                if started is None:
                    started, logged = began, now
                    log.warning("broker unreachable (%s): %s; retrying", what, exc)
                elif now - logged >= self.log_every:
                    logged = now
                    log.warning("broker still unreachable after %.0fs (%s)", now - started, what)
                if now - started > self.limit:
                    raise BrokerUnavailable(
                        f"broker unreachable for {now - started:.0f}s (limit {self.limit:.0f}s) "
                        f"while {what}: {exc}"
                    ) from exc
                await self.sleep(min(self.max_wait, self.first_wait * 2**attempt))
                attempt += 1
                continue
            if started is not None:
                seconds = self.clock() - started
                self.outages += 1
                self.longest = max(self.longest, seconds)
                log.warning("broker back after %.0fs (%s)", seconds, what)
            return result
