"""Stage: take the code out of a markdown code fence.

Chat models wrap code in fences ("```python ... ```"), sometimes with a sentence before and
after, sometimes with only the opening fence (the answer was cut) or only a closing one. A
fence is a line of its own; a closing fence only counts where the code before it is not
inside a string. A short chat answer wrapped in single backticks is unwrapped too, where
backticks mean nothing in the language.
"""

from __future__ import annotations

import re

from ghostls.cursor import Cursor, Insertion
from ghostls.lang import scan
from ghostls.postprocess.prose import is_opening_remark, is_sentence, settle_start

_FENCE = re.compile(r"[ \t]*(?:`{3,}|~{3,})[ \t]*([\w+#.-]*)[ \t]*")
_INLINE_CLOSE = re.compile(r"[ \t]*`{3,}[ \t]*$")
_BACKTICKED = re.compile(r"([ \t]*)`([^`\n]+)`[ \t]*")


def is_fence(line: str) -> bool:
    """A markdown code fence line, with or without a language."""
    return _FENCE.fullmatch(line) is not None


def _introduces(lines: list[str]) -> bool:
    """The lines before an opening fence are a chat model's introduction."""
    said = [line for line in lines if line.strip()]
    return all(
        is_opening_remark(line) or is_sentence(line) or line.rstrip().endswith(":") for line in said
    )


def _unwrap_backticks(insertion: Insertion, ctx: Cursor) -> Insertion:
    if not ctx.from_chat or ctx.language.backticks or ctx.language.fenced:
        return insertion
    wrapped = _BACKTICKED.fullmatch(insertion.text)
    if wrapped is None:
        return insertion
    return Insertion(wrapped.group(1) + wrapped.group(2), insertion.replace_suffix)


def strip_fences(insertion: Insertion, ctx: Cursor) -> Insertion:
    if ctx.language.fenced:
        return insertion
    lines = insertion.text.split("\n")
    fences = [(index, m) for index, line in enumerate(lines) if (m := _FENCE.fullmatch(line))]
    if not fences:
        return _unwrap_backticks(insertion, ctx)
    first, opening = fences[0]
    before = lines[:first]
    nothing_before = not any(line.strip() for line in before)
    tagged = bool(opening.group(1))
    # A chat model writes no code before a fence naming a language; before a bare fence that
    # another one closes, only an introduction.
    # A bare fence left open (the answer was cut, or stopped early) after a chat model's
    # opening remark opens the code too.
    said = [line for line in before if line.strip()]
    remark = bool(said) and is_opening_remark(said[-1])
    introduced = tagged or ((len(fences) > 1 or remark) and _introduces(before))
    if nothing_before or (ctx.from_chat and introduced):
        end = fences[1][0] if len(fences) > 1 else len(lines)
        body = lines[first + 1 : end]
        if len(fences) == 1 and body:
            body[-1] = _INLINE_CLOSE.sub("", body[-1])
        return Insertion(settle_start("\n".join(body), ctx), insertion.replace_suffix)
    if tagged or not scan(insertion.text, ctx.syntax, ctx.cursor_state).line_start(first).code:
        return insertion
    return Insertion("\n".join(before), insertion.replace_suffix)
