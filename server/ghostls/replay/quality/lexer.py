"""What the cut-point sampler reads of a file, on the language layer's lexer: which lines are
plain code, each line's bracket pairs and comment, and the line prefixes after which the
server asks for a block (the same opener rule as `wants_multiline`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from ghostls.lang import CLOSERS, ScanState, Syntax, code_ranges, language, scan
from ghostls.replay.artifacts import indent_of

_MAX_LINE_CHARS = 100
_OPEN = "([{"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def syntax_of(language_id: str) -> Syntax:
    return language(language_id).syntax


@cache
def _comment_openings(syntax: Syntax) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(span.opening) for span in syntax.spans if span.comment)


def code_text(text: str, syntax: Syntax) -> str:
    """The code of `text` with its strings and comments left out."""
    return "".join(text[start:end] for start, end in code_ranges(text + "\n", syntax)[0])


@dataclass
class LineScan:
    """A line read outside strings and comments: its bracket pairs, where a comment starts,
    and the string or comment still open at its end (an index into the syntax's spans)."""

    pairs: list[tuple[int, int]] = field(default_factory=list)  # (opener, closer) columns
    unmatched: int = 0  # closers of brackets opened before the line, plus openers left open
    depth: int = 0  # openers minus closers
    comment_at: int | None = None
    open_at_end: int | None = None


def scan_line(line: str, syntax: Syntax, span: int | None = None) -> LineScan:
    """Read one line (`span`: the string or comment open at its start)."""
    result = LineScan()
    ranges, result.open_at_end = code_ranges(line + "\n", syntax, span)
    stack: list[int] = []
    gaps = [end for _, end in ranges]
    if span is None and (not ranges or ranges[0][0] > 0):
        gaps.insert(0, 0)
    for start, end in ranges:
        for at in range(start, min(end, len(line))):
            char = line[at]
            if char in _OPEN:
                stack.append(at)
                result.depth += 1
            elif char in CLOSERS:
                result.depth -= 1
                if stack and line[stack[-1]] == _PAIRS[char]:
                    result.pairs.append((stack.pop(), at))
                else:
                    result.unmatched += 1
    openings = _comment_openings(syntax)
    result.comment_at = next(
        (at for at in gaps if at < len(line) and any(o.match(line, at) for o in openings)), None
    )
    # An unterminated single-line string: not a line to cut in.
    result.unmatched += len(stack) + scan(line + "\n", syntax, ScanState(span=span)).broken
    return result


def code_lines(lines: Sequence[str], language_id: str) -> list[bool]:
    """Which lines are plain code a cursor may sit in: no comment-only line, no line inside a
    multi-line string or comment, not overlong, no trailing blanks."""
    syntax = syntax_of(language_id)
    # With a last line end, so that each line's end is the next line's start.
    whole = scan("\n".join(lines) + "\n", syntax)
    starts_in_code = [whole.line_start(index).code for index in range(len(lines) + 1)]
    ends_in_code = starts_in_code[1:]
    plain = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        indent = len(indent_of(line))
        plain.append(
            starts_in_code[index]
            and ends_in_code[index]
            and bool(stripped)
            and scan_line(line, syntax).comment_at != indent
            and not stripped.startswith("@@")
            and len(line) <= _MAX_LINE_CHARS
            and line == line.rstrip()
            and "\t" not in line[indent:]
        )
    return plain


def indent_unit(lines: Sequence[str]) -> str:
    """The file's indentation unit: a tab, or the most common step between nested lines."""
    tabs = sum(1 for line in lines if line.startswith("\t"))
    steps: dict[int, int] = {}
    previous = 0
    for line in lines:
        if not line.strip() or line.startswith("\t"):
            continue
        width = len(indent_of(line))
        if width > previous and width - previous in (2, 3, 4, 8):
            steps[width - previous] = steps.get(width - previous, 0) + 1
        previous = width
    if tabs > sum(steps.values()):
        return "\t"
    return " " * max(steps, key=lambda step: (steps[step], step)) if steps else "    "


# -- cut points ------------------------------------------------------------------------------
