"""Stage: in single-line mode, keep the first line only.

On a blank cursor line an answer that starts with a line break means its first line: the
break is skipped (the cursor line itself has nothing to finish).
"""

from __future__ import annotations

from ghostls.cursor import Cursor, Insertion


def keep_first_line(insertion: Insertion, ctx: Cursor) -> Insertion:
    text = insertion.text
    if ctx.multiline or "\n" not in text:
        return insertion
    if ctx.at_line_start and not ctx.line_suffix.strip():
        text = text.lstrip(" \t\n") if not text.split("\n", 1)[0].strip() else text
    return Insertion(text.split("\n", 1)[0], insertion.replace_suffix)
