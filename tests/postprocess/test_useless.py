"""Stage: nothing worth showing."""

from __future__ import annotations

from ghostls.postprocess.useless import drop_useless
from tests.postprocess.helpers import context, stage_text


def test_blank_is_nothing() -> None:
    ctx = context("x = ‸\n")
    assert stage_text(drop_useless, "", ctx) is None
    assert stage_text(drop_useless, "  \n ", ctx) is None


def test_a_copy_of_the_next_line_is_nothing() -> None:
    ctx = context("def f(x):\n    ‸\n\n    return x\n")
    assert stage_text(drop_useless, "return x", ctx) is None
    assert stage_text(drop_useless, "return x + 1", ctx) == "return x + 1"


def test_a_line_completed_into_the_next_line_is_nothing() -> None:
    ctx = context("def f(x):\n    return ‸\n    return x\n")
    assert stage_text(drop_useless, "x", ctx) is None


def test_the_same_text_at_another_depth_is_something() -> None:
    ctx = context("    if x:\n        ‸\n    }\n}\n", language="c")
    assert stage_text(drop_useless, "}", ctx) == "}"
