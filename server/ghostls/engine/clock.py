"""What the engine reads of time, and how it waits: one clock, injectable.

Every time the engine reads (debounce, budgets, breaker, cost, flights) comes from
`Clock.now()`, and every wait it makes goes through `Clock.sleep` or `Clock.wait`, so a test
can drive the engine in virtual time without sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait this long."""
        ...

    async def wait(self, event: asyncio.Event, seconds: float) -> None:
        """Wait until `event` is set, at most this long."""
        ...


class MonotonicClock:
    """The real clock: `time.monotonic` and the event loop's timers."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def wait(self, event: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)
