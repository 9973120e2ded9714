"""Each fault the local model server can inject, as the openai package experiences it."""

from __future__ import annotations

import asyncio
import time

import openai
import pytest
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam

from ghostls.testing import Fault, ModelServer, Reply
from ghostls.testing.tokens import tokenize

TEXT = "alpha beta gamma delta epsilon"
USER: list[ChatCompletionMessageParam] = [{"role": "user", "content": "go"}]


async def read_stream(client: AsyncOpenAI, received: list[str]) -> None:
    """Stream a chat completion, appending each content piece to `received`."""
    stream = await client.chat.completions.create(model="ghost-coder", messages=USER, stream=True)
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            received.append(chunk.choices[0].delta.content)


async def test_429_with_retry_after(server: ModelServer, client: AsyncOpenAI) -> None:
    headers = {"x-ratelimit-remaining-requests": "0"}
    server.fault_next(Fault("status", status=429, retry_after=0.5, headers=headers))
    with pytest.raises(openai.RateLimitError) as raised:
        await client.chat.completions.create(model="ghost-coder", messages=USER, stream=True)

    response = raised.value.response
    assert response.headers["retry-after"] == "0.5"
    assert response.headers["retry-after-ms"] == "500"
    assert response.headers["x-ratelimit-remaining-requests"] == "0"
    assert raised.value.code == "rate_limit_exceeded"
    assert server.requests[0].status == 429


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (500, openai.InternalServerError),
        (503, openai.InternalServerError),
        (400, openai.BadRequestError),
    ],
)
async def test_status_faults(
    server: ModelServer, client: AsyncOpenAI, status: int, error: type[openai.APIStatusError]
) -> None:
    server.fault_next(Fault("status", status=status))
    with pytest.raises(error) as raised:
        await client.completions.create(model="ghost-coder", prompt="p")
    assert raised.value.status_code == status
    assert "retry-after" not in raised.value.response.headers


async def test_faults_apply_in_turn_before_rules(server: ModelServer, client: AsyncOpenAI) -> None:
    server.add_rule("from the rule", times=1)
    server.fault_next(Fault("status", status=502), times=2)
    for _ in range(2):
        with pytest.raises(openai.APIStatusError):
            await client.completions.create(model="ghost-coder", prompt="p")
    answer = await client.completions.create(model="ghost-coder", prompt="p")
    assert answer.choices[0].text == "from the rule"


async def test_cut_ends_the_stream_early(server: ModelServer, client: AsyncOpenAI) -> None:
    server.add_rule(TEXT)
    server.fault_next(Fault("cut", after_chunks=3))
    received: list[str] = []
    with pytest.raises(openai.APIConnectionError):
        await read_stream(client, received)

    assert received == tokenize(TEXT)[:3]
    [record] = server.requests
    assert record.chunks_sent == 3 and not record.completed and not record.disconnected


async def test_cut_of_a_whole_answer(server: ModelServer, client: AsyncOpenAI) -> None:
    server.fault_next(Fault("cut"))
    with pytest.raises(openai.APIConnectionError):
        await client.completions.create(model="ghost-coder", prompt="p")


async def test_malformed_chunk_breaks_json_parsing(
    server: ModelServer, client: AsyncOpenAI
) -> None:
    server.default_reply = TEXT
    server.fault_next(Fault("malformed", after_chunks=2))
    received: list[str] = []
    with pytest.raises(ValueError, match="Unterminated string"):
        await read_stream(client, received)
    assert received == tokenize(TEXT)[:2]


async def test_hang_sends_nothing_until_the_client_gives_up(
    server: ModelServer, client: AsyncOpenAI
) -> None:
    server.fault_next(Fault("hang"))
    with pytest.raises(openai.APITimeoutError):
        await client.with_options(timeout=0.3).chat.completions.create(
            model="ghost-coder", messages=USER, stream=True
        )
    [record] = server.requests
    assert await server.wait_for_disconnect(record.id, timeout=2)
    assert record.first_byte_at is None and record.chunks_sent == 0


async def test_drip_sends_one_chunk_per_interval(server: ModelServer, client: AsyncOpenAI) -> None:
    server.default_reply = "a b c"  # 5 tokens
    server.fault_next(Fault("drip", interval_s=0.05))
    arrivals: list[float] = []
    started = time.monotonic()
    stream = await client.chat.completions.create(model="ghost-coder", messages=USER, stream=True)
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            arrivals.append(time.monotonic() - started)

    assert len(arrivals) == 5
    assert arrivals[-1] >= 0.8 * 5 * 0.05
    assert arrivals[-1] - arrivals[0] >= 0.8 * 4 * 0.05


async def test_endless_streams_until_the_client_leaves(
    server: ModelServer, client: AsyncOpenAI
) -> None:
    server.default_reply = "spam "
    server.fault_next(Fault("endless"))
    stream = await client.chat.completions.create(model="ghost-coder", messages=USER, stream=True)
    count = 0
    async for chunk in stream:
        count += bool(chunk.choices and chunk.choices[0].delta.content)
        if count == 500:
            break
    await stream.close()

    [record] = server.requests
    assert await server.wait_for_disconnect(record.id, timeout=2)
    assert record.chunks_sent >= 500 and not record.completed
    assert record.text_sent.startswith("spam spam ")


async def test_huge_answers(server: ModelServer, client: AsyncOpenAI) -> None:
    size = 1_000_000
    server.default_reply = "0123456789"
    server.fault_next(Fault("huge", size_bytes=size), times=2)
    received: list[str] = []
    await read_stream(client, received)
    whole = await client.completions.create(model="ghost-coder", prompt="p", max_tokens=5)

    assert len("".join(received)) == size
    assert "".join(received).startswith("0123456789012")
    assert len(whole.choices[0].text) == size


async def test_content_faults_damage_the_rule_text(
    server: ModelServer, client: AsyncOpenAI
) -> None:
    server.add_rule(Reply(text=TEXT, finish_reason="length"), contains="go")
    server.fault_next(Fault("drip", interval_s=0.001))
    answer = await client.chat.completions.create(model="ghost-coder", messages=USER)
    assert answer.choices[0].message.content == TEXT
    assert answer.choices[0].finish_reason == "length"


async def test_stopping_the_server_ends_hung_requests(client: AsyncOpenAI) -> None:
    hung = ModelServer()
    await hung.start()
    hung.fault_next(Fault("hang"))
    request = asyncio.create_task(
        client.with_options(base_url=hung.base_url).completions.create(model="m", prompt="p")
    )
    [record] = await hung.wait_for_requests(1)
    started = time.monotonic()
    await hung.stop()

    assert time.monotonic() - started < 2
    assert record.finished_at is not None and not record.disconnected
    with pytest.raises(openai.APIConnectionError):
        await request


def test_unknown_fault_kind() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault("explode")  # type: ignore[arg-type]
