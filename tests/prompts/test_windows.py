"""Prefix and suffix windows: line boundaries, budgets, and a start that stays put."""

from __future__ import annotations

from ghostls.documents import Document, Point
from ghostls.snapshot import Windows, prefix_window, suffix_window, take_snapshot


def _doc(lines: int, width: int = 30) -> Document:
    text = "".join(f"line {i:04d} " + "x" * (width - 11) + "\n" for i in range(lines))
    return Document.from_text("file:///w/a.py", "python", 1, text)


def test_small_file_is_whole() -> None:
    doc = Document.from_text("file:///w/a.py", "python", 1, "a = 1\nb = 2\nc = 3\n")
    snap = take_snapshot(doc, Point(1, 2))
    assert snap.prefix == "a = 1\nb "
    assert snap.suffix == "= 2\nc = 3\n"


def test_windows_start_and_end_on_line_boundaries_within_budget() -> None:
    doc = _doc(1000)
    windows = Windows(prefix_chars=2000, suffix_chars=600)
    point = Point(500, 7)
    first, prefix = prefix_window(doc, point, windows)
    last, suffix = suffix_window(doc, point, windows)
    assert prefix.startswith("line ") and len(prefix) <= 2000
    assert prefix.endswith(doc.lines[500][:7])
    assert suffix.endswith("\n") and len(suffix) <= 600
    assert prefix.count("\n") == 500 - first
    assert suffix.count("\n") == last - 500 + 1
    assert first % 16 == 0  # snapped to the grid
    assert last == 519  # as many whole lines as fit


def test_prefix_start_is_stable_while_typing_and_moving_down() -> None:
    doc = _doc(2000)
    windows = Windows(prefix_chars=3000, suffix_chars=900)
    starts = set()
    for line in range(700, 716):
        for col in (0, 10, 25):
            starts.add(prefix_window(doc, Point(line, col), windows)[0])
    # 16 lines of cursor movement cross at most one grid line.
    assert len(starts) <= 2


def test_unsnapped_start_would_move_every_line() -> None:
    doc = _doc(2000)
    windows = Windows(prefix_chars=3000, suffix_chars=900, grid_lines=1)
    starts = {prefix_window(doc, Point(line, 0), windows)[0] for line in range(700, 716)}
    assert len(starts) == 16


def test_snapping_keeps_most_of_a_short_window() -> None:
    doc = _doc(400, width=200)  # long lines: a 3000-char window holds ~15 lines
    first, _ = prefix_window(doc, Point(300, 0), Windows(prefix_chars=3000))
    assert 300 - first >= 10  # two thirds kept, on a finer grid
    assert first % 4 == 0


def test_the_suffix_text_stays_when_enter_is_pressed() -> None:
    doc = _doc(600)
    windows = Windows(prefix_chars=4000, suffix_chars=1200)
    point = Point(300, len(doc.body(300)))
    _, before = suffix_window(doc, point, windows)
    doc.replace(point, point, "\n")
    _, after = suffix_window(doc, Point(301, 0), windows)
    assert after == before


def test_typing_keeps_the_prefix_start() -> None:
    doc = _doc(600)
    windows = Windows(prefix_chars=4000, suffix_chars=1200)
    point = Point(400, 30)
    first, _ = prefix_window(doc, point, windows)
    doc.replace(point, point, "abc" * 5)
    assert prefix_window(doc, Point(400, 45), windows)[0] == first


def test_a_minified_line_is_capped() -> None:
    line = "var a=1;" * 100_000
    doc = Document.from_text("file:///w/app.min.js", "javascript", 1, "// head\n" + line + "\n")
    snap = take_snapshot(doc, Point(1, 400_000), Windows(prefix_chars=4000, suffix_chars=1200))
    assert len(snap.prefix) == 4000
    assert len(snap.suffix) == 1200


def test_crlf_is_normalised() -> None:
    doc = Document.from_text("file:///w/a.py", "python", 1, "a\r\nb\r\nc\r\n")
    snap = take_snapshot(doc, Point(1, 1))
    assert snap.prefix == "a\nb"
    assert snap.suffix == "\nc\n"
    assert snap.eol == "\r\n"
