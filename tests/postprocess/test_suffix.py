"""Stage: running on into the text after the cursor."""

from __future__ import annotations

import pytest

from ghostls.postprocess.suffix import cut_suffix_echo, one_sign_apart
from tests.postprocess.helpers import context, stage_text

DOCUMENT = "def f(x):\n    y = ‸\n    return y * 2\n\n\ndef g():\n    pass\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("x + 1\n    return y * 2", "x + 1"),
        ("x + 1\n    return y * 2\n\n\ndef g():", "x + 1"),
        ("x + 1\n    return y *", "x + 1"),
        ("x + 1\n    return  y * 2", "x + 1"),  # spacing differs
        ("x + 1\n    y = y + 1\n    return y * 2", "x + 1\n    y = y + 1"),
        ("x + 1\n    return y * 2\n    return y * 2\n    return y * 2", "x + 1"),
        ("x + 1", "x + 1"),
        ("x + 1\n    return y * 3", "x + 1\n    return y * 3"),
    ],
)
def test_a_repeat_of_the_next_lines_is_cut(raw: str, expected: str) -> None:
    assert stage_text(cut_suffix_echo, raw, context(DOCUMENT)) == expected


def test_a_repeat_of_the_rest_of_the_line() -> None:
    ctx = context("x = ‸compute(a, b)\n")
    assert stage_text(cut_suffix_echo, "2 * compute(a, b)", ctx) == "2 * "
    closers = context("x = compute(‸)\n")
    assert stage_text(cut_suffix_echo, "a, b)", closers) == "a, b)"


def test_nothing_new_leaves_nothing() -> None:
    ctx = context("def f(x):\n    ‸\n    return x\n")
    assert stage_text(cut_suffix_echo, "    return x", ctx) == ""


def test_lines_the_document_repeats_legitimately() -> None:
    ctx = context("    #\n    # text\n    #‸\n    # more\n")
    assert stage_text(cut_suffix_echo, "\n    #", ctx) == "\n    #"
    table = context("t = (\n    'x',\n    'x',\n    ‸\n    'x',\n)\n")
    assert stage_text(cut_suffix_echo, "'x',\n    'x',", table) == "'x',\n    'x',"


def test_similar_lines_are_not_repeats() -> None:
    ctx = context("    assertEqual(f(1), 1)\n    ‸\n    assertEqual(f(3), 3)\n")
    raw = "assertEqual(f(2), 2)"
    assert stage_text(cut_suffix_echo, raw, ctx) == raw
    table = context("x = [\n    '0x8C -> UNDEFINED',\n‸\n    '0x8F -> UNDEFINED',\n    'end',\n]\n")
    raw = "    '0x8D -> UNDEFINED',\n    '0x8E -> UNDEFINED',"
    assert stage_text(cut_suffix_echo, raw, table) == raw


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("foo(a, b)", "foo(a, b);", True),
        ("foo(a, b),", "foo(a, b)", True),
        ("foo(a, b)", "foo(a, b)", True),
        ("x8C", "x8E", False),
        ("foo(a)", "foo(b)", False),
        ("foo", "foobar", False),
    ],
)
def test_one_sign_apart(a: str, b: str, apart: bool) -> None:
    assert one_sign_apart(a, b) is apart


def test_a_repeat_followed_by_a_loop_on_its_last_line() -> None:
    ctx = context(DOCUMENT)
    raw = "x + 1\n    return y * 2\n    return y * 2\n    return y * 2"
    assert stage_text(cut_suffix_echo, raw, ctx) == "x + 1"


def test_blank_lines_then_a_comment_mark_are_a_repeat() -> None:
    ctx = context("def f():\n    return 1‸\n\n\n#\n# helpers\n")
    assert stage_text(cut_suffix_echo, "\n\n\n#", ctx) == ""


def test_a_closing_brace_over_another_is_not_a_repeat() -> None:
    ctx = context("void f(void) {\n\tif (x) {\n\t\ty();\n\t‸\n\t}\n}\n", language="c", unit="\t")
    assert stage_text(cut_suffix_echo, "\t}", ctx) == "\t}"
