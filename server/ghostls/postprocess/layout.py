"""Shared reading of line layout: indentation, block openers, the cursor's block."""

from __future__ import annotations

import re

from ghostls.postprocess.context import CompletionContext, indent_of
from ghostls.postprocess.syntax import PYTHON, Scan

_TRAILING_PYTHON_COMMENT = re.compile(r"[ \t]+#[^'\"\n]*$")
_COMMENT_START = re.compile(r"[ \t]*(?:#|//|--|;|/\*|\*)")
_DEDENT_WORDS = re.compile(r"[ \t]*(?:[)\]}]|(?:else|elif|except|finally|case|default|catch)\b)")


def opens_block(line: str, ctx: CompletionContext) -> bool:
    """The line ends where an indented block or continuation begins."""
    code = line.rstrip()
    if ctx.syntax is PYTHON:
        code = _TRAILING_PYTHON_COMMENT.sub("", code)
        return code.endswith((":", "(", "[", "{", "\\"))
    return code.endswith(("{", "(", "["))


def is_comment(line: str) -> bool:
    return bool(_COMMENT_START.match(line))


def is_dedent_line(line: str) -> bool:
    """A line that belongs one level out: a closer or an else-like keyword."""
    return bool(_DEDENT_WORDS.match(line))


def cursor_line(lines: list[str], ctx: CompletionContext) -> str:
    """The whole cursor line as the insertion leaves it (its first line after the typed part)."""
    return ctx.line_prefix + lines[0]


def block_indent(lines: list[str], starts: Scan, ctx: CompletionContext) -> int | None:
    """The indentation width of the block the insertion is written in: that of the statement
    the cursor is in, else that of the insertion's first code line."""
    if ctx.statement_indent is not None:
        return ctx.statement_indent
    if lines[0].strip():
        return ctx.width(indent_of(cursor_line(lines, ctx)))
    for index in range(1, len(lines)):
        if lines[index].strip() and starts.line_start(index).statement:
            return ctx.width(indent_of(lines[index]))
    return None
