"""What the tests and the benchmarks share to drive the server over LSP: the server's clean
environment, plain values of pygls results, and an inline item or edit applied to a text."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from lsprotocol import types

from ghostls.documents import Document, Encoding, Point, normalize_eol
from ghostls.plain import plain

__all__ = ["apply_inline_edit", "apply_item", "item_text", "plain", "server_env"]


def server_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a server under test: no keys or endpoints from the caller's shell
    (so that nothing the developer configured leaks into a run), plus `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("API_KEY")
        and not key.startswith("GHOSTLS_")
        and key not in ("OPENAI_BASE_URL",)
    }
    env.update(extra or {})
    return env


def item_text(item: types.InlineCompletionItem) -> str:
    text = item.insert_text
    return text if isinstance(text, str) else text.value


def apply_item(
    text: str,
    item: types.InlineCompletionItem,
    *,
    cursor: tuple[int, int] | None = None,
    encoding: Encoding = "utf-16",
) -> str:
    """The text after an editor applies the item: its range replaced by its text, or its
    text inserted at `cursor` when it has no range."""
    doc = Document.from_text("file:///applied", "plaintext", 0, text)
    if item.range is not None:
        start = doc.point(item.range.start.line, item.range.start.character, encoding)
        end = doc.point(item.range.end.line, item.range.end.character, encoding)
    else:
        assert cursor is not None, "an item without a range needs the cursor"
        start = end = doc.point(cursor[0], cursor[1], encoding)
    doc.replace(start, end, item_text(item))
    return doc.text


def apply_inline_edit(
    text: str, edit: Mapping[str, Any], encoding: Encoding = "utf-16"
) -> tuple[str, tuple[int, int]]:
    """The text after an editor applies an inline edit (`textDocument/copilotInlineEdit`'s
    JSON), and the position (line, character) just after the edit's new text."""
    doc = Document.from_text("file:///applied", "plaintext", 0, text)
    first, last = edit["range"]["start"], edit["range"]["end"]
    start = doc.point(first["line"], first["character"], encoding)
    end = doc.point(last["line"], last["character"], encoding)
    new = normalize_eol(edit["text"])
    doc.replace(start, end, new)
    lines = new.split("\n")
    line = start.line + len(lines) - 1
    col = (start.col if len(lines) == 1 else 0) + len(lines[-1])
    return doc.text, (line, doc.units(Point(line, col), encoding))
