"""The lexer: just enough to tell code from strings and comments, and to pair brackets.

Not a parser: one scanner, configured per language family (a `Syntax`: its string, comment,
character and regular expression literals), so that brackets and quotes inside them are not
counted. `scan` follows brackets and line starts for post-processing; `code_ranges` gives the
code of one piece of text for callers that read a line at a time. Which language uses which
family is recorded in the registry (`ghostls.lang.registry`); markup and plain text count
brackets only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

CLOSERS = ")]}"
PARTNER = {")": "(", "]": "[", "}": "{"}

# Before a "/" that starts a JavaScript regular expression literal (otherwise it divides).
_REGEX_CONTEXT = frozenset("(,=:[!&|?{};+-*%<>~^")
_REGEX_LITERAL = re.compile(r"/(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[A-Za-z]*")
_CHAR_LITERAL = (
    r"'(?:[^'\\\n]|\\(?:u\{[0-9A-Fa-f]{1,6}\}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}"
    r"|U[0-9A-Fa-f]{8}|[0-7]{1,3}|.))'"
)


@dataclass(frozen=True)
class Span:
    """A string or comment kind that can stay open at the end of a text."""

    opening: str  # the regex that opens it
    closing: str  # the literal text that closes it
    body: re.Pattern[str]  # from after the opening: the body and its closing (group "end")
    comment: bool = False


def _quoted(quote: str, *, multiline: bool, escapes: bool = True) -> Span:
    first = re.escape(quote[0])
    excluded = first + ("\\\\" if escapes else "") + ("" if multiline else "\\n")
    plain = f"[^{excluded}]"
    if len(quote) > 1:
        plain += f"|{first}(?!{re.escape(quote[1:])})"
    escape = r"|\\[\s\S]" if escapes else ""
    stop = r"|\\?\Z" if multiline else r"|(?=\n)|\\?\Z"
    body = re.compile(rf"(?:{plain}{escape})*(?:(?P<end>{re.escape(quote)}){stop})")
    return Span(opening=re.escape(quote), closing=quote, body=body)


def _line_comment(opening: str) -> Span:
    body = re.compile(r"[^\n]*(?:(?P<end>)(?=\n)|\Z)")
    return Span(opening=opening, closing="", body=body, comment=True)


def _block_comment(opening: str, closing: str) -> Span:
    body = re.compile(rf"[\s\S]*?(?:(?P<end>{re.escape(closing)})|\Z)")
    return Span(opening=re.escape(opening), closing=closing, body=body, comment=True)


@dataclass(frozen=True)
class Syntax:
    """How one language family writes strings, comments and bracketed continuations."""

    name: str
    spans: tuple[Span, ...]
    char_literals: bool = False
    regex_literals: bool = False
    continuation: str = "(["  # openers whose contents continue a statement over lines
    strict: bool = True  # brackets must pair up (a stray closer breaks the code)
    token: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A string or comment is one token, its body and closing included (group "e<i>" holds
        # the closing, absent when the text or the line ended first).
        parts = [r"(?P<nl>\\?\n)"]
        parts += [
            f"(?P<s{i}>(?:{span.opening})(?:{span.body.pattern.replace('(?P<end>', f'(?P<e{i}>')}))"
            for i, span in enumerate(self.spans)
        ]
        if self.char_literals:
            parts.append(f"(?P<ch>{_CHAR_LITERAL})")
        parts += [r"(?P<o>[(\[{])", r"(?P<c>[)\]}])"]
        if self.regex_literals:
            parts.append(r"(?P<re>/)")
        object.__setattr__(self, "token", re.compile("|".join(parts)))


_C_COMMENT = _block_comment("/*", "*/")
_SLASHES = _line_comment("//")
_HASH = _line_comment("#")
_DQ = _quoted('"', multiline=False)
_SQ = _quoted("'", multiline=False)
_TRIPLE_DQ = _quoted('"""', multiline=True)

PYTHON = Syntax(
    "python",
    (_TRIPLE_DQ, _quoted("'''", multiline=True), _DQ, _SQ, _HASH),
    continuation="([{",
)
JAVASCRIPT = Syntax(
    "javascript",
    (_C_COMMENT, _SLASHES, _quoted("`", multiline=True), _DQ, _SQ),
    regex_literals=True,
)
C_LIKE = Syntax("c", (_C_COMMENT, _SLASHES, _TRIPLE_DQ, _DQ), char_literals=True)
GO = Syntax(
    "go",
    (_C_COMMENT, _SLASHES, _quoted("`", multiline=True, escapes=False), _DQ),
    char_literals=True,
)
RUST = Syntax(
    "rust",
    (
        _C_COMMENT,
        _SLASHES,
        Span(r'(?<!\w)b?r#"', '"#', re.compile(r'[\s\S]*?(?:(?P<end>"#)|\Z)')),
        Span(r'(?<!\w)b?r"', '"', re.compile(r'[^"]*(?:(?P<end>")|\Z)')),
        _quoted('"', multiline=True),
    ),
    char_literals=True,
)
HASH_COMMENTS = Syntax("hash", (_DQ, _SQ, _HASH), continuation="([{")
PHP = Syntax(
    "php",
    (
        _C_COMMENT,
        _line_comment("//|#"),
        _quoted('"', multiline=True),
        _quoted("'", multiline=True),
    ),
)
LUA = Syntax(
    "lua",
    (_block_comment("--[[", "]]"), _line_comment("--"), _DQ, _SQ),
    continuation="([{",
)
SQL = Syntax("sql", (_C_COMMENT, _line_comment("--"), _quoted("'", multiline=True), _DQ))
LISP = Syntax("lisp", (_quoted('"', multiline=True), _line_comment(";")), continuation="([{")
CSS = Syntax("css", (_C_COMMENT, _DQ, _SQ))
PLAIN = Syntax("plain", (), strict=False)


@dataclass(frozen=True)
class Opener:
    char: str
    line: int  # the line it was opened on, counted within the text it was scanned in
    column: int  # its column on that line (for a scan that began mid-line, from there)


@dataclass(frozen=True)
class ScanState:
    """Where a scan stopped: the brackets still open and the string or comment still open."""

    stack: tuple[Opener, ...] = ()
    span: int | None = None  # index into Syntax.spans
    pending: int = 0  # characters of the span's closing delimiter the text ended with

    def in_code(self) -> bool:
        return self.span is None


@dataclass(frozen=True)
class LineStart:
    """The state a line starts in."""

    code: bool  # not inside a string or comment
    depth: int  # continuation brackets open (the line continues a statement)
    continued: bool  # the previous line ended in a backslash continuation
    comment: bool = False  # inside a comment (a block comment running over lines)

    @property
    def statement(self) -> bool:
        """The line starts a statement of its own (so its indentation means something)."""
        return self.code and self.depth == 0 and not self.continued


@dataclass(frozen=True)
class Scan:
    end: ScanState
    lines: tuple[LineStart, ...]  # for each line after the first
    closed: tuple[tuple[int, str], ...]  # (offset, closer) for what the start state had open
    mismatched: tuple[int, ...]  # offsets of closers met while other openers were open
    unopened: tuple[int, ...]  # offsets of closers met with nothing open
    broken: int  # single-line strings the end of their line left unterminated

    def line_start(self, index: int) -> LineStart:
        """The state line `index` of the scanned text starts in (line 0 is assumed code)."""
        return self.lines[index - 1] if index > 0 else LineStart(True, 0, False)


def _regex_here(text: str, pos: int) -> bool:
    """Whether a "/" at `pos` starts a regular expression literal rather than dividing."""
    at = pos - 1
    while at >= 0 and text[at] in " \t":
        at -= 1
    return at < 0 or text[at] == "\n" or text[at] in _REGEX_CONTEXT


def _pending(text: str, closing: str) -> int:
    """How many characters of a multi-character closing delimiter `text` ends with (not
    escaped): the delimiter may be completed by what follows."""
    for count in range(len(closing) - 1, 0, -1):
        if text.endswith(closing[:count]):
            before = text[: len(text) - count]
            escapes = len(before) - len(before.rstrip("\\"))
            return count if escapes % 2 == 0 else 0
    return 0


def continuation_depth(stack: Sequence[Opener], syntax: Syntax) -> int:
    """The continuation brackets open inside the innermost block (a brace opening a function
    body inside a call starts statements again: `f(function() {` + a new line)."""
    depth = 0
    for opener in reversed(stack):
        if opener.char not in syntax.continuation:
            break
        depth += 1
    return depth


def scan(text: str, syntax: Syntax, start: ScanState | None = None, line: int = 0) -> Scan:
    """Scan `text` from `start` (code with nothing open by default); `line` numbers its first
    line (for the openers it records)."""
    state = start or ScanState()
    stack = list(state.stack)
    inherited = len(stack)
    depth = continuation_depth(stack, syntax)
    lines: list[LineStart] = []
    starts: dict[tuple[bool, int, bool, bool], LineStart] = {}  # one per kind of line start
    closed: list[tuple[int, str]] = []
    mismatched: list[int] = []
    unopened: list[int] = []
    broken = 0
    line_no = line
    line_begin = 0  # where the line being scanned begins
    pos = 0
    size = len(text)

    def line_start(code: bool, continued: bool = False, comment: bool = False) -> LineStart:
        key = (code, depth, continued, comment)
        found = starts.get(key)
        if found is None:
            found = starts[key] = LineStart(code, depth, continued, comment)
        return found

    if state.span is not None:
        # Finish the string or comment the previous scan ended inside (its closing delimiter
        # may even be split between the two: `""` + `"`).
        kind = syntax.spans[state.span]
        missing = kind.closing[state.pending :]
        if state.pending and text.startswith(missing):
            closed.append((0, kind.closing))
            pos = len(missing)
        else:
            body = kind.body.match(text)
            assert body is not None  # every body pattern can match the empty string at \Z
            pos = body.end()
            inner = text.count("\n", 0, pos)
            lines.extend([line_start(False, comment=kind.comment)] * inner)
            line_no += inner
            if inner:
                line_begin = text.rfind("\n", 0, pos) + 1
            if body.group("end") is None:
                if pos >= size:
                    return _result(text, stack, state.span, lines, closed, (), (), 0, syntax)
                broken += not kind.comment
            elif kind.closing:
                closed.append((pos - len(kind.closing), kind.closing))
    span: int | None = None
    skip_to = pos  # past a regular expression literal
    for match in syntax.token.finditer(text, pos):
        at = match.start()
        if at < skip_to:
            continue
        token = match.lastgroup
        found = match.group()
        if token == "nl":
            line_no += 1
            line_begin = match.end()
            lines.append(line_start(True, len(found) > 1))
        elif token == "o":
            stack.append(Opener(found, line_no, at - line_begin))
            depth = depth + 1 if found in syntax.continuation else 0
        elif token == "c":
            if not stack:
                unopened.append(at)
                continue
            partner = PARTNER[found]
            index = len(stack) - 1
            while index >= 0 and stack[index].char != partner:
                index -= 1
            if index != len(stack) - 1:
                mismatched.append(at)
            if index < 0:
                continue
            del stack[index:]
            depth = continuation_depth(stack, syntax)
            if index < inherited:
                inherited = index
                closed.append((at, found))
        elif token == "re":
            if _regex_here(text, at):
                literal = _REGEX_LITERAL.match(text, at)
                if literal:
                    skip_to = literal.end()
        elif token is not None and token[0] == "s":
            kind_index = int(token[1:])
            kind = syntax.spans[kind_index]
            inner = found.count("\n")
            if inner:
                lines.extend([line_start(False, comment=kind.comment)] * inner)
                line_no += inner
                line_begin = at + found.rfind("\n") + 1
            if match.group(f"e{kind_index}") is None:
                if match.end() >= size:
                    span = kind_index
                    break
                broken += not kind.comment
    return _result(text, stack, span, lines, closed, mismatched, unopened, broken, syntax)


def _result(
    text: str,
    stack: list[Opener],
    span: int | None,
    lines: list[LineStart],
    closed: list[tuple[int, str]],
    mismatched: list[int] | tuple[()],
    unopened: list[int] | tuple[()],
    broken: int,
    syntax: Syntax,
) -> Scan:
    pending = _pending(text, syntax.spans[span].closing) if span is not None else 0
    return Scan(
        ScanState(tuple(stack), span, pending),
        tuple(lines),
        tuple(closed),
        tuple(mismatched),
        tuple(unopened),
        broken,
    )


def code_ranges(
    text: str, syntax: Syntax, span: int | None = None
) -> tuple[list[tuple[int, int]], int | None]:
    """The (start, end) offsets of the code in `text`, outside strings, comments and other
    literals, and the string or comment still open at its end (an index into `syntax.spans`),
    when `text` begins inside `span`. A single-line string or a line comment ends with its line:
    give a whole line with its "\\n" to carry only what really spans lines."""
    size = len(text)
    pos = 0
    if span is not None:
        body = syntax.spans[span].body.match(text)
        assert body is not None  # every body pattern can match the empty string at \Z
        pos = body.end()
        if body.group("end") is None and pos >= size:
            return [], span
    ranges: list[tuple[int, int]] = []
    start = pos
    for match in syntax.token.finditer(text, pos):
        at = match.start()
        if at < start:
            continue
        token = match.lastgroup
        if token == "re":
            literal = _REGEX_LITERAL.match(text, at) if _regex_here(text, at) else None
            if literal is None:
                continue
            end = literal.end()
        elif token == "ch" or (token is not None and token[0] == "s"):
            end = match.end()
        else:
            continue
        if at > start:
            ranges.append((start, at))
        start = end
        if token[0] == "s" and end >= size and match.group(f"e{token[1:]}") is None:
            return ranges, int(token[1:])
    if start < size:
        ranges.append((start, size))
    return ranges, None
