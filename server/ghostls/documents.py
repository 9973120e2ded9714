"""The open documents: an incremental line model with exact position encodings.

Positions arrive in the encoding negotiated at initialisation (UTF-16 unless the client
offered UTF-8 or UTF-32). Internally a position is a *point*: a line index and a column
counted in Unicode code points into that line. Every conversion clamps: a line past the end
goes to the end of the document, a column past the end of a line goes to its end, and a
column that splits a surrogate pair or a UTF-8 sequence goes to the start of that character.

The keystroke path only touches the lines it needs: applying an edit splices the affected
lines, and windows around the cursor are cut from the neighbouring lines, never from the
whole text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]

EditListener = Callable[["Document", int, int, list[str]], None]
"""Told of an edit before it lands: (document, first line, last line replaced (inclusive),
the lines replacing them). The document's lines still hold the old text."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Point:
    """A position inside the document: line index and code-point column."""

    line: int
    col: int


def split_lines(text: str) -> list[str]:
    """Split into lines that keep their terminators; LSP line ends only (\\n, \\r\\n, \\r)."""
    lines: list[str] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    lines.append(text[start:])
    return lines


def shared_ends(old: Sequence[object], new: Sequence[object]) -> tuple[int, int]:
    """How many items (characters, lines) the two start with and end with alike, the end
    never overlapping the start."""
    most = min(len(old), len(new))
    head = 0
    while head < most and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < most - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


def line_body(line: str) -> str:
    """A line without its terminator."""
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith(("\n", "\r")):
        return line[:-1]
    return line


_CODECS = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2)}


def units_to_col(body: str, units: int, encoding: Encoding) -> int:
    """Code-point column for a column in `encoding` units, clamped to the line; a column
    inside a character (a surrogate pair, a UTF-8 sequence) goes to the character's start."""
    if units <= 0:
        return 0
    if encoding == "utf-32" or body.isascii():
        return min(units, len(body))
    codec, width = _CODECS[encoding]
    # Encoding and decoding run in C: linear and fast even on a 10 MB line.
    head = body.encode(codec, "surrogatepass")[: units * width]
    return len(head.decode(codec, "ignore"))


def col_to_units(body: str, col: int, encoding: Encoding) -> int:
    """Column in `encoding` units for a code-point column."""
    col = max(0, min(col, len(body)))
    if encoding == "utf-32" or body.isascii():
        return col
    codec, width = _CODECS[encoding]
    return len(body[:col].encode(codec, "surrogatepass")) // width


def text_units(text: str, encoding: Encoding) -> int:
    """Length of `text` in `encoding` units."""
    return col_to_units(text, len(text), encoding)


@dataclass
class Document:
    """One open text document."""

    uri: str
    language_id: str
    version: int
    lines: list[str] = field(default_factory=lambda: [""])
    revision: int = field(default=0, compare=False)  # bumped by every edit
    on_edit: EditListener | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_text(cls, uri: str, language_id: str, version: int, text: str) -> Document:
        return cls(uri=uri, language_id=language_id, version=version, lines=split_lines(text))

    @property
    def text(self) -> str:
        return "".join(self.lines)

    @property
    def line_count(self) -> int:
        return len(self.lines)

    def body(self, line: int) -> str:
        return line_body(self.lines[line])

    def eol(self) -> str:
        """The document's line ending, judged from its first line break."""
        for line in self.lines:
            if line.endswith("\r\n"):
                return "\r\n"
            if line.endswith("\n"):
                return "\n"
            if line.endswith("\r"):
                return "\r"
        return "\n"

    # -- positions -------------------------------------------------------------------------

    def point(self, line: int, units: int, encoding: Encoding) -> Point:
        """Clamp a client position (`line`, `units`) to a point in the document."""
        if line < 0:
            return Point(0, 0)
        if line >= len(self.lines):
            last = len(self.lines) - 1
            return Point(last, len(self.body(last)))
        return Point(line, units_to_col(self.body(line), units, encoding))

    def units(self, point: Point, encoding: Encoding) -> int:
        """The client column of a point."""
        return col_to_units(self.body(point.line), point.col, encoding)

    # -- edits -----------------------------------------------------------------------------

    def replace(self, start: Point, end: Point, text: str) -> None:
        """Replace the text between two points (an end before the start counts as the start).

        Line breaks are re-read around the edit, so a "\\r" that meets a "\\n" becomes one
        "\\r\\n" break, exactly as the client's buffer sees it.
        """
        if (end.line, end.col) < (start.line, start.col):
            end = start
        first = start.line
        head = self.lines[first][: start.col]
        if start.col == 0 and first > 0 and self.lines[first - 1].endswith("\r"):
            first -= 1
            head = self.lines[first]
        new_lines = split_lines(head + text + self.lines[end.line][end.col :])
        if len(new_lines) > 1 and new_lines[-1] == "" and end.line < len(self.lines) - 1:
            new_lines.pop()
        if self.on_edit is not None:
            self.on_edit(self, first, end.line, new_lines)
        self.lines[first : end.line + 1] = new_lines
        self.revision += 1

    def replace_all(self, text: str) -> None:
        new_lines = split_lines(text)
        if self.on_edit is not None and new_lines != self.lines:
            self._report_difference(new_lines)
        self.lines = new_lines
        self.revision += 1

    def _report_difference(self, new_lines: list[str]) -> None:
        """Tell the listener which lines a full-text change replaced (a client that sends the
        whole text still edits one place at a time)."""
        assert self.on_edit is not None
        old = self.lines
        head, tail = shared_ends(old, new_lines)
        old_end, new_end = len(old) - tail, len(new_lines) - tail
        if old_end == head:  # lines only inserted: report them with a neighbouring line
            if tail:
                old_end, new_end = old_end + 1, new_end + 1
            else:
                head -= 1
        self.on_edit(self, head, old_end - 1, new_lines[head:new_end])

    # -- windows ---------------------------------------------------------------------------

    def window_before(self, point: Point, max_chars: int) -> tuple[int, str]:
        """The first line and the text of up to `max_chars` before the point, starting on a
        line boundary (or inside the cursor's line when that line alone is longer: a
        minified file). Line ends are the document's."""
        head = self.lines[point.line][max(0, point.col - max_chars) : point.col]
        size = len(head)
        first = point.line
        while first > 0 and size + len(self.lines[first - 1]) <= max_chars:
            first -= 1
            size += len(self.lines[first])
        return first, "".join(self.lines[first : point.line]) + head

    def window_after(self, point: Point, max_chars: int) -> tuple[int, str]:
        """The last line and the text of up to `max_chars` after the point, ending on a line
        boundary (or inside the cursor's line when that line alone is longer)."""
        tail = self.lines[point.line][point.col : point.col + max_chars]
        size = len(tail)
        last = point.line
        while last + 1 < len(self.lines) and size + len(self.lines[last + 1]) <= max_chars:
            last += 1
            size += len(self.lines[last])
        return last, tail + "".join(self.lines[point.line + 1 : last + 1])

    def text_from(self, line: int, point: Point) -> str:
        """The whole lines from `line` to the point's line, and that line up to the point."""
        return "".join(self.lines[line : point.line]) + self.lines[point.line][: point.col]

    def iter_lines(self, start: int, stop: int) -> Iterator[str]:
        return iter(self.lines[max(start, 0) : max(stop, 0)])


def normalize_eol(text: str) -> str:
    """Text with every line ending turned into "\\n"."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def denormalize_eol(text: str, eol: str) -> str:
    return text if eol == "\n" else text.replace("\n", eol)


class DocumentStore:
    """The documents the client has open, by URI."""

    def __init__(self, on_edit: EditListener | None = None) -> None:
        self._docs: dict[str, Document] = {}
        self.on_edit = on_edit  # told of every edit to an open document

    def open(self, uri: str, language_id: str, version: int, text: str) -> Document:
        doc = Document.from_text(uri, language_id, version, text)
        doc.on_edit = self._edited
        self._docs[uri] = doc
        return doc

    def _edited(self, doc: Document, first: int, last: int, new_lines: list[str]) -> None:
        if self.on_edit is not None:
            self.on_edit(doc, first, last, new_lines)

    def close(self, uri: str) -> None:
        self._docs.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        return self._docs.get(uri)

    def __contains__(self, uri: str) -> bool:
        return uri in self._docs

    def __len__(self) -> int:
        return len(self._docs)

    def all(self) -> Iterable[Document]:
        return self._docs.values()
