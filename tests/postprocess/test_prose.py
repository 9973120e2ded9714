"""Stage: a chat model's sentences around its code."""

from __future__ import annotations

import pytest

from ghostls.postprocess.prose import is_opening_remark, is_sentence, strip_prose
from tests.postprocess.helpers import context, stage_text

IN_CODE = context("def add(a, b):\n    return ‸\n", chat=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Here is the completion:\na + b", "a + b"),
        ("Sure! Here's the code:\na + b", "a + b"),
        ("Certainly.\nHere is the missing part:\na + b", "a + b"),
        ("The missing code is:\na + b", "a + b"),
        ("a + b\n\nThis completes the function by adding the two numbers.", "a + b"),
        ("a + b\nThis returns the sum of the two arguments.", "a + b"),
        ("a + b\n\nNote: this works for any type that supports the + operator.", "a + b"),
        ("a + b\n\n- It adds the two numbers.\n- It returns the result.", "a + b"),
        ("a + b", "a + b"),
        (
            "a + b  # This is the sum of the two numbers.",
            "a + b  # This is the sum of the two numbers.",
        ),
    ],
)
def test_sentences_go(raw: str, expected: str) -> None:
    assert stage_text(strip_prose, raw, IN_CODE) == expected


def test_only_for_chat_answers() -> None:
    ctx = context("def add(a, b):\n    return ‸\n")
    raw = "a + b\n\nThis completes the function."
    assert stage_text(strip_prose, raw, ctx) == raw


def test_code_that_reads_like_words_stays() -> None:
    ctx = context("import os\n‸\n", chat=True)
    raw = "import sys\n\nFoo(a, b, c)\nprint(os.name, sys.path)"
    assert stage_text(strip_prose, raw, ctx) == raw


def test_in_a_docstring_sentences_are_the_answer() -> None:
    ctx = context('def f():\n    """‸"""\n', chat=True)
    answer = "Return the value of the thing."
    assert stage_text(strip_prose, answer, ctx) == answer
    ctx = context("def f():\n    # ‸\n", chat=True)
    assert stage_text(strip_prose, "The following is needed:\n# more", ctx) == (
        "The following is needed:\n# more"
    )
    assert stage_text(strip_prose, "Here is the completion:\nthe thing", ctx) == "the thing"


def test_a_remark_after_text_left_open_in_a_docstring() -> None:
    ctx = context('def f():\n    """Return ‸\n    """\n', chat=True)
    raw = "the value.\n\n    More details here.\n\nThis completes the docstring of the function."
    assert stage_text(strip_prose, raw, ctx) == "the value.\n\n    More details here."


def test_a_block_after_a_remark_starts_on_a_new_line() -> None:
    ctx = context("def f(x):‸\n", chat=True)
    assert stage_text(strip_prose, "Here you go:\n    return x", ctx) == "\n    return x"
    single = context("x = ‸\n", chat=True, multiline=False)
    assert stage_text(strip_prose, "Here you go:\n\n1", single) == "1"


@pytest.mark.parametrize(
    ("line", "remark"),
    [
        ("Here is the completion:", True),
        ("Sure!", True),
        ("Complete the function as follows:", True),
        ("else:", False),
        ("for x in items:", False),
        ("class Foo(Base):", False),
    ],
)
def test_opening_remarks(line: str, remark: bool) -> None:
    assert is_opening_remark(line) is remark


@pytest.mark.parametrize(
    ("line", "sentence"),
    [
        ("This completes the function.", True),
        ("The `add` function returns the sum of the two values.", True),
        ("Foo(a, b, c)", False),
        ("print(x)", False),
        ("    This is indented, so it is not a chat remark.", False),
        ("Return = is the value of the thing", False),
    ],
)
def test_sentences(line: str, sentence: bool) -> None:
    assert is_sentence(line) is sentence


def test_chat_sign_offs_go_even_after_text() -> None:
    ctx = context('"""Module.\n\nSome text about ‸\n"""\n', chat=True)
    raw = "the module.\n\nThis completes the implementation of the function."
    assert stage_text(strip_prose, raw, ctx) == "the module."


def test_bold_markdown_remarks() -> None:
    raw = "**Completion:**\na + b\n\n**Explanation:** The code above returns the sum."
    assert stage_text(strip_prose, raw, IN_CODE) == "a + b"


def test_inside_a_long_docstring_the_scan_may_be_wrong() -> None:
    paragraph = (
        "sorting is done with the help of a heap, which is used in the\n"
        "algorithm for the runs that are merged at the end of the pass.\n"
        "It is very important that the initial sort produces the longest\n"
        "runs possible, and this is a good way to do it in practice.\n"
    )
    ctx = context(paragraph + "In a word, heaps are ‸\n", chat=True)
    raw = "useful.\n\nThey are used in a few applications, and it is good to keep them."
    assert stage_text(strip_prose, raw, ctx) == raw


def test_an_indented_sentence_in_a_docstring_stays() -> None:
    ctx = context('def f():\n    """Sum it.\n\n    ‸\n', chat=True)
    raw = "Args:\n        items: the numbers.\n\n    Returns the sum of them all."
    assert stage_text(strip_prose, raw, ctx) == raw


def test_a_usual_remark_goes_even_inside_a_docstring() -> None:
    assert is_opening_remark("You can complete it like this:", in_code=False)
    assert is_opening_remark("The missing code is:", in_code=False)
    assert not is_opening_remark("You can pass None to skip it:", in_code=False)


@pytest.mark.parametrize(
    "remark",
    ["Happy to help!", "Got it. The completed code.", "Right, I would complete it like so."],
)
def test_a_whole_sentence_before_code_is_a_remark(remark: str) -> None:
    single = context("total = compute(items, ‸)\n", chat=True, multiline=False)
    assert stage_text(strip_prose, f"{remark}\ncount", single) == "count"
    assert not is_opening_remark(remark, in_code=False)


def test_code_typed_on_the_cursor_line_means_code_after_a_docstring() -> None:
    ctx = context(
        'def sub(pattern, repl):\n    """Return the string obtained by replacing\n'
        "    the leftmost occurrences of the pattern in string\n"
        '    by the replacement repl, as a string to be used."""\n'
        "    return _compile(pattern).sub(repl, ‸)\n",
        chat=True,
        multiline=False,
    )
    raw = "Based on the surrounding code, the statement continues as follows:\ncount"
    assert stage_text(strip_prose, raw, ctx) == "count"


def test_in_a_plain_text_document_sentences_are_the_answer() -> None:
    ctx = context("# Notes\n\nThe plan is ‸\n", chat=True, language="markdown")
    raw = "Happy to help!\nShip it on Monday."
    assert stage_text(strip_prose, raw, ctx) == raw


@pytest.mark.parametrize(
    "explanation",
    [
        "**Explanation:**\n- The part above keeps the value.\n- With this, `x` is set.",
        "### Explanation\n- This relies on `x` so as to match the rest of the file.",
        "How it works:\n- With this, the code is needed to handle the value correctly.",
        "The statement above makes sure we work for empty input as well.",
        "\nThe statement above keeps it working.\n\nHope that helps!",
    ],
)
def test_an_explanation_below_the_code_goes(explanation: str) -> None:
    ctx = context("def f():\n    ‸\n", chat=True)
    assert stage_text(strip_prose, f"x = 1\n{explanation}", ctx) == "x = 1"


def test_words_below_code_that_end_no_sentence_stay() -> None:
    ctx = context('query = """\n‸\n"""\n', chat=True, language="sql")
    raw = "SELECT a FROM t\nWHERE x IS NOT NULL AND y"
    assert stage_text(strip_prose, raw, ctx) == raw
