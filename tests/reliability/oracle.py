"""The text the client holds, edited the way LSP says, written independently of the server's
line model: one flat string, offsets counted in UTF-16 code units, and the LSP clamping
rules (a line past the end is the end of the text, a column past the end of its line is the
line's end, a column inside a surrogate pair is the start of that character, an end before
the start is the start)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_BREAK = re.compile(r"\r\n|\r|\n")


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end of body) of each line."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def offset(text: str, line: int, character: int) -> int:
    spans = _line_spans(text)
    if line >= len(spans):
        return len(text)
    start, end = spans[line]
    units = 0
    for index in range(start, end):
        width = 2 if ord(text[index]) > 0xFFFF else 1
        if units + width > character:
            return index
        units += width
    return end


def position(text: str, index: int) -> tuple[int, int]:
    """The (line, UTF-16 column) of a code-point index that is not inside a line break."""
    spans = _line_spans(text)
    for line, (start, end) in enumerate(spans):
        if start <= index <= end:
            return line, utf16_len(text[start:index])
    raise ValueError(f"index {index} is inside a line break")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def normalize(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class ClientText:
    text: str

    def apply(self, change: dict[str, Any]) -> None:
        """Apply one LSP content change (incremental with a range, or the whole text)."""
        if "range" not in change:
            self.text = change["text"]
            return
        rng = change["range"]
        start = offset(self.text, rng["start"]["line"], rng["start"]["character"])
        end = offset(self.text, rng["end"]["line"], rng["end"]["character"])
        end = max(end, start)
        self.text = self.text[:start] + change["text"] + self.text[end:]


def change(start: tuple[int, int], end: tuple[int, int], text: str) -> dict[str, Any]:
    return {
        "range": {
            "start": {"line": start[0], "character": start[1]},
            "end": {"line": end[0], "character": end[1]},
        },
        "text": text,
    }
