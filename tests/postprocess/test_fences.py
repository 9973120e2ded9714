"""Stage: code out of markdown fences."""

from __future__ import annotations

import pytest

from ghostls.postprocess.fences import strip_fences
from tests.postprocess.helpers import context, stage_text

CHAT = context("def add(a, b):\n    return ‸\n", chat=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("```python\na + b\n```", "a + b"),
        ("```\na + b\n```", "a + b"),
        ("```py\na + b\n```\n", "a + b"),
        ("~~~python\na + b\n~~~", "a + b"),
        ("```python\na + b", "a + b"),
        ("```python\na + b```", "a + b"),
        ("Here is the code:\n```python\na + b\n```\nThis adds them.", "a + b"),
        ("Sure!\n\n```python\na + b\n```\n\nLet me know if it helps.", "a + b"),
        ("```python\na + b\n```\n\n```python\nprint(add(1, 2))\n```", "a + b"),
        ("a + b\n```", "a + b"),
        ("a + b\n```\nThat returns the sum.", "a + b"),
        ("`a + b`", "a + b"),
        ("a + b", "a + b"),
    ],
)
def test_chat_answers(raw: str, expected: str) -> None:
    assert stage_text(strip_fences, raw, CHAT) == expected


def test_a_fill_in_the_middle_answer_starting_with_a_fence() -> None:
    ctx = context("x = ‸\n")
    assert stage_text(strip_fences, "```python\n1\n```", ctx) == "1"
    assert stage_text(strip_fences, "1\n# ```", ctx) == "1\n# ```"


def test_a_fence_inside_a_string_is_content() -> None:
    ctx = context('doc = """\nExample:\n‸\n"""\n')
    raw = "```python\nprint(1)\n```"
    assert stage_text(strip_fences, "text\n```", ctx) == "text\n```"
    assert stage_text(strip_fences, raw, ctx) == "print(1)"


def test_markdown_keeps_its_fences() -> None:
    ctx = context("# Title\n‸\n", language="markdown", chat=True)
    assert stage_text(strip_fences, "```sh\nls\n```", ctx) == "```sh\nls\n```"


def test_backticks_are_kept_where_they_mean_something() -> None:
    ctx = context("const s = ‸;\n", language="javascript", chat=True)
    assert stage_text(strip_fences, "`hello ${name}`", ctx) == "`hello ${name}`"


def test_a_block_after_a_complete_line_starts_on_a_new_line() -> None:
    ctx = context("def f(x):‸\n", chat=True)
    assert stage_text(strip_fences, "```python\n    return x\n```", ctx) == "\n    return x"
    assert stage_text(strip_fences, "```python\n\n    return x\n```", ctx) == "\n    return x"


def test_an_open_bare_fence_after_a_remark_opens_the_code() -> None:
    ctx = context("with open(name) as fp:\n    print(‸)\n", multiline=False, chat=True)
    raw = "Sure! Here's the code to insert at the cursor:\n```\nfile=fp"
    assert stage_text(strip_fences, raw, ctx) == "file=fp"
    # Code before a lone bare fence is the answer, the fence closing it.
    assert stage_text(strip_fences, "file=fp\n```", ctx) == "file=fp"
