"""Stage: end the insertion before a closer that pairs with nothing.

A `)` where a `[` is open, or a `}` with nothing open, breaks the code around the cursor: the
insertion stops just before it. Brackets inside strings and comments do not count. A closer
with nothing open only counts when the scan of the text before the cursor began at a known
statement start (so no opener can have been missed).
"""

from __future__ import annotations

from ghostls.cursor import Cursor, Insertion
from ghostls.lang import scan


def drop_stray_closers(insertion: Insertion, ctx: Cursor) -> Insertion:
    if not ctx.syntax.strict:
        return insertion
    scanned = scan(insertion.text, ctx.syntax, ctx.cursor_state)
    strays = [*scanned.mismatched, *(scanned.unopened if ctx.anchored else ())]
    if not strays:
        return insertion
    return Insertion(insertion.text[: min(strays)], insertion.replace_suffix)
