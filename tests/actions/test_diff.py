"""Minimal edits from a region's old and new text, in every position encoding."""

from __future__ import annotations

import itertools

import pytest

from ghostls.actions.diff import Edit, diff, minimal_edits, region_text
from ghostls.documents import Document, Encoding, Point

ENCODINGS: list[Encoding] = ["utf-16", "utf-8", "utf-32"]


def _doc(text: str) -> Document:
    return Document.from_text("file:///work/x.py", "python", 3, text)


def apply_edits(doc: Document, edits: list[Edit], encoding: Encoding) -> str:
    """The text an editor shows once it applied the edits (all relative to the text before)."""
    copy = Document.from_text(doc.uri, doc.language_id, doc.version, doc.text)
    for edit in sorted(edits, key=lambda e: (e.start_line, e.start_character), reverse=True):
        copy.replace(
            copy.point(edit.start_line, edit.start_character, encoding),
            copy.point(edit.end_line, edit.end_character, encoding),
            edit.new_text,
        )
    return copy.text


def _whole(doc: Document, first: int, last: int) -> tuple[Point, Point]:
    return Point(first, 0), Point(last, len(doc.body(last)))


def test_identical_text_needs_no_edit() -> None:
    doc = _doc("a = 1\nb = 2\n")
    start, end = _whole(doc, 0, 1)
    assert minimal_edits(doc, start, end, "a = 1\nb = 2", "utf-16") == []


def test_an_inserted_line_is_one_insertion() -> None:
    doc = _doc("def f(a):\n    return a\n\nx = 1\n")
    start, end = _whole(doc, 0, 1)
    new = 'def f(a):\n    """Return a."""\n    return a'
    edits = minimal_edits(doc, start, end, new, "utf-16")
    assert edits == [Edit(1, 0, 1, 0, '    """Return a."""\n')]
    assert apply_edits(doc, edits, "utf-16") == (
        'def f(a):\n    """Return a."""\n    return a\n\nx = 1\n'
    )


def test_a_changed_word_is_a_small_edit() -> None:
    doc = _doc("total = count + 1\n")
    start, end = _whole(doc, 0, 0)
    edits = minimal_edits(doc, start, end, "total = counter + 1", "utf-16")
    assert edits == [Edit(0, 13, 0, 13, "er")]


def test_unrelated_lines_are_replaced_whole() -> None:
    doc = _doc("x = compute(1)\n")
    start, end = _whole(doc, 0, 0)
    edits = minimal_edits(doc, start, end, "raise SystemExit", "utf-16")
    assert len(edits) == 1
    assert apply_edits(doc, edits, "utf-16") == "raise SystemExit\n"


def test_edits_stay_inside_the_region() -> None:
    text = "keep()\ndef f():\n    pass\nkeep()\n"
    doc = _doc(text)
    start, end = _whole(doc, 1, 2)
    edits = minimal_edits(doc, start, end, "def f():\n    return 42", "utf-16")
    for edit in edits:
        assert 1 <= edit.start_line <= edit.end_line <= 2
    assert apply_edits(doc, edits, "utf-16") == "keep()\ndef f():\n    return 42\nkeep()\n"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_columns_after_astral_characters(encoding: Encoding) -> None:
    text = 'msg = "😀 héllo 世界"; n = 1\n'
    doc = _doc(text)
    start, end = _whole(doc, 0, 0)
    new = 'msg = "😀 héllo 世界"; n = 2'
    [edit] = minimal_edits(doc, start, end, new, encoding)
    col = len('msg = "😀 héllo 世界"; n = ')
    expected = {
        "utf-32": col,
        "utf-16": col + 1,  # the emoji is two UTF-16 units
        "utf-8": len('msg = "😀 héllo 世界"; n = '.encode()),
    }[encoding]
    assert edit == Edit(0, expected, 0, expected + 1, "2")
    assert apply_edits(doc, [edit], encoding) == text.replace("n = 1", "n = 2")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_region_starting_mid_line_after_unicode(encoding: Encoding) -> None:
    text = "s = '🎉' + old_name()  # ✓\n"
    doc = _doc(text)
    start = doc.point(0, doc.units(Point(0, 10), encoding), encoding)
    end = Point(0, len("s = '🎉' + old_name()"))
    assert region_text(doc, start, end) == "old_name()"
    edits = minimal_edits(doc, start, end, "new_name()", encoding)
    assert apply_edits(doc, edits, encoding) == "s = '🎉' + new_name()  # ✓\n"
    for edit in edits:
        assert edit.start_character >= doc.units(Point(0, 10), encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_crlf_documents_keep_crlf(encoding: Encoding) -> None:
    text = "def f():\r\n    return 1\r\n\r\nprint(f())\r\n"
    doc = _doc(text)
    start, end = _whole(doc, 0, 1)
    new = 'def f():\n    """One."""\n    value = 1\n    return value'
    edits = minimal_edits(doc, start, end, new, encoding)
    for edit in edits:
        assert "\n" not in edit.new_text.replace("\r\n", "")
    assert apply_edits(doc, edits, encoding) == (
        'def f():\r\n    """One."""\r\n    value = 1\r\n    return value\r\n\r\nprint(f())\r\n'
    )


def test_crlf_pairs_are_never_split() -> None:
    text = "a\r\nb\r\n"
    doc = _doc(text)
    start, end = _whole(doc, 0, 1)
    edits = minimal_edits(doc, start, end, "a\nx\nb", "utf-16")
    for edit in edits:
        # A position inside "\r\n" would be a column past the end of the line's text.
        assert edit.start_character <= len(doc.body(edit.start_line))
        assert edit.end_character <= len(doc.body(edit.end_line))
    assert apply_edits(doc, edits, "utf-16") == "a\r\nx\r\nb\r\n"


def test_deleted_lines() -> None:
    doc = _doc("a\nb\nc\nd\n")
    start, end = _whole(doc, 0, 3)
    edits = minimal_edits(doc, start, end, "a\nd", "utf-16")
    assert edits == [Edit(1, 0, 3, 0, "")]
    assert apply_edits(doc, edits, "utf-16") == "a\nd\n"


def test_lines_appended_at_the_region_end() -> None:
    doc = _doc("a\nb\nz\n")
    start, end = _whole(doc, 0, 1)
    edits = minimal_edits(doc, start, end, "a\nb\nc", "utf-16")
    assert edits == [Edit(1, 1, 1, 1, "\nc")]
    assert apply_edits(doc, edits, "utf-16") == "a\nb\nc\nz\n"


def test_nearby_character_changes_merge() -> None:
    changes = diff("f(a, b)\n", "f(x, y)\n")
    assert len(changes) == 1
    assert changes[0].text == "x, y"


def test_diff_never_overlaps_and_is_ordered() -> None:
    old = "".join(f"line {i}\n" for i in range(30))
    new = old.replace("line 3\n", "").replace("line 10", "LINE 10").replace("line 29\n", "x\n")
    changes = diff(old, new)
    for first, second in itertools.pairwise(changes):
        assert first.end <= second.start
    rebuilt = old
    for change in reversed(changes):
        rebuilt = rebuilt[: change.start] + change.text + rebuilt[change.end :]
    assert rebuilt == new
