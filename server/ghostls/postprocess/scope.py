"""Stage: keep a multi-line insertion inside the cursor's block.

The insertion ends before the first line that starts a statement to the left of the block the
cursor is in (the enclosing code is already in the document, or is not the model's business).
Lines inside strings, comments and bracketed continuations do not end it; comment lines out
of the block right before the line that ends it go with that line. Lines at the block's
own level are kept: after `if x:|` the body may be followed by an `else:` at the same level.
"""

from __future__ import annotations

from ghostls.cursor import Cursor, Insertion, indent_of
from ghostls.lang import is_comment, scan
from ghostls.postprocess.layout import block_indent


def limit_scope(insertion: Insertion, ctx: Cursor) -> Insertion:
    lines = insertion.text.split("\n")
    if not ctx.multiline or len(lines) < 2:
        return insertion
    starts = scan(insertion.text, ctx.syntax, ctx.cursor_state)
    block = block_indent(lines, starts, ctx)
    if block is None:
        return insertion
    for index in range(1, len(lines)):
        line = lines[index]
        if not line.strip() or is_comment(line) or not starts.line_start(index).statement:
            continue
        if ctx.width(indent_of(line)) < block:
            return Insertion(
                "\n".join(lines[: _introduced(lines, index, block, ctx)]), insertion.replace_suffix
            )
    return insertion


def _introduced(lines: list[str], index: int, block: int, ctx: Cursor) -> int:
    """Where the insertion ends when it leaves the block at line `index`: before the comment
    lines out of the block that introduce that line too ("# Example usage"), with the blank
    lines around them."""
    end = index
    while end > 1 and (
        not lines[end - 1].strip()
        or (is_comment(lines[end - 1]) and ctx.width(indent_of(lines[end - 1])) < block)
    ):
        end -= 1
    if not any(is_comment(line) for line in lines[end:index]):
        return index
    return end
