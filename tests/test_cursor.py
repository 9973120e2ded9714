"""What the context derives from the windows around the cursor."""

from __future__ import annotations

from dataclasses import replace

from tests.postprocess.helpers import context


def test_lines_around_the_cursor() -> None:
    ctx = context("import os\n\ndef f(x):\n    return x‸ + 1\n\nprint(f(2))\n")
    assert ctx.line_prefix == "    return x"
    assert ctx.line_suffix == " + 1"
    assert ctx.previous_lines[-1] == "def f(x):"
    assert ctx.next_lines[0] == ""
    assert ctx.next_non_empty_line == "print(f(2))"
    assert ctx.previous_non_empty_line == "def f(x):"
    assert ctx.cursor_indent == "    "
    assert not ctx.at_line_start


def test_widths_and_rendering_follow_the_indent_unit() -> None:
    spaces = context("‸", unit="  ")
    assert spaces.width("\t ") == 3
    assert spaces.render(4) == "    "
    tabs = context("‸", unit="\t")
    assert tabs.width("\t\t") == 8
    assert tabs.render(9) == "\t\t "


def test_the_statement_of_a_continuation_line_is_where_its_bracket_opened() -> None:
    ctx = context("def f():\n    x = call(a,\n             b‸\n")
    assert ctx.statement_indent == 4
    assert context("def f():\n    ‸\n").statement_indent is None


def test_scanning_starts_at_a_statement_when_the_window_begins_inside_a_string() -> None:
    ctx = context('middle of a docstring (with a bracket\n"""\n\ndef f(x):\n    return g(‸')
    assert ctx.anchored
    assert "".join(o.char for o in ctx.cursor_state.stack) == "("


def test_a_line_the_document_repeats_around_the_cursor() -> None:
    ctx = context("t = (\n    'x',\n    'x',\n    ‸\n    'x',\n)\n")
    assert ctx.repeated_line == "    'x',"
    assert context("a = 1\n‸\nb = 2\n").repeated_line is None


def test_derived_values_follow_a_replaced_context() -> None:
    ctx = context("x = (‸)")
    assert ctx.line_suffix == ")"
    moved = replace(ctx, prefix="x = (1", suffix="")
    assert moved.line_suffix == ""
    assert moved.cursor_state.stack[0].char == "("


def test_a_lua_function_body_inside_brackets_is_no_continuation() -> None:
    inside = context("setmetatable(t, {\n  f = function(k)\n    ‸\n", language="lua", unit="  ")
    assert inside.continuation_widths is None
    table = context("local t = {\n  a = 1,\n  ‸\n", language="lua", unit="  ")
    assert table.continuation_widths is not None
