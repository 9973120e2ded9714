"""The "lean streaming" figure: what one streamed chunk costs to parse, two ways.

The same chat-completion SSE stream (100 content chunks) is read through the openai SDK both
ways, from an in-memory transport: the SDK's typed stream (a pydantic model per chunk) and
the raw-lines + orjson path that `ghostls.model` uses. The cost of a call without content
chunks is subtracted, so the figure is the per-chunk cost alone.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import httpx2
import openai
from openai.types.chat import ChatCompletionMessageParam

from ghostls.model import _sse_texts
from ghostls.testing.tokens import tokenize
from ghostls.testing.wire import DONE, Framer

CHUNKS = 100
_SAMPLE = (
    "def merge(left, right):\n    result = []\n    while left and right:\n"
    "        result.append(left.pop(0) if left[0] <= right[0] else right.pop(0))\n"
    "    return result + left + right\n"
)


@dataclass(frozen=True)
class StreamingFigures:
    chunks: int
    sdk_us_per_chunk: float
    lean_us_per_chunk: float

    @property
    def ratio(self) -> float:
        return self.sdk_us_per_chunk / max(self.lean_us_per_chunk, 1e-9)


def sse_stream(chunks: int) -> bytes:
    """A chat completion stream with `chunks` content chunks, as an OpenAI server sends it."""
    framer = Framer(chat=True, id="chatcmpl-bench", model="ghost-coder", created=1_700_000_000)
    tokens = tokenize(_SAMPLE)
    parts = [framer.opening()]
    parts.extend(framer.content(tokens[i % len(tokens)]) for i in range(chunks))
    parts.extend([framer.finish("stop"), DONE])
    return b"".join(parts)


def _client(body: bytes) -> openai.AsyncOpenAI:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    http = httpx2.AsyncClient(transport=httpx2.MockTransport(answer))
    return openai.AsyncOpenAI(
        base_url="http://bench.invalid/v1", api_key="bench", max_retries=0, http_client=http
    )


_MESSAGES: list[ChatCompletionMessageParam] = [{"role": "user", "content": "x"}]


async def _typed(client: openai.AsyncOpenAI) -> str:
    stream = await client.chat.completions.create(
        model="ghost-coder",
        messages=_MESSAGES,
        stream=True,
    )
    parts = []
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            parts.append(chunk.choices[0].delta.content)
    return "".join(parts)


async def _lean(client: openai.AsyncOpenAI) -> str:
    manager = client.chat.completions.with_streaming_response.create(
        model="ghost-coder",
        messages=_MESSAGES,
        stream=True,
    )
    parts = []
    async with manager as response:
        async for text in _sse_texts(response.iter_lines(), "chat"):
            parts.append(text)
    return "".join(parts)


async def measure(repetitions: int = 150, chunks: int = CHUNKS) -> StreamingFigures:
    """Per-chunk parse cost in µs of the SDK's typed stream and of ghostls's lean path."""
    full, empty = _client(sse_stream(chunks)), _client(sse_stream(0))
    times: dict[tuple[str, bool], list[float]] = {}
    paths = {"sdk": _typed, "lean": _lean}
    try:
        expected = await _lean(full)
        if await _typed(full) != expected:
            raise RuntimeError("the two stream parsers disagree")
        for _ in range(repetitions):
            for name, path in paths.items():
                for with_chunks, client in ((True, full), (False, empty)):
                    started = time.perf_counter()
                    await path(client)
                    times.setdefault((name, with_chunks), []).append(time.perf_counter() - started)
    finally:
        await full.close()
        await empty.close()

    def per_chunk(name: str) -> float:
        cost = statistics.median(times[(name, True)]) - statistics.median(times[(name, False)])
        return max(cost, 0.0) / chunks * 1e6

    return StreamingFigures(chunks, per_chunk("sdk"), per_chunk("lean"))


if __name__ == "__main__":  # pragma: no cover
    print(asyncio.run(measure()))
