"""The ordered stages that turn a model's raw answer into the text to insert.

Each stage is a pure function of (insertion, context): it returns the insertion unchanged when
it has nothing to do, a cleaned one, or None when nothing worth showing is left. Reordering
or adding a stage is a one-line change in STAGES.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ghostls.cursor import Cursor, Insertion
from ghostls.postprocess.balance import drop_stray_closers
from ghostls.postprocess.closers import replace_closers
from ghostls.postprocess.echo import strip_echo
from ghostls.postprocess.fences import strip_fences
from ghostls.postprocess.indentation import fix_indentation
from ghostls.postprocess.markers import strip_markers
from ghostls.postprocess.newlines import normalize_newlines
from ghostls.postprocess.prose import strip_prose
from ghostls.postprocess.repetition import drop_repetition
from ghostls.postprocess.scope import limit_scope
from ghostls.postprocess.single_line import keep_first_line
from ghostls.postprocess.suffix import cut_suffix_echo
from ghostls.postprocess.useless import drop_useless
from ghostls.postprocess.whitespace import trim_whitespace


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Insertion, Cursor], Insertion | None]


STAGES: Sequence[Stage] = (
    Stage("normalize_newlines", normalize_newlines),  # "\r\n" -> "\n"
    Stage("strip_markers", strip_markers),  # <CURSOR>, <|fim_middle|>, <|endoftext|>
    Stage("strip_fences", strip_fences),  # ```python ... ```
    Stage("strip_prose", strip_prose),  # "Here is the code:" ... "This adds ..."
    Stage("strip_echo", strip_echo),  # the typed part of the line, or lines before it
    Stage("cut_suffix_echo", cut_suffix_echo),  # running on into the text after the cursor
    Stage("fix_indentation", fix_indentation),  # tabs/width, repeated or missing indentation
    Stage("cut_suffix_echo_reindented", cut_suffix_echo),  # the same, once re-indented
    Stage("limit_scope", limit_scope),  # stop at a dedent out of the cursor's block
    Stage("drop_repetition", drop_repetition),  # a line or block looping to the end
    Stage("keep_first_line", keep_first_line),  # single-line mode
    Stage("drop_stray_closers", drop_stray_closers),  # a closer that pairs with nothing
    Stage("replace_closers", replace_closers),  # `foo(|)` + "a)": replace the ")"
    Stage("trim_whitespace", trim_whitespace),  # trailing blanks and blank lines
    Stage("drop_useless", drop_useless),  # blank, or a copy of the next line
)


def postprocess(raw: str, ctx: Cursor, *, from_chat: bool) -> Insertion | None:
    """The insertion to show for the model's answer `raw`, or None when nothing is left."""
    if ctx.from_chat != from_chat:
        ctx = replace(ctx, from_chat=from_chat)
    insertion = Insertion(raw)
    for stage in STAGES:
        result = stage.run(insertion, ctx)
        if result is None:
            return None
        insertion = result
    return insertion
