"""The editable window of a next-edit request: whole lines around the cursor, which the model
rewrites, and the code above and below it that it only reads. Pure.

Texts are in "\\n" line ends; the window's text ends with "\\n" unless it reaches the end of
the document.
"""

from __future__ import annotations

from dataclasses import dataclass

from ghostls.documents import Document, Point, normalize_eol

CONTEXT_BEFORE_CHARS = 3000
CONTEXT_AFTER_CHARS = 1500


@dataclass(frozen=True)
class Window:
    first: int  # first line of the window
    last: int  # last line, inclusive
    text: str  # the window's lines, "\n" line ends
    cursor: int  # the cursor's offset in `text`
    before: str  # the code above the window (whole lines)
    after: str  # the code below the window (whole lines)
    starts_file: bool  # whether `before` begins at the document's start

    @property
    def start(self) -> Point:
        return Point(self.first, 0)


def take_window(
    doc: Document,
    point: Point,
    radius: int,
    *,
    before_chars: int = CONTEXT_BEFORE_CHARS,
    after_chars: int = CONTEXT_AFTER_CHARS,
) -> Window:
    """The lines within `radius` of the cursor's line (clamped to the document) and the code
    around them, up to `before_chars` above and `after_chars` below."""
    first = max(0, point.line - radius)
    last = min(doc.line_count - 1, point.line + radius)
    if last == doc.line_count - 1 and last > point.line and doc.lines[last] == "":
        last -= 1  # the empty line after a final line break is not a line to rewrite
    text = normalize_eol("".join(doc.lines[first : last + 1]))
    cursor = len(normalize_eol("".join(doc.lines[first : point.line]))) + point.col
    before_first, before = doc.window_before(Point(first, 0), before_chars)
    after_point = Point(last + 1, 0) if last + 1 < doc.line_count else None
    after = (
        normalize_eol(doc.window_after(after_point, after_chars)[1])
        if after_point is not None
        else ""
    )
    return Window(
        first=first,
        last=last,
        text=text,
        cursor=cursor,
        before=normalize_eol(before),
        after=after,
        starts_file=before_first == 0,
    )
