"""Stage: cut where the insertion starts repeating the text after the cursor.

Models often run on into the code that follows the cursor. Two checks, both anchored on the
document's suffix:
- exact: the insertion ends with the start of the suffix, and that shared part goes past the
  cursor line (or is the rest of the cursor line, when that is more than closers, which the
  closers stage handles);
- by lines: the insertion's last lines are the suffix's next non-blank lines (same indentation;
  inner spacing may differ, and in a block of two or more lines one may differ by a closing
  sign), even when the model looped on the last of them.
Copies of the first repeated line just above it go too. Comment marks alone ("#") and a table
the document itself repeats around the cursor are not taken for a repeat.
"""

from __future__ import annotations

import re

from ghostls.cursor import Cursor, Insertion, indent_of

_CLOSERS_ONLY = re.compile(r"[\s)\]}>\"'`;,:]*")
_MIN_PARTIAL_CHARS = 6  # a shared part within the cursor line that is not all of its rest
_MIN_SPACING_CHARS = 6  # lines equal up to spacing must hold this many characters
_MIN_FUZZY_CHARS = 12  # lines one edit apart must be this long
_MARKS = re.compile(r"[\s#/*]+")


def one_sign_apart(a: str, b: str) -> bool:
    """Whether `a` and `b` differ only by one sign at their end, like a closing comma or
    semicolon (`f(a, b)` and `f(a, b);`): the same line of code. Elsewhere in the line one
    sign makes a different line (`'Iacute'` and `'Iacute;'` in a table)."""
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) > 1 or long[: len(short) - 1] != short[:-1]:
        return False
    if len(long) == len(short):
        changed = long[-1] + short[-1]
    else:
        changed = long[-1] if long.startswith(short) else ""
    return bool(changed) and not any(char.isalnum() for char in changed)


def _same(a: str, b: str, ctx: Cursor) -> bool:
    """The same line: equal after the indentation (tabs counting as the document's levels),
    up to spacing inside it when it is long enough to tell."""
    if ctx.width(indent_of(a)) != ctx.width(indent_of(b)):
        return False
    x, y = a.strip(), b.strip()
    if x == y:
        return True
    squeezed = "".join(x.split())
    return len(squeezed) >= _MIN_SPACING_CHARS and squeezed == "".join(y.split())


def _near(a: str, b: str, ctx: Cursor) -> bool:
    """The same line, or one sign apart when it is long enough to tell."""
    if _same(a, b, ctx):
        return True
    x, y = a.strip(), b.strip()
    return (
        ctx.width(indent_of(a)) == ctx.width(indent_of(b))
        and min(len(x), len(y)) >= _MIN_FUZZY_CHARS
        and one_sign_apart(x, y)
    )


def _meaningful(text: str) -> bool:
    """Holds more than blanks and comment marks (an empty "#" line repeats legitimately)."""
    return bool(_MARKS.sub("", text))


def _only(lines: list[str], line: str | None) -> bool:
    return line is not None and all(part.rstrip() == line for part in lines)


def _exact_overlap(text: str, ctx: Cursor) -> int | None:
    body = text.rstrip()
    suffix = ctx.suffix
    if not body or not suffix.strip():
        return None
    rest_of_line = ctx.line_suffix.rstrip()
    for start in range(len(body)):
        if body[start] != suffix[0] or not suffix.startswith(body[start:]):
            continue
        shared = body[start:]
        if "\n" not in shared:
            held = len(shared.strip())
            if _CLOSERS_ONLY.fullmatch(shared):
                return None
            whole = shared == rest_of_line and held >= 2
            return start if whole or held >= _MIN_PARTIAL_CHARS else None
        lines = shared.split("\n")[1:]
        ends_line = suffix[len(shared) : len(shared) + 1] in ("", "\n")
        complete = lines if ends_line else lines[:-1]
        partial = "" if ends_line else lines[-1]
        if _only(complete, ctx.repeated_line):
            return None
        spaced = any(not line.strip() for line in complete[:-1]) and complete[-1].strip()
        if (
            _meaningful("".join(complete))
            or spaced
            or (len(partial.strip()) >= _MIN_PARTIAL_CHARS and _meaningful(partial))
        ):
            return start
        return None
    return None


def _repeats(tail: list[str], upcoming: list[str], ctx: Cursor, *, partial_end: bool) -> bool:
    """Whether the lines `tail` are the next lines `upcoming` (the last one maybe cut short)."""
    if len(tail) > len(upcoming) or not _meaningful("".join(tail)):
        return False
    match = _same if len(tail) == 1 else _near
    if not all(match(a, b, ctx) for a, b in zip(tail[:-1], upcoming, strict=False)):
        return False
    last, there = tail[-1], upcoming[len(tail) - 1]
    if match(last, there, ctx):
        return True
    return partial_end and len(last.strip()) >= 2 and there.startswith(last.rstrip())


def _line_overlap(text: str, ctx: Cursor) -> int | None:
    lines = text.split("\n")
    upcoming = [line for line in ctx.next_lines if line.strip()]
    if not upcoming:
        return None
    # The first line follows the typed text, unless it restates the typed indentation (a
    # bare closer does not tell: `}` under `}` closes another block).
    firsts = [ctx.line_prefix + lines[0]]
    restated = ctx.line_prefix and lines[0].startswith(ctx.line_prefix)
    if ctx.at_line_start and restated and re.search(r"\w", lines[0]):
        firsts.append(lines[0])
    # A first line that ignores the typed indentation and closes the block restates the
    # dedented code below (`} Key;` at an indented empty line above `} Key;`), its last line
    # maybe cut short.
    dedented = ctx.at_line_start and lines[0][:1] in ")]}" and re.search(r"\w", lines[0])
    if dedented:
        firsts.append(lines[0])
    for index, line in enumerate(lines):
        if not line.strip() or (index == 0 and not ctx.at_line_start):
            continue
        rest = [line for line in lines[index + 1 :] if line.strip()]
        while len(rest) >= 2 and rest[-1] == rest[-2]:
            rest.pop()  # the model looped on its last line: the stage after this drops that
        for first in firsts if index == 0 else [line]:
            tail = [first, *rest]
            if _only(tail, ctx.repeated_line):
                return None
            cut_short = index > 0 or bool(dedented and first == lines[0])
            if _repeats(tail, upcoming, ctx, partial_end=cut_short):
                return max(0, sum(len(line) + 1 for line in lines[:index]) - 1)
    return None


def _before_copies(text: str, cut: int) -> int:
    """Where to cut when the repeat starting at `cut` is preceded by copies of its first line
    (a model that loops on the next line before running on)."""
    if text[cut : cut + 1] != "\n":
        return cut
    first = text[cut + 1 :].split("\n", 1)[0]
    kept = text[:cut].split("\n")
    while len(kept) > 1 and kept[-1] == first:
        kept.pop()
    return len("\n".join(kept))


def cut_suffix_echo(insertion: Insertion, ctx: Cursor) -> Insertion:
    text = insertion.text
    cut = _exact_overlap(text, ctx)
    if cut is None:
        cut = _line_overlap(text, ctx)
    if cut is None:
        return insertion
    return Insertion(text[: _before_copies(text, cut)], insertion.replace_suffix)
