"""The cursor snapshot: the windows of text around the cursor that one request works on.

Built once per request from the document (only the lines near the cursor are read), then
passed as plain data through the engine, the prompt builders and post-processing, none of
which see the document or LSP types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from ghostls.cursor import Cursor, indent_of
from ghostls.documents import Document, Point, normalize_eol
from ghostls.lang import BLOCK_HEADER, BLOCK_OPENER

_FINISHING = frozenset(")]}\"'")
_CLOSERS_ONLY = re.compile(r"^[\s)\]}>\"'`;,]*$")
_INDENT_SAMPLE_LINES = 200


@dataclass(frozen=True)
class Windows:
    """How much text around the cursor goes into a snapshot, in characters.

    The windows end on line boundaries. The prefix window's first line is snapped to a
    multiple of `grid_lines` lines, so it stays put while the user types (and moves over a
    few lines): consecutive prompts share their start and provider-side prompt caches keep
    hitting. The suffix window is not snapped: measured from the cursor, its text stays the
    same when the cursor moves down by pressing Enter.
    """

    prefix_chars: int = 4000
    suffix_chars: int = 1200
    grid_lines: int = 16


@dataclass(frozen=True)
class Snippet:
    """Code from another open document, similar to the code before the cursor."""

    path: str  # as shown to the model (relative to the workspace when it can be)
    text: str  # whole lines joined with "\n"
    score: float = 0.0


@dataclass(frozen=True)
class RecentEdit:
    """A change the user made recently away from the cursor: lines removed and added."""

    path: str
    line: int  # the first changed line, 1-based, in the document as it is now
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class RelatedCode:
    """What a prompt may show besides the windows around the cursor."""

    path: str = ""  # the file's path as shown to the model; "" for the snapshot's own path
    project: str = ""  # the workspace folder's name
    snippets: tuple[Snippet, ...] = ()
    edits: tuple[RecentEdit, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    uri: str
    path: str
    version: int
    cursor: Cursor
    eol: str = "\n"
    related: RelatedCode = field(default_factory=RelatedCode)

    @property
    def prefix(self) -> str:
        return self.cursor.prefix

    @property
    def suffix(self) -> str:
        return self.cursor.suffix

    @property
    def language_id(self) -> str:
        return self.cursor.language_id

    def advanced(self, text: str, replaced: int = 0) -> Snapshot:
        """The snapshot after `text` is inserted at the cursor (replacing `replaced` chars)."""
        prefix = self.cursor.prefix + text
        suffix = self.cursor.suffix[replaced:]
        ctx = replace(
            self.cursor, prefix=prefix, suffix=suffix, multiline=wants_multiline(prefix, suffix)
        )
        return replace(self, cursor=ctx)

    def after_enter(self) -> Snapshot:
        """The snapshot after the user presses Enter with the editor's usual auto-indent: the
        current line's indentation, one level deeper after a block opener."""
        line = self.cursor.line_prefix
        indent = indent_of(line)
        if BLOCK_OPENER.search(line.rstrip()):
            indent += self.cursor.indent_unit
        return self.advanced("\n" + indent)

    @property
    def at_line_end(self) -> bool:
        """Nothing but whitespace after the cursor on its line."""
        return not self.cursor.line_suffix.strip()

    @property
    def line_finished(self) -> bool:
        """The cursor ends a line that looks complete (`looks_finished`): what comes next is
        then the next line."""
        return self.at_line_end and looks_finished(self.cursor.line_prefix)


def looks_finished(line: str) -> bool:
    """A line that looks complete: it ends in a closer or a quote that closes a string, with
    no bracket or string left open and no block header waiting for its `:`, `{` or `then`."""
    if not line.strip() or line[-1] not in _FINISHING:
        return False  # after a space or an operator, more of this line is coming
    if BLOCK_HEADER.match(line):
        return False
    if any(line.count(quote) % 2 for quote in "\"'`"):
        return False
    depth = 0
    for char in line:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    return depth <= 0


@lru_cache(maxsize=1024)
def uri_to_path(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return unquote(parts.path)
    return uri


def wants_multiline(prefix: str, suffix: str) -> bool:
    """A block on a blank line (nothing after the cursor but closers) or at the end of a
    line that opens a block; a single line in the middle of a line, after other code, or on an
    empty indented line with more of its block below."""
    line_start = prefix.rfind("\n") + 1
    line_prefix = prefix[line_start:]
    line_end = suffix.find("\n")
    line_suffix = suffix if line_end < 0 else suffix[:line_end]
    if not _CLOSERS_ONLY.match(line_suffix):
        return False
    if line_prefix.strip():
        # Right after a block opener the block's body comes next; otherwise finish the line.
        return bool(BLOCK_OPENER.search(line_prefix)) and not line_suffix.strip()
    # On an empty indented line inside a block that carries on below, one statement is
    # wanted: a block would repeat or contradict the code that follows.
    below = "" if line_end < 0 else suffix[line_end + 1 :]
    return not (line_prefix and not line_suffix.strip() and _block_goes_on(line_prefix, below))


def _block_goes_on(indent: str, below: str) -> bool:
    """The first non-blank line of `below` is code at `indent`'s depth or deeper."""
    start = 0
    while start < len(below):
        end = below.find("\n", start)
        line = below[start:] if end < 0 else below[start:end]
        code = line.lstrip()
        if code:
            return len(line) - len(code) >= len(indent) and code[0] not in ")]}"
        if end < 0:
            break
        start = end + 1
    return False


def detect_indent_unit(doc: Document, around: int) -> str:
    """The document's indentation unit, judged from lines near `around`."""
    start = max(0, around - _INDENT_SAMPLE_LINES // 2)
    tabs = 0
    widths: dict[int, int] = {}
    previous = 0
    for line in doc.iter_lines(start, start + _INDENT_SAMPLE_LINES):
        if not line.strip():
            continue
        if line.startswith("\t"):
            tabs += 1
            continue
        indent = len(line) - len(line.lstrip(" "))
        step = abs(indent - previous)
        if step in (2, 3, 4, 8):
            widths[step] = widths.get(step, 0) + 1
        previous = indent
    spaced = sum(widths.values())
    if tabs > spaced:
        return "\t"
    if not widths:
        return "    "
    return " " * max(widths, key=lambda width: (widths[width], width))


def _snap(first: int, cursor_line: int, grid: int) -> int:
    """A prefix window's first line moved towards the cursor onto the coarsest grid (a
    multiple of `grid`, else of a quarter of it) that keeps two thirds of the window's lines."""
    span = cursor_line - first
    for step in (grid, grid // 4):
        if step <= 1:
            break
        snapped = -(-first // step) * step
        if (cursor_line - snapped) * 3 >= span * 2:
            return snapped
    return first


def prefix_window(doc: Document, point: Point, windows: Windows) -> tuple[int, str]:
    """The first line of the prefix window and its text (line ends as in the document): the
    document's window before the point, its start snapped to a grid so that the prompt's
    head stays the same for many keystrokes (a provider's prompt cache keeps hitting)."""
    first, text = doc.window_before(point, windows.prefix_chars)
    if 0 < first < point.line:
        snapped = _snap(first, point.line, windows.grid_lines)
        if snapped != first:
            return snapped, doc.text_from(snapped, point)
    return first, text


def suffix_window(doc: Document, point: Point, windows: Windows) -> tuple[int, str]:
    """The last line of the suffix window and its text (line ends as in the document)."""
    return doc.window_after(point, windows.suffix_chars)


def take_snapshot(
    doc: Document,
    point: Point,
    windows: Windows | None = None,
    related: RelatedCode | None = None,
) -> Snapshot:
    windows = windows or Windows()
    prefix = normalize_eol(prefix_window(doc, point, windows)[1])
    suffix = normalize_eol(suffix_window(doc, point, windows)[1])
    ctx = Cursor(
        prefix=prefix,
        suffix=suffix,
        language_id=doc.language_id,
        multiline=wants_multiline(prefix, suffix),
        indent_unit=detect_indent_unit(doc, point.line),
    )
    return Snapshot(
        uri=doc.uri,
        path=uri_to_path(doc.uri),
        version=doc.version,
        cursor=ctx,
        eol=doc.eol(),
        related=related or RelatedCode(),
    )
