"""The incremental document model: positions in each encoding, clamping, and edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ghostls.documents import (
    Document,
    Point,
    col_to_units,
    split_lines,
    text_units,
    units_to_col,
)


def test_split_lines_only_on_lsp_line_ends() -> None:
    assert split_lines("a\nb\r\nc\rd") == ["a\n", "b\r\n", "c\r", "d"]
    assert split_lines("a\u2028b\x0cc") == ["a\u2028b\x0cc"]
    assert split_lines("") == [""]
    assert split_lines("x\n") == ["x\n", ""]


def test_units_per_encoding() -> None:
    line = "a😀b数"
    assert text_units(line, "utf-16") == 5
    assert text_units(line, "utf-8") == 1 + 4 + 1 + 3
    assert text_units(line, "utf-32") == 4
    assert units_to_col(line, 3, "utf-16") == 2
    assert units_to_col(line, 5, "utf-8") == 2
    assert col_to_units(line, 4, "utf-16") == 5


def test_position_inside_a_surrogate_pair_goes_to_the_character_start() -> None:
    assert units_to_col("😀x", 1, "utf-16") == 0
    assert units_to_col("😀x", 2, "utf-8") == 0


def test_clamping() -> None:
    doc = Document.from_text("file:///a", "python", 1, "ab\ncd")
    assert doc.point(-3, 5, "utf-16") == Point(0, 0)
    assert doc.point(0, 99, "utf-16") == Point(0, 2)
    assert doc.point(9, 0, "utf-16") == Point(1, 2)


def test_crlf_pairs_heal_after_edits() -> None:
    doc = Document.from_text("file:///a", "python", 1, "a\rb")
    doc.replace(Point(1, 0), Point(1, 0), "\n")
    assert doc.text == "a\r\nb"
    assert doc.lines == ["a\r\n", "b"]
    doc = Document.from_text("file:///a", "python", 1, "a\r\nb")
    doc.replace(Point(0, 1), Point(0, 1), "x")
    assert doc.lines == ["ax\r\n", "b"]


def test_windows_start_and_end_on_line_boundaries() -> None:
    doc = Document.from_text("file:///a", "python", 1, "one\ntwo\nthree\nfour\n")
    assert doc.window_before(Point(2, 2), 9) == (1, "two\nth")
    assert doc.window_after(Point(1, 1), 9) == (2, "wo\nthree\n")
    assert doc.window_after(Point(1, 1), 8) == (1, "wo\n")
    assert doc.text_from(0, Point(2, 2)) == "one\ntwo\nth"


_TEXT = st.text(alphabet=st.sampled_from(list("ab \t\n\r😀数é{}")), max_size=30)


def _reference_offset(text: str, line: int, units: int, encoding: str) -> int:
    """An independent, slow conversion from a client position to a string offset."""
    lines = split_lines(text)
    if line < 0:
        return 0
    if line >= len(lines):
        return len(text)
    start = sum(len(item) for item in lines[:line])
    body = lines[line]
    if lines[line].endswith("\r\n"):
        body = lines[line][:-2]
    elif lines[line].endswith(("\n", "\r")):
        body = lines[line][:-1]
    total = 0
    for index, char in enumerate(body):
        codec = {"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[encoding]
        width = len(char.encode(codec)) // {"utf-8": 1, "utf-16": 2, "utf-32": 4}[encoding]
        if total + width > units:
            return start + index
        total += width
    return start + len(body)


@settings(max_examples=300, deadline=None)
@given(
    initial=_TEXT,
    edits=st.lists(
        st.tuples(
            st.integers(-1, 8),
            st.integers(-1, 12),
            st.integers(-1, 8),
            st.integers(-1, 12),
            _TEXT,
        ),
        max_size=8,
    ),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-32"]),
)
def test_incremental_model_matches_the_clients_text(
    initial: str, edits: list[tuple[int, int, int, int, str]], encoding: str
) -> None:
    doc = Document.from_text("file:///a", "python", 1, initial)
    expected = initial
    for start_line, start_units, end_line, end_units, text in edits:
        start = _reference_offset(expected, start_line, start_units, encoding)
        end = _reference_offset(expected, end_line, end_units, encoding)
        end = max(start, end)
        expected = expected[:start] + text + expected[end:]
        enc: object = encoding
        doc.replace(
            doc.point(start_line, start_units, enc),  # type: ignore[arg-type]
            doc.point(end_line, end_units, enc),  # type: ignore[arg-type]
            text,
        )
        assert doc.text == expected
        assert doc.lines == split_lines(expected)
