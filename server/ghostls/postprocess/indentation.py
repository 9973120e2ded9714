"""Stage: fit the insertion's indentation to the document.

Three repairs, each made only when the layout around the cursor says so:
- the first line repeats indentation already typed on a blank cursor line ("    |" + "    x");
- the model indents with tabs where the document uses spaces (or the reverse), or with another
  width per level (2 spaces where the document has 4);
- a chat model wrote the snippet from column 0 although the cursor sits in an indented block.
The first line that starts a statement after the cursor line must land where the document
expects one (the cursor's block, one level in after a block opener, or a level out for an
else-like line); the mildest change that achieves it wins, and no change is the first tried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ghostls.postprocess.context import CompletionContext, Insertion, indent_of
from ghostls.postprocess.layout import (
    block_indent,
    cursor_line,
    is_comment,
    is_dedent_line,
    opens_block,
)
from ghostls.postprocess.syntax import PYTHON, scan

Transform = Callable[[int], int]
_FOREIGN_UNITS = (2, 4, 8, 3)


def _foreign(lead: str, ctx: CompletionContext) -> bool:
    """The whitespace is not written in the document's style."""
    if ctx.indent_unit == "\t":
        return " " * ctx.tab_size in lead
    return "\t" in lead


def _plausible_first(width: int, first: str, ctx: CompletionContext) -> bool:
    """The cursor line, holding `first`, would fit at `width` between the lines around it."""
    unit = ctx.tab_size
    previous = ctx.previous_non_empty_line
    above = ctx.width(indent_of(previous))
    if width == above or (width == above + unit and opens_block(previous, ctx)):
        return True
    below = ctx.next_non_empty_line
    if below and not opens_block(first, ctx) and width == ctx.width(indent_of(below)):
        return True
    return width < above and width % unit == 0


def settle_first_line(first: str, ctx: CompletionContext) -> str:
    """Drop indentation the first line repeats of what is typed before the cursor."""
    lead = indent_of(first)
    if not ctx.at_line_start or not first.strip() or not lead:
        return first
    typed = ctx.width(ctx.line_prefix)
    own = ctx.width(lead)
    final = typed + own
    if not _plausible_first(final, first, ctx):
        if own > typed and _plausible_first(own, first, ctx):
            final = own
        elif own == typed:
            final = typed
    if final == typed + own and not _foreign(lead, ctx):
        return first
    return ctx.render(final - typed) + first[len(lead) :]


def _rescale(size: int, unit: int) -> Transform:
    return lambda width: width // size * unit + width % size


def _shift(by: int, inner: Transform) -> Transform:
    return lambda width: inner(width) + by


def _identity(width: int) -> int:
    return width


def _anchors(lines: list[str], ctx: CompletionContext) -> tuple[list[int], int | None]:
    """The lines after the cursor line whose indentation the document's layout fixes (lines
    that start a statement, or that continue the same bracket as the cursor line), the first
    one of them first, and the width of the block that first one belongs to."""
    starts = scan("\n".join(lines), ctx.syntax, ctx.cursor_state)
    continuation = ctx.syntax.continuation
    depth = sum(opener.char in continuation for opener in ctx.line_start_state.stack)
    code: list[int] = []
    comments: list[int] = []
    for index in range(1, len(lines)):
        start = starts.line_start(index)
        if (
            lines[index].strip()
            and start.code
            and not start.continued
            and start.depth in (0, depth)
        ):
            (comments if is_comment(lines[index]) else code).append(index)
    anchors = code or comments[:1]
    if not anchors:
        return [], None
    if starts.line_start(anchors[0]).depth == depth > 0:
        return anchors, ctx.width(indent_of(cursor_line(lines, ctx)))
    return anchors, block_indent(lines, starts, ctx)


@dataclass(frozen=True)
class _Frame:
    """Where the document expects the insertion's lines: the lines whose indentation its
    layout fixes, the first of them (the anchor) at one of `expected` widths."""

    anchors: list[int]
    block: int
    expected: set[int]


def _frame(lines: list[str], ctx: CompletionContext) -> _Frame | None:
    anchors, block = _anchors(lines, ctx)
    if block is None:
        return None
    unit = ctx.tab_size
    anchor = anchors[0]
    before = next(
        (
            line
            for line in reversed([cursor_line(lines, ctx), *lines[1:anchor]])
            if line.strip() and not is_comment(line)
        ),
        "",
    )
    expected = {block + unit}
    if not opens_block(before, ctx):
        expected = {block} if ctx.syntax is PYTHON else {block, block + unit}
    if is_dedent_line(lines[anchor]):
        expected |= set(range(block % unit, block, unit))
    return _Frame(anchors, block, expected)


def _choose(lines: list[str], widths: list[int], ctx: CompletionContext) -> Transform:
    frame = _frame(lines, ctx)
    if frame is None:
        return _identity
    unit = ctx.tab_size
    anchor, block = frame.anchors[0], frame.block

    def fits(transform: Transform) -> bool:
        return transform(widths[anchor]) in frame.expected

    seen = [widths[index] for index in frame.anchors]
    spaces_only = not any("\t" in indent_of(lines[index]) for index in frame.anchors)
    rescales = [
        _rescale(size, unit)
        for size in _FOREIGN_UNITS
        if size != unit and spaces_only and any(seen) and all(w % size == 0 for w in seen)
    ]
    if any(width % unit for width in seen):
        rescaled = next((transform for transform in rescales if fits(transform)), None)
        if rescaled is not None:
            return rescaled
    if fits(_identity):
        return _identity
    below = ctx.next_non_empty_line
    continues = bool(below) and ctx.width(indent_of(below)) >= block
    here = ctx.width(indent_of(cursor_line(lines, ctx)))
    relative = (
        here > 0
        and not (ctx.at_line_start and indent_of(lines[0]))
        and (ctx.from_chat or continues)
    )
    shifts = [_shift(here, t) for t in (_identity, *rescales)] if relative else []
    dedent = widths[anchor] < block and widths[anchor] % unit == 0 and not continues
    ranked = [*shifts, *([] if dedent else rescales)]
    return next((transform for transform in ranked if fits(transform)), _identity)


def keeps_layout(lines: list[str], ctx: CompletionContext) -> bool:
    """Whether the lines (the first one settled) already sit where the document expects them,
    in its units, so that no stage will re-indent them."""
    frame = _frame(lines, ctx)
    if frame is None:
        return False
    widths = [ctx.width(indent_of(lines[index])) for index in frame.anchors]
    return widths[0] in frame.expected and not any(width % ctx.tab_size for width in widths)


def fix_indentation(insertion: Insertion, ctx: CompletionContext) -> Insertion:
    lines = insertion.text.split("\n")
    lines[0] = settle_first_line(lines[0], ctx)
    if len(lines) > 1:
        widths = [ctx.width(indent_of(line)) for line in lines]
        transform = _choose(lines, widths, ctx)
        for index in range(1, len(lines)):
            line = lines[index]
            lead = indent_of(line)
            if not line.strip():
                continue
            width = transform(widths[index])
            if width != widths[index] or _foreign(lead, ctx):
                lines[index] = ctx.render(width) + line[len(lead) :]
    text = "\n".join(lines)
    return insertion if text == insertion.text else Insertion(text, insertion.replace_suffix)
