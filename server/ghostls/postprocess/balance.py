"""Stage: end the insertion before a closer that pairs with nothing, or that the document
already has further on.

A `)` where a `[` is open, or a `}` with nothing open, breaks the code around the cursor: the
insertion stops just before it. Brackets inside strings and comments do not count. A closer
with nothing open only counts when the scan of the text before the cursor began at a known
statement start, or the cursor line starts a block of its own (so no opener can have been
missed).

A closer of a bracket that the text after the cursor closes too is the same kind of damage
(`f(g(‸) + 1)` + "x))" closes `f(` twice): where the rest of the cursor line starts by closing
the cursor's bracket, the insertion may close only the brackets whose closers start that rest
(the next stage retypes those); it stops before closing one that the document closes later.
At the end of a line inside a `{` block whose closing line below sits at the opening line's
indentation, an insertion that ends with that block closed closes it twice: it stops where it
first closes it (one that closes it and opens the next, `} else {`, ends with a block open and
is kept).

An insertion of several lines that ends inside brackets it opened itself was cut off mid-way
(by the token limit): it ends after its last line at which none of them is open.
"""

from __future__ import annotations

from collections.abc import Sequence

from ghostls.cursor import Cursor, Insertion, indent_of
from ghostls.lang import CLOSERS, PARTNER, Scan, scan
from ghostls.postprocess.closers import closing_run


def _innermost_closes(closed: Sequence[tuple[int, str]], ctx: Cursor) -> list[int]:
    """Of a scan's closers of brackets open at the cursor, where it closes them innermost
    first, each with its own partner (a closer that skips an open bracket ends the count: the
    document is not balanced there, as while the user types)."""
    stack = ctx.cursor_state.stack
    found: list[int] = []
    for at, closer in closed:
        if closer not in CLOSERS:
            continue  # a string or comment open at the cursor, closed
        depth = len(stack) - 1 - len(found)
        if depth < 0 or stack[depth].char != PARTNER[closer]:
            break
        found.append(at)
    return found


def _closed_twice(closes: Sequence[int], ctx: Cursor) -> int | None:
    """Where the insertion (closing brackets at `closes`) closes a bracket that the text after
    the cursor closes too, beyond the closers that start the rest of the cursor line (the
    next stage retypes those). Only where that rest closes the cursor's own bracket: the
    brackets around the cursor are then complete, and the later closers are theirs (while the
    user types, an unclosed bracket and a later closer of the same kind cannot be told
    apart)."""
    run = closing_run(ctx.line_suffix.lstrip(" \t"), ctx)
    at_once = sum(piece in CLOSERS for piece, _ in run)
    if not at_once or len(closes) <= at_once:
        return None
    later = len(_innermost_closes(scan(ctx.suffix, ctx.syntax, ctx.cursor_state).closed, ctx))
    return closes[at_once] if later > at_once else None


def _block_closed_below(ctx: Cursor) -> bool:
    """Whether the cursor, at the end of its line, is in a `{` block that a line below closes
    at the indentation of the line that opened it (with no line of code less indented first)."""
    stack = ctx.cursor_state.stack
    if ctx.line_suffix.strip() or not stack or stack[-1].char != "{":
        return False
    opened = ctx.opener_line(len(stack) - 1)
    if opened is None:
        return False
    width = len(indent_of(opened))
    for line in ctx.suffix.split("\n")[1:]:
        code = line.strip()
        if not code:
            continue
        indent = len(indent_of(line))
        if indent < width:
            return False
        if indent == width:
            return code.startswith("}")
    return False


def _closes_the_block_twice(scanned: Scan, closes: Sequence[int], ctx: Cursor) -> int | None:
    """Where the insertion first closes the cursor's block, when it ends with that block
    closed and the document closes it below (`_block_closed_below`)."""
    ends_closed = len(scanned.end.stack) < len(ctx.cursor_state.stack)
    if not closes or not ends_closed or not _block_closed_below(ctx):
        return None
    return closes[0]


def _cut_off_inside_its_brackets(text: str, scanned: Scan, ctx: Cursor) -> int | None:
    """Where a multi-line insertion that ends inside brackets it opened itself should end: after
    its last line at which none of them is open (None when it does not, or nothing is left)."""
    base = len(ctx.cursor_state.stack)
    if len(scanned.end.stack) <= base or "\n" not in text.strip("\n"):
        return None
    # Only the line ends before the line that opened the outermost of them can be the end.
    at = 0
    for _ in range(scanned.end.stack[base].line):
        at = text.index("\n", at) + 1
    while (at := text.rfind("\n", 0, at)) > 0:
        head = scan(text[:at], ctx.syntax, ctx.cursor_state).end
        if head.in_code() and len(head.stack) == base and head.stack == ctx.cursor_state.stack:
            return at if text[:at].strip() else None
    return None


def drop_stray_closers(insertion: Insertion, ctx: Cursor) -> Insertion:
    if not ctx.syntax.strict:
        return insertion
    text = insertion.text
    scanned = scan(text, ctx.syntax, ctx.cursor_state)
    seen_all = ctx.anchored or ctx.opens_its_block  # no opener before the window is missed
    strays = [*scanned.mismatched, *(scanned.unopened if seen_all else ())]
    closes = _innermost_closes(scanned.closed, ctx)
    for found in (
        _closed_twice(closes, ctx),
        _closes_the_block_twice(scanned, closes, ctx),
        _cut_off_inside_its_brackets(text, scanned, ctx),
    ):
        if found is not None:
            strays.append(found)
    if not strays:
        return insertion
    return Insertion(text[: min(strays)], insertion.replace_suffix)
