"""Stage: degenerate loops at the end."""

from __future__ import annotations

import pytest

from ghostls.postprocess.repetition import drop_repetition
from tests.postprocess.helpers import context, stage_text

CTX = context("def f(items):\n    ‸\n")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("total = 0\n    total = 0\n    total = 0", "total = 0"),
        ("x = 1\n    y = 2\n    y = 2\n    y = 2\n    y = 2", "x = 1\n    y = 2"),
        ("x = 1\n    y = 2\n    y = 2\n    y =", "x = 1\n    y = 2"),
        ("a = 1\n    b = 2\n    a = 1\n    b = 2\n    a = 1\n    b = 2", "a = 1\n    b = 2"),
        (
            "x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]",
            "x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]",
        ),
        ("x = f(a) + f(a) + f(a) + f(a) + f(a) + f(a) + f(a) + f(", "x = f(a) +"),
        ("print('=' * 70)\n    print('-' * 70)", "print('=' * 70)\n    print('-' * 70)"),
        (
            "# ------------------------------------------------",
            "# ------------------------------------------------",
        ),
        ("}\n}", "}\n}"),
    ],
)
def test_loops(raw: str, expected: str) -> None:
    assert stage_text(drop_repetition, raw, CTX) == expected


def test_the_first_line_counts_with_the_typed_text() -> None:
    ctx = context("def f(items):\n    total = ‸\n")
    assert stage_text(drop_repetition, "0\n    total = 0\n    total = 0", ctx) == "0"


def test_a_table_of_identical_entries_continues() -> None:
    ctx = context("t = (\n    'x',\n    'x',\n    ‸\n    'x',\n)\n")
    raw = "'x',\n    'x',\n    'x',"
    assert stage_text(drop_repetition, raw, ctx) == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "\n    if not hasattr(obj, a):\n        if not hasattr(obj, a):",
            "\n    if not hasattr(obj, a):",
        ),
        ("\n    try:\n        try:\n            try:", "\n    try:"),
        ("\n    def close(self):\n        def close(self):", "\n    def close(self):"),
        # Not deeper: no body, the same test again after the block.
        ("\n        if a:\n    if a:", "\n        if a:\n    if a:"),
    ],
)
def test_a_block_opener_repeated_as_its_own_body(raw: str, expected: str) -> None:
    ctx = context("def f(obj):‸\n")
    assert stage_text(drop_repetition, raw, ctx) == expected
