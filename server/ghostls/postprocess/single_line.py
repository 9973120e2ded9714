"""Stage: in single-line mode, keep the first line only."""

from __future__ import annotations

from ghostls.postprocess.context import CompletionContext, Insertion


def keep_first_line(insertion: Insertion, ctx: CompletionContext) -> Insertion:
    if ctx.multiline or "\n" not in insertion.text:
        return insertion
    return Insertion(insertion.text.split("\n", 1)[0], insertion.replace_suffix)
