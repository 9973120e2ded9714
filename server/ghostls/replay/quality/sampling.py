"""Cut points: where in a real file the cursor is put, labelled, and what the author wrote there."""

from __future__ import annotations

import ast
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ghostls.lang import BLOCK_OPENER, CLOSERS, Syntax, scan
from ghostls.replay.artifacts import View, indent_of
from ghostls.replay.corpus import MAX_FILE_BYTES, read_source
from ghostls.replay.quality.lexer import (
    code_lines,
    code_text,
    indent_unit,
    scan_line,
    syntax_of,
)
from ghostls.replay.quality.suite import LABELS
from ghostls.snapshot import looks_finished

_OPEN = "([{"
_FINISHING = ")]}\"'"
_DEDENT_START = re.compile(r"[)\]}]|(?:else|elif|except|finally|case|default|catch|end)\b")
_CONTINUES = (",", "+", "-", "*", "/", "=", "&&", "||", "(", "[", "{", ".", "?", ":", "\\")
_LUA_OPENS = re.compile(r"\b(?:function|then|do|repeat)\b")
_LUA_CLOSES = re.compile(r"\b(?:end|elseif|until)\b")


_KEY_CHARS = 160  # the text before the cursor that identifies a cut point in a prompt
_MIN_PREFIX_CHARS = 200
_MAX_BLOCK_LINES = 6
_MAX_BLOCK_CHARS = 400
_CURSOR = "<CURSOR>"


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
    """One cursor per code line, after at least two typed characters but neither right after
    a block opener (the server would ask for a block there) nor where the line looks finished
    (the server would suggest the next line: an end-of-line case); the truth is the rest of
    the line. Lines holding a comment are left out."""
    found = []
    for index, line in enumerate(lines):
        if (
            not plain[index]
            or len(line.strip()) < 12
            or scan_line(line, syntax).comment_at is not None
        ):
            continue
        first = len(indent_of(line)) + 2
        for _ in range(4):
            col = rng.randrange(first, len(line) - 2)
            if not BLOCK_OPENER.search(line[:col]) and not looks_finished(line[:col]):
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
        depth = sum(1 for c in line if c in _OPEN) - sum(1 for c in line if c in CLOSERS)
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
                depth -= char in CLOSERS
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
    return not scan(line[:col], syntax).end.in_code()


def _balanced(block: str, syntax: Syntax, language_id: str) -> bool:
    scanned = scan(block, syntax)
    if scanned.end.stack or not scanned.end.in_code() or scanned.unopened or scanned.mismatched:
        return False
    if language_id == "lua":
        code = code_text(block, syntax)
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


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)


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
            if text is None or len(text.encode()) > MAX_FILE_BYTES:
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
