"""Inline completion through the protocol, in each prompt mode."""

from __future__ import annotations

from lsprotocol import types

from ghostls.testing import ModelServer
from ghostls.testing.lsp import apply_item
from tests.support import base_settings, lsp_session, model_calls

URI = "file:///work/demo.py"
SOURCE = "def add(a, b):\n    return \n\nprint(add(1, 2))\n"


def _text(item: types.InlineCompletionItem) -> str:
    return item.insert_text if isinstance(item.insert_text, str) else item.insert_text.value


async def test_fim_mode_sends_prompt_and_suffix(model: ModelServer) -> None:
    model.add_rule("a + b", contains="def add")
    async with lsp_session(base_settings(model.base_url, promptMode="fim")) as session:
        session.open(URI, SOURCE)
        items = await session.inline(URI, 1, 11)
        assert [_text(item) for item in items] == ["a + b"]
        assert apply_item(SOURCE, items[0]) == SOURCE.replace("return ", "return a + b")
    request = model_calls(model)[-1]
    assert request.path == "/v1/completions"
    assert request.body["prompt"].endswith("def add(a, b):\n    return ")
    assert request.body["suffix"].startswith("\n\nprint(add(1, 2))")
    assert request.body["model"] == "ghost-coder"
    assert request.body["stream"] is True


async def test_fim_tokens_mode_uses_the_template(model: ModelServer) -> None:
    model.add_rule("a + b", contains="def add")
    settings = base_settings(model.base_url, promptMode="fim-tokens", fimTemplate="qwen")
    async with lsp_session(settings) as session:
        session.open(URI, SOURCE)
        items = await session.inline(URI, 1, 11)
        assert [_text(item) for item in items] == ["a + b"]
    body = model_calls(model)[-1].body
    assert "suffix" not in body
    assert body["prompt"].startswith("<|fim_prefix|>def add(a, b):")
    assert "<|fim_suffix|>" in body["prompt"]
    assert body["prompt"].endswith("<|fim_middle|>")


async def test_chat_mode_answer_is_cleaned(model: ModelServer) -> None:
    model.add_rule("Here is the completion:\n```python\na + b\n```", contains="def add")
    async with lsp_session(base_settings(model.base_url, promptMode="chat")) as session:
        session.open(URI, SOURCE)
        items = await session.inline(URI, 1, 11)
        assert [_text(item) for item in items] == ["a + b"]
    request = model_calls(model)[-1]
    assert request.path == "/v1/chat/completions"
    roles = [message["role"] for message in request.body["messages"]]
    assert roles == ["system", "user"]
    assert "<CURSOR>" in request.body["messages"][1]["content"]


async def test_invoked_and_automatic_triggers(model: ModelServer) -> None:
    model.add_rule("a + b", contains="def add")
    settings = base_settings(model.base_url, debounceMs=200)
    async with lsp_session(settings) as session:
        session.open(URI, SOURCE)
        items = await session.inline(URI, 1, 11, invoked=True)
        assert [_text(item) for item in items] == ["a + b"]
        session.open("file:///work/other.py", SOURCE)
        items = await session.inline("file:///work/other.py", 1, 11)
        assert [_text(item) for item in items] == ["a + b"]
    assert len(model_calls(model)) == 2


async def test_item_replaces_trailing_closer(model: ModelServer) -> None:
    model.add_rule("1, 2)", contains="total = add(")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, "total = add()\n")
        items = await session.inline(URI, 0, 12)
        assert len(items) == 1
        applied = apply_item("total = add()\n", items[0])
        assert applied == "total = add(1, 2)\n"


async def test_excluded_file_gets_nothing(model: ModelServer) -> None:
    model.add_rule("SECRET=1")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open("file:///work/.env", "TOKEN=", language="dotenv")
        assert await session.inline("file:///work/.env", 0, 6, invoked=True) == []
    assert model_calls(model) == []


async def test_unknown_document_and_out_of_range_position(model: ModelServer) -> None:
    model.add_rule("a + b", contains="def add")
    async with lsp_session(base_settings(model.base_url)) as session:
        assert await session.inline("file:///work/missing.py", 0, 0) == []
        session.open(URI, SOURCE)
        items = await session.inline(URI, 99, 99, invoked=True)
        # Ranges start at the position clamped into the document: its end.
        assert all(
            item.range is not None and item.range.start == types.Position(4, 0) for item in items
        )
        items = await session.inline(URI, 1, 11)
        assert [_text(item) for item in items] == ["a + b"]


async def test_provider_fim_path_is_used(model: ModelServer) -> None:
    settings = base_settings(model.base_url, provider="mistral", apiKey="mistral-test-key-123")
    async with lsp_session(settings) as session:
        session.open(URI, SOURCE)
        await session.inline(URI, 1, 11, invoked=True)
    paths = [request.path for request in model.requests]
    assert "/v1/fim/completions" in paths
    fim = next(request for request in model.requests if request.path == "/v1/fim/completions")
    assert fim.body["suffix"].startswith("\n\nprint(add(1, 2))")
    assert fim.headers["authorization"] == "Bearer mistral-test-key-123"


async def test_empty_line_inside_a_block_gets_one_line(model: ModelServer) -> None:
    source = "def total(items):\n    count = 0\n    \n    return count\n"
    model.add_rule("count += len(items)\n    print(count)\n    return count", contains="count = 0")
    async with lsp_session(base_settings(model.base_url, promptMode="fim")) as session:
        session.open(URI, source)
        items = await session.inline(URI, 2, 4)
        assert [_text(item) for item in items] == ["count += len(items)"]
    assert model_calls(model)[-1].body["max_tokens"] == 64  # the single-line budget
