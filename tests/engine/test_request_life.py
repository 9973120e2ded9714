"""The engine in-process, on a fake model and a fake clock: every wait happens in virtual
time, so what is checked is when things happen, without a real sleep or an HTTP call."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ghostls.engine import Answer, Engine, EngineOptions
from ghostls.model import ModelError, ModelRequest
from ghostls.postprocess import Cursor
from ghostls.prompts import PromptOptions
from ghostls.snapshot import Snapshot
from tests.engine.fakes import FakeClock, FakeModel, Script, settle

# Times below are sums of powers of two, exact in floating point.


def _snapshot(prefix: str, suffix: str = "\n") -> Snapshot:
    ctx = Cursor(prefix=prefix, suffix=suffix, language_id="python", multiline=False)
    return Snapshot(uri="file:///e.py", path="/e.py", version=1, cursor=ctx)


def _engine(clock: FakeClock, model: FakeModel, **options: Any) -> Engine:
    prompt = PromptOptions(mode="fim", model="m")
    return Engine(model, EngineOptions(prompt=prompt, **options), clock=clock)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _ask(engine: Engine, prefix: str, *, invoked: bool) -> asyncio.Future[Answer | None]:
    return asyncio.ensure_future(engine.complete(_snapshot(prefix), invoked=invoked))


async def test_the_debounce_calls_the_model_when_its_delay_is_over(clock: FakeClock) -> None:
    model = FakeModel(clock)
    engine = _engine(clock, model, debounce_ms=250)
    request = _ask(engine, "x = ", invoked=False)
    await clock.advance(0.125)
    assert model.calls == []
    await clock.advance(0.125)
    assert len(model.calls) == 1
    await clock.advance(0.125)
    answer = await request
    assert answer is not None and answer.insertion.text == "42"
    assert answer.source == "model"
    assert answer.breakdown.debounce == 250
    assert answer.breakdown.ttft == 125
    assert answer.breakdown.total == 375


async def test_an_invoked_request_calls_at_once(clock: FakeClock) -> None:
    model = FakeModel(clock)
    engine = _engine(clock, model, debounce_ms=250)
    request = _ask(engine, "x = ", invoked=True)
    await settle()
    assert len(model.calls) == 1
    await clock.advance(0.125)
    answer = await request
    assert answer is not None and answer.breakdown.debounce == 0


async def test_a_superseded_request_answers_empty_at_once(clock: FakeClock) -> None:
    model = FakeModel(clock)
    engine = _engine(clock, model, debounce_ms=250)
    older = _ask(engine, "x = ", invoked=False)
    await clock.advance(0.125)
    newer = _ask(engine, "x = 4", invoked=False)
    await settle()
    assert older.done() and older.result() is None
    await clock.advance(0.375)
    answer = await newer
    assert answer is not None and answer.insertion.text == "42"
    assert len(model.calls) == 1
    assert engine.stats.counters["superseded"] == 1


async def test_requests_for_the_same_position_share_one_call(clock: FakeClock) -> None:
    model = FakeModel(clock, Script(first_token_s=0.25))
    engine = _engine(clock, model)
    first = _ask(engine, "x = ", invoked=True)
    await clock.advance(0.125)
    second = _ask(engine, "x = ", invoked=True)
    await clock.advance(0.125)
    assert await first is None  # superseded by the second, which took over its call
    answer = await second
    assert answer is not None and answer.insertion.text == "42"
    assert answer.source == "in-flight"
    assert len(model.calls) == 1
    assert engine.stats.counters["singleFlightHits"] == 1


async def test_a_cancelled_request_stops_its_stream_after_the_grace(clock: FakeClock) -> None:
    model = FakeModel(clock, Script(pieces=tuple("123456")))
    engine = _engine(clock, model)
    request = _ask(engine, "x = ", invoked=True)
    await clock.advance(0.125)
    assert model.pieces_sent == 1
    request.cancel()
    await settle()
    assert request.cancelled()
    assert model.open == 1  # kept for the next keystroke's request to attach to
    await clock.advance(0.0625)  # past CANCEL_GRACE_S
    assert model.open == 0
    assert model.completed == 0
    assert model.pieces_sent == 1
    assert engine.pending_tasks() == 0
    assert engine.stats.counters["cancelled"] == 1


async def test_the_request_budget_refuses_a_call_until_it_refills(clock: FakeClock) -> None:
    model = FakeModel(clock)
    engine = _engine(clock, model, rate_limit_per_minute=6)  # a burst of 3, then one per 10 s
    for prefix in ("a = ", "b = ", "c = "):
        request = _ask(engine, prefix, invoked=True)
        await clock.advance(0.125)
        assert (await request) is not None
    refused = _ask(engine, "d = ", invoked=True)
    await settle()
    assert refused.done() and refused.result() is None
    assert engine.stats.counters["skippedByBudget"] == 1
    assert len(model.calls) == 3
    await clock.advance(10)
    request = _ask(engine, "d = ", invoked=True)
    await clock.advance(0.125)
    assert (await request) is not None
    assert len(model.calls) == 4


async def test_the_breaker_opens_after_failures_and_probes_back(clock: FakeClock) -> None:
    failing = Script(error=ModelError("boom"))
    model = FakeModel(clock, failing)
    engine = _engine(clock, model)
    for prefix in ("a = ", "b = ", "c = "):
        request = _ask(engine, prefix, invoked=True)
        await clock.advance(0.125)
        assert (await request) is None
    refused = _ask(engine, "d = ", invoked=True)
    await settle()
    assert refused.done() and refused.result() is None
    assert len(model.calls) == 3
    await clock.advance(1)  # the breaker's first open period
    model.script = Script()
    probe = _ask(engine, "d = ", invoked=True)
    await clock.advance(0.125)
    assert (await probe) is not None
    assert len(model.calls) == 4


async def test_out_of_time_a_request_shows_what_has_streamed(clock: FakeClock) -> None:
    model = FakeModel(clock, Script(pieces=("ab", "cd", "ef", "gh"), between_s=0.25))
    engine = _engine(clock, model, timeout_s=0.5)
    request = _ask(engine, "x = ", invoked=True)
    await clock.advance(0.5)
    answer = await request
    assert answer is not None and answer.insertion.text == "abcd"
    await settle()
    assert model.open == 0 and model.completed == 0
    assert engine.stats.counters["modelErrors"] == 0  # it spoke: not a failure


async def test_an_attached_request_leaves_a_flight_its_typing_disagrees_with(
    clock: FakeClock,
) -> None:
    def script(request: ModelRequest) -> Script:
        if "x = (" in request.prompt:
            return Script(pieces=("0)",))
        return Script(pieces=("42",), first_token_s=0.25)

    model = FakeModel(clock, script)
    engine = _engine(clock, model)
    first = _ask(engine, "x = ", invoked=True)
    await clock.advance(0.125)
    second = _ask(engine, "x = (", invoked=True)  # agrees with nothing streamed yet: attaches
    await settle()
    assert await first is None
    assert engine.stats.counters["inflightHits"] == 1
    assert len(model.calls) == 1
    await clock.advance(0.125)  # "42" streams: the typed "(" disagrees, so it calls itself
    assert len(model.calls) == 2
    await clock.advance(0.125)
    answer = await second
    assert answer is not None and answer.insertion.text == "0)"
    assert answer.source == "model"


async def test_the_first_calls_wait_for_the_client_library_counts_in_its_time_budget(
    clock: FakeClock,
) -> None:
    # Loading takes 0.5 s; the stream then sends a piece every 0.25 s; the budget is 1 s.
    model = FakeModel(clock, Script(("a", "b", "c", "d"), first_token_s=0.25, between_s=0.25))
    model.loading_s = 0.5
    engine = _engine(clock, model, timeout_s=1.0)
    request = _ask(engine, "x = ", invoked=True)
    await clock.advance(0.25)
    assert model.calls == []  # the call starts once the library is loaded
    await clock.advance(0.75)
    answer = await request
    assert answer is not None and answer.insertion.text == "ab"
    assert answer.breakdown.total == 1000
