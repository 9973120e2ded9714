"""How an answer from a real model is scored, the same way for the raw model and for ghostls.

Every check looks at the document after the insertion (`result`) against the file the cut was
made in (`cut.text`) and the text that was inserted, never at how the text was produced:

- exact: the document equals the file;
- first line right: the first line the cursor's text lands on reads as in the file;
- suffix duplicated: the insertion restates the code that follows the cursor;
- brackets damaged: something was inserted and the document's bracket balance (outside strings
  and comments) differs from the file's;
- parses: the document still parses where the file did (Python with `ast`; other languages with
  tree-sitter's grammars when the `parsers` extra is installed, else not measured);
- junk: fences, chat prose or special tokens in the insertion;
- empty: nothing was inserted.
"""

from __future__ import annotations

import ast
import importlib
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ghostls.replay.quality.lexer import code_text, syntax_of
from ghostls.replay.quality.sampling import CutPoint

_JUNK = (
    re.compile(r"```"),
    re.compile(r"<\|[a-z_]+\|>|<(?:fim|file)_[a-z]+>|<｜[^｜]*｜>|</?s>|\[/?INST\]"),
    re.compile(
        r"^\s*(?:here(?:'s| is| are)\b|this (?:code|function|will|implementation)\b|"
        r"explanation:|note:|i (?:have|hope|added)\b|let me\b|the (?:above|following) code\b)",
        re.IGNORECASE | re.MULTILINE,
    ),
)
_MEANINGFUL = re.compile(r"[A-Za-z0-9_]{2}")


@dataclass(frozen=True)
class Verdict:
    exact: bool
    first_line: bool
    suffix_duplicated: bool
    brackets_damaged: bool
    parses: bool | None  # None: not measured (no parser, or the file did not parse)
    junk: bool
    empty: bool


def bracket_balance(text: str, language_id: str) -> tuple[int, int, int]:
    """Openers minus closers of (), [] and {} outside strings and comments."""
    code = code_text(text, syntax_of(language_id))
    return (
        code.count("(") - code.count(")"),
        code.count("[") - code.count("]"),
        code.count("{") - code.count("}"),
    )


def _python_parses(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(text)
        except (SyntaxError, ValueError):
            return False
    return True


_GRAMMARS = {
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "lua": ("tree_sitter_lua", "language"),
    "c": ("tree_sitter_c", "language"),
    "shellscript": ("tree_sitter_bash", "language"),
}


@cache
def parser_for(language_id: str) -> Callable[[str], bool] | None:
    """A function telling whether a text parses in the language; None when no parser is
    installed for it."""
    if language_id == "python":
        return _python_parses
    grammar = _GRAMMARS.get(language_id)
    if grammar is None:
        return None
    try:
        tree_sitter = importlib.import_module("tree_sitter")
        module = importlib.import_module(grammar[0])
        parser = tree_sitter.Parser(tree_sitter.Language(getattr(module, grammar[1])()))
    except (ImportError, AttributeError, ValueError, TypeError):
        return None

    def parses(text: str) -> bool:
        return not parser.parse(text.encode("utf-8")).root_node.has_error

    return parses


def first_line_right(cut: CutPoint, result: str) -> bool:
    """The line where the file's text after the cursor first shows (the cursor's own line,
    or after a finished line the next) reads in the result as in the file."""
    row = cut.line
    if not cut.truth.split("\n", 1)[0].strip():
        row += 1
    want = cut.text.split("\n")
    got = result.split("\n")
    return row < len(got) and row < len(want) and got[row] == want[row]


def suffix_duplicated(cut: CutPoint, inserted: str) -> bool:
    """The insertion holds a copy of the first meaningful line after the cut's truth (the
    code below the cursor), or the rest of the cursor's line again."""
    rest_of_line = cut.after.split("\n", 1)[0].strip()
    following = next(
        (line.strip() for line in cut.after.split("\n")[1:] if _MEANINGFUL.search(line)), ""
    )
    lines = [line.strip() for line in inserted.split("\n")]
    if following and following in lines:
        return following not in (line.strip() for line in cut.truth.split("\n"))
    return bool(_MEANINGFUL.search(rest_of_line)) and inserted.rstrip().endswith(rest_of_line)


def has_junk(inserted: str) -> bool:
    return any(pattern.search(inserted) for pattern in _JUNK)


def verdict(cut: CutPoint, inserted: str | None, result: str) -> Verdict:
    """Score one answer: `inserted` is the text that went in (None: no answer), `result` the
    document after it."""
    text = inserted or ""
    parse = parser_for(cut.language_id)
    parses: bool | None = None
    if parse is not None and parse(cut.text):
        parses = parse(result)
    return Verdict(
        exact=result == cut.text,
        first_line=first_line_right(cut, result),
        suffix_duplicated=bool(text) and suffix_duplicated(cut, text),
        # Nothing inserted damages nothing (the missing text is counted as not exact).
        brackets_damaged=bool(text)
        and bracket_balance(result, cut.language_id) != bracket_balance(cut.text, cut.language_id),
        parses=parses,
        junk=has_junk(text),
        empty=not text.strip(),
    )
