"""A fake clock and a fake model, to drive the engine in-process: no HTTP, no real sleeps."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass

from ghostls.model import ModelError, ModelRequest, RateLimitInfo, StreamTiming

# Enough turns of the event loop for everything a step makes ready to run (tasks started,
# done callbacks, woken waiters); no test step takes more.
_SETTLE_TURNS = 50


async def settle() -> None:
    """Let every task that can run without time passing run."""
    for _ in range(_SETTLE_TURNS):
        await asyncio.sleep(0)


class FakeClock:
    """Virtual time: it stands still until a test advances it, and sleeps end then."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + seconds, next(self._order), future))
        await future

    async def wait(self, event: asyncio.Event, seconds: float) -> None:
        if event.is_set():
            return
        woken = asyncio.ensure_future(event.wait())
        slept = asyncio.ensure_future(self.sleep(seconds))
        try:
            await asyncio.wait({woken, slept}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            slept.cancel()

    async def advance(self, seconds: float) -> None:
        """Move time on by `seconds`, ending each sleep at the moment it was due."""
        target = self._now + seconds
        await settle()
        while self._sleepers and self._sleepers[0][0] <= target:
            due, _, future = heapq.heappop(self._sleepers)
            if future.done():
                continue
            self._now = max(self._now, due)
            future.set_result(None)
            await settle()
        self._now = target
        await settle()


@dataclass(frozen=True)
class Script:
    """How the fake model answers one call, in virtual seconds."""

    pieces: tuple[str, ...] = ("42",)
    first_token_s: float = 0.125
    between_s: float = 0.125
    error: ModelError | None = None


class FakeModel:
    """A model client the engine can use: each call streams its script on the fake clock."""

    def __init__(
        self, clock: FakeClock, script: Script | Callable[[ModelRequest], Script] = Script()
    ) -> None:
        self.clock = clock
        self.script = script
        self.parallel = True
        self.rate_limit: RateLimitInfo | None = None
        self.calls: list[ModelRequest] = []
        self.pieces_sent = 0
        self.open = 0  # streams under way
        self.completed = 0  # streams that sent their whole script
        self.warmed = 0
        self.loading_s = 0.0  # how long the first call waits for the client library

    async def ready(self) -> None:
        loading, self.loading_s = self.loading_s, 0.0
        await self.clock.sleep(loading)

    async def warm(self) -> None:
        self.warmed += 1

    async def stream(
        self, request: ModelRequest, timing: StreamTiming
    ) -> AsyncGenerator[str, None]:
        self.calls.append(request)
        script = self.script(request) if callable(self.script) else self.script
        timing.started_at = self.clock.now()
        self.open += 1
        try:
            await self.clock.sleep(script.first_token_s)
            if script.error is not None:
                raise script.error
            for index, piece in enumerate(script.pieces):
                if index:
                    await self.clock.sleep(script.between_s)
                if timing.first_token_at is None:
                    timing.first_token_at = self.clock.now()
                timing.chunks += 1
                self.pieces_sent += 1
                yield piece
            self.completed += 1
        finally:
            self.open -= 1
            timing.finished_at = self.clock.now()
