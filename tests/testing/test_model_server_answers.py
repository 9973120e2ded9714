"""What the local model server answers, seen through the openai package and raw HTTP."""

from __future__ import annotations

from typing import Any

import aiohttp
import openai
import orjson
import pytest
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam

from ghostls.testing import ModelServer, RecordedRequest, Reply
from ghostls.testing.tokens import cut_at_stop, tokenize

CODE = "def add(a, b):\n    return a + b  # the sum, 100%!\n"
USER: list[ChatCompletionMessageParam] = [{"role": "user", "content": "complete def add"}]


async def stream_chat(client: AsyncOpenAI, **kwargs: Any) -> tuple[str, list[str | None]]:
    """Stream a chat completion; returns the text and the finish reasons seen."""
    stream = await client.chat.completions.create(
        model="ghost-coder", messages=USER, stream=True, **kwargs
    )
    text, reasons = [], []
    async for chunk in stream:
        for choice in chunk.choices:
            text.append(choice.delta.content or "")
            reasons.append(choice.finish_reason)
    return "".join(text), reasons


def test_tokens_join_back_into_the_text() -> None:
    text = "if x_value >= 10:\n\t\tprint('élan', y)  # ok\n"
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert all(len(token) <= 4 for token in tokens if not token.isspace())
    assert "\n\t\t" in tokens


def test_stop_cuts_at_the_earliest_sequence() -> None:
    assert cut_at_stop("a\nb;c", ["xx", ";", "\n"]) == ("a", True)
    assert cut_at_stop("a\nb", "\n") == ("a", True)
    assert cut_at_stop("abc", None) == ("abc", False)


async def test_chat_stream_reassembles_the_reply(server: ModelServer, client: AsyncOpenAI) -> None:
    server.default_reply = CODE
    stream = await client.chat.completions.create(model="ghost-coder", messages=USER, stream=True)
    chunks = [chunk async for chunk in stream]

    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[0].choices[0].delta.content == ""
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == CODE
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.object == "chat.completion.chunk" and c.id == chunks[0].id for c in chunks)
    [record] = server.requests
    assert record.completed and not record.disconnected
    assert record.text_sent == CODE
    assert record.chunks_sent == len(tokenize(CODE)) == len(chunks) - 2
    assert record.stream and record.prompt_text == "complete def add"


async def test_completions_stream_with_suffix(server: ModelServer, client: AsyncOpenAI) -> None:
    server.default_reply = CODE
    stream = await client.completions.create(
        model="ghost-coder", prompt="x = 1\n", suffix="\nprint(x)", stream=True
    )
    chunks = [chunk async for chunk in stream]

    assert "".join(c.choices[0].text for c in chunks) == CODE
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.object == "text_completion" for c in chunks)
    assert server.requests[0].prompt_text == "x = 1\n\n\nprint(x)"


async def test_include_usage_adds_a_usage_chunk(server: ModelServer, client: AsyncOpenAI) -> None:
    server.default_reply = "one two"
    stream = await client.chat.completions.create(
        model="ghost-coder",
        messages=USER,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]

    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == 3
    assert chunks[-1].usage.prompt_tokens == len(tokenize("complete def add"))
    assert chunks[-1].usage.total_tokens == chunks[-1].usage.prompt_tokens + 3


async def test_whole_answers(server: ModelServer, client: AsyncOpenAI) -> None:
    server.default_reply = CODE
    chat = await client.chat.completions.create(model="ghost-coder", messages=USER)
    text = await client.completions.create(model="other-model", prompt="x")

    assert chat.object == "chat.completion"
    assert chat.choices[0].message.content == CODE
    assert chat.choices[0].message.role == "assistant"
    assert chat.usage is not None and chat.usage.completion_tokens == len(tokenize(CODE))
    assert text.object == "text_completion"
    assert text.choices[0].text == CODE
    assert text.model == "other-model"
    assert [r.completed for r in server.requests] == [True, True]


async def test_models_list(client: AsyncOpenAI) -> None:
    models = [model async for model in client.models.list()]
    assert [(m.id, m.object, m.owned_by) for m in models] == [("ghost-coder", "model", "ghostls")]


async def test_max_tokens_and_stop(server: ModelServer, client: AsyncOpenAI) -> None:
    server.default_reply = CODE
    assert await stream_chat(client, max_tokens=3) == (
        "def add",
        [None, None, None, None, "length"],
    )
    text, reasons = await stream_chat(client, stop=["\n", "#"])
    assert (text, reasons[-1]) == ("def add(a, b):", "stop")
    whole = await client.completions.create(model="ghost-coder", prompt="x", stop="return")
    assert whole.choices[0].text == "def add(a, b):\n    "


async def test_suffix_refused_like_vllm(client: AsyncOpenAI) -> None:
    async with ModelServer(accept_suffix=False) as strict:
        strict_client = client.with_options(base_url=strict.base_url)
        with pytest.raises(openai.BadRequestError) as raised:
            await strict_client.completions.create(model="ghost-coder", prompt="a", suffix="b")
        await strict_client.completions.create(model="ghost-coder", prompt="a")

    error = raised.value.body
    assert isinstance(error, dict)
    assert error["param"] == "suffix" and error["type"] == "invalid_request_error"
    assert "suffix is not supported" in error["message"]
    assert [r.status for r in strict.requests] == [400, 200]


async def test_reply_precedence(server: ModelServer, client: AsyncOpenAI) -> None:
    asked: list[int] = []

    def responder(record: RecordedRequest) -> str | None:
        asked.append(record.id)
        return "from responder" if "please" in record.prompt_text else None

    async with ModelServer(responder=responder) as answering:
        answering.default_reply = Reply(text="from default")
        answering.add_rule("first rule", contains="alpha", times=1)
        answering.add_rule(Reply(text="second rule"), contains="alpha")
        c = client.with_options(base_url=answering.base_url)

        async def ask(prompt: str) -> str | None:
            messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": prompt}]
            answer = await c.chat.completions.create(model="m", messages=messages)
            return answer.choices[0].message.content

        assert await ask("alpha please") == "first rule"
        assert await ask("alpha") == "second rule"
        assert await ask("beta please") == "from responder"
        assert await ask("beta") == "from default"
    assert len(asked) == 2


async def test_async_responder_sees_the_request(client: AsyncOpenAI) -> None:
    async def responder(record: RecordedRequest) -> Reply:
        return Reply(text=f"model={record.body['model']}", finish_reason="length")

    async with ModelServer(responder=responder) as answering:
        c = client.with_options(base_url=answering.base_url)
        answer = await c.completions.create(model="abc", prompt="p")
    assert (answer.choices[0].text, answer.choices[0].finish_reason) == ("model=abc", "length")


async def test_headers_and_body_are_recorded(server: ModelServer, client: AsyncOpenAI) -> None:
    await client.chat.completions.create(
        model="ghost-coder",
        messages=[
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": [{"type": "text", "text": "hello"}]},
        ],
        extra_headers={"X-Trace": "t1"},
    )
    [record] = await server.wait_for_requests(1)
    assert record.headers["authorization"] == "Bearer test"
    assert record.headers["x-trace"] == "t1"
    assert record.body["messages"][0] == {"role": "system", "content": "be brief"}
    assert record.prompt_text == "be brief\nhello"
    assert not record.stream


async def test_sse_framing_is_openai_exact(
    server: ModelServer, http: aiohttp.ClientSession
) -> None:
    server.default_reply = "hi there"
    body = {"model": "ghost-coder", "messages": USER, "stream": True}
    async with http.post(f"{server.base_url}/chat/completions", json=body) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        raw = await response.read()

    events = raw.split(b"\n\n")
    assert events[-2:] == [b"data: [DONE]", b""]
    chunks = [orjson.loads(e.removeprefix(b"data: ")) for e in events[:-2]]
    assert all(e.startswith(b"data: {") for e in events[:-2])
    first, middle, last = chunks[0], chunks[1], chunks[-1]
    assert list(first) == ["id", "object", "created", "model", "system_fingerprint", "choices"]
    assert first["id"].startswith("chatcmpl-")
    assert first["choices"] == [
        {
            "index": 0,
            "delta": {"role": "assistant", "content": ""},
            "logprobs": None,
            "finish_reason": None,
        }
    ]
    assert middle["choices"][0]["delta"] == {"content": "hi"}
    assert last["choices"][0] == {
        "index": 0,
        "delta": {},
        "logprobs": None,
        "finish_reason": "stop",
    }


async def test_completions_framing(server: ModelServer, http: aiohttp.ClientSession) -> None:
    server.default_reply = "ok"
    body = {"model": "m", "prompt": "p", "stream": True}
    async with http.post(f"{server.base_url}/completions", json=body) as response:
        raw = await response.read()
    chunks = [orjson.loads(e.removeprefix(b"data: ")) for e in raw.split(b"\n\n")[:-2]]
    assert chunks[0]["object"] == "text_completion" and chunks[0]["id"].startswith("cmpl-")
    assert chunks[0]["choices"] == [
        {"text": "ok", "index": 0, "logprobs": None, "finish_reason": None}
    ]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


async def test_bad_requests_are_recorded(server: ModelServer, http: aiohttp.ClientSession) -> None:
    async with http.post(f"{server.base_url}/chat/completions", data=b"{nope") as response:
        assert response.status == 400
        assert (await response.json())["error"]["type"] == "invalid_request_error"
    async with http.post(f"{server.base_url}/embeddings", json={"input": "x"}) as response:
        assert response.status == 404
    assert [(r.path, r.status) for r in server.requests] == [
        ("/v1/chat/completions", 400),
        ("/v1/embeddings", 404),
    ]
    assert server.requests[1].body == {"input": "x"}
