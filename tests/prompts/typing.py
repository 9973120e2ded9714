"""Re-typing real code keystroke by keystroke through the context service, for the shared
prefix test and the keystroke-cost benchmark."""

from __future__ import annotations

import sysconfig
from collections.abc import Iterator
from pathlib import Path

from ghostls.documents import Document, DocumentStore, Point
from ghostls.related import RelatedService

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Open "tabs": modules of the standard library, as other open documents.
NEIGHBOURS = ["shlex.py", "string.py", "fractions.py", "calendar.py", "heapq.py", "bisect.py"]


def stdlib_text(name: str) -> str:
    return (STDLIB / name).read_text(encoding="utf-8")


def open_workspace(neighbours: list[str]) -> tuple[DocumentStore, RelatedService]:
    store = DocumentStore()
    service = RelatedService(store)
    for name in neighbours:
        store.open(f"file:///ws/lib/{name}", "python", 1, stdlib_text(name))
    return store, service


def retype(
    store: DocumentStore, name: str, first_line: int, lines: int
) -> Iterator[tuple[Document, Point]]:
    """Open `name` without lines [first_line, first_line + lines) and type them back one
    character at a time; yields the document and cursor after each keystroke."""
    source = stdlib_text(name).split("\n")
    typed = "\n".join(source[first_line : first_line + lines])
    rest = [*source[:first_line], "", *source[first_line + lines :]]
    doc = store.open(f"file:///ws/{name}", "python", 1, "\n".join(rest))
    line, col = first_line, 0
    for char in typed:
        doc.replace(Point(line, col), Point(line, col), char)
        if char == "\n":
            line, col = line + 1, 0
        else:
            col += 1
        doc.version += 1
        yield doc, Point(line, col)
