"""Event-loop lag, for `ghostls/stats`: how late a periodic timer callback runs.

A callback is scheduled every `INTERVAL_S` with `loop.call_at`; how much later than due it
runs is how long something held the loop (a parse, a regex, post-processing of a long
answer). The monitor starts on the first `loop_lag()` call, on the running loop, and costs
one timer callback per interval.
"""

from __future__ import annotations

import asyncio
from collections import deque

INTERVAL_S = 0.02
_SAMPLES = 4096  # the last ~80 s of ticks


class LoopLag:
    def __init__(self, interval_s: float = INTERVAL_S) -> None:
        self.interval_s = interval_s
        self.lags_ms: deque[float] = deque(maxlen=_SAMPLES)
        self.max_ms = 0.0
        self.ticks = 0
        self._due = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._handle: asyncio.TimerHandle | None = None

    @property
    def running(self) -> bool:
        return self._handle is not None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._loop is loop and self._handle is not None:
            return
        self.stop()
        self._loop = loop
        self._schedule(loop.time())

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _schedule(self, now: float) -> None:
        assert self._loop is not None
        self._due = now + self.interval_s
        self._handle = self._loop.call_at(self._due, self._tick)

    def _tick(self) -> None:
        assert self._loop is not None
        now = self._loop.time()
        lag = max(0.0, now - self._due) * 1000
        self.lags_ms.append(lag)
        self.max_ms = max(self.max_ms, lag)
        self.ticks += 1
        self._schedule(now)

    def snapshot(self) -> dict[str, float]:
        """p50 and p99 over the recent ticks, the maximum since the start, the tick count."""
        ordered = sorted(self.lags_ms)

        def at(share: float) -> float:
            if not ordered:
                return 0.0
            return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

        return {"p50": at(0.5), "p99": at(0.99), "max": round(self.max_ms, 2), "ticks": self.ticks}


MONITOR = LoopLag()


def loop_lag() -> dict[str, float]:
    """The running loop's lag figures (the monitor starts on the first call)."""
    MONITOR.start(asyncio.get_running_loop())
    return MONITOR.snapshot()
