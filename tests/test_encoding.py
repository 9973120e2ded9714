"""Ranges are exact in the negotiated encoding, with emoji, CJK and CRLF documents."""

from __future__ import annotations

import pytest
from lsprotocol import types

from ghostls.documents import text_units
from ghostls.testing import ModelServer
from ghostls.testing.lsp import apply_item
from tests.support import base_settings, lsp_session, model_calls

URI = "file:///work/unicode.py"


def _position(text: str, offset: int, encoding: str) -> types.Position:
    before = text[:offset].replace("\r\n", "\n")
    line = before.count("\n")
    column = before[before.rfind("\n") + 1 :]
    return types.Position(line, text_units(column, encoding))  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
@pytest.mark.parametrize("eol", ["\n", "\r\n"])
async def test_range_with_emoji_cjk_and_line_ends(
    model: ModelServer, encoding: str, eol: str
) -> None:
    text = eol.join(["# 😀 数据", 'label = greet("😀 你好"', "print(label)", ""])
    cursor = text.index('"', text.index("你好"))
    model.add_rule(', "世界")', contains="greet")
    async with lsp_session(base_settings(model.base_url), encodings=[encoding]) as session:
        assert session.init.capabilities.position_encoding == encoding
        session.open(URI, text)
        position = _position(text, cursor + 1, encoding)
        items = await session.inline(URI, position.line, position.character)
    assert len(items) == 1
    item = items[0]
    assert item.range is not None
    assert item.range.start == position
    applied = apply_item(text, item, encoding=encoding)
    assert applied == text.replace('"😀 你好"', '"😀 你好", "世界")')


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
async def test_incremental_edits_after_emoji(model: ModelServer, encoding: str) -> None:
    text = "s = '🎉'\n"
    model.add_rule(" + '!'", contains="s = '🎉'x")
    async with lsp_session(base_settings(model.base_url), encodings=[encoding]) as session:
        session.open(URI, text)
        end = text_units("s = '🎉'", encoding)  # type: ignore[arg-type]
        session.type_text(URI, 0, end, "x")
        items = await session.inline(URI, 0, end + 1)
        assert [item.insert_text for item in items] == [" + '!'"]
    prompt = model_calls(model)[-1].body["prompt"]
    assert prompt.endswith("s = '🎉'x")


async def test_multiline_insertion_keeps_crlf(model: ModelServer) -> None:
    text = "def f():\r\n    \r\n"
    model.add_rule("x = 1\n    return x", contains="def f")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, text)
        items = await session.inline(URI, 1, 4)
    assert [item.insert_text for item in items] == ["x = 1\r\n    return x"]
