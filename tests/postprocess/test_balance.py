"""Stage: no closer that pairs with nothing."""

from __future__ import annotations

import pytest

from ghostls.postprocess.balance import drop_stray_closers
from tests.postprocess.helpers import context, stage_text


@pytest.mark.parametrize(
    ("document", "raw", "expected"),
    [
        ("import os\n\ndef f(x):\n    return g(‸\n", "x))", "x)"),
        ("import os\n\ndef f(x):\n    y = [‸\n", "1, 2)", "1, 2"),
        ("import os\n\ndef f(x):\n    return x‸\n", " + 1)\n    pass", " + 1"),
        ("import os\n\ndef f(x):\n    return g(‸\n", "x)", "x)"),
        ("import os\n\ndef f(x):\n    return g(‸\n", 'x, ")", y)', 'x, ")", y)'),
        ("import os\n\ndef f(x):\n    return g(‸\n", "x)  # done)", "x)  # done)"),
        ("import os\n\ndef f(x):\n    # note (‸\n", "see below)", "see below)"),
    ],
)
def test_python(document: str, raw: str, expected: str) -> None:
    assert stage_text(drop_stray_closers, raw, context(document)) == expected


@pytest.mark.parametrize(
    ("document", "raw", "expected"),
    [
        # The rest of the line closes `utohexstr(`, the next line `createError(`.
        (
            'int main() {\n  return createError("size " +\n    utohexstr(‸) +\n    z);\n}\n',
            "PhOff));",
            "PhOff)",
        ),
        ("int main() {\n  f(g(‸)) + 1;\n}\n", "x))", "x))"),
        ("int main() {\n  f(‸);\n}\n", "a, b);", "a, b);"),
        # With nothing closed on the cursor line, a later closer may be an unclosed one's.
        ("int main() {\n  x = f(‸\n  y = g(1);\n}\n", "a, b);", "a, b);"),
    ],
)
def test_closers_the_document_has_further_on(document: str, raw: str, expected: str) -> None:
    ctx = context(document, language="c")
    assert stage_text(drop_stray_closers, raw, ctx) == expected


def test_without_a_known_statement_start_an_extra_closer_may_close_what_is_unseen() -> None:
    ctx = context("    'b': 2,\n    'c': 3,\n‸")
    assert stage_text(drop_stray_closers, "}", ctx) == "}"


def test_javascript_and_c() -> None:
    js = context("function f(a) {\n  return [a, ‸\n", language="javascript")
    assert stage_text(drop_stray_closers, "b]}", js) == "b]}"
    assert stage_text(drop_stray_closers, "b)}", js) == "b"
    c = context("int f(void) {\n    return g('(', ‸\n", language="c")
    assert stage_text(drop_stray_closers, "x);\n}", c) == "x);\n}"


def test_markup_is_left_alone() -> None:
    ctx = context("Some text ‸\n", language="markdown")
    assert stage_text(drop_stray_closers, "with :) smiles", ctx) == "with :) smiles"


BLOCK = "function f(a) {\n  if (a) {\n    a = 1‸\n  }\n  return a\n}\n"


@pytest.mark.parametrize(
    ("document", "raw", "expected"),
    [
        # It closes the `if` block, whose own closing line is below: it stops there.
        (BLOCK, "\n    b = 2\n  }\n  return b\n}", "\n    b = 2\n  "),
        # It closes the block and opens the next: the line below closes that one.
        (BLOCK, "\n  } else {\n    a = 2", "\n  } else {\n    a = 2"),
        # Inside the block it opened itself, its closer is its own.
        (BLOCK, "\n    if (b) {\n      a = 2\n    }", "\n    if (b) {\n      a = 2\n    }"),
        # The line below closes an outer block (less indented than the cursor's opener): the
        # insertion may close the cursor's own.
        ("class A {\n  m() {\n    a = 1‸\n}\n", "\n    return a\n  }", "\n    return a\n  }"),
        # Cut off inside a call it opened: it ends after its last complete line.
        (BLOCK, "\n    b = 2\n    c = g(1,\n      2", "\n    b = 2"),
        # One line cut off inside its own call: nothing complete to keep, kept as it is.
        (BLOCK, "\n    c = g(1,", "\n    c = g(1,"),
    ],
)
def test_blocks_at_the_end_of_a_line(document: str, raw: str, expected: str) -> None:
    ctx = context(document, language="javascript", unit="  ")
    assert stage_text(drop_stray_closers, raw, ctx) == expected
