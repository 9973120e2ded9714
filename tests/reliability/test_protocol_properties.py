"""A property through the protocol: after random sequences of incremental edits with unicode
(surrogate pairs, combining marks, CJK, every kind of line break, ranges that overlap, run
backwards, split a pair or lie past the end), sent as didChange notifications to the real
server, the FIM prompt and suffix the model server receives equal the text the client holds,
split at the cursor.

The server and the model server run once for all examples, on an event loop in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ghostls.testing import ModelServer
from tests.reliability.helpers import assert_prompt_is
from tests.reliability.oracle import ClientText, normalize, offset
from tests.reliability.raw import RawServer, raw_server
from tests.support import base_settings, model_calls

T = TypeVar("T")

PIECES = [*"ab x_(:=", "\n", "\r\n", "\r", "\t", "é", "e\u0301", "中文", "😀", "🎉", "𝔘", "\u200b"]
text = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
positions = st.tuples(st.integers(0, 8), st.integers(0, 24))
edit = st.tuples(positions, positions, text)
batch = st.one_of(
    st.lists(edit, min_size=1, max_size=4),  # incremental changes, applied in order
    text.map(lambda whole: [whole]),  # a whole-text change
)


class Harness:
    """The model server and a raw ghostls connection on their own event loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.stack = contextlib.AsyncExitStack()
        self.uris = itertools.count()
        self.model: ModelServer
        self.server: RawServer

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def start(self) -> None:
        self.model = await self.stack.enter_async_context(ModelServer())
        self.model.default_reply = "pass"
        options = base_settings(self.model.base_url, timeoutMs=3000)
        self.server = await self.stack.enter_async_context(raw_server(options, reuse="none"))

    def close(self) -> None:
        self.run(self.stack.aclose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    running = Harness()
    running.run(running.start())
    try:
        yield running
    finally:
        running.close()


def _change(item: Any) -> dict[str, Any]:
    if isinstance(item, str):
        return {"text": item}
    (start_line, start_char), (end_line, end_char), new_text = item
    return {
        "range": {
            "start": {"line": start_line, "character": start_char},
            "end": {"line": end_line, "character": end_char},
        },
        "text": new_text,
    }


async def _check(
    harness: Harness, initial: str, batches: list[list[Any]], cursor: tuple[int, int]
) -> None:
    server, model = harness.server, harness.model
    uri = f"file:///work/prop/{next(harness.uris)}.py"
    client = ClientText(initial)
    await server.open(uri, initial)
    for version, items in enumerate(batches, start=2):
        changes = [_change(item) for item in items]
        for item in changes:
            client.apply(item)
        await server.change(uri, version, changes)
    at = offset(client.text, *cursor)
    calls = len(model_calls(model))
    response = await server.inline(uri, *cursor)
    assert "result" in response, response
    if normalize(client.text).strip():
        for _ in range(200):
            if len(model_calls(model)) > calls:
                break
            await asyncio.sleep(0.01)
        assert len(model_calls(model)) == calls + 1
        assert_prompt_is(model_calls(model)[-1], client.text, at)
    await server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(initial=text, batches=st.lists(batch, min_size=1, max_size=8), cursor=positions)
def test_the_prompt_is_the_text_the_client_holds(
    harness: Harness, initial: str, batches: list[list[Any]], cursor: tuple[int, int]
) -> None:
    harness.run(_check(harness, initial, batches, cursor))
