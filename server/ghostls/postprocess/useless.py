"""Stage: drop an insertion that adds nothing: blank, or a copy of the next line."""

from __future__ import annotations

from ghostls.cursor import Cursor, Insertion


def drop_useless(insertion: Insertion, ctx: Cursor) -> Insertion | None:
    text = insertion.text
    if not text.strip():
        return None
    if "\n" not in text and not ctx.line_suffix.strip():
        line = (ctx.line_prefix + text).rstrip()
        if line == ctx.next_non_empty_line.rstrip():
            return None
    return insertion
