"""The engine without the LSP layer: a real model client against the local model server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from ghostls.engine import Engine, EngineOptions
from ghostls.engine.engine import REWARM_AFTER_S
from ghostls.model import ModelClient, ModelConfig
from ghostls.postprocess import Cursor
from ghostls.prompts import PromptOptions
from ghostls.snapshot import Snapshot
from ghostls.testing import ModelServer, Profile, Reply


def _snapshot(prefix: str, suffix: str = "\n") -> Snapshot:
    ctx = Cursor(prefix=prefix, suffix=suffix, language_id="python", multiline=False)
    return Snapshot(uri="file:///e.py", path="/e.py", version=1, cursor=ctx)


@pytest.fixture
async def engine(model: ModelServer) -> AsyncIterator[Engine]:
    client = ModelClient(ModelConfig(base_url=model.base_url, api_key=None, timeout_s=5))
    engine = Engine(
        client, EngineOptions(prompt=PromptOptions(mode="fim", model="m"), debounce_ms=0)
    )
    yield engine
    await engine.aclose()
    await client.aclose()


async def test_rewarms_an_idle_connection(model: ModelServer, engine: Engine) -> None:
    model.add_rule("1")
    await engine.complete(_snapshot("x = "), invoked=True)
    listings = sum(1 for request in model.requests if request.path == "/v1/models")
    engine._last_traffic -= REWARM_AFTER_S + 1
    await engine.complete(_snapshot("y = "), invoked=True)
    await asyncio.sleep(0.2)
    after = sum(1 for request in model.requests if request.path == "/v1/models")
    assert after == listings + 1


async def test_older_request_is_superseded_by_a_newer_one(
    model: ModelServer, engine: Engine
) -> None:
    model.add_rule(Reply(text="slow", profile=Profile(ttft_ms=400)), contains="a = ")
    model.add_rule("fast", contains="b = ")
    older = asyncio.ensure_future(engine.complete(_snapshot("a = "), invoked=True))
    await asyncio.sleep(0.05)
    newer = await engine.complete(_snapshot("b = "), invoked=True)
    assert newer is not None and newer.insertion.text == "fast"
    assert await asyncio.wait_for(older, 1.0) is None
    assert engine.stats.counters["superseded"] == 1


@pytest.mark.parametrize(
    ("ttft_ms", "parallel", "fetched_ahead"),
    [(300, True, 1), (300, False, 0), (0, True, 0)],
    ids=["slow-parallel", "slow-one-at-a-time", "fast"],
)
async def test_a_shown_suggestion_is_fetched_ahead_only_where_that_saves_a_wait(
    model: ModelServer, engine: Engine, ttft_ms: float, parallel: bool, fetched_ahead: int
) -> None:
    model.add_rule(Reply(text="1", profile=Profile(ttft_ms=ttft_ms)))
    engine.client.parallel = parallel
    answer = await engine.complete(_snapshot("x = "), invoked=True)
    assert answer is not None
    engine.shown(answer)
    assert len(engine._running(prefetch=True)) == fetched_ahead


async def test_on_a_one_at_a_time_endpoint_the_users_call_cancels_a_prefetch(
    model: ModelServer, engine: Engine
) -> None:
    model.add_rule(Reply(text="1", profile=Profile(ttft_ms=600)), contains="x = 1\n")
    model.add_rule("2")
    engine.client.parallel = False
    answer = await engine.complete(_snapshot("x = "), invoked=True)
    assert answer is not None
    engine.accepted(answer.id)  # fetches what follows the accepted line
    [prefetch] = engine._running(prefetch=True)
    other = await engine.complete(_snapshot("y = "), invoked=True)
    assert other is not None and other.insertion.text == "2"
    assert prefetch.done.is_set() and prefetch.cancelled
