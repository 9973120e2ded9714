"""Failure episodes: a burst of keystrokes against a failing endpoint makes few calls and one
message, the circuit breaker probes the endpoint back, and recovery needs nobody."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ghostls.testing import Fault, ModelServer
from tests.reliability.helpers import (
    ANSWER_BY_S,
    COLUMN,
    LINE,
    SOURCE,
    TIMEOUT_MS,
    URI,
    inline_in_time,
    shown,
    states,
    until_answered,
)
from tests.support import Session, base_settings, lsp_session, model_calls, wait_for_calls

ANSWER = "width * height"


async def _burst(session: Session, column: int, keys: str, gap_s: float = 0.03) -> int:
    """Type `keys` one by one, each followed by an automatic inline request, as an editor
    does; every request must be answered in time. Returns the new column."""
    pending: list[asyncio.Future[Any]] = []
    for char in keys:
        session.type_text(URI, LINE, column, char)
        column += 1
        pending.append(session.send_inline(URI, LINE, column)[1])
        await asyncio.sleep(gap_s)
    await asyncio.wait_for(asyncio.gather(*pending), ANSWER_BY_S + 5)
    return column


async def test_a_burst_against_a_failing_endpoint(model: ModelServer) -> None:
    model.add_rule(ANSWER)
    model.fault_next(Fault(kind="status", status=503), times=100_000)
    async with lsp_session(base_settings(model.base_url, timeoutMs=TIMEOUT_MS)) as session:
        session.open(URI, SOURCE)
        started = time.monotonic()
        column = await _burst(session, COLUMN, "abcdefghij" * 4)
        calls = len(model_calls(model))
        took = time.monotonic() - started
        print(f"failing endpoint: 40 keystrokes in {took:.1f} s made {calls} model calls")
        # Three failures open the breaker; while open, at most a probe now and then.
        assert calls <= 5
        [message] = shown(session)
        assert "503" in message
        assert states(session)[-1] == "error"
        assert "ready" not in states(session)

        # The endpoint comes back: the breaker's probe finds it, with nobody doing anything.
        model.reset()
        model.add_rule(ANSWER)
        found, waited = await until_answered(session, column=column, timeout=8.0)
        print(f"failing endpoint: answering again {waited:.1f} s after it recovered")
        assert found == [ANSWER]
        assert states(session)[-1] == "ready"
        assert len(shown(session)) == 1

        # A new failure later is a new episode: one new message.
        model.fault_next(Fault(kind="status", status=500), times=3)
        await _burst(session, column, "xyz")
        assert len(shown(session)) == 2
        assert "500" in shown(session)[-1]


async def test_a_cancelled_probe_does_not_keep_the_breaker_open(model: ModelServer) -> None:
    model.add_rule(ANSWER)
    model.fault_next(Fault(kind="status", status=500), times=3)
    async with lsp_session(base_settings(model.base_url, timeoutMs=TIMEOUT_MS)) as session:
        session.open(URI, SOURCE)
        for _ in range(3):
            assert await inline_in_time(session) == []
        assert (await session.stats())["counters"]["breakerOpen"] == 1
        await asyncio.sleep(1.05)  # the breaker's first open period
        # The probe hangs and the editor cancels it (the user typed on).
        model.fault_next(Fault(kind="hang"))
        msg_id, probe = session.send_inline(URI, LINE, COLUMN, invoked=True)
        await wait_for_calls(model, 4)
        session.cancel(msg_id)
        await asyncio.gather(probe, return_exceptions=True)
        await asyncio.sleep(0.2)  # the call is closed (after a short grace for the next key)
        assert await model.wait_for_disconnect(model_calls(model)[-1].id, timeout=1.0)
        found, waited = await until_answered(session, timeout=3.0)
        print(f"cancelled probe: answering again {waited:.2f} s later")
        assert found == [ANSWER]
        assert waited < 0.5
        assert states(session)[-1] == "ready"


async def test_a_hanging_endpoint_opens_the_breaker(model: ModelServer) -> None:
    model.add_rule(ANSWER)
    model.fault_next(Fault(kind="hang"), times=3)
    async with lsp_session(base_settings(model.base_url, timeoutMs=TIMEOUT_MS)) as session:
        session.open(URI, SOURCE)
        for _ in range(3):
            assert await inline_in_time(session) == []
        # Open: answered at once, without a call.
        started = time.monotonic()
        assert await inline_in_time(session) == []
        assert time.monotonic() - started < 0.3
        assert len(model_calls(model)) == 3
        [message] = shown(session)
        assert "in time" in message
        # The endpoint answers again: the probe finds it.
        found, _ = await until_answered(session, timeout=3.0)
        assert found == [ANSWER]
        assert states(session)[-1] == "ready"


async def test_keystrokes_against_a_hung_endpoint_make_few_calls(model: ModelServer) -> None:
    """An endpoint that takes every request and never answers: typing on makes a handful of
    calls, not one per keystroke each waiting for timeoutMs, and says so once."""
    model.fault_next(Fault(kind="hang"), times=100_000)
    settings = base_settings(model.base_url, timeoutMs=10_000, debounceMs=50)
    async with lsp_session(settings) as session:
        session.open(URI, SOURCE)
        column = COLUMN
        for char in "abcdefghijklmnopqrst":
            session.type_text(URI, LINE, column, char)
            column += 1
            session.send_inline(URI, LINE, column)
            await asyncio.sleep(0.25)
        calls = len(model_calls(model))
        print(f"hung endpoint: 20 keystrokes over 5 s made {calls} model calls")
        assert calls <= 8
        [message] = shown(session)
        assert "sent nothing" in message
        assert (await session.stats())["counters"]["breakerOpen"] >= 1
