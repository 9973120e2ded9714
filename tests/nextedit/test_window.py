"""The editable window around the cursor."""

from __future__ import annotations

from ghostls.documents import Document, Point
from ghostls.nextedit.window import take_window

TEXT = "".join(f"line {n}\n" for n in range(20))


def doc(text: str = TEXT) -> Document:
    return Document.from_text("file:///w/a.py", "python", 1, text)


def test_lines_each_side_of_the_cursor() -> None:
    window = take_window(doc(), Point(10, 3), 2)
    assert (window.first, window.last) == (8, 12)
    assert window.text == "line 8\nline 9\nline 10\nline 11\nline 12\n"
    assert window.text[window.cursor :].startswith("e 10\n")
    assert window.before.endswith("line 7\n") and window.before.startswith("line 0\n")
    assert window.after.startswith("line 13\n")
    assert window.starts_file


def test_clamped_at_the_ends_without_the_empty_last_line() -> None:
    window = take_window(doc(), Point(18, 0), 5)
    assert (window.first, window.last) == (13, 19)
    assert window.text.endswith("line 19\n") and window.after == ""
    top = take_window(doc(), Point(0, 2), 3)
    assert (top.first, top.last, top.before, top.cursor) == (0, 3, "", 2)


def test_crlf_text_and_offsets_in_newline_text() -> None:
    window = take_window(doc("a\r\nbb\r\nccc\r\n"), Point(1, 1), 1)
    assert window.text == "a\nbb\nccc\n"
    assert window.cursor == 3


def test_a_last_line_without_a_line_break() -> None:
    window = take_window(doc("x = 1\ny = 2"), Point(1, 0), 0)
    assert (window.first, window.last, window.text, window.after) == (1, 1, "y = 2", "")
