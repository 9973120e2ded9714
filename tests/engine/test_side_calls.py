"""Calls besides completions (next edits) admitted by the engine: budgets, breaker, and the
serial endpoint's priority for completions."""

from __future__ import annotations

import asyncio

from ghostls.engine import Engine, EngineOptions
from ghostls.model import ModelError, ModelRequest, RateLimited
from ghostls.postprocess import Cursor
from ghostls.prompts import PromptOptions
from ghostls.snapshot import Snapshot
from tests.engine.fakes import FakeClock, FakeModel, settle

REQUEST = ModelRequest(
    endpoint="chat",
    model="m",
    max_tokens=64,
    temperature=0,
    messages=({"role": "user", "content": "rewrite the window"},),
)


def _engine(clock: FakeClock, model: FakeModel, **options: object) -> Engine:
    prompt = PromptOptions(mode="fim", model="m")
    return Engine(model, EngineOptions(prompt=prompt, **options), clock=clock)  # type: ignore[arg-type]


async def test_counted_in_the_request_budget_and_the_cost() -> None:
    clock = FakeClock()
    engine = _engine(clock, FakeModel(clock), rate_limit_per_minute=6)
    burst = [engine.admit(REQUEST, speculative=False, cancel=lambda: None) for _ in range(3)]
    assert None not in burst  # the budget's burst
    assert engine.admit(REQUEST, speculative=False, cancel=lambda: None) is None
    assert engine.cost.prompt_tokens > 0
    assert engine.stats.counters["skippedByBudget"] == 1


async def test_failures_open_the_breaker_and_429_waits() -> None:
    clock = FakeClock()
    engine = _engine(clock, FakeModel(clock))
    for _ in range(3):
        call = engine.admit(REQUEST, speculative=False, cancel=lambda: None)
        assert call is not None
        engine.settle(call, ModelError("down"), answered=False)
    assert engine.admit(REQUEST, speculative=False, cancel=lambda: None) is None
    await clock.advance(2.0)
    probe = engine.admit(REQUEST, speculative=False, cancel=lambda: None)
    assert probe is not None
    engine.settle(probe, None, answered=True)
    limited = engine.admit(REQUEST, speculative=False, cancel=lambda: None)
    assert limited is not None
    engine.settle(limited, RateLimited("slow down", 10.0), answered=False)
    assert engine.admit(REQUEST, speculative=False, cancel=lambda: None) is None
    await clock.advance(10.0)
    assert engine.admit(REQUEST, speculative=False, cancel=lambda: None) is not None


async def test_a_completion_on_a_serial_endpoint_cancels_speculative_calls_only() -> None:
    clock = FakeClock()
    model = FakeModel(clock)
    model.parallel = False
    engine = _engine(clock, model, debounce_ms=0)
    cancelled: list[str] = []
    speculative = engine.admit(REQUEST, speculative=True, cancel=lambda: cancelled.append("s"))
    asked = engine.admit(REQUEST, speculative=False, cancel=lambda: cancelled.append("a"))
    assert speculative is not None and asked is not None
    ctx = Cursor(prefix="x = ", suffix="\n", language_id="python", multiline=False)
    snapshot = Snapshot(uri="file:///e.py", path="/e.py", version=1, cursor=ctx)
    request = asyncio.ensure_future(engine.complete(snapshot, invoked=True))
    await settle()
    assert cancelled == ["s"]
    await clock.advance(1.0)
    assert await request is not None
    # While a completion runs, a speculative call is not admitted at all.
    other = Snapshot(uri="file:///f.py", path="/f.py", version=1, cursor=ctx)
    running = asyncio.ensure_future(engine.complete(other, invoked=True))
    await settle()
    assert engine.admit(REQUEST, speculative=True, cancel=lambda: None) is None
    await clock.advance(1.0)
    await running
