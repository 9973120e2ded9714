"""Which AI actions apply at a range: pure, instant detection with small per-language rules.

Definitions (functions, methods, classes) are found by regular expressions on the lines near
the cursor, then measured: Python by indentation, brace languages (JS/TS, Go, Rust and the
C-like family) by matching braces outside strings and comments, as the language's lexer
(`ghostls.lang`) tells them apart. Only a window of lines around
the range is read, never the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ghostls.documents import Document, Point
from ghostls.lang import PYTHON, Definitions, Syntax, code_ranges, language

ActionKind = Literal["fix", "docstring", "implement", "rewrite", "explain"]
DefinitionKind = Literal["function", "class"]

SCAN_UP_LINES = 80
"""How far above the cursor a definition's header is looked for."""
HEADER_LINES = 15
"""The longest header (decorators excluded) that is recognised."""
BODY_LINES = 400
"""Bodies longer than this are not measured (no stub, no whole-definition region)."""
MAX_FIXES = 5
"""Fix actions offered per request, one per diagnostic."""
FIX_CONTEXT_LINES = 2
"""Lines around a diagnostic that its Fix action may rewrite."""


def family(language_id: str) -> Definitions | None:
    return language(language_id).definitions


@dataclass(frozen=True)
class Definition:
    """A function, method or class definition, by line index."""

    name: str
    kind: DefinitionKind
    start: int
    """First line: decorators and attributes included."""
    header: int
    """The line of the `def`/`function`/`fn`/`class` keyword."""
    header_end: int
    """Last header line: Python's `:` line, or the line of the body's `{`."""
    end: int | None
    """Last line of the body; None when it is longer than BODY_LINES."""
    documented: bool
    stub: bool


@dataclass(frozen=True)
class Offer:
    """An action that applies, with the region it rewrites (or explains)."""

    kind: ActionKind
    title: str
    start: Point
    end: Point
    name: str | None = None


# -- regions ------------------------------------------------------------------------------


def line_region(doc: Document, first: int, last: int) -> tuple[Point, Point]:
    """Whole lines first..last (inclusive), without the last line's terminator."""
    last = max(first, min(last, doc.line_count - 1))
    return Point(first, 0), Point(last, len(doc.body(last)))


def selection_region(doc: Document, start: Point, end: Point) -> tuple[Point, Point]:
    """A selection as the region to rewrite: exact within one line, whole lines otherwise."""
    if start.line == end.line:
        return start, end
    last = end.line - 1 if end.col == 0 else end.line
    return line_region(doc, start.line, last)


def fix_region(doc: Document, start: Point, end: Point) -> tuple[Point, Point]:
    """The lines a diagnostic's Fix may rewrite: its lines and a few around them."""
    last = end.line - 1 if end.col == 0 and end.line > start.line else end.line
    first = max(0, start.line - FIX_CONTEXT_LINES)
    return line_region(doc, first, min(doc.line_count - 1, last + FIX_CONTEXT_LINES))


# -- what applies -------------------------------------------------------------------------


def offers(doc: Document, start: Point, end: Point) -> list[Offer]:
    """The actions (other than Fix) that apply to a cursor or selection, best first."""
    found: list[Offer] = []
    selected = start != end
    definition = find_definition(doc, start.line)
    on_header = definition is not None and definition.start <= start.line <= definition.header_end
    if definition is not None:
        if on_header and not definition.documented:
            first, last = line_region(doc, definition.start, definition.header_end)
            title = "Add docstring" if family(doc.language_id) == "python" else "Add doc comment"
            found.append(Offer("docstring", f"{title} with AI", first, last, definition.name))
        if (
            definition.stub
            and definition.end is not None
            and definition.start <= start.line <= definition.end
        ):
            first, last = line_region(doc, definition.start, definition.end)
            title = f"Implement '{definition.name}' with AI"
            found.append(Offer("implement", title, first, last, definition.name))
    if selected:
        first, last = selection_region(doc, start, end)
        found.append(Offer("rewrite", "Rewrite selection with AI…", first, last))
        found.append(Offer("explain", "Explain with AI", first, last))
    elif definition is not None and on_header and definition.end is not None:
        first, last = line_region(doc, definition.start, definition.end)
        found.append(Offer("explain", "Explain with AI", first, last, definition.name))
    return found


def find_definition(doc: Document, line: int) -> Definition | None:
    """The innermost definition whose header or body holds `line`, if one is recognised."""
    fam = family(doc.language_id)
    if fam is None or not 0 <= line < doc.line_count:
        return None
    line = _past_decorations(doc, line, fam)
    lowest = max(-1, line - SCAN_UP_LINES)
    for header in range(line, lowest, -1):
        definition = _definition_at(doc, header, fam)
        if definition is None:
            continue
        if definition.start <= line <= definition.header_end:
            return definition
        if definition.end is not None and line <= definition.end:
            return definition
    return None


def _definition_at(doc: Document, header: int, fam: Definitions) -> Definition | None:
    if fam == "python":
        return _python_definition(doc, header)
    return _brace_definition(doc, header, fam)


_DECORATION = {
    "python": re.compile(r"^\s*@"),
    "js": re.compile(r"^\s*@\w"),
    "go": re.compile(r"(?!)"),
    "rust": re.compile(r"^\s*#!?\["),
    "c": re.compile(r"^\s*(@\w|\[\w[^\]]*\]\s*$|template\s*<)"),
}


def _past_decorations(doc: Document, line: int, fam: Definitions) -> int:
    """From a decorator or attribute line, the line of the header it decorates."""
    pattern = _DECORATION[fam]
    index = line
    while index < min(doc.line_count, line + 10) and pattern.match(doc.body(index)):
        index += 1
    return index if index != line and index < doc.line_count else line


def _decorations_start(doc: Document, header: int, fam: Definitions) -> int:
    pattern = _DECORATION[fam]
    start = header
    while start > 0 and header - start < 10 and pattern.match(doc.body(start - 1)):
        start -= 1
    return start


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


# -- Python -------------------------------------------------------------------------------

_PY_HEADER = re.compile(r"^(\s*)(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)")
_PY_STRING_START = re.compile(r"^[rRuUbBfF]{0,2}(\"\"\"|'''|\"|')")
_PY_STUBS = re.compile(r"^(pass|\.\.\.|raise\s+NotImplementedError\b.*)$")
_PY_STUB_DECORATORS = re.compile(r"^\s*@(?:\w+\.)*(abstractmethod|overload)\b")


def _py_code(text: str, depth: int, span: int | None) -> tuple[int, int, int | None]:
    """Bracket depth after a Python line, the index of its last `:` at depth 0 (-1), and the
    string still open at its end, for a line that starts inside `span`."""
    colon = -1
    ranges, span = code_ranges(text + "\n", PYTHON, span)
    for start, end in ranges:
        for index in range(start, min(end, len(text))):
            char = text[index]
            if char in "([{":
                depth += 1
            elif char in ")]}":
                depth -= 1
            elif char == ":" and depth == 0:
                colon = index
    return depth, colon, span


def _python_definition(doc: Document, header: int) -> Definition | None:
    match = _PY_HEADER.match(doc.body(header))
    if match is None:
        return None
    indent = len(match.group(1))
    depth = 0
    span: int | None = None
    header_end = -1
    inline_body = ""
    for index in range(header, min(doc.line_count, header + HEADER_LINES)):
        text = doc.body(index)
        start = match.end() if index == header else 0
        depth, colon, span = _py_code(text[start:], depth, span)
        if depth <= 0 and colon >= 0:
            header_end = index
            inline_body = text[start + colon + 1 :].split("#", 1)[0].strip()
            break
    if header_end < 0:
        return None
    kind: DefinitionKind = "class" if match.group(2) == "class" else "function"
    start = _decorations_start(doc, header, "python")
    if inline_body:
        body = [inline_body]
        end: int | None = header_end
    else:
        body, end = _python_body(doc, header_end + 1, indent)
    documented = bool(body) and _PY_STRING_START.match(body[0].strip()) is not None
    decorated_stub = any(
        _PY_STUB_DECORATORS.match(doc.body(index)) for index in range(start, header)
    )
    stub = kind == "function" and end is not None and not decorated_stub and _python_stub(body)
    return Definition(match.group(3), kind, start, header, header_end, end, documented, stub)


def _python_body(doc: Document, first: int, indent: int) -> tuple[list[str], int | None]:
    """The body's lines (stripped, blank lines left out) and its last line."""
    lines: list[str] = []
    end = first - 1
    in_string = ""
    index = first
    while index < doc.line_count:
        if index - first >= BODY_LINES:
            return lines, None
        text = doc.body(index)
        if not in_string and text.strip() and _indent(text) <= indent:
            break
        if text.strip():
            lines.append(text.strip())
            end = index
        for quote in ('"""', "'''"):
            if (not in_string or in_string == quote) and text.count(quote) % 2 == 1:
                in_string = "" if in_string else quote
        index += 1
    return lines, max(end, first - 1)


def _python_stub(body: list[str]) -> bool:
    statements: list[str] = []
    index = 0
    if body and _PY_STRING_START.match(body[0]):
        quote = _PY_STRING_START.match(body[0])
        assert quote is not None
        closer = quote.group(1)
        rest = body[0][quote.end() :]
        index = 1
        while closer not in rest and index < len(body):
            rest = body[index]
            index += 1
    for line in body[index:]:
        code = line.split("#", 1)[0].strip()
        if code:
            statements.append(code)
    return len(statements) <= 2 and all(_PY_STUBS.match(code) for code in statements)


# -- brace languages ----------------------------------------------------------------------

_NAME = r"([A-Za-z_$][\w$]*)"

_HEADERS: dict[Definitions, list[tuple[re.Pattern[str], DefinitionKind, str]]] = {
    "js": [
        (
            re.compile(
                r"^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?"
                rf"function\b\s*\*?\s*{_NAME}"
            ),
            "function",
            "plain",
        ),
        (
            re.compile(
                r"^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?"
                rf"class\s+{_NAME}"
            ),
            "class",
            "plain",
        ),
        (
            re.compile(
                rf"^\s*(?:export\s+)?(?:const|let|var)\s+{_NAME}\s*(?::[^=]+)?="
                r"\s*(?:async\s+)?(?:function\b|\(|<|[A-Za-z_$][\w$]*\s*=>)"
            ),
            "function",
            "arrow",
        ),
        (
            re.compile(
                r"^\s*(?:(?:public|private|protected|static|readonly|async|override|abstract|"
                r"get|set)\s+)*\*?\s*(#?[A-Za-z_$][\w$]*)\s*(?:<[^>(]*>)?\s*\("
            ),
            "function",
            "method",
        ),
    ],
    "go": [
        (re.compile(r"^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)"), "function", "plain"),
        (re.compile(r"^type\s+([A-Za-z_]\w*)\s+(?:struct|interface)\b"), "class", "plain"),
    ],
    "rust": [
        (
            re.compile(
                r"^\s*(?:pub(?:\s*\([^)]*\))?\s+)?(?:default\s+)?(?:const\s+)?(?:async\s+)?"
                r"(?:unsafe\s+)?(?:extern\s+(?:\"[^\"]*\"\s+)?)?fn\s+([A-Za-z_]\w*)"
            ),
            "function",
            "plain",
        ),
        (
            re.compile(
                r"^\s*(?:pub(?:\s*\([^)]*\))?\s+)?(?:struct|enum|trait|union)\s+([A-Za-z_]\w*)"
            ),
            "class",
            "plain",
        ),
    ],
    "c": [
        (
            re.compile(
                r"^\s*(?:(?:public|private|protected|internal|static|final|abstract|sealed|"
                r"partial|data|open|export|inline|value)\s+)*"
                r"(?:class|struct|interface|enum|record|object|protocol|trait)\s+([A-Za-z_]\w*)"
            ),
            "class",
            "plain",
        ),
        (
            re.compile(
                r"^\s*(?:(?:public|private|protected|internal|static|final|abstract|override|"
                r"open|suspend|inline|async|mutating|operator)\s+)*"
                r"(?:fun|func|function)\s+([A-Za-z_]\w*)"
            ),
            "function",
            "plain",
        ),
        (
            re.compile(r"^\s*((?:[A-Za-z_][\w:<>,*&\[\]]*\s+[*&]*)+)([A-Za-z_~][\w:~]*)\s*\("),
            "function",
            "method",
        ),
    ],
}

_KEYWORDS = frozenset(
    re.findall(
        r"\w+",
        "if for while switch catch with return function typeof new delete await throw case "
        "else do sizeof using typedef goto when try lock foreach synchronized super import "
        "require match loop yield elif until unless fixed checked unchecked",
    )
)

_DOC_ABOVE = re.compile(r"^\s*(///|//!|//|/\*\*|/\*|\*|\*/)")
_DIRECTIVE = re.compile(
    r"^\s*//\s*(?:go:|\+build|nolint|eslint|@ts-|prettier-ignore|istanbul|noinspection|"
    r"NOLINT|clang-format|tslint)|^\s*//go:"
)

_NOT_IMPLEMENTED = r"(?:not\s*(?:yet\s*)?implemented|unimplemented|todo)"
_BRACE_STUBS = re.compile(
    "|".join(
        (
            rf"throw\s+new\s+(?:Type)?Error\s*\(\s*([\"'`]).*?{_NOT_IMPLEMENTED}.*?\1\s*\)",
            r"throw\s+(?:new\s+)?(?:[\w.]+\.)?(?:NotImplementedError|NotImplementedException|"
            r"UnsupportedOperationException|UnimplementedError|NotSupportedException)\s*\(.*\)",
            r"(?:todo|unimplemented)!\s*\(.*\)",
            rf"panic\s*\(\s*([\"'`]).*?{_NOT_IMPLEMENTED}.*?\2\s*\)",
            r"TODO\s*\(.*\)",
            rf"fatalError\s*\(\s*\"[^\"]*?{_NOT_IMPLEMENTED}[^\"]*\"\s*\)",
            r"raise\s+NotImplementedError\b.*",
        )
    ),
    re.IGNORECASE | re.DOTALL,
)
_TRIVIAL_RETURN = re.compile(
    r"return(?:\s+(?:nil|null|None|undefined|0|false|true|\"\"|''|\{\}|\[\]|[\w.]*::default\(\)"
    r"|Default::default\(\)|-1|nil,\s*nil|0,\s*nil|\"\",\s*nil|false,\s*nil|nullptr|NULL))?"
)
_LINE_COMMENT = re.compile(r"//[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def _code_chars(
    doc: Document, line: int, col: int, syntax: Syntax, max_lines: int
) -> Iterator[tuple[int, int, str]]:
    """(line, column, char) of the code from a point on, outside strings and comments."""
    span: int | None = None
    last = min(doc.line_count, line + max_lines)
    while line < last:
        text = doc.body(line)
        ranges, span = code_ranges(text[col:] + "\n", syntax, span)
        for start, end in ranges:
            for index in range(col + start, min(col + end, len(text))):
                yield line, index, text[index]
        line += 1
        col = 0


def _brace_definition(doc: Document, header: int, fam: Definitions) -> Definition | None:
    text = doc.body(header)
    for pattern, kind, style in _HEADERS[fam]:
        match = pattern.match(text)
        if match is None:
            continue
        name = match.group(match.lastindex or 1)
        if style == "method" and (
            name in _KEYWORDS or (fam == "c" and bool(set(match.group(1).split()) & _KEYWORDS))
        ):
            return None
        opening = _find_opening_brace(doc, header, match.end(match.lastindex or 1), fam, style)
        if opening is None:
            return None
        return _measure_body(doc, header, opening, fam, name.lstrip("#"), kind)
    return None


def _find_opening_brace(
    doc: Document, header: int, col: int, fam: Definitions, style: str
) -> Point | None:
    """The `{` that opens the body, or None for a declaration or an expression body."""
    depth = 0
    arrow = False
    previous = ""
    syntax = language(doc.language_id).syntax
    for line, index, char in _code_chars(doc, header, col, syntax, HEADER_LINES):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0:
            if char == "{":
                if style == "arrow" and not arrow:
                    return None
                return Point(line, index)
            if char == ";":
                return None
            if char == ">" and previous == "=":
                arrow = True
            elif char == "=" and style != "arrow" and previous not in "=!<>":
                nxt = doc.body(line)[index + 1 : index + 2]
                if nxt not in ("=", ">"):
                    return None
        if depth < 0:
            return None
        previous = char
    return None


def _measure_body(
    doc: Document, header: int, opening: Point, fam: Definitions, name: str, kind: DefinitionKind
) -> Definition:
    depth = 0
    closing: Point | None = None
    syntax = language(doc.language_id).syntax
    for line, index, char in _code_chars(
        doc, opening.line, opening.col, syntax, BODY_LINES + HEADER_LINES
    ):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                closing = Point(line, index)
                break
    start = _decorations_start(doc, header, fam)
    documented = _documented_above(doc, start)
    stub = False
    end: int | None = None
    if closing is not None:
        end = closing.line
        if kind == "function":
            stub = _brace_stub(_between(doc, opening, closing))
    return Definition(name, kind, start, header, opening.line, end, documented, stub)


def _between(doc: Document, opening: Point, closing: Point) -> str:
    if opening.line == closing.line:
        return doc.body(opening.line)[opening.col + 1 : closing.col]
    parts = [doc.body(opening.line)[opening.col + 1 :]]
    parts.extend(doc.body(index) for index in range(opening.line + 1, closing.line))
    parts.append(doc.body(closing.line)[: closing.col])
    return "\n".join(parts)


def _brace_stub(body: str) -> bool:
    todo = "TODO" in body or "FIXME" in body
    code = _LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", body))
    statements = [part.strip() for part in re.split(r";|\n", code) if part.strip()]
    if not statements:
        return True
    if len(statements) == 1 and _BRACE_STUBS.fullmatch(statements[0]):
        return True
    return todo and len(statements) == 1 and _TRIVIAL_RETURN.fullmatch(statements[0]) is not None


def _documented_above(doc: Document, start: int) -> bool:
    if start == 0:
        return False
    above = doc.body(start - 1)
    if _DIRECTIVE.match(above):
        return False
    return bool(_DOC_ABOVE.match(above)) and not above.lstrip().startswith("#[")
