"""Sequences of related edits on real code, for the next-edit benchmark. Pure.

Each case is a real file, the edit a programmer makes first, and the change that edit starts,
as a function that applies it to any text (`Case.complete`): applied to the editable window
the server rewrites, it gives what a right next edit leaves there. Four kinds, found in real
files with `ast` and the lines' own text:

- `rename`: a local name used three or more times in a function; the first use is renamed,
  the others should follow;
- `argument`: a call repeated on three or more nearby lines; the first gets a new keyword
  argument, the others should too;
- `wrap`: the same calls; the first is wrapped in another call, the others should be;
- `parallel`: three or more consecutive `self.name = …` lines; the first attribute is made
  private (`self._name`), the others should be.
"""

from __future__ import annotations

import ast
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ghostls.replay.corpus import read_source, source_files, stdlib_root

KINDS = ("rename", "argument", "wrap", "parallel")
NEARBY_LINES = 8  # repeated calls within this many lines of the first
MAX_LINE = 100
NEW_ARGUMENT = ", strict=True"
WRAPPER = "wrapped"
_CALL = re.compile(r"\b([A-Za-z_][\w.]*)\(")
_SELF_ASSIGN = re.compile(r"^(\s*)self\.([A-Za-z]\w*)( = )")


@dataclass(frozen=True)
class Case:
    kind: str
    path: str  # relative to the corpus root
    text: str  # the file as it was
    line: int  # the first edit: replace columns start..end of this line by `new`
    start: int
    end: int
    new: str
    complete: Callable[[str], str]  # the change the first edit starts, applied to a text

    @property
    def edited(self) -> str:
        """The file after the first edit."""
        lines = self.text.split("\n")
        body = lines[self.line]
        lines[self.line] = body[: self.start] + self.new + body[self.end :]
        return "\n".join(lines)

    @property
    def cursor(self) -> tuple[int, int]:
        """Where the cursor is after the first edit: at its end."""
        return self.line, self.start + len(self.new)


def _closing(line: str, opening: int) -> int | None:
    """The index of the parenthesis closing the one at `opening`, on the same line."""
    depth = 0
    quote: str | None = None
    for index in range(opening, len(line)):
        char = line[index]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        elif char == "#":
            return None
    return None


def _calls(line: str, name: str) -> list[tuple[int, int]]:
    """(start of the name, index of the closing parenthesis) of each call of `name`."""
    found = []
    for match in _CALL.finditer(line):
        if match.group(1) != name:
            continue
        close = _closing(line, match.end() - 1)
        if close is not None:
            found.append((match.start(), close))
    return found


def _each_call(name: str, rewrite: Callable[[str, int, int], str]) -> Callable[[str], str]:
    """A change that rewrites every call of `name` in a text: `rewrite(line, start, close)`
    gets the line, where the call's name starts and where its closing parenthesis is."""

    def complete(text: str) -> str:
        lines = text.split("\n")
        for number, line in enumerate(lines):
            for start, close in reversed(_calls(line, name)):
                line = rewrite(line, start, close)
            lines[number] = line
        return "\n".join(lines)

    return complete


def _with_argument(line: str, start: int, close: int) -> str:
    inside = line[start:close]
    if NEW_ARGUMENT.strip(", ") in inside or inside.endswith("("):
        return line
    return line[:close] + NEW_ARGUMENT + line[close:]


def _wrapped(line: str, start: int, close: int) -> str:
    if line[:start].endswith(f"{WRAPPER}("):
        return line
    return f"{line[:start]}{WRAPPER}({line[start : close + 1]}){line[close + 1 :]}"


def _rename(old: str, new: str) -> Callable[[str], str]:
    pattern = re.compile(rf"(?<![\w.]){re.escape(old)}\b")
    return lambda text: pattern.sub(new, text)


def _privatize(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(_SELF_ASSIGN.sub(r"\1self._\2\3", line) for line in lines)


def _rename_cases(path: str, text: str, tree: ast.AST) -> Iterator[Case]:
    lines = text.split("\n")
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        params = {arg.arg for arg in ast.walk(node.args) if isinstance(arg, ast.arg)}
        uses: dict[str, list[ast.Name]] = {}
        stored: set[str] = set()
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and child.id not in params and len(child.id) >= 3:
                uses.setdefault(child.id, []).append(child)
                if isinstance(child.ctx, ast.Store):
                    stored.add(child.id)
        for name, found in sorted(uses.items()):
            found.sort(key=lambda n: (n.lineno, n.col_offset))
            first = found[0]
            if name not in stored or len(found) < 3 or not isinstance(first.ctx, ast.Store):
                continue
            if found[-1].lineno - first.lineno > 3 * NEARBY_LINES:
                continue
            line = first.lineno - 1
            if len(lines[line]) > MAX_LINE or not lines[line].isascii():
                continue
            new = f"new_{name}"
            yield Case(
                "rename",
                path,
                text,
                line,
                first.col_offset,
                first.col_offset + len(name),
                new,
                _rename(name, new),
            )


def _call_cases(path: str, text: str) -> Iterator[Case]:
    lines = text.split("\n")
    seen: set[str] = set()
    for number, line in enumerate(lines):
        if len(line) > MAX_LINE or line.lstrip().startswith(("#", "def ", "class ", ">>>")):
            continue
        for match in _CALL.finditer(line):
            name = match.group(1)
            if name in seen or name in ("print", "super") or name.startswith("self."):
                continue
            calls = _calls(line, name)
            if not calls or calls[0][0] != match.start():
                continue
            start, close = calls[0]
            if close == match.end():  # no arguments to add to
                continue
            nearby = [
                other
                for other in range(number + 1, min(len(lines), number + NEARBY_LINES + 1))
                if len(lines[other]) <= MAX_LINE and _calls(lines[other], name)
            ]
            if len(nearby) < 2:
                continue
            seen.add(name)
            yield Case(
                "argument",
                path,
                text,
                number,
                close,
                close,
                NEW_ARGUMENT,
                _each_call(name, _with_argument),
            )
            call = line[start : close + 1]
            yield Case(
                "wrap",
                path,
                text,
                number,
                start,
                close + 1,
                f"{WRAPPER}({call})",
                _each_call(name, _wrapped),
            )


def _parallel_cases(path: str, text: str) -> Iterator[Case]:
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        run = number
        while run < len(lines) and _SELF_ASSIGN.match(lines[run]) and len(lines[run]) <= MAX_LINE:
            run += 1
        if run - number >= 3:
            match = _SELF_ASSIGN.match(lines[number])
            assert match is not None
            at = match.start(2)
            yield Case("parallel", path, text, number, at, at, "_", _privatize)
        number = max(run, number + 1)


def cases_in(path: str, text: str) -> dict[str, list[Case]]:
    """Every case of each kind in one file's text."""
    found: dict[str, list[Case]] = {kind: [] for kind in KINDS}
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return found
    for case in (
        *_rename_cases(path, text, tree),
        *_call_cases(path, text),
        *_parallel_cases(path, text),
    ):
        found[case.kind].append(case)
    return found


def pick_cases(per_kind: int, seed: int, corpus: str | None = None) -> list[Case]:
    """`per_kind` cases of each kind, at most one per file and kind, from files in a seeded
    order (the standard library by default)."""
    root = Path(corpus) if corpus else stdlib_root()
    files = source_files(root, stdlib=corpus is None)
    files = [path for path in files if path.suffix == ".py"]
    random.Random(seed).shuffle(files)
    picked: dict[str, list[Case]] = {kind: [] for kind in KINDS}
    rng = random.Random(seed + 1)
    for path in files:
        if all(len(cases) >= per_kind for cases in picked.values()):
            break
        text = read_source(path)
        if text is None:
            continue
        for kind, cases in cases_in(str(path.relative_to(root)), text).items():
            if cases and len(picked[kind]) < per_kind:
                picked[kind].append(rng.choice(cases))
    return [case for kind in KINDS for case in picked[kind]]
