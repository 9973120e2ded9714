"""Recent edits: recorded by the document store, merged by place, shown away from the cursor."""

from __future__ import annotations

from ghostls.documents import Document, DocumentStore, Point
from ghostls.related.history import RecentEdits
from ghostls.snapshot import RecentEdit
from tests.prompts.helpers import path_of

TEXT = "".join(f"line {i}\n" for i in range(100))


def _setup(*uris: str) -> tuple[DocumentStore, RecentEdits, list[Document]]:
    edits = RecentEdits()
    store = DocumentStore(on_edit=edits.record)
    docs = [store.open(uri, "python", 1, TEXT) for uri in uris]
    return store, edits, docs


def _type(doc: Document, line: int, col: int, text: str) -> None:
    for char in text:
        doc.replace(Point(line, col), Point(line, col), char)
        if char == "\n":
            line, col = line + 1, 0
        else:
            col += 1


def _recent(
    edits: RecentEdits, store: DocumentStore, doc: Document, shown: tuple[int, int]
) -> tuple[RecentEdit, ...]:
    return edits.recent(
        doc,
        shown,
        is_open=lambda d: store.get(d.uri) is d,
        excluded=lambda d: d.uri.endswith(".env"),
        max_chars=2000,
        path_of=path_of,
    )


def test_typing_merges_into_one_region_shown_away_from_the_cursor() -> None:
    store, edits, (doc,) = _setup("file:///w/a.py")
    _type(doc, 10, 7, " changed")
    assert len(edits) == 1
    assert _recent(edits, store, doc, (5, 15)) == ()  # inside the windows: already shown
    (edit,) = _recent(edits, store, doc, (60, 80))
    assert edit == RecentEdit("a.py", 11, ("line 10",), ("line 10 changed",))


def test_new_lines_and_shifts() -> None:
    store, edits, (doc,) = _setup("file:///w/a.py")
    _type(doc, 50, 7, "\nextra = 1")
    _type(doc, 10, 7, "\ninserted\nlines")
    # The region at line 50 moved down by two lines with the text.
    recent = _recent(edits, store, doc, (90, 99))
    assert recent[0] == RecentEdit("a.py", 12, (), ("inserted", "lines"))
    assert recent[1] == RecentEdit("a.py", 54, (), ("extra = 1",))


def test_other_documents_and_exclusion() -> None:
    store, edits, (a, b, secret) = _setup("file:///w/a.py", "file:///w/b.py", "file:///w/.env")
    _type(b, 3, 6, "!")
    _type(secret, 1, 0, "KEY=")
    (edit,) = _recent(edits, store, a, (0, 20))
    assert edit.path == "b.py"
    store.close(b.uri)
    assert _recent(edits, store, a, (0, 20)) == ()


def test_an_undone_edit_is_not_shown() -> None:
    store, edits, (doc,) = _setup("file:///w/a.py")
    _type(doc, 10, 6, "x")
    doc.replace(Point(10, 6), Point(10, 7), "")
    assert _recent(edits, store, doc, (60, 80)) == ()


def test_most_recent_first_and_at_most_three() -> None:
    store, edits, (doc,) = _setup("file:///w/a.py")
    for line in (10, 20, 30, 40):
        _type(doc, line, 0, "# ")
    recent = _recent(edits, store, doc, (90, 99))
    assert [edit.line for edit in recent] == [41, 31, 21]


def test_full_text_changes_are_diffed() -> None:
    store, edits, (doc,) = _setup("file:///w/a.py")
    doc.replace_all(TEXT.replace("line 42\n", "line 42 # full\nnew line\n"))
    (edit,) = _recent(edits, store, doc, (90, 99))
    assert edit == RecentEdit("a.py", 43, ("line 42",), ("line 42 # full", "new line"))


def test_the_log_is_bounded() -> None:
    _, edits, (doc,) = _setup("file:///w/a.py")
    for line in range(0, 100, 3):
        _type(doc, line, 0, "#")
    assert len(edits) <= 16


def test_edits_of_minified_lines_are_not_kept() -> None:
    edits = RecentEdits()
    store = DocumentStore(on_edit=edits.record)
    doc = store.open("file:///w/app.min.js", "javascript", 1, "var a=1;" * 10_000 + "\n")
    _type(doc, 0, 5, "x")
    assert len(edits) == 0


def test_all_regions_for_next_edits_and_lines_before_them() -> None:
    store, edits, (doc,) = _setup("file:///w/a.py")
    for line in (10, 30, 50, 70):
        _type(doc, line, 7, "!")
    everything = edits.recent(
        doc,
        None,
        is_open=lambda d: store.get(d.uri) is d,
        excluded=lambda d: False,
        max_chars=2000,
        path_of=path_of,
        limit=8,
    )
    assert [edit.line for edit in everything] == [71, 51, 31, 11]  # the cursor's region too
    assert edits.original(doc, 9, 11) == ["line 9", "line 10", "line 11"]
    assert doc.body(10) == "line 10!"
    assert edits.original(doc, 29, 52) == [f"line {n}" for n in range(29, 53)]
