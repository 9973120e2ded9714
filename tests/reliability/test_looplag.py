"""The loop-lag monitor behind `loopLagMs` in ghostls/stats."""

from __future__ import annotations

import asyncio
import time

from ghostls.engine.looplag import LoopLag


async def test_a_blocked_loop_shows_as_lag() -> None:
    monitor = LoopLag(interval_s=0.01)
    monitor.start(asyncio.get_running_loop())
    try:
        await asyncio.sleep(0.1)
        calm = monitor.snapshot()
        time.sleep(0.15)  # noqa: ASYNC251 (holds the loop, as a slow handler would)
        await asyncio.sleep(0.05)
        blocked = monitor.snapshot()
    finally:
        monitor.stop()
    assert calm["ticks"] >= 5
    assert calm["max"] < 100
    assert blocked["max"] >= 120
    assert not monitor.running
