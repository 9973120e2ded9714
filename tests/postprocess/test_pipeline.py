"""The whole pipeline: stage list, contract, realistic answers."""

from __future__ import annotations

import pytest

from ghostls.postprocess import STAGES, Cursor, Insertion, postprocess
from tests.postprocess.helpers import CURSOR, apply, context


def test_stages_are_named_and_ordered() -> None:
    names = [stage.name for stage in STAGES]
    assert len(set(names)) == len(names)
    assert names[0] == "normalize_newlines"
    assert names[-1] == "drop_useless"
    assert names.index("strip_fences") < names.index("strip_prose") < names.index("strip_echo")
    assert names.index("cut_suffix_echo") < names.index("fix_indentation")
    assert names.index("drop_stray_closers") < names.index("replace_closers")


def test_each_stage_passes_a_clean_answer_through() -> None:
    ctx = context("def f(x):\n    return ‸\n")
    insertion = Insertion("x + 1")
    for stage in STAGES:
        assert stage.run(insertion, ctx) == insertion, stage.name


def test_nothing_left_is_none() -> None:
    ctx = context("x = ‸\n")
    assert postprocess("", ctx, from_chat=False) is None
    assert postprocess("```python\n```", ctx, from_chat=True) is None
    assert postprocess("<|endoftext|>", ctx, from_chat=False) is None


def test_the_chat_flag_of_the_call_wins() -> None:
    ctx = Cursor(prefix="x = ", suffix="\n", language_id="python", multiline=True)
    raw = "1\n\nThis sets x to one."
    assert postprocess(raw, ctx, from_chat=True) == Insertion("1")
    assert postprocess(raw, ctx, from_chat=False) != Insertion("1")


@pytest.mark.parametrize(
    ("document", "raw", "chat", "expected"),
    [
        (
            "def greet(name):\n    ‸\n",
            "Sure! Here's the implementation:\n\n```python\n"
            'def greet(name):\n    return f"Hello, {name}!"\n```',
            True,
            'def greet(name):\n    return f"Hello, {name}!"‸\n',
        ),
        (
            "items = [1, 2, 3]\nfor item in ‸\n",
            "```\nfor item in items:\n    print(item)\n```",
            True,
            "items = [1, 2, 3]\nfor item in items:\n    print(item)‸\n",
        ),
        (
            "def f(a):\n    if a:\n        return 1\n    ‸\n",
            "return 0\n\n\ndef g():\n    pass",
            False,
            "def f(a):\n    if a:\n        return 1\n    return 0‸\n",
        ),
        (
            "x = compute(‸)\nprint(x)\n",
            "a, b)\nprint(x)",
            False,
            "x = compute(a, b‸)\nprint(x)\n",
        ),
        (
            "const f = (a) => {\n  ‸\n};\n",
            "return a * 2;\n};",
            False,
            "const f = (a) => {\n  return a * 2;‸\n};\n",
        ),
    ],
)
def test_realistic_answers(document: str, raw: str, chat: bool, expected: str) -> None:
    language = "javascript" if "=>" in document else "python"
    unit = "  " if language == "javascript" else "    "
    assert apply(document, raw, chat=chat, language=language, unit=unit) == expected


def test_the_replaced_text_stays_on_the_cursor_line() -> None:
    ctx = context("f(‸)\n)\n")
    insertion = postprocess("a))", ctx, from_chat=False)
    assert insertion is not None
    assert insertion.replace_suffix <= len(ctx.line_suffix)


def test_the_cursor_marker_of_the_tests_is_not_a_model_marker() -> None:
    assert CURSOR not in "<CURSOR>█"
