"""Stage: trailing whitespace."""

from __future__ import annotations

import pytest

from ghostls.postprocess.whitespace import trim_whitespace
from tests.postprocess.helpers import context, stage_text


@pytest.mark.parametrize(
    ("document", "raw", "expected"),
    [
        ("x = ‸\n", "1   ", "1"),
        ("x = ‸\n", "1\n\n", "1"),
        ("def f():‸\n", "\n    x = 1  \n    return x\n  \n", "\n    x = 1\n    return x"),
        ("foo(a, ‸c)\n", "b, ", "b, "),
        ("foo(a, ‸c)\n", "b, \n", "b, "),
        ("x =‸\n", " 1", " 1"),
        ("s = '‸'\n", "\t", "\t"),
    ],
)
def test_trailing_whitespace(document: str, raw: str, expected: str) -> None:
    assert stage_text(trim_whitespace, raw, context(document)) == expected
