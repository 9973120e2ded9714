"""Regions of real code to type, and the truth the typist follows through them."""

from __future__ import annotations

import itertools
from pathlib import Path

from ghostls.replay.corpus import (
    Region,
    file_regions,
    pick_regions,
    python_regions,
    source_files,
    stdlib_root,
)
from ghostls.replay.truth import Truth

MODULE = '''import os


def walk(root, depth=0):
    """Walk a tree.

    A docstring that must never be typed as code.
    """
    entries = sorted(os.listdir(root))
    for name in entries:
        path = os.path.join(root, name)
        if os.path.isdir(path):
            yield from walk(path, depth + 1)
        else:
            yield depth, path
    return None
'''


def region(first: int, last: int, text: str = MODULE) -> Region:
    return Region("/src/walk.py", "python", text, first, last)


def test_python_regions_are_statements_of_bodies_without_docstrings() -> None:
    found = python_regions(MODULE, 3, 20)
    assert found
    lines = MODULE.split("\n")
    for first, last in found:
        typed = "\n".join(lines[first:last])
        assert "docstring" not in typed
        assert 3 <= last - first <= 20
        assert lines[first].strip()


def test_region_offsets_start_after_the_indentation_and_end_at_the_last_newline() -> None:
    reg = region(8, 15)
    start, end = reg.offsets()
    assert MODULE[start:].startswith("entries = sorted")
    assert MODULE[end] == "\n"
    assert MODULE[:end].endswith("yield depth, path")


def test_the_document_opens_on_a_blank_indented_line() -> None:
    truth = Truth.of(region(8, 15))
    document = truth.document()
    assert '    """\n    \n    return None' in document
    assert "entries" not in document


def test_enter_brings_the_next_lines_indentation() -> None:
    truth = Truth.of(region(8, 15))
    while truth.text[truth.pos] != "\n":
        truth.typed(truth.next_key())
    assert truth.next_key() == "\n    "
    truth.typed(truth.next_key())
    assert truth.wanted() == "for name in entries:"


def test_typing_through_the_region_rebuilds_the_file() -> None:
    truth = Truth.of(region(8, 15))
    while not truth.done:
        truth.typed(truth.next_key())
    assert truth.document() == MODULE


def test_accepting_the_truth_moves_along_it() -> None:
    truth = Truth.of(region(8, 15))
    assert truth.accept("entries = sorted(os.listdir(root))") == len(
        "entries = sorted(os.listdir(root))"
    )
    assert truth.wanted() == ""
    assert truth.document() == MODULE[: truth.pos] + MODULE[truth.end :]


def test_an_accepted_divergence_becomes_the_truth_line_for_line() -> None:
    truth = Truth.of(region(8, 15))
    matched = truth.accept("entries = sorted(os.scandir(root))")
    assert matched == len("entries = sorted(os.")
    assert truth.text.startswith(MODULE[: MODULE.index("entries")] + "entries = sorted(os.scandir")
    assert truth.text[truth.pos :].startswith("\n    for name in entries:")
    while not truth.done:
        truth.typed(truth.next_key())
    assert "os.scandir(root))\n    for name" in truth.document()


def test_pick_regions_is_seeded(tmp_path: Path) -> None:
    for index in range(6):
        (tmp_path / f"m{index}.py").write_text(MODULE.replace("walk", f"walk{index}") * 5)
    files = source_files(tmp_path)
    first = [(r.path, r.first_line) for r in pick_regions(files, seed=1, min_lines=3)]
    again = [(r.path, r.first_line) for r in pick_regions(files, seed=1, min_lines=3)]
    other = [(r.path, r.first_line) for r in pick_regions(files, seed=2, min_lines=3)]
    assert first == again
    assert len(first) == 6
    assert first != other


def test_file_regions_do_not_overlap(tmp_path: Path) -> None:
    path = tmp_path / "many.py"
    path.write_text(MODULE * 4)
    chosen = file_regions(path, seed=0, min_lines=3, max_lines=8)
    spans = sorted((r.first_line, r.last_line) for r in chosen)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_the_standard_library_gives_regions() -> None:
    files = source_files(stdlib_root(), stdlib=True)
    assert all("test" not in p.parts for p in files)
    regions = pick_regions(files, seed=0)
    first = next(regions)
    assert 8 <= first.last_line - first.first_line <= 20
