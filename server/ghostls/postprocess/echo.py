"""Stage: drop what the model repeats of the text before the cursor.

Chat models often restate the line being completed ("    return a" + " + b" comes back as
"    return a + b"), or its last tokens, or the word being typed ("import s" + "sys"), or the
line(s) before it, before continuing. Only an exact repeat counts: the whole typed part of the
line (with or without its indentation), a tail of it that starts a token, the word being typed
when the words around the cursor say so ("dd = ..." is no echo of "d"), or whole lines just
before the cursor line followed by the typed part. Whitespace-only typing is left to the
indentation stage.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Sequence

from ghostls.cursor import Cursor, Insertion, indent_of
from ghostls.lang import PYTHON

_MAX_ECHOED_LINES = 40
_MIN_ECHOED_CHARS = 2  # non-blank characters echoed lines and the typed part must hold together
_MIN_UNINDENTED_ECHO_CHARS = 3  # an echo written from column 0 must hold this many
_MIN_TAIL_CHARS = 2  # a repeated tail of the typed part must be this long (beyond its last word)
_PYTHON_WORDS = frozenset([*keyword.kwlist, *dir(builtins)])
_WORD_END = re.compile(r"\w+$")
_WORD_START = re.compile(r"\w+")


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _repeated_tail(typed: str, text: str, start: int) -> int:
    """The length of the longest tail of typed[start:] that `text` starts with: a tail that
    starts a token and holds more than the word being typed, or 0. A tail the typed part
    already repeats just before it (`\\x00\\x00|`) is a run, not an echo."""
    word = _WORD_END.search(typed)
    last = word.start() if word else len(typed)
    for at in range(start + 1, last):
        tail = typed[at:]
        if len(tail.strip()) < _MIN_TAIL_CHARS or not any(c.isalnum() for c in tail):
            break
        if tail[0].isspace() or (_is_word(typed[at - 1]) and _is_word(tail[0])):
            continue
        if text.startswith(tail) and not typed[:at].endswith(tail):
            return len(tail)
    return 0


def _known(word: str, ctx: Cursor) -> bool:
    """The word is one of the language's own, or occurs whole in the text around the cursor
    (not counting the cursor line)."""
    if ctx.syntax is PYTHON and word in _PYTHON_WORDS:
        return True
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    head = ctx.prefix[: len(ctx.prefix) - len(ctx.line_prefix)]
    return bool(pattern.search(head) or pattern.search(ctx.suffix))


def _retyped_word(typed: str, text: str, ctx: Cursor, *, alone: bool = False) -> int:
    """The length of the partly typed word when `text` starts by typing it again from its
    start ("import s" + "sys"), judged by which reading makes a word seen around the cursor;
    failing that, a word that would begin with its own start twice ("ssys") is unlikely,
    unless that start is a single character ("dd"). Only when the word is `alone` on its
    line may the text repeat it whole ("    return" + "return x")."""
    word = _WORD_END.search(typed)
    written = _WORD_START.match(text)
    if word is None or written is None:
        return 0
    part, whole = word.group(), written.group()
    if not whole.startswith(part):
        return 0
    if part.isdigit() or (whole == part and len(part) == 1 and not alone):
        return 0  # numbers repeat ("11"), and so may a one-letter name ("dd")
    echoed, doubled = _known(whole, ctx), _known(part + whole, ctx)
    if echoed != doubled:
        return len(part) if echoed else 0
    return len(part) if len(part) > 1 else 0


def _without_typed(text: str, ctx: Cursor) -> str:
    """`text` without a leading repeat of the typed part of the cursor line."""
    typed = ctx.line_prefix
    content = typed.lstrip(" \t")
    if not content:
        return text
    unindented = text.lstrip(" \t")
    if len(typed) > len(content) and text.startswith(typed):
        return text[len(typed) :]  # the typed line again, indentation and all
    if unindented.startswith(content) and _WORD_START.fullmatch(content):
        # A single word typed so far: "se" + "self.x" is an echo, "d" + "d = dd" is not.
        retyped = _retyped_word(typed, unindented, ctx, alone=True)
        return unindented[retyped:] if retyped else text
    if unindented.startswith(content) and len(set(content)) > 1:  # not a run (`####`)
        return text[len(typed) :] if text.startswith(typed) else unindented[len(content) :]
    tail = _repeated_tail(typed, text, len(typed) - len(content))
    return text[tail or _retyped_word(typed, text, ctx) :]


def _same_lines(echo: list[str], before: Sequence[str], *, exact: bool) -> bool:
    """Whether the lines are the same, with the same indentation or (not `exact`) any."""
    if all(a.rstrip() == b.rstrip() for a, b in zip(echo, before, strict=True)):
        return True
    return not exact and all(a.strip() == b.strip() for a, b in zip(echo, before, strict=True))


def _unindented_echo(lines: list[str], count: int, before: Sequence[str], ctx: Cursor) -> bool:
    """On a line holding only its indentation, a chat model's repeat of the lines before it
    written from column 0, followed by a line in the document's own layout (the typed
    indentation and all): "if x is None:" + "\n        continue" under "    if x is None:"."""
    if not ctx.from_chat or not ctx.at_line_start or not ctx.line_prefix:
        return False
    if ctx.line_prefix.strip() or indent_of(lines[0]) or not indent_of(before[0]):
        return False
    following = lines[count]
    if not following.strip() or not following.startswith(ctx.line_prefix):
        return False
    held = sum(len(line.strip()) for line in before)
    return held >= _MIN_UNINDENTED_ECHO_CHARS and _same_lines(lines[:count], before, exact=False)


def _without_previous_lines(text: str, ctx: Cursor) -> str:
    """`text` without a leading repeat of whole lines before the cursor line, when the line
    after the repeat starts the cursor line again."""
    lines = text.split("\n")
    previous = ctx.previous_lines
    count = _echoed_lines(lines, previous, ctx)
    skipped = list(previous)
    while skipped and not skipped[-1].strip():
        skipped.pop()
    if not count and ctx.from_chat and ctx.at_line_start and len(skipped) < len(previous):
        # A chat model repeating the lines above leaves out the blank lines before the cursor.
        count = _echoed_lines(lines, skipped, ctx)
    if count:
        rest = lines[count:]
        typed = ctx.line_prefix
        if ctx.at_line_start and typed and not typed.strip() and rest[0].startswith(typed):
            # The repeat was written in the document's layout, and so is the line after it:
            # its indentation is typed already.
            rest[0] = rest[0][len(typed) :]
        return "\n".join(rest)
    if ctx.at_line_start and previous and not previous[-1].strip() and lines[0] == "":
        return "\n".join(lines[1:])  # the blank line before the cursor line, echoed
    return text


def _echoed_lines(lines: list[str], previous: Sequence[str], ctx: Cursor) -> int:
    """How many of the first `lines` repeat the last `previous` ones (0: none)."""
    typed = ctx.line_prefix.strip()
    most = min(_MAX_ECHOED_LINES, len(previous), len(lines) - 1)
    for count in range(most, 0, -1):
        echo, before = lines[:count], previous[-count:]
        if not _same_lines(echo, before, exact=not typed) and not _unindented_echo(
            lines, count, before, ctx
        ):
            continue
        if all(line == ctx.repeated_line for line in before):
            continue
        if typed and not lines[count].lstrip(" \t").startswith(typed):
            continue
        # Short echoes count only with the typed line again, indentation and all.
        whole_line = ctx.line_prefix != typed and lines[count].startswith(ctx.line_prefix)
        held = sum(len(line.strip()) for line in before) + len(typed)
        if held < _MIN_ECHOED_CHARS and not whole_line:
            continue
        return count
    return 0


def strip_echo(insertion: Insertion, ctx: Cursor) -> Insertion:
    text = _without_previous_lines(insertion.text, ctx)
    text = _without_typed(text, ctx)
    return insertion if text == insertion.text else Insertion(text, insertion.replace_suffix)
