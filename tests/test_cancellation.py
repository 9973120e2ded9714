"""Cancelled and superseded requests close their model streams and answer at once."""

from __future__ import annotations

import asyncio
import time

from lsprotocol import types

from ghostls.testing import Fault, ModelServer, Profile, Reply
from tests.support import base_settings, lsp_session, model_calls, wait_for_calls

URI = "file:///work/demo.py"
SOURCE = "def add(a, b):\n    return \n"


async def test_cancel_request_closes_the_model_stream(model: ModelServer) -> None:
    model.add_rule(Reply(fault=Fault(kind="hang")))
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        msg_id, answer = session.send_inline(URI, 1, 11, invoked=True)
        [request] = await wait_for_calls(model, 1)
        session.cancel(msg_id)
        assert await model.wait_for_disconnect(request.id, timeout=3.0)
        try:
            result = await asyncio.wait_for(answer, 3.0)
        except Exception:  # the client may answer a cancelled request with an error
            result = None
        assert result is None or not result.items
        stats = await session.stats()
        assert stats["counters"]["cancelled"] == 1


async def test_newer_request_supersedes_without_cancel(model: ModelServer) -> None:
    # Neovim never cancels: the older request must still be answered, empty and fast.
    model.add_rule(Reply(text="a + b", profile=Profile(ttft_ms=1500)), times=1)
    model.add_rule("a + b")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        _, first = session.send_inline(URI, 1, 11)
        [slow] = await wait_for_calls(model, 1)
        session.type_text(URI, 1, 11, "b")
        started = time.monotonic()
        second = await session.inline(URI, 1, 12)
        older = await asyncio.wait_for(first, 2.0)
        assert time.monotonic() - started < 1.4
        assert isinstance(older, types.InlineCompletionList)
        assert list(older.items) == []
        assert second == [] or all(item.insert_text for item in second)
        assert await model.wait_for_disconnect(slow.id, timeout=3.0)
        stats = await session.stats()
        assert stats["counters"]["superseded"] >= 1


async def test_identical_requests_share_one_model_call(model: ModelServer) -> None:
    model.add_rule(Reply(text="a + b", profile=Profile(ttft_ms=300)))
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        _, first = session.send_inline(URI, 1, 11, invoked=True)
        await wait_for_calls(model, 1)
        second = await session.inline(URI, 1, 11, invoked=True)
        await asyncio.wait_for(first, 3.0)
        assert [item.insert_text for item in second] == ["a + b"]
        stats = await session.stats()
    assert len(model_calls(model)) == 1
    assert stats["counters"]["singleFlightHits"] == 1
