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

from ghostls.cursor import Cursor, Insertion, indent_of
from ghostls.lang import continuation_depth, is_comment, is_dedent_line, scan
from ghostls.postprocess.layout import block_indent, cursor_line

Transform = Callable[[int], int]
_FOREIGN_UNITS = (2, 4, 8)
_CLEARLY_BETTER = 1.5


def _foreign(lead: str, ctx: Cursor) -> bool:
    """The whitespace is not written in the document's style (nor in a style the lines above
    the cursor mix in, as GNU C mixes tabs into two-space levels)."""
    if ctx.indent_unit == "\t":
        return lead.startswith(" " * ctx.tab_size) and " " not in ctx.indent_styles
    return "\t" in lead and "\t" not in ctx.indent_styles


def _fit_first(width: int, first: str, below: int | None, gap: bool, ctx: Cursor) -> float:
    """How well the cursor line, holding `first`, fits at `width` between the line above it
    and the next line (`below`, after a blank line if `gap`): a rough likelihood of the
    layout, not a probability."""
    unit = ctx.tab_size
    aligned = ctx.continuation_widths
    stack = ctx.line_start_state.stack
    if first.lstrip()[:1] in ")]}" and any(o.char in ctx.syntax.continuation for o in stack):
        aligned = frozenset({ctx.continuation_base})  # the closer under its line
    if aligned is not None:  # inside brackets: aligned with the bracket, or hanging under it
        if first.lstrip()[:1] not in ")]}" and ctx.continued_width is not None:
            # Under a line that continues the same bracket: in line with it, most likely.
            return 0.9 if width == ctx.continued_width else 0.5 if width in aligned else 0.05
        return 0.9 if width in aligned else 0.05
    if not ctx.line_start_state.in_code():  # in a docstring or comment: like the line above
        above = ctx.width(indent_of(ctx.previous_non_empty_line))
        return 0.6 if width == above else 0.05
    statement = ctx.previous_statement_line
    if continuation_depth(ctx.line_start_state.stack, ctx.syntax):
        statement = ctx.previous_code_line  # a block inside brackets (a Lua function in a table)
    above = ctx.width(indent_of(statement))
    if ctx.language.opens_block(ctx.previous_code_line):
        fit = 0.9 if width == above + unit else 0.02
    elif width == above:
        fit = 0.55
    elif width < above and width % unit == 0:
        fit = {1: 0.3, 2: 0.1}.get((above - width) // unit, 0.04)
    else:
        fit = 0.02
    if is_dedent_line(first) and width < above:
        fit *= 2
    comment = ctx.previous_non_empty_line
    if is_comment(comment) and width == ctx.width(indent_of(comment)) and width < above:
        fit = max(fit, 0.5)  # a comment stepping out of a block leads the code after it
    if below is None:
        return fit
    if ctx.language.opens_block(first):
        return fit * (0.9 if below == width + unit else 0.08 if below <= width else 0.02)
    if below == width:
        return fit * (0.45 if gap else 0.6)
    if below < width and (width - below) % unit == 0:
        return fit * (0.45 if gap else 0.3)
    return fit * 0.05


def _next_line(lines: list[str], ctx: Cursor) -> tuple[int | None, bool]:
    """The width of the line after the cursor line (the model's own, else the document's),
    and whether a blank line comes first. None inside brackets, where the next line may
    already be past the closing one."""
    if continuation_depth(ctx.line_start_state.stack, ctx.syntax):
        return None, False
    following = lines[1:] if any(line.strip() for line in lines[1:]) else ctx.next_lines
    for index, line in enumerate(following):
        if line.strip():
            gap = any(not part.strip() for part in following[:index])
            return ctx.width(indent_of(line)), gap
    return None, False


def settle_first_line(lines: list[str], ctx: Cursor) -> str:
    """The first line without indentation it repeats of what is typed before the cursor.

    On a blank line a chat model tends to restate the indentation already typed, or to write
    the line's whole indentation; a fill-in-the-middle model writes only what is missing.
    Each reading gives the line a width; the one that fits the lines around it best wins
    (the model's own next line, when there is one, is the best witness of the layout)."""
    first = lines[0]
    lead = indent_of(first)
    if not ctx.at_line_start or not first.strip() or not lead:
        return first
    if ctx.previous_code_line.rstrip().endswith("\\"):
        return first  # a backslash continuation may sit anywhere
    typed = ctx.width(ctx.line_prefix)
    own = ctx.width(lead)
    below, gap = _next_line(lines, ctx)
    final = typed + own  # what the model wrote goes after what is typed
    others = []
    if typed and own > typed:
        others.append(own)  # the model wrote the line's whole indentation
    if typed or ctx.line_start_state.in_code():
        others.append(typed)  # the model repeated the typed indentation, or restated a level
    fit = _fit_first(final, first, below, gap, ctx)
    for width in others:
        # Taking the answer as written wins unless another reading fits clearly better.
        if _fit_first(width, first, below, gap, ctx) > _CLEARLY_BETTER * fit:
            final, fit = width, _fit_first(width, first, below, gap, ctx)
    if final == typed + own and not _foreign(lead, ctx):
        return first
    return ctx.render(final - typed) + first[len(lead) :]


def _rescale(size: int, unit: int) -> Transform:
    return lambda width: width // size * unit + width % size


def _shift(by: int, inner: Transform) -> Transform:
    return lambda width: inner(width) + by


def _identity(width: int) -> int:
    return width


@dataclass(frozen=True)
class _Frame:
    """Where the document expects the insertion's lines: the lines whose indentation its
    layout fixes (`anchors`), the first of them at one of the `expected` widths. In `text`
    (inside a string or comment) only the width of the cursor line is a guide."""

    anchors: list[int]
    block: int
    expected: set[int]
    text: bool
    hanging: list[int]  # lines indented under a line ending in an opening bracket


def _frame(lines: list[str], ctx: Cursor) -> _Frame | None:
    """The lines that start a statement, or continue the same bracket as the cursor line
    (else comments, else text inside strings), and where the first of them belongs."""
    starts = scan("\n".join(lines), ctx.syntax, ctx.cursor_state)
    depth = continuation_depth(ctx.line_start_state.stack, ctx.syntax)
    code: list[int] = []
    comments: list[int] = []
    text: list[int] = []
    hanging: list[int] = []
    above = cursor_line(lines, ctx)
    for index in range(1, len(lines)):
        start = starts.line_start(index)
        line = lines[index]
        if not line.strip() or start.continued:
            continue
        if start.comment:
            continue  # a block comment lines up its own way (" * " under "/**")
        if not start.code:
            text.append(index)
        elif start.depth in (0, depth):
            (comments if is_comment(line) else code).append(index)
        elif above.rstrip().endswith(("(", "[", "{")) and not is_comment(line):
            hanging.append(index)
        above = line
    here = ctx.width(indent_of(cursor_line(lines, ctx)))
    unit = ctx.tab_size
    relative = ctx.from_chat and ctx.line_start_state.in_code()
    if not code and not comments and hanging and here and relative:
        # Only lines hanging under the first one (a chat model may have written them relative
        # to it): deeper than it, within a few levels.
        deeper = set(range(here + 1, here + 4 * unit + 1))
        return _Frame(hanging, here, deeper, text=False, hanging=[])
    if not code and not comments:
        return _Frame(text, here, {here}, text=True, hanging=[]) if text else None
    anchors = code or comments[:1]
    anchor = anchors[0]
    if starts.line_start(anchor).depth == depth > 0:
        block: int | None = here
    else:
        block = block_indent(lines, starts, ctx)
    if block is None:
        return None
    before = next(
        (
            line
            for line in reversed([cursor_line(lines, ctx), *lines[1:anchor]])
            if line.strip() and not is_comment(line)
        ),
        "",
    )
    expected = {block + unit}
    if not ctx.language.opens_block(before):
        expected = {block} if ctx.language.offside else {block, block + unit}
    if is_dedent_line(lines[anchor]):
        expected |= set(range(block % unit, block, unit))
    return _Frame(anchors, block, expected, text=False, hanging=hanging)


def _choose(lines: list[str], widths: list[int], ctx: Cursor, dropped: int = 0) -> Transform:
    frame = _frame(lines, ctx)
    if frame is None:
        return _identity
    unit = ctx.tab_size
    anchor, block = frame.anchors[0], frame.block

    def fits(transform: Transform) -> bool:
        return transform(widths[anchor]) in frame.expected

    laid_out = frame.anchors + frame.hanging
    seen = [widths[index] for index in laid_out]
    spaces_only = not any("\t" in indent_of(lines[index]) for index in laid_out)
    rescales = [
        _rescale(size, unit)
        for size in _FOREIGN_UNITS
        if size != unit and spaces_only and any(seen) and all(w % size == 0 for w in seen)
    ]
    # In text (docstrings) some lines may sit off the unit on purpose; all of them seldom do.
    odd = [width % unit != 0 for width in seen]
    if all(odd) if frame.text else any(odd):
        rescaled = next((transform for transform in rescales if fits(transform)), None)
        if rescaled is not None:
            return rescaled
    if dropped > 0 and fits(_shift(-dropped, _identity)):
        # The first line lost a level the model added to it; the lines after it have it too.
        return _shift(-dropped, _identity)
    if fits(_identity):
        return _identity
    below = ctx.next_non_empty_line
    continues = bool(below) and ctx.width(indent_of(below)) >= block and not frame.text
    here = ctx.width(indent_of(cursor_line(lines, ctx)))
    relative = here > 0 and (ctx.from_chat or continues)
    shifts = [_shift(here, t) for t in (_identity, *rescales)] if relative else []
    # A fill-in-the-middle model that steps out of the block is done with it (the scope stage
    # ends the insertion there); a chat model is as likely to have used another width.
    dedent = widths[anchor] < block and widths[anchor] % unit == 0 and not continues
    dedent = dedent and not ctx.from_chat
    ranked = [*shifts, *([] if dedent or frame.text else rescales)]
    return next((transform for transform in ranked if fits(transform)), _identity)


def keeps_layout(lines: list[str], ctx: Cursor) -> bool:
    """Whether the lines (the first one settled) already sit where the document expects them,
    in its units, so that no stage will re-indent them."""
    frame = _frame(lines, ctx)
    if frame is None:
        return False
    widths = [ctx.width(indent_of(lines[index])) for index in frame.anchors]
    return widths[0] in frame.expected and not any(width % ctx.tab_size for width in widths)


def fix_indentation(insertion: Insertion, ctx: Cursor) -> Insertion:
    lines = insertion.text.split("\n")
    written = ctx.width(indent_of(lines[0]))
    lines[0] = settle_first_line(lines, ctx)
    dropped = written - ctx.width(indent_of(lines[0])) if lines[0].strip() else 0
    if len(lines) > 1:
        widths = [ctx.width(indent_of(line)) for line in lines]
        transform = _choose(lines, widths, ctx, dropped)
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
