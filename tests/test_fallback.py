"""The completion-item fallback for editors without inline completion (Helix, Vim)."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from ghostls.testing import ModelServer
from tests.support import Session, base_settings, lsp_session, model_calls

URI = "file:///work/demo.py"
SOURCE = "def add(a, b):\n    return a\n"


async def _complete(session: Session, line: int, character: int) -> list[types.CompletionItem]:
    result: Any = await session.client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line, character),
            context=types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked),
        )
    )
    if result is None:
        return []
    return list(result.items if isinstance(result, types.CompletionList) else result)


async def test_client_without_inline_support_gets_an_item(model: ModelServer) -> None:
    model.add_rule(" + b", contains="def add")
    async with lsp_session(base_settings(model.base_url), inline=False) as session:
        session.open(URI, SOURCE)
        items = await _complete(session, 1, 12)
    assert len(items) == 1
    item = items[0]
    assert item.label == "a + b"
    assert item.label_details is not None and "ghostls" in (item.label_details.description or "")
    assert item.detail == "ghostls AI suggestion"
    assert isinstance(item.text_edit, types.TextEdit)
    # The edit starts at the word being typed, so clients filtering by "a" keep the item.
    assert item.text_edit.range.start == types.Position(1, 11)
    assert item.text_edit.range.end == types.Position(1, 12)
    assert item.text_edit.new_text == "a + b"
    assert item.filter_text is not None and item.filter_text.startswith("a")
    assert item.command is not None and item.command.command == "ghostls.accepted"


async def test_auto_gives_no_item_to_inline_clients(model: ModelServer) -> None:
    model.add_rule(" + b", contains="def add")
    async with lsp_session(base_settings(model.base_url), inline=True) as session:
        session.open(URI, SOURCE)
        assert await _complete(session, 1, 12) == []
    assert model_calls(model) == []


async def test_always_and_never(model: ModelServer) -> None:
    model.add_rule(" + b", contains="def add")
    settings = base_settings(model.base_url, completionFallback="always")
    async with lsp_session(settings, inline=True) as session:
        session.open(URI, SOURCE)
        assert [item.label for item in await _complete(session, 1, 12)] == ["a + b"]
    settings = base_settings(model.base_url, completionFallback="never")
    async with lsp_session(settings, inline=False) as session:
        session.open(URI, SOURCE)
        assert await _complete(session, 1, 12) == []
