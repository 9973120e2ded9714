"""Which code the simulated programmer types: regions of real source files nobody here wrote.

By default the files come from the standard library of the running interpreter; any folder
can be used instead. A region is a run of consecutive whole lines of real code (for Python:
statements of a function body, never its docstring). The document is opened with the region
removed, leaving the blank, indented line a programmer would be on, and the region is typed
back.
"""

from __future__ import annotations

import ast
import os
import random
import sysconfig
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ghostls.lang import CODE_EXTENSIONS as CODE_LANGUAGES

# Folders of the standard library that hold tests, data tables or vendored code.
_SKIPPED_DIRS = frozenset(
    {
        "test",
        "tests",
        "idle_test",
        "idlelib",
        "site-packages",
        "dist-packages",
        "__pycache__",
        "encodings",
        "pydoc_data",
        "lib2to3",
        "turtledemo",
        "ensurepip",
        "config-3",
    }
)
MIN_FILE_BYTES = 1_500
MAX_FILE_BYTES = 250_000
_MAX_LINE_CHARS = 100


@dataclass(frozen=True)
class Region:
    """Lines [first_line, last_line) of a file (0-based), to be typed back."""

    path: str
    language_id: str
    text: str  # the whole file, "\n" line ends
    first_line: int
    last_line: int

    @property
    def uri(self) -> str:
        return Path(self.path).absolute().as_uri()

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")[self.first_line : self.last_line]

    def offsets(self) -> tuple[int, int]:
        """(start, end): the first character to type (after the first line's indentation)
        and the end of the typing (the newline that ends the region's last line)."""
        lines = self.text.split("\n")
        line_start = sum(len(line) + 1 for line in lines[: self.first_line])
        first = lines[self.first_line]
        start = line_start + len(first) - len(first.lstrip(" \t"))
        end = line_start + sum(len(line) + 1 for line in lines[self.first_line : self.last_line])
        return start, end - 1


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def source_files(root: Path, *, stdlib: bool = False) -> list[Path]:
    """Code files under root, sorted (standard library: Python modules only, no tests)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d != "node_modules"
            and not (stdlib and (d in _SKIPPED_DIRS or d.startswith("config-")))
        )
        for name in files:
            suffix = Path(name).suffix.lower()
            if (suffix == ".py") if stdlib else (suffix in CODE_LANGUAGES):
                path = Path(folder) / name
                if of_corpus_size(path):
                    found.append(path)
    return sorted(found)


def of_corpus_size(path: Path) -> bool:
    """Big enough to hold real code, small enough to read (unreadable files are not)."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return MIN_FILE_BYTES <= size <= MAX_FILE_BYTES


def read_source(path: Path) -> str | None:
    """The file's text with "\\n" line ends; None when it is not readable UTF-8 text."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "\x00" in text:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_code(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(("#", "//", "/*", "*", '"""', "'''"))


def _acceptable(lines: list[str], min_lines: int) -> bool:
    """Enough real code, no overlong lines, starting and ending on code."""
    if len(lines) < min_lines or not lines or not _is_code(lines[0]) or not lines[-1].strip():
        return False
    if any(len(line) > _MAX_LINE_CHARS for line in lines):
        return False
    code = sum(1 for line in lines if _is_code(line))
    return code >= max(min_lines - 1, int(len(lines) * 0.7))


def _docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _stmt_start(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)]) - 1


def python_regions(text: str, min_lines: int, max_lines: int) -> list[tuple[int, int]]:
    """Runs of whole statements from function bodies, docstrings left out."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    lines = text.split("\n")
    regions: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = [stmt for stmt in node.body if not _docstring(stmt)]
        for index in range(len(body)):
            start = _stmt_start(body[index])
            best: tuple[int, int] | None = None
            for stmt in body[index:]:
                end = stmt.end_lineno or stmt.lineno
                if end - start > max_lines:
                    break
                best = (start, end)
            if best is not None and _acceptable(lines[best[0] : best[1]], min_lines):
                regions.append(best)
    return sorted(set(regions))


def generic_regions(text: str, min_lines: int, max_lines: int) -> list[tuple[int, int]]:
    """Windows of lines that are mostly code, for languages without a parser here."""
    lines = text.split("\n")
    regions: list[tuple[int, int]] = []
    size = (min_lines + max_lines) // 2
    for start in range(0, max(0, len(lines) - size), max(1, size // 2)):
        window = lines[start : start + size]
        while window and not window[-1].strip():
            window.pop()
        if _acceptable(window, min_lines):
            regions.append((start, start + len(window)))
    return regions


def regions_of(
    path: Path, text: str, language_id: str, min_lines: int, max_lines: int
) -> list[Region]:
    finder = python_regions if language_id == "python" else generic_regions
    return [
        Region(str(path), language_id, text, first, last)
        for first, last in finder(text, min_lines, max_lines)
    ]


def pick_regions(
    files: Iterable[Path], *, seed: int, min_lines: int = 8, max_lines: int = 20
) -> Iterator[Region]:
    """One region per file, the files in a seeded order; deterministic for a seed."""
    rng = random.Random(seed)
    ordered = list(files)
    rng.shuffle(ordered)
    for path in ordered:
        text = read_source(path)
        if text is None:
            continue
        language_id = CODE_LANGUAGES.get(path.suffix.lower(), "plaintext")
        found = regions_of(path, text, language_id, min_lines, max_lines)
        if found:
            yield found[rng.randrange(len(found))]


def file_regions(path: Path, *, seed: int, min_lines: int = 8, max_lines: int = 20) -> list[Region]:
    """Regions of one file that don't overlap, in a seeded order."""
    text = read_source(path)
    if text is None:
        return []
    language_id = CODE_LANGUAGES.get(path.suffix.lower(), "plaintext")
    found = regions_of(path, text, language_id, min_lines, max_lines)
    random.Random(seed).shuffle(found)
    chosen: list[Region] = []
    for region in found:
        if all(
            region.last_line <= other.first_line or region.first_line >= other.last_line
            for other in chosen
        ):
            chosen.append(region)
    return chosen
