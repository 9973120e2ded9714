"""What post-processing knows about the cursor, and what it produces."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ghostls.lang import Language, Scan, ScanState, Syntax, continuation_depth, is_comment, scan
from ghostls.lang import language as language_entry

_STYLE_LINES = 100  # lines above the cursor whose indentation style counts


def indent_of(line: str) -> str:
    """The leading whitespace of `line`."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def columns(whitespace: str, tab_size: int) -> int:
    """The width of leading whitespace, a tab reaching the next tab stop."""
    width = 0
    for char in whitespace:
        width = (width // tab_size + 1) * tab_size if char == "\t" else width + 1
    return width


def line_before(prefix: str) -> str:
    """The cursor's line before the cursor, from the text before it."""
    return prefix[prefix.rfind("\n") + 1 :]


def line_after(suffix: str) -> str:
    """The cursor's line after the cursor, from the text after it."""
    end = suffix.find("\n")
    return suffix if end < 0 else suffix[:end]


@dataclass(frozen=True)
class Insertion:
    """Text to insert at the cursor, replacing `replace_suffix` characters after it (on the
    cursor line only), e.g. the closer it types again: `foo(|)` + "a, b)" replaces ")"."""

    text: str
    replace_suffix: int = 0


@dataclass(frozen=True)
class Cursor:
    """The text around the cursor: windows of the document, lines joined with "\\n" only."""

    prefix: str  # before the cursor, from a line start
    suffix: str  # after the cursor, to a line end
    language_id: str  # the LSP language id
    multiline: bool  # a block may be suggested (else a single line)
    indent_unit: str = "    "  # the document's indentation unit
    from_chat: bool = False  # the text comes from a chat model (fences, prose, echoes)

    @cached_property
    def line_prefix(self) -> str:
        """The cursor line before the cursor."""
        return line_before(self.prefix)

    @cached_property
    def line_suffix(self) -> str:
        """The cursor line after the cursor."""
        return line_after(self.suffix)

    @cached_property
    def previous_lines(self) -> list[str]:
        """The whole lines before the cursor line, nearest last."""
        return self.prefix.split("\n")[:-1]

    @cached_property
    def next_lines(self) -> list[str]:
        """The whole lines after the cursor line, nearest first."""
        return self.suffix.split("\n")[1:]

    @cached_property
    def next_non_empty_line(self) -> str:
        return next((line for line in self.next_lines if line.strip()), "")

    @cached_property
    def previous_non_empty_line(self) -> str:
        return next((line for line in reversed(self.previous_lines) if line.strip()), "")

    @cached_property
    def repeated_line(self) -> str | None:
        """The line the document repeats around the cursor (the last two non-blank lines before
        the cursor line and the first after it), as in tables of identical entries."""
        filled = [line.rstrip() for line in self.previous_lines if line.strip()]
        if len(filled) < 2 or filled[-1] != filled[-2]:
            return None
        return filled[-1] if filled[-1] == self.next_non_empty_line.rstrip() else None

    @property
    def cursor_indent(self) -> str:
        """The indentation of the cursor line (as far as it is typed)."""
        return indent_of(self.line_prefix)

    @property
    def at_line_start(self) -> bool:
        """Only whitespace is typed on the cursor line."""
        return not self.line_prefix.strip()

    @property
    def tab_size(self) -> int:
        """Columns per indentation level (a tab counts as one level)."""
        return 4 if self.indent_unit == "\t" else max(1, len(self.indent_unit))

    def width(self, whitespace: str) -> int:
        return columns(whitespace, self.tab_size)

    def render(self, width: int) -> str:
        """Indentation of `width` columns in the document's style."""
        if self.indent_unit == "\t":
            return "\t" * (width // 4) + " " * (width % 4)
        return " " * width

    @cached_property
    def language(self) -> Language:
        """The registry's entry for the document's language."""
        return language_entry(self.language_id)

    @property
    def syntax(self) -> Syntax:
        return self.language.syntax

    @cached_property
    def _anchor(self) -> int:
        """Where in the prefix scanning starts: the last line that surely starts a statement
        outside strings (the window may begin inside a docstring), else the window start."""
        head = self.prefix[: len(self.prefix) - len(self.line_prefix)]
        starts = [match.start() for match in self.language.anchor.finditer(head)]
        return starts[-1] if starts else -1

    @property
    def anchored(self) -> bool:
        """Scanning starts at a known statement start, so every open bracket is seen."""
        return self._anchor >= 0

    @cached_property
    def opens_its_block(self) -> bool:
        """The cursor line is the first of an indented block (the code line above ends with
        `:` and the cursor line is deeper): in an offside language it starts a statement, so
        no bracket from before it is open, whatever the window missed."""
        above = self.previous_code_line
        state = self.line_start_state
        return (
            self.language.offside
            and self.language.opens_block(above)
            and len(indent_of(self.line_prefix)) > len(indent_of(above))
            and state.in_code()
            and not state.stack
        )

    @cached_property
    def _head_lines(self) -> list[str]:
        """The prefix from where scanning starts to the start of the cursor line, by line."""
        return self.prefix[max(0, self._anchor) : len(self.prefix) - len(self.line_prefix)].split(
            "\n"
        )

    @cached_property
    def _head_scan(self) -> Scan:
        return scan("\n".join(self._head_lines), self.syntax)

    @cached_property
    def line_start_state(self) -> ScanState:
        """The strings, comments and brackets open where the cursor line starts."""
        return self._head_scan.end

    def opener_line(self, depth: int) -> str | None:
        """The text of the line on which the bracket open at the cursor at `depth` (0: the
        outermost the scan saw) was opened: the cursor's line up to the cursor, or a line above."""
        stack = self.cursor_state.stack
        if not 0 <= depth < len(stack):
            return None
        line = stack[depth].line
        lines = self._head_lines
        if line >= len(lines) - 1:
            return self.line_prefix
        return lines[line] if line >= 0 else None

    @cached_property
    def cursor_state(self) -> ScanState:
        """The strings, comments and brackets open at the cursor."""
        start = len(self._head_lines) - 1
        return scan(self.line_prefix, self.syntax, self.line_start_state, start).end

    @cached_property
    def previous_statement_line(self) -> str:
        """The last line before the cursor line that starts a statement of its own (not a
        comment, nor text inside a string, nor the continuation of a bracketed expression)."""
        lines = self._head_lines
        for index in range(len(lines) - 2, -1, -1):
            line = lines[index]
            start = self._head_scan.line_start(index)
            if line.strip() and start.statement and not is_comment(line):
                return line
        return self.previous_non_empty_line

    @cached_property
    def indent_styles(self) -> frozenset[str]:
        """How the lines above the cursor indent: "\t" when some use tabs, " " when some
        start with a tab's width of spaces."""
        styles = set()
        for line in self.previous_lines[-_STYLE_LINES:]:
            lead = indent_of(line)
            if "\t" in lead:
                styles.add("\t")
            if lead.startswith(" " * self.tab_size):
                styles.add(" ")
        return frozenset(styles)

    @cached_property
    def previous_code_line(self) -> str:
        """The last line before the cursor line with code on it (not blank, not a comment)."""
        for line in reversed(self.previous_lines):
            if line.strip() and not is_comment(line):
                return line
        return ""

    @cached_property
    def continuation_widths(self) -> frozenset[int] | None:
        """Where a line continuing the brackets open at the cursor line's start would sit: just
        after the innermost bracket when text follows it on its line (aligned), else one or
        two levels in from that line (hanging). None when the cursor line starts a statement."""
        stack = self.line_start_state.stack
        if not continuation_depth(stack, self.syntax):
            return None
        if self._in_lua_block(stack[-1].line):
            return None
        line = self._head_lines[stack[-1].line]
        after = line[stack[-1].column + 1 :].strip()
        if after and not is_comment(after):
            return frozenset({self.width(line[: stack[-1].column + 1].expandtabs(self.tab_size))})
        base = self.continuation_base
        return frozenset({base + self.tab_size, base + 2 * self.tab_size})

    def _in_lua_block(self, since: int) -> bool:
        """In Lua, the cursor line is in the body of a function (or `if`, `for`...) opened
        after the line `since` that opened the innermost bracket: a statement, whatever
        brackets are open around the function (`setmetatable(t, { f = function() ... })`)."""
        words = self.language.block_words
        if words is None:
            return False
        head = [words.comment.sub("", line) for line in self._head_lines[since:-1]]
        opened = sum(len(words.opens.findall(line)) for line in head)
        closed = sum(len(words.closes.findall(line)) for line in head)
        return opened > closed

    @property
    def continued_width(self) -> int | None:
        """The width of the line before the cursor line when it already continues the innermost
        bracket open at the cursor line's start (the next such line usually lines up with it)."""
        stack = self.line_start_state.stack
        head = self._head_lines
        if not stack or stack[-1].line >= len(head) - 2 or not head[-2].strip():
            return None
        return self.width(indent_of(head[-2]))

    @property
    def continuation_base(self) -> int:
        """The indentation width of the line that opened the innermost bracket open at the
        cursor line's start (where its closing bracket goes)."""
        stack = self.line_start_state.stack
        return self.width(indent_of(self._head_lines[stack[-1].line])) if stack else 0

    @cached_property
    def statement_indent(self) -> int | None:
        """The indentation width of the statement the cursor is in: the line that opened the
        outermost bracket still open, else the cursor line when code is typed on it. None when
        the cursor starts a new statement on a blank line."""
        syntax = self.syntax
        stack = self.cursor_state.stack
        continuing = stack[len(stack) - continuation_depth(stack, syntax) :]
        if continuing:
            line = [*self._head_lines[:-1], self.line_prefix][continuing[0].line]
            return self.width(indent_of(line))
        if self.at_line_start:
            return None
        return self.width(self.cursor_indent)
