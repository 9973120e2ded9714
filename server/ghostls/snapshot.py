"""The cursor snapshot: the windows of text around the cursor that one request works on.

Built once per request from the document (only the lines near the cursor are read), then
passed as plain data through the engine, the prompt builders and post-processing, none of
which see the document or LSP types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from ghostls.documents import Document, Point, normalize_eol
from ghostls.postprocess import CompletionContext

_BLOCK_OPENER = re.compile(r"(:|\{|\(|\[|=>|\bdo|\bthen|\belse|->)\s*(#.*|//.*)?$")
_CLOSERS_ONLY = re.compile(r"^[\s)\]}>\"'`;,]*$")
_INDENT_SAMPLE_LINES = 200


@dataclass(frozen=True)
class Windows:
    """How much text around the cursor goes into a snapshot, in characters."""

    prefix_chars: int = 4000
    suffix_chars: int = 1200


@dataclass(frozen=True)
class Snapshot:
    uri: str
    path: str
    version: int
    ctx: CompletionContext
    eol: str = "\n"

    @property
    def prefix(self) -> str:
        return self.ctx.prefix

    @property
    def suffix(self) -> str:
        return self.ctx.suffix

    @property
    def language_id(self) -> str:
        return self.ctx.language_id

    def advanced(self, text: str, replaced: int = 0) -> Snapshot:
        """The snapshot after `text` is inserted at the cursor (replacing `replaced` chars)."""
        prefix = self.ctx.prefix + text
        suffix = self.ctx.suffix[replaced:]
        ctx = replace(
            self.ctx, prefix=prefix, suffix=suffix, multiline=wants_multiline(prefix, suffix)
        )
        return replace(self, ctx=ctx)

    def after_enter(self) -> Snapshot:
        """The snapshot after the user presses Enter with the editor's usual auto-indent: the
        current line's indentation, one level deeper after a block opener."""
        line = self.ctx.line_prefix
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if _BLOCK_OPENER.search(line.rstrip()):
            indent += self.ctx.indent_unit
        return self.advanced("\n" + indent)

    @property
    def at_line_end(self) -> bool:
        """Nothing but whitespace after the cursor on its line."""
        return not self.ctx.line_suffix.strip()


def uri_to_path(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return unquote(parts.path)
    return uri


def wants_multiline(prefix: str, suffix: str) -> bool:
    """A block on a blank line (nothing after the cursor but closers) or at the end of a
    line that opens a block; a single line in the middle of a line or after other code."""
    line_start = prefix.rfind("\n") + 1
    line_prefix = prefix[line_start:]
    line_end = suffix.find("\n")
    line_suffix = suffix if line_end < 0 else suffix[:line_end]
    if not _CLOSERS_ONLY.match(line_suffix):
        return False
    if line_prefix.strip():
        # Right after a block opener the block's body comes next; otherwise finish the line.
        return bool(_BLOCK_OPENER.search(line_prefix)) and not line_suffix.strip()
    return True


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


def take_snapshot(doc: Document, point: Point, windows: Windows | None = None) -> Snapshot:
    windows = windows or Windows()
    prefix = normalize_eol(doc.text_before(point, windows.prefix_chars))
    suffix = normalize_eol(doc.text_after(point, windows.suffix_chars))
    ctx = CompletionContext(
        prefix=prefix,
        suffix=suffix,
        language_id=doc.language_id,
        multiline=wants_multiline(prefix, suffix),
        indent_unit=detect_indent_unit(doc, point.line),
    )
    return Snapshot(
        uri=doc.uri, path=uri_to_path(doc.uri), version=doc.version, ctx=ctx, eol=doc.eol()
    )
