"""Shared reading of line layout: the cursor line, the cursor's block."""

from __future__ import annotations

from ghostls.cursor import Cursor, indent_of
from ghostls.lang import Scan


def cursor_line(lines: list[str], ctx: Cursor) -> str:
    """The whole cursor line as the insertion leaves it (its first line after the typed part)."""
    return ctx.line_prefix + lines[0]


def block_indent(lines: list[str], starts: Scan, ctx: Cursor) -> int | None:
    """The indentation width of the block the insertion is written in: that of the statement
    the cursor is in, else that of the insertion's first code line."""
    if ctx.statement_indent is not None:
        return ctx.statement_indent
    if lines[0].strip():
        return ctx.width(indent_of(cursor_line(lines, ctx)))
    for index in range(1, len(lines)):
        if lines[index].strip() and starts.line_start(index).statement:
            return ctx.width(indent_of(lines[index]))
    return None
