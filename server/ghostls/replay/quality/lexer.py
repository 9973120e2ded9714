"""Just enough of a language to tell code from comments and strings, line by line, and the
line prefixes after which the server asks for a block (mirroring `wants_multiline`)."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field

from ghostls.replay.artifacts import indent_of

_MAX_LINE_CHARS = 100

# A line prefix after which the server asks for a block (mirrors `wants_multiline`): the
# mid-line cuts avoid them, their truth being the rest of one line.
_BLOCK_OPENER = re.compile(
    r"(:|\{|\(|\[|=>|->|\bdo(?:[ \t]*\|[^|]*\|)?|\bthen|\belse)\s*(#.*|//.*)?$"
)
_FINISHING = ")]}\"'"
_OPEN = "([{"
_CLOSE = ")]}"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_DEDENT_START = re.compile(r"[)\]}]|(?:else|elif|except|finally|case|default|catch|end)\b")
_CONTINUES = (",", "+", "-", "*", "/", "=", "&&", "||", "(", "[", "{", ".", "?", ":", "\\")
_LUA_OPENS = re.compile(r"\b(?:function|then|do|repeat)\b")
_LUA_CLOSES = re.compile(r"\b(?:end|elseif|until)\b")


@dataclass(frozen=True)
class Syntax:
    """Just enough of a language to tell code from comments and strings, line by line."""

    comment: str
    block: tuple[str, str] | None
    quotes: str
    long_string: tuple[str, str] | None = None


_SYNTAX = {
    "python": Syntax("#", None, "'\""),
    "javascript": Syntax("//", ("/*", "*/"), "'\"`"),
    "typescript": Syntax("//", ("/*", "*/"), "'\"`"),
    "lua": Syntax("--", ("--[[", "]]"), "'\"", ("[[", "]]")),
}
_GENERIC = Syntax("//", ("/*", "*/"), "'\"")


def syntax_of(language_id: str) -> Syntax:
    return _SYNTAX.get(language_id, _GENERIC)


@dataclass
class LineScan:
    """A line read outside strings and comments: its bracket pairs, where a comment starts,
    and whether a string or comment is still open at its end."""

    pairs: list[tuple[int, int]] = field(default_factory=list)  # (opener, closer) columns
    unmatched: int = 0  # closers of brackets opened before the line, plus openers left open
    depth: int = 0  # openers minus closers
    comment_at: int | None = None
    open_at_end: str | None = None  # "block", "string" or "long"


def scan_line(line: str, syntax: Syntax, state: str | None = None) -> LineScan:
    """Read one line (`state`: what was open at its start)."""
    result = LineScan()
    stack: list[int] = []
    at = 0
    quote = ""
    if state == "string":
        quote = "`"
    while at < len(line):
        if state == "block" and syntax.block is not None:
            end = line.find(syntax.block[1], at)
            if end < 0:
                result.open_at_end = "block"
                return result
            state, at = None, end + len(syntax.block[1])
            continue
        if state == "long" and syntax.long_string is not None:
            end = line.find(syntax.long_string[1], at)
            if end < 0:
                result.open_at_end = "long"
                return result
            state, at = None, end + len(syntax.long_string[1])
            continue
        char = line[at]
        if quote:
            if char == "\\":
                at += 2
                continue
            if char == quote:
                quote = ""
                state = None
            at += 1
            continue
        if syntax.block is not None and line.startswith(syntax.block[0], at):
            state, at = "block", at + len(syntax.block[0])
            continue
        if line.startswith(syntax.comment, at):
            result.comment_at = at
            break
        if syntax.long_string is not None and line.startswith(syntax.long_string[0], at):
            state, at = "long", at + len(syntax.long_string[0])
            continue
        if char in syntax.quotes:
            quote = char
        elif char in _OPEN:
            stack.append(at)
            result.depth += 1
        elif char in _CLOSE:
            result.depth -= 1
            if stack and line[stack[-1]] == _PAIRS[char]:
                result.pairs.append((stack.pop(), at))
            else:
                result.unmatched += 1
        at += 1
    if quote == "`":
        result.open_at_end = "string"
    elif quote:
        result.unmatched += 1  # an unterminated string: not a line to cut in
    result.unmatched += len(stack)
    return result


def _python_string_rows(text: str) -> set[int] | None:
    """0-based rows that a multi-line token (a docstring...) covers; None if it won't tokenize."""
    rows: set[int] = set()
    skip = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in skip or token.start[0] == token.end[0]:
                continue
            rows.update(range(token.start[0] - 1, token.end[0]))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None
    return rows


def code_lines(lines: Sequence[str], language_id: str) -> list[bool]:
    """Which lines are plain code a cursor may sit in: no comment-only line, no line inside a
    multi-line string or comment, not overlong, no trailing blanks."""
    syntax = syntax_of(language_id)
    plain = [False] * len(lines)
    rows: set[int] = set()
    if language_id == "python":
        found = _python_string_rows("\n".join(lines))
        if found is None:
            return plain
        rows = found
    state: str | None = None
    for index, line in enumerate(lines):
        scanned = scan_line(line, syntax, state)
        stripped = line.strip()
        plain[index] = (
            state is None
            and scanned.open_at_end is None
            and index not in rows
            and bool(stripped)
            and not stripped.startswith((syntax.comment, "/*", "*", "@@"))
            and len(line) <= _MAX_LINE_CHARS
            and line == line.rstrip()
            and "\t" not in line[len(indent_of(line)) :]
        )
        state = scanned.open_at_end
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
