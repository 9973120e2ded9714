"""What a line says about blocks, in any language: read without knowing which one it is.

The cursor snapshot and post-processing use these where one rule serves every language (a
line that opens a block, a comment line, a line that belongs one level out); what differs
per language is in its registry entry (`Language.opens_block`, `Language.anchor`).
"""

from __future__ import annotations

import re

# A line that opens a block: Python/YAML ":", C-like "{", brackets left open, arrows (JS
# "=>", Rust/Swift "->"), Ruby/Elixir/Lua "do" (with "|args|"), "then", "else".
BLOCK_OPENER = re.compile(
    r"(:|\{|\(|\[|=>|->|\bdo(?:[ \t]*\|[^|]*\|)?|\bthen|\belse)\s*(#.*|//.*)?$"
)
# Lines that open a block once their header is complete (`:`, `{`, `then`, `do` to come).
BLOCK_HEADER = re.compile(
    r"^\s*(if|elif|else|for|while|def|class|with|try|except|finally|case|switch|function|"
    r"catch|match|when|unless|until|local\s+function|fn|impl|struct|enum|async\s+def)\b"
    # ...used as a keyword, not as a name (`match = ...`, `case.value`).
    r"(?!\s*(?:=[^=]|\.|,|\)))"
)
_COMMENT_LINE = re.compile(r"[ \t]*(?:#|//|--|;|/\*|\*)")
_DEDENT_LINE = re.compile(r"[ \t]*(?:[)\]}]|(?:else|elif|except|finally|case|default|catch)\b)")


def is_comment(line: str) -> bool:
    """The line (or what follows a bracket) starts with a comment marker of some language, or
    continues a block comment (` * ...`)."""
    return _COMMENT_LINE.match(line) is not None


def is_dedent_line(line: str) -> bool:
    """A line that belongs one level out: a closer or an else-like keyword."""
    return _DEDENT_LINE.match(line) is not None
