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
"""

from __future__ import annotations

from collections.abc import Sequence

from ghostls.cursor import Cursor, Insertion
from ghostls.lang import CLOSERS, PARTNER, scan
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


def drop_stray_closers(insertion: Insertion, ctx: Cursor) -> Insertion:
    if not ctx.syntax.strict:
        return insertion
    scanned = scan(insertion.text, ctx.syntax, ctx.cursor_state)
    seen_all = ctx.anchored or ctx.opens_its_block  # no opener before the window is missed
    strays = [*scanned.mismatched, *(scanned.unopened if seen_all else ())]
    twice = _closed_twice(_innermost_closes(scanned.closed, ctx), ctx)
    if twice is not None:
        strays.append(twice)
    if not strays:
        return insertion
    return Insertion(insertion.text[: min(strays)], insertion.replace_suffix)
