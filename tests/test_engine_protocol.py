"""The latency engine through the protocol: reuse, debounce, prefetch, backoff, stats."""

from __future__ import annotations

import asyncio
import time

from lsprotocol import types

from ghostls.testing import Fault, ModelServer, Profile, Reply
from tests.support import Session, base_settings, lsp_session, model_calls, wait_for_calls

URI = "file:///work/engine.py"
SOURCE = "def area(width, height):\n    return \n"


def _texts(items: list[types.InlineCompletionItem]) -> list[str]:
    return [item.insert_text if isinstance(item.insert_text, str) else "" for item in items]


async def _type(session: Session, line: int, column: int, text: str) -> int:
    for char in text:
        session.type_text(URI, line, column, char)
        column += 1
    return column


async def test_typed_ahead_answers_without_a_model_call(model: ModelServer) -> None:
    model.add_rule("width * height", contains="def area")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert _texts(await session.inline(URI, 1, 11)) == ["width * height"]
        column = 11
        for char, rest in (("w", "idth * height"), ("i", "dth * height"), ("d", "th * height")):
            session.type_text(URI, 1, column, char)
            column += 1
            assert _texts(await session.inline(URI, 1, column)) == [rest]
        stats = await session.stats()
    assert len(model_calls(model)) == 1
    assert stats["counters"]["typedAheadHits"] == 3
    assert stats["latencyMs"]["typedAhead"]["count"] == 3


async def test_the_benchmark_baselines_reuse_nothing(model: ModelServer) -> None:
    # `--lab-reuse none` (a server option of the benchmark, not a setting): typing through a
    # suggestion asks the model again, where the default answers from the suggestion.
    model.add_rule("width * height", contains="def area")
    async with lsp_session(base_settings(model.base_url), args=("--lab-reuse", "none")) as session:
        session.open(URI, SOURCE)
        assert _texts(await session.inline(URI, 1, 11)) == ["width * height"]
        session.type_text(URI, 1, 11, "w")
        assert _texts(await session.inline(URI, 1, 12)) == ["idth * height"]
        stats = await session.stats()
    assert len(model_calls(model)) == 2
    assert stats["counters"]["typedAheadHits"] == 0


async def test_cache_answers_a_position_seen_before(model: ModelServer) -> None:
    model.add_rule("width * height", contains="def area")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert _texts(await session.inline(URI, 1, 11)) == ["width * height"]
        session.type_text(URI, 1, 11, "x")
        await session.inline(URI, 1, 12)
        # Delete the "x": back where the first suggestion was made.
        session.docs[URI].version += 1
        session.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=URI, version=session.docs[URI].version
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(types.Position(1, 11), types.Position(1, 12)), text=""
                    )
                ],
            )
        )
        calls = len(model_calls(model))
        assert _texts(await session.inline(URI, 1, 11)) == ["width * height"]
        stats = await session.stats()
    assert len(model_calls(model)) == calls
    assert stats["counters"]["cacheHits"] == 1


async def test_a_burst_that_agrees_with_the_stream_shares_one_call(model: ModelServer) -> None:
    model.add_rule(
        Reply(text="width * height", profile=Profile(ttft_ms=150, tokens_per_s=40)),
        contains="def area",
    )
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        pending = [session.send_inline(URI, 1, 11)[1]]
        await wait_for_calls(model, 1)
        await asyncio.sleep(0.25)  # the stream has begun: "wid..."
        column = 11
        for char in "wid":
            session.type_text(URI, 1, column, char)
            column += 1
            pending.append(session.send_inline(URI, 1, column)[1])
        results = await asyncio.wait_for(asyncio.gather(*pending), 10)
        stats = await session.stats()
    assert len(model_calls(model)) == 1
    *older, newest = results
    assert all(not result.items for result in older)
    assert _texts(list(newest.items)) == ["th * height"]
    assert stats["counters"]["inflightHits"] >= 1


async def test_invoked_requests_skip_the_debounce(model: ModelServer) -> None:
    model.add_rule("width * height", contains="def area")
    async with lsp_session(base_settings(model.base_url, debounceMs=1500)) as session:
        session.open(URI, SOURCE)
        started = time.monotonic()
        assert _texts(await session.inline(URI, 1, 11, invoked=True)) == ["width * height"]
        invoked_took = time.monotonic() - started
        session.type_text(URI, 1, 11, " ")
        started = time.monotonic()
        await session.inline(URI, 1, 12)
        automatic_took = time.monotonic() - started
        stats = await session.stats()
    # Relative, not absolute: the automatic request waited for its debounce, the invoked not.
    assert automatic_took > invoked_took
    assert stats["latencyMs"]["debounce"]["p99"] >= 1000


async def test_prefetch_after_an_answer_is_used_on_accept(model: ModelServer) -> None:
    model.add_rule("width * height", contains="def area(width, height):\n    return \n")
    model.add_rule("\n\ndef perimeter(width, height):", contains="return width * height\n")
    settings = base_settings(model.base_url, prefetch=True)
    async with lsp_session(settings) as session:
        session.open(URI, SOURCE)
        [item] = await session.inline(URI, 1, 11)
        assert item.command is not None
        # A fast model: nothing is fetched ahead while the suggestion is only shown.
        assert len(model_calls(model)) == 1
        # The user accepts: the editor inserts the text and runs the item's command.
        session.type_text(URI, 1, 11, "width * height")
        await session.client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command=item.command.command, arguments=list(item.command.arguments or [])
            )
        )
        # Enter, with the editor's auto-indent of the block: the next suggestion is ready.
        session.type_text(URI, 1, 25, "\n    ")
        items = await session.inline(URI, 2, 4)
        stats = await session.stats()
    prompts = [call.body["prompt"][-40:] for call in model_calls(model)]
    assert len(prompts) == 2, prompts
    assert "perimeter" in _texts(items)[0]
    assert stats["counters"]["prefetches"] == 1
    assert stats["counters"]["accepted"] == 1
    reused = ("prefetchHits", "inflightHits", "singleFlightHits")
    assert sum(stats["counters"][name] for name in reused) >= 1


async def test_429_with_retry_after_backs_off_without_a_storm(model: ModelServer) -> None:
    model.fault_next(Fault(kind="status", status=429, retry_after=1.0), times=1)
    model.add_rule("* height")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert await session.inline(URI, 1, 11, invoked=True) == []
        column = await _type(session, 1, 11, "")
        for char in "width":
            session.type_text(URI, 1, column, char)
            column += 1
            assert await session.inline(URI, 1, column, invoked=True) == []
        during = len(model_calls(model))
        statuses = [params["state"] for method, params in session.notifications]
        await asyncio.sleep(1.1)
        session.type_text(URI, 1, column, " ")
        items = await session.inline(URI, 1, column + 1, invoked=True)
        rate_messages = [m for m in session.client.messages if "rate" in m.message]
    assert during == 1
    assert "rate-limited" in statuses
    assert _texts(items) == ["* height"]
    assert len(rate_messages) == 1


async def test_stats_match_what_the_model_server_saw(model: ModelServer) -> None:
    model.add_rule("width * height", contains="def area")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        await session.inline(URI, 1, 11)
        column = 11
        for char in "wi":
            session.type_text(URI, 1, column, char)
            column += 1
            await session.inline(URI, 1, column)
        session.type_text(URI, 1, column, "Z")
        await session.inline(URI, 1, column + 1)
        stats = await session.stats()
    counters = stats["counters"]
    assert counters["modelCalls"] == len(model_calls(model)) == 2
    assert counters["requests"] == 4
    assert counters["typedAheadHits"] == 2


async def test_a_finished_line_gets_the_next_line(model: ModelServer) -> None:
    source = "total = area(2, 3)\n\nprint(total)\n"
    model.add_rule("print(total * 2)", contains="total = area(2, 3)\n")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, source)
        items = await session.inline(URI, 0, 18)
        assert _texts(items) == ["\nprint(total * 2)"]
        # Enter: the same suggestion, now for the fresh line, without another call.
        session.type_text(URI, 0, 18, "\n")
        items = await session.inline(URI, 1, 0)
        assert _texts(items) == ["print(total * 2)"]
    calls = model_calls(model)
    assert len(calls) == 1
    assert calls[0].body["prompt"].endswith("total = area(2, 3)\n")


async def test_next_line_answer_that_repeats_the_line_break(model: ModelServer) -> None:
    source = "def area(w, h):\n    total = mul(w, h)\n"
    model.add_rule("\n    return total", contains="total = mul(w, h)\n")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, source)
        items = await session.inline(URI, 1, 21)
    assert _texts(items) == ["\n    return total"]


async def test_a_spent_daily_token_budget_stops_the_calls(model: ModelServer) -> None:
    headers = {
        "x-ratelimit-limit-tokens-day": "1000000",
        "x-ratelimit-remaining-tokens-day": "0",
        "x-ratelimit-reset-tokens-day": "3h",
    }
    model.fault_next(Fault(kind="status", status=429, headers=headers), times=1)
    model.add_rule("* height")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert await session.inline(URI, 1, 11, invoked=True) == []
        column = await _type(session, 1, 11, "")
        for char in "width":
            session.type_text(URI, 1, column, char)
            column += 1
            assert await session.inline(URI, 1, column, invoked=True) == []
    assert len(model_calls(model)) == 1


async def test_a_token_budget_per_minute_stops_the_calls_when_spent(model: ModelServer) -> None:
    model.add_rule("* height")
    settings = {**base_settings(model.base_url), "tokensPerMinute": 200}
    async with lsp_session(settings) as session:
        session.open(URI, SOURCE)
        column = 11
        for char in "width":
            session.type_text(URI, 1, column, char)
            column += 1
            await session.inline(URI, 1, column, invoked=True)
        stats = await session.stats()
    # Each call reserves its prompt and max_tokens (64): a 200-token minute holds two or three.
    calls = len(model_calls(model))
    assert 1 <= calls < 5
    assert stats["counters"]["skippedByBudget"] == 5 - calls
