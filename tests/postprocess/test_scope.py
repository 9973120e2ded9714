"""Stage: the insertion stays in the cursor's block."""

from __future__ import annotations

from ghostls.postprocess.scope import limit_scope
from tests.postprocess.helpers import context, stage_text


def test_stops_before_a_line_left_of_the_block() -> None:
    ctx = context("def f(x):\n    if x:\n        ‸\n")
    raw = "y = 1\n        z = 2\n\n    return y\n\ndef g():\n    pass"
    assert stage_text(limit_scope, raw, ctx) == "y = 1\n        z = 2\n"


def test_keeps_lines_at_the_blocks_own_level() -> None:
    ctx = context("def f(x):\n    if x:‸\n")
    raw = "\n        y = 1\n    else:\n        y = 2\n    return y\n\nprint(f(1))"
    assert (
        stage_text(limit_scope, raw, ctx)
        == "\n        y = 1\n    else:\n        y = 2\n    return y\n"
    )


def test_strings_comments_and_brackets_do_not_end_the_block() -> None:
    ctx = context("def f():\n    ‸\n")
    raw = (
        'text = """\nleft at column 0\n"""\n'
        "# a comment at column 0\n"
        "    value = call(a,\nb)\n"
        "    return value\nprint(1)"
    )
    expected = raw[: raw.index("\nprint(1)")]
    assert stage_text(limit_scope, raw, ctx) == expected


def test_a_closing_brace_of_an_outer_block_ends_it() -> None:
    ctx = context("int f(int x) {\n    if (x) {\n        ‸\n    }\n}\n", language="c")
    raw = "x += 1;\n        return x;\n    }\n    return 0;"
    assert stage_text(limit_scope, raw, ctx) == "x += 1;\n        return x;"


def test_the_statement_of_a_continuation_line_sets_the_block() -> None:
    ctx = context("def f():\n    x = call(a,\n             ‸\n")
    raw = "b)\n    return x\nprint(1)"
    assert stage_text(limit_scope, raw, ctx) == "b)\n    return x"


def test_single_line_mode_is_left_alone() -> None:
    ctx = context("def f():\n    ‸\n", multiline=False)
    assert stage_text(limit_scope, "x\ny", ctx) == "x\ny"


def test_a_comment_out_of_the_block_goes_with_the_code_it_introduces() -> None:
    # A model that runs on past the block often heads what it adds with a comment.
    ctx = context("def f(x):\n    if x:\n        ‸\n    return x\n")
    raw = "y = 1\n        z = 2\n\n# Try it out\n\nprint(f(3))"
    assert stage_text(limit_scope, raw, ctx) == "y = 1\n        z = 2"
    lua = context("local function f(x)\n  if x then\n    ‸\n  end\nend\n", language="lua")
    raw = "x = x + 1\n  end\n\n  -- see below\n  return x"
    assert stage_text(limit_scope, raw, lua).startswith("x = x + 1")
    assert "see below" not in stage_text(limit_scope, raw, lua)
