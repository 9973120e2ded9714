"""Stage: single-line mode keeps one line."""

from __future__ import annotations

from ghostls.postprocess.single_line import keep_first_line
from tests.postprocess.helpers import context, stage_text


def test_keeps_the_first_line() -> None:
    ctx = context("x = ‸\n", multiline=False)
    assert stage_text(keep_first_line, "compute(a)\ny = 2", ctx) == "compute(a)"
    assert stage_text(keep_first_line, "compute(a)", ctx) == "compute(a)"


def test_a_line_break_first_on_a_blank_line_is_skipped() -> None:
    ctx = context("def f():\n    ‸\n", multiline=False)
    assert stage_text(keep_first_line, "\n    return 1\n    x", ctx) == "return 1"


def test_a_line_break_first_after_code_leaves_nothing() -> None:
    ctx = context("def f():‸\n", multiline=False)
    assert stage_text(keep_first_line, "\n    return 1", ctx) == ""


def test_multiline_mode_is_left_alone() -> None:
    ctx = context("x = ‸\n")
    assert stage_text(keep_first_line, "a\nb", ctx) == "a\nb"
