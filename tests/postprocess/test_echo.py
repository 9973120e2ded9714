"""Stage: repeats of the text before the cursor."""

from __future__ import annotations

import pytest

from ghostls.postprocess.echo import strip_echo
from tests.postprocess.helpers import context, stage_text

DOCUMENT = "import sys\n\ndef total(items):\n    result = sum(it‸\n    return result\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("    result = sum(items)", "ems)"),
        ("result = sum(items)", "ems)"),
        ("  result = sum(items)", "ems)"),
        ("sum(items)", "ems)"),
        ("items)", "ems)"),
        ("ems)", "ems)"),
        ("def total(items):\n    result = sum(items)", "ems)"),
        ("import sys\n\ndef total(items):\n    result = sum(items)", "ems)"),
    ],
)
def test_repeats_of_the_typed_line(raw: str, expected: str) -> None:
    assert stage_text(strip_echo, raw, context(DOCUMENT)) == expected


@pytest.mark.parametrize(
    ("document", "raw"),
    [
        ("b'\\x00\\x00‸\\x00'\n", "\\x00'"),  # a run the document is writing, not an echo
        ("x = '%s%s‸%s'\n", "%s'"),
        ("    if c‸\n", "ch == 'x':"),  # a word that does not begin again
        ("__‸\n", "_all__ = []"),  # "__all__": the typed part is not a word start
        ("def total(items):\n    return ‸\n", "1"),
        ("x = ‸\n", " 1"),
    ],
)
def test_continuations_that_look_alike_stay(document: str, raw: str) -> None:
    assert stage_text(strip_echo, raw, context(document)) == raw


def test_a_retyped_word_is_judged_by_the_words_around() -> None:
    known = context("import os, sys\nimport s‸\n")
    assert stage_text(strip_echo, "sys", known) == "ys"
    doubled = context("x = ssl.wrap\nimport s‸\n")
    assert stage_text(strip_echo, "sl", doubled) == "sl"
    assert stage_text(strip_echo, "test_run(self):", context("    def te‸\n")) == "st_run(self):"


def test_whole_previous_lines_with_the_cursor_line_again() -> None:
    ctx = context("def f(x):\n    y = 2\n    ‸\n")
    # Written in the document's layout: the next line's indentation is typed already.
    assert stage_text(strip_echo, "    y = 2\n    return y", ctx) == "return y"
    assert stage_text(strip_echo, "y = 2\nreturn y", ctx) == "y = 2\nreturn y"


def test_previous_lines_need_the_typed_part_to_follow() -> None:
    ctx = context("    x = compute(a)\n    if x‸\n")
    assert stage_text(strip_echo, "    x = compute(a)\n    if x > 0:", ctx) == " > 0:"
    assert stage_text(strip_echo, "    x = compute(a)\nprint(x)", ctx) == (
        "    x = compute(a)\nprint(x)"
    )


def test_a_repetitive_document_is_not_an_echo() -> None:
    ctx = context("t = (\n    'x',\n    'x',\n    ‸\n    'x',\n)\n")
    assert stage_text(strip_echo, "    'x',\n    'x',", ctx) == "    'x',\n    'x',"


def test_the_typed_line_with_its_indentation() -> None:
    ctx = context('def f():\n    """Open the file.\n\n    N‸\n')
    assert stage_text(strip_echo, "    Note: it must exist.", ctx) == "ote: it must exist."


def test_a_one_letter_name_is_judged_by_the_words_around() -> None:
    ctx = context("def f(dd):\n    if dd[-1] == ',':\n        d‸\n    return dd\n")
    assert stage_text(strip_echo, "d = dd[:-1]", ctx) == "d = dd[:-1]"
    numbers = context("x = 1\nv10 = 1‸\n")
    assert stage_text(strip_echo, "1", numbers) == "1"


def test_python_words_need_not_appear_around() -> None:
    ctx = context("def f(x):\n    if not i‸\n")
    assert stage_text(strip_echo, "isinstance(x, int):", ctx) == "sinstance(x, int):"


def test_a_blank_line_before_the_cursor_echoed() -> None:
    ctx = context("x = 1\n\n‸\n")
    assert stage_text(strip_echo, "\ny = 2", ctx) == "y = 2"
    typed = context("x = 1\n\n    d‸\n")
    assert stage_text(strip_echo, "\n    def f(self):", typed) == "ef f(self):"


def test_runs_of_one_character_are_no_echo() -> None:
    ctx = context("#######‸\n")
    assert stage_text(strip_echo, "##########", ctx) == "##########"


def test_a_tail_inside_a_word_is_no_echo() -> None:
    ctx = context("    ('!=', True, True, False, Tru‸),\n")
    assert stage_text(strip_echo, "e, True", ctx) == "e, True"


def test_a_chat_echo_from_column_zero_on_an_indented_blank_line() -> None:
    document = "def f(x):\n    if x is None:\n        ‸\n"
    raw = "if x is None:\n        return 0"
    chat = context(document, chat=True)
    assert stage_text(strip_echo, raw, chat) == "return 0"
    # Not from a fill-in-the-middle model, nor with the next line out of the file's layout.
    assert stage_text(strip_echo, raw, context(document)) == raw
    assert (
        stage_text(strip_echo, "if x is None:\n    return 0", chat) == "if x is None:\n    return 0"
    )
