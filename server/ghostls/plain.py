"""Messages of methods lsprotocol does not know (ghostls's own, Copilot's inline edits) reach
handlers as pygls's named tuples: `plain` turns them into the dicts and lists of their JSON."""

from __future__ import annotations

from typing import Any


def plain(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value
