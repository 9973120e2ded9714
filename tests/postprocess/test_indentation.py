"""Stage: indentation fitted to the document."""

from __future__ import annotations

import pytest

from ghostls.postprocess.indentation import fix_indentation, keeps_layout
from tests.postprocess.helpers import context, stage_text

METHOD = "class A:\n    def f(self, x):\n        if x:\n            return 1\n        ‸\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("return 2", "return 2"),
        ("        return 2", "return 2"),  # restates the typed indentation
        ("\t\treturn 2", "return 2"),
        (
            "for y in x:\n    print(y)\nreturn 2",
            "for y in x:\n            print(y)\n        return 2",
        ),
        ("for y in x:\n\t\t\tprint(y)", "for y in x:\n            print(y)"),
        ("for y in x:\n      print(y)", "for y in x:\n            print(y)"),  # 2 spaces
        ("for y in x:\n            print(y)", "for y in x:\n            print(y)"),
    ],
)
def test_chat_snippets_at_a_blank_line(raw: str, expected: str) -> None:
    assert stage_text(fix_indentation, raw, context(METHOD, chat=True)) == expected


def test_a_cursor_inside_the_indentation() -> None:
    document = "def f():\n    x = 1\n    ‸\n    return x\n"
    halfway = "def f():\n    if x:\n        y = 1\n    ‸\n"
    assert stage_text(fix_indentation, "y = 2", context(document)) == "y = 2"
    assert stage_text(fix_indentation, "    y = 2", context(document)) == "y = 2"
    assert stage_text(fix_indentation, "    z = 2", context(halfway)) == "    z = 2"


def test_a_block_opener_leads_the_next_line() -> None:
    ctx = context("def f(x):\n    ‸\n    return x\n", chat=True)
    raw = "    if x:\n        x = 1"
    assert stage_text(fix_indentation, raw, ctx) == "if x:\n        x = 1"


def test_fill_in_the_middle_answers_keep_their_layout() -> None:
    ctx = context("def f(x):\n    if x:\n        y = 1‸\n    return y\n")
    raw = "\n        z = 2\n    w = 3"
    assert stage_text(fix_indentation, raw, ctx) == raw


def test_tabs_for_a_tab_document() -> None:
    ctx = context("func f() {\n\tif x {\n\t\t‸\n\t}\n}\n", language="go", unit="\t")
    raw = "y := 1\n        z := 2"
    assert stage_text(fix_indentation, raw, ctx) == "y := 1\n\t\tz := 2"


def test_continuation_lines_keep_their_alignment() -> None:
    ctx = context("def f():\n    value = compute(first,\n‸\n")
    raw = "                    second)\n    return value"
    assert stage_text(fix_indentation, raw, ctx) == raw


def test_docstring_text_keeps_its_own_indentation() -> None:
    ctx = context('USAGE = """\\\nExamples:\n‸\n"""\n')
    raw = "  %(prog)s test_module\n  %(prog)s other"
    assert stage_text(fix_indentation, raw, ctx) == raw


def test_the_layout_is_judged_on_the_first_statement() -> None:
    ctx = context("def f(x):\n    ‸\n")
    assert keeps_layout(["if x:", "        return 1"], ctx)
    assert not keeps_layout(["if x:", "    return 1"], ctx)
    assert not keeps_layout(["if x:", "      return 1"], ctx)


def test_a_continuation_line_aligns_with_its_bracket() -> None:
    ctx = context("def f():\n    n = max(first(),\n   ‸\n")
    assert stage_text(fix_indentation, "            second())", ctx) == "         second())"
    assert stage_text(fix_indentation, "         second())", ctx) == "         second())"


def test_a_backslash_continuation_is_left_as_written() -> None:
    ctx = context("def f():\n    for a in \\\n    ‸\n")
    raw = "            items():"
    assert stage_text(fix_indentation, raw, ctx) == raw


def test_the_block_above_is_the_statement_not_its_comment() -> None:
    ctx = context("def f(a):\n    if a == '*':\n        # the catch-all\n        ‸\n")
    assert stage_text(fix_indentation, "return True", ctx) == "return True"
    # A level restated over the typed indentation, where no deeper line may follow.
    assert stage_text(fix_indentation, "    return True", ctx) == "return True"


def test_tabs_the_document_mixes_in_stay() -> None:
    ctx = context("  switch (c)\n    {\n\tcase 1:\n\t  x = 1;\n  ‸\n", language="c", unit="  ")
    raw = "\tbreak;\n\tdefault:\n\t  y = 2;"
    assert stage_text(fix_indentation, raw, ctx) == raw


def test_block_comments_line_up_their_own_way() -> None:
    ctx = context("class A {\n  /‸\n", language="typescript", unit="  ")
    raw = "**\n   * Put data.\n   */"
    assert stage_text(fix_indentation, raw, ctx) == raw


def test_a_closer_goes_under_the_line_of_its_bracket() -> None:
    document = "describe('x', function () {\n  it('y', function () {\n    ok();\n  ‸\n"
    ctx = context(document, language="javascript", unit="  ")
    assert stage_text(fix_indentation, "  });", ctx) == "});"


def test_a_level_restated_on_a_line_indented_to_the_body_is_dropped() -> None:
    ctx = context(
        "class A:\n    def f(self):\n        with get() as conn:\n            ‸\n\n"
        "def g():\n    pass\n"
    )
    raw = "    return recv_handle(conn)"
    assert stage_text(fix_indentation, raw, ctx) == "return recv_handle(conn)"
    ctx = context("def f(a):\n    if a:\n        ‸\n")
    assert stage_text(fix_indentation, "    return 1", ctx) == "return 1"
    ctx = context("def f(a):\n    if a:\n    ‸\n")
    assert stage_text(fix_indentation, "    return 1", ctx) == "    return 1"
