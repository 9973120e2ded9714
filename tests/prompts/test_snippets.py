"""Snippets of other open documents: chosen by similarity, cached, and stable."""

from __future__ import annotations

from ghostls.documents import Document, Point
from ghostls.related.snippets import (
    STEP,
    WINDOW_LINES,
    SnippetFinder,
    identifiers,
    index_document,
    jaccard,
    language_family,
)
from tests.prompts.helpers import CURRENT, PAYMENTS, UNRELATED, path_of, store_with


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n")) if needle in line)


def test_identifiers_skip_keywords_and_numbers() -> None:
    assert identifiers("def f(self, x2): return x2 + 10 if y else None") == {"f", "x2", "y"}


def test_jaccard() -> None:
    assert jaccard({"a", "b"}, {"b", "c"}) == 1 / 3
    assert jaccard(set(), {"a"}) == 0.0


def test_windows_cover_the_document_in_steps() -> None:
    text = "".join(f"value_{i} = compute_{i}(arg)\n" for i in range(100))
    index = index_document(Document.from_text("file:///w/a.py", "python", 1, text))
    starts = [window.start for window in index.windows]
    assert starts[:3] == [0, STEP, 2 * STEP]
    assert all(w.end - w.start <= WINDOW_LINES for w in index.windows)
    assert index.windows[-1].end >= 100


def test_the_similar_document_is_chosen_and_the_unrelated_one_is_not() -> None:
    _, (current, payments, circles) = store_with(
        ("file:///w/capture.py", "python", CURRENT),
        ("file:///w/refunds.py", "python", PAYMENTS),
        ("file:///w/draw.py", "python", UNRELATED),
    )
    finder = SnippetFinder()
    line = _line_of(CURRENT, "def void_payment") + 1
    snippets = finder.find(current, line, [payments, circles], max_chars=2000, path_of=path_of)
    assert [s.path for s in snippets] == ["refunds.py"]
    assert "refund_payment" in snippets[0].text
    assert "ledger.add_entry" in snippets[0].text
    assert snippets[0].score >= 0.12


def test_budget_limits_the_snippets() -> None:
    _, (current, payments) = store_with(
        ("file:///w/capture.py", "python", CURRENT),
        ("file:///w/refunds.py", "python", PAYMENTS),
    )
    finder = SnippetFinder()
    line = _line_of(CURRENT, "def void_payment") + 1
    assert finder.find(current, line, [payments], max_chars=100, path_of=path_of) == ()


def test_no_query_no_snippets() -> None:
    _, (current, payments) = store_with(
        ("file:///w/new.py", "python", "\n"),
        ("file:///w/refunds.py", "python", PAYMENTS),
    )
    assert SnippetFinder().find(current, 0, [payments], max_chars=2000, path_of=path_of) == ()


def test_typing_on_a_line_reuses_the_answer() -> None:
    _, (current, payments) = store_with(
        ("file:///w/capture.py", "python", CURRENT),
        ("file:///w/refunds.py", "python", PAYMENTS),
    )
    finder = SnippetFinder()
    line = _line_of(CURRENT, "def void_payment") + 1
    first = finder.find(current, line, [payments], max_chars=2000, path_of=path_of)
    for char in "ledger = payment.ledger":
        col = len(current.body(line))
        current.replace(Point(line, col), Point(line, col), char)
        again = finder.find(current, line, [payments], max_chars=2000, path_of=path_of)
        assert again == first
    assert finder.misses == 1


def test_an_edited_source_is_indexed_again() -> None:
    _, (current, payments) = store_with(
        ("file:///w/capture.py", "python", CURRENT),
        ("file:///w/refunds.py", "python", PAYMENTS),
    )
    finder = SnippetFinder()
    line = _line_of(CURRENT, "def void_payment") + 1
    finder.find(current, line, [payments], max_chars=2000, path_of=path_of)
    payments.replace(Point(0, 0), Point(0, 0), "import refund_tools\n")
    snippets = finder.find(current, line, [payments], max_chars=2000, path_of=path_of)
    assert finder.misses == 2
    assert finder.index(payments).revision == payments.revision
    assert snippets


def test_the_previous_choice_is_kept_while_nearly_as_good() -> None:
    _, (current, payments) = store_with(
        ("file:///w/capture.py", "python", CURRENT),
        ("file:///w/refunds.py", "python", PAYMENTS),
    )
    finder = SnippetFinder()
    line = _line_of(CURRENT, "def void_payment") + 1
    first = finder.find(current, line, [payments], max_chars=2000, path_of=path_of)
    # Moving one line down changes the question a little; the answer stays.
    current.replace(Point(line, 0), Point(line, 0), "    payment.status = 'void'\n")
    second = finder.find(current, line + 1, [payments], max_chars=2000, path_of=path_of)
    assert finder.misses == 2
    assert [s.text for s in second] == [s.text for s in first]


def test_language_families() -> None:
    assert language_family("typescriptreact") == language_family("javascript")
    assert language_family("cpp") == language_family("c")
    assert language_family("python") != language_family("ruby")


def test_minified_documents_are_cut_when_indexed() -> None:
    doc = Document.from_text("file:///w/app.min.js", "javascript", 1, "var a=1;" * 1_000_000)
    index = index_document(doc)
    assert len(index.lines[0]) <= 402
