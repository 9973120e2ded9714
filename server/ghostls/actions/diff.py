"""Minimal edits from a region's old and new text: a diff on lines, then on characters.

Positions come out in the negotiated encoding (UTF-16, UTF-8 or UTF-32 units), computed with
the document's own helpers; the diff runs on "\\n" line ends so no edit ever splits a "\\r\\n",
and inserted text takes the document's line ending. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from ghostls.documents import (
    Document,
    Encoding,
    Point,
    denormalize_eol,
    normalize_eol,
    shared_ends,
)

REFINE_MAX_CHARS = 6000
"""Changed blocks longer than this (old + new) are replaced whole instead of diffed by char."""
REFINE_MIN_RATIO = 0.5
"""Changed blocks less alike than this are replaced whole: a char diff would be noise."""
MERGE_GAP = 3
"""Character changes separated by fewer unchanged characters are merged into one edit."""


@dataclass(frozen=True)
class Edit:
    """One text edit in client units: replace start..end with `new_text`."""

    start_line: int
    start_character: int
    end_line: int
    end_character: int
    new_text: str


@dataclass(frozen=True)
class Change:
    """A replacement of old[start:end] by `text`, in offsets of the "\\n" old text."""

    start: int
    end: int
    text: str


def region_text(doc: Document, start: Point, end: Point) -> str:
    """The document's text between two points, line ends as in the document."""
    if start.line == end.line:
        return doc.lines[start.line][start.col : end.col]
    parts = [doc.lines[start.line][start.col :]]
    parts.extend(doc.lines[start.line + 1 : end.line])
    parts.append(doc.lines[end.line][: end.col])
    return "".join(parts)


def diff(old: str, new: str) -> list[Change]:
    """The changes that turn `old` into `new` ("\\n" line ends), in order, never overlapping."""
    if old == new:
        return []
    old_lines = _lines(old)
    new_lines = _lines(new)
    old_starts = _starts(old_lines)
    new_starts = _starts(new_lines)
    changes: list[Change] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a_start, a_end = old_starts[i1], old_starts[i2]
        b_start, b_end = new_starts[j1], new_starts[j2]
        changes.extend(_refine(old[a_start:a_end], new[b_start:b_end], a_start))
    return changes


def minimal_edits(
    doc: Document, start: Point, end: Point, new_text: str, encoding: Encoding
) -> list[Edit]:
    """Edits that turn the region start..end of `doc` into `new_text`."""
    old = normalize_eol(region_text(doc, start, end))
    return [
        edit_of(doc, start, old, change, encoding) for change in diff(old, normalize_eol(new_text))
    ]


def edit_of(doc: Document, start: Point, old: str, change: Change, encoding: Encoding) -> Edit:
    """A change of the region `old` ("\n" text) that starts at `start`, as a document edit."""
    line_starts = _starts(_lines(old))
    first = _point(old, line_starts, change.start, start)
    last = _point(old, line_starts, change.end, start)
    return Edit(
        first.line,
        doc.units(first, encoding),
        last.line,
        doc.units(last, encoding),
        denormalize_eol(change.text, doc.eol()),
    )


def _lines(text: str) -> list[str]:
    """Lines with their "\\n" (only "\\n": str.splitlines also splits on other characters)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _starts(lines: list[str]) -> list[int]:
    """Offset of each line's start, then the total length."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _point(old: str, line_starts: list[int], offset: int, origin: Point) -> Point:
    """The document point of an offset into the region's "\\n" text."""
    line = old.count("\n", 0, offset)
    col = offset - line_starts[line]
    return Point(origin.line + line, col + (origin.col if line == 0 else 0))


def _refine(old: str, new: str, base: int) -> list[Change]:
    """A changed block as character changes when they are few and meaningful, else one."""
    if old and new and len(old) + len(new) <= REFINE_MAX_CHARS:
        matcher = SequenceMatcher(None, old, new, autojunk=False)
        if matcher.ratio() >= REFINE_MIN_RATIO:
            merged: list[list[int]] = []
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "equal":
                    continue
                if merged and i1 - merged[-1][1] < MERGE_GAP:
                    merged[-1][1] = i2
                    merged[-1][3] = j2
                else:
                    merged.append([i1, i2, j1, j2])
            return [Change(base + i1, base + i2, new[j1:j2]) for i1, i2, j1, j2 in merged]
    return [_trimmed(old, new, base)]


def _trimmed(old: str, new: str, base: int) -> Change:
    """One change without the head and tail the two texts share."""
    head, tail = shared_ends(old, new)
    return Change(base + head, base + len(old) - tail, new[head : len(new) - tail])
