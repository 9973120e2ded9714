"""The JSON of Copilot's inline-edit methods, which lsprotocol does not know. Pure.

- request `textDocument/copilotInlineEdit`: `{"textDocument": {"uri", "version"}, "position"}`;
- its result: `{"edits": [{"text", "textDocument": {"uri", "version"}, "range", "command"}]}`
  (several edits would be alternatives; ghostls offers one);
- notification `textDocument/didShowInlineEdit`: `{"item": {"command": {"arguments": [id]}}}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ghostls.actions.diff import Edit
from ghostls.plain import plain

INLINE_EDIT_REQUEST = "textDocument/copilotInlineEdit"
DID_SHOW_NOTIFICATION = "textDocument/didShowInlineEdit"
ACCEPTED_COMMAND = "ghostls.nextEditAccepted"
CAPABILITY = "copilotInlineEdit"


@dataclass(frozen=True)
class EditRequest:
    uri: str
    version: int | None  # None when the client sent none: the document's version then
    line: int
    character: int


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_request(params: Any) -> EditRequest | None:
    """The request's document and position, or None when they are not there."""
    value = plain(params)
    if not isinstance(value, Mapping):
        return None
    document, position = value.get("textDocument"), value.get("position")
    if not isinstance(document, Mapping) or not isinstance(position, Mapping):
        return None
    uri = document.get("uri")
    line, character = _whole(position.get("line")), _whole(position.get("character"))
    if not isinstance(uri, str) or line is None or character is None:
        return None
    return EditRequest(uri, _whole(document.get("version")), max(0, line), max(0, character))


def shown_id(params: Any) -> int | None:
    """The offer id a `didShowInlineEdit` notification names, if any."""
    value = plain(params)
    item = value.get("item") if isinstance(value, Mapping) else None
    command = item.get("command") if isinstance(item, Mapping) else None
    arguments = command.get("arguments") if isinstance(command, Mapping) else None
    if isinstance(arguments, list) and arguments:
        return _whole(arguments[0])
    return None


def edit_json(offer_id: int, uri: str, version: int, edit: Edit) -> dict[str, Any]:
    return {
        "text": edit.new_text,
        "textDocument": {"uri": uri, "version": version},
        "range": {
            "start": {"line": edit.start_line, "character": edit.start_character},
            "end": {"line": edit.end_line, "character": edit.end_character},
        },
        "command": {
            "title": "Accept next edit",
            "command": ACCEPTED_COMMAND,
            "arguments": [offer_id],
        },
    }
