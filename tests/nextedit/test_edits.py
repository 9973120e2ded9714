"""From a rewritten window to the one edit offered."""

from __future__ import annotations

from ghostls.documents import Document, Point
from ghostls.nextedit.edits import propose
from ghostls.nextedit.window import Window, take_window

SOURCE = "def f(a):\n    x = a\n    y = a\n    return a\n"


def window_of(text: str, line: int, col: int, radius: int = 5) -> tuple[Document, Window]:
    d = Document.from_text("file:///w/a.py", "python", 3, text)
    return d, take_window(d, Point(line, col), radius)


def test_changes_merge_into_one_edit() -> None:
    d, window = window_of(SOURCE, 0, 7)
    renamed = SOURCE.replace("= a", "= b").replace("return a", "return b")
    proposal = propose(d, window, renamed, "utf-16")
    assert proposal.verdict == "edit" and proposal.edit is not None
    edit = proposal.edit
    assert (edit.start_line, edit.start_character) == (1, 8)
    assert (edit.end_line, edit.end_character) == (3, 12)
    assert edit.new_text == "b\n    y = b\n    return b"


def test_final_line_break_follows_the_window() -> None:
    d, window = window_of(SOURCE, 1, 0)
    assert propose(d, window, SOURCE.rstrip("\n"), "utf-16").verdict == "no-change"
    assert propose(d, window, SOURCE + "\n\n", "utf-16").verdict == "no-change"


def test_unlike_rewrite_and_insertion_at_cursor_dropped() -> None:
    d, window = window_of(SOURCE, 1, 9)
    assert propose(d, window, "import os\nos.exit()\n", "utf-16").verdict == "unlike"
    typed = SOURCE.replace("x = a\n", "x = a + 1\n")
    assert propose(d, window, typed, "utf-16").verdict == "at-cursor"


def test_edit_in_document_units_and_line_ends() -> None:
    text = "s = 'é'\r\nt = s\r\n"
    d, window = window_of(text, 0, 0)
    proposal = propose(d, window, "s = 'é'\nt = s + s\n", "utf-16")
    assert proposal.edit is not None
    assert (proposal.edit.start_line, proposal.edit.start_character) == (1, 5)
    assert proposal.edit.new_text == " + s"
    multi = propose(d, window, "s = 'é'\nt = s\nu = t\n", "utf-16")
    assert multi.edit is not None and multi.edit.new_text == "u = t\r\n"


def test_blank_lines_at_the_window_edges_are_kept() -> None:
    text = "x = 1\n\ny = x\nz = x\n\n"
    d, window = window_of(text, 2, 0)
    assert window.text == text
    assert propose(d, window, "y = x\nz = x\n", "utf-16").verdict == "cut"  # began late
    assert propose(d, window, "\n\nx = 1\n\ny = x\nz = x", "utf-16").verdict == "no-change"
    renamed = propose(d, window, "x = 1\n\ny = w\nz = w", "utf-16")
    assert renamed.edit is not None and renamed.edit.new_text == "w\nz = w"


def test_undo_and_cut_answers_are_not_edits() -> None:
    d, window = window_of(SOURCE, 1, 5)
    before = SOURCE.replace("x = a", "x = b")  # the window before the user's recent edit
    assert propose(d, window, before, "utf-16", original=before).verdict == "undo"
    assert propose(d, window, before, "utf-16", original=SOURCE).verdict == "edit"
    stopped_early = "def f(a):\n    x = a\n    y = a\n"
    assert propose(d, window, stopped_early, "utf-16").verdict == "cut"
    inner = propose(d, window, SOURCE.replace("    y = a\n", ""), "utf-16")
    assert inner.verdict == "edit" and inner.edit is not None and inner.edit.new_text == ""


def test_a_fence_the_model_put_around_its_answer_is_not_part_of_it() -> None:
    d, window = window_of(SOURCE, 1, 5)
    assert propose(d, window, SOURCE + "```\n", "utf-16").verdict == "no-change"
    assert propose(d, window, "```python\n" + SOURCE, "utf-16").verdict == "no-change"
    fenced = "```\ncode\n```\n"
    d, window = window_of(fenced, 1, 0)
    assert propose(d, window, "```\ncode = 1\n```\n", "utf-16").verdict == "edit"
