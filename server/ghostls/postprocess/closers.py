"""Stage: retype the closers after the cursor instead of adding a second copy.

With `foo(|)` an answer "a, b)" closes the bracket the document already closes: the insertion
then replaces that ")" (replace_suffix) rather than leaving "foo(a, b))". The same for quotes
(`"|"`, `""|"`), nested closers (`foo(bar(|))`) and the punctuation after them (`foo(|);`).
Only closers the insertion types again can be replaced (it ends with them, or closes what
they close), and only when the line then pairs up better than with them kept.
"""

from __future__ import annotations

from ghostls.cursor import Cursor, Insertion
from ghostls.lang import CLOSERS, scan

_PUNCTUATION = ";,:"


def _quotes(ctx: Cursor) -> list[str]:
    syntax = ctx.syntax
    quotes = {span.closing for span in syntax.spans if not span.comment}
    if syntax.char_literals:
        quotes.add("'")
    return sorted(quotes, key=len, reverse=True)


def closing_run(rest: str, ctx: Cursor) -> list[tuple[str, bool]]:
    """The closers, quotes and punctuation the cursor line goes on with: (text, closes)."""
    quotes = _quotes(ctx)
    run: list[tuple[str, bool]] = []
    at = 0
    while at < len(rest):
        quote = next((q for q in quotes if rest.startswith(q, at)), None)
        if quote is not None:
            run.append((quote, True))
        elif rest[at] in CLOSERS or rest[at] in _PUNCTUATION:
            run.append((rest[at], rest[at] in CLOSERS))
        else:
            break
        at += len(run[-1][0])
    return run


def _fit(text: str, rest: str, beyond: str, ctx: Cursor) -> tuple[int, int]:
    """How badly the code pairs up with `text` inserted and `rest` left after it on the
    cursor line: (faults in the rest of the window after it, `beyond`; brackets left open at
    the end of the cursor line). Less is better; a tie goes to replacing, as the insertion
    typed those closers itself."""
    line = scan(ctx.line_prefix + text + rest, ctx.syntax, ctx.line_start_state)
    after = scan(beyond, ctx.syntax, line.end)
    faults = sum(len(s.mismatched) + len(s.unopened) + s.broken for s in (line, after))
    following = rest.lstrip()[:1]
    if following and following in _PUNCTUATION and text.rstrip().endswith(following):
        faults += 1
    return faults, len(line.end.stack)


def _split_quote(typed: str, rest: str, ctx: Cursor) -> str:
    """The quote character whose run across the cursor makes one triple quote: the insertion
    ends with part of it and the text after the cursor holds the rest (`""` + `"` closing a
    docstring, `"` + `""` opening one). Those quotes were not typed twice. Else empty."""
    for quote in _quotes(ctx):
        if len(quote) < 2 or quote[0] * len(quote) != quote:
            continue
        before = len(typed) - len(typed.rstrip(quote[0]))
        after = len(rest) - len(rest.lstrip(quote[0]))
        if 0 < before < len(quote) == before + after:
            return quote[0]
    return ""


def replace_closers(insertion: Insertion, ctx: Cursor) -> Insertion:
    rest = ctx.line_suffix
    run = closing_run(rest, ctx)
    if not run:
        return insertion
    text = insertion.text
    beyond = ctx.suffix[len(rest) :]
    closed = [closer for _, closer in scan(text, ctx.syntax, ctx.cursor_state).closed]
    typed_end = text.rstrip()
    unsure = _split_quote(typed_end, rest, ctx)
    best = (*_fit(text, rest, beyond, ctx), 0)
    length = closers = 0
    retyped = True  # every piece so far is a closer of what the insertion closed, in order
    doubtful = False  # a quote of a triple split across the cursor is among them
    for piece, closes in run:
        length += len(piece)
        retyped = retyped and closes and closers < len(closed) and closed[closers] == piece
        closers += closes
        doubtful = doubtful or piece[0] in unsure
        if retyped or (typed_end.endswith(rest[:length]) and not doubtful):
            best = min(best, (*_fit(text, rest[length:], beyond, ctx), -length))
    return insertion if -best[2] == insertion.replace_suffix else Insertion(text, -best[2])
