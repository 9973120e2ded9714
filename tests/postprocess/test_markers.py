"""Stage: cursor markers and special tokens."""

from __future__ import annotations

import pytest

from ghostls.postprocess.markers import strip_markers
from tests.postprocess.helpers import context, stage_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("return x<CURSOR> + 1", "return x + 1"),
        ("<|cursor|>x + 1", "x + 1"),
        ("x + 1<FILL>", "x + 1"),
        ("<fill_here>value", "value"),
        ("{{FILL_HERE}}value", "value"),
        ("█value", "value"),
        ("<|fim_middle|>value", "value"),
        ("<|fim_middle|><|fim_middle|>value", "value"),
        ("value<|endoftext|>garbage", "value"),
        ("value<|im_end|>", "value"),
        ("value<|fim_suffix|>\n    return y", "value"),
        ("value <EOT>", "value "),
        ("value<｜end▁of▁sentence｜>", "value"),
        ("value</s>", "value"),
        ("x = a <| b", "x = a <| b"),
        ("if a < b and c > d:", "if a < b and c > d:"),
    ],
)
def test_markers_and_tokens(raw: str, expected: str) -> None:
    assert stage_text(strip_markers, raw, context("x = ‸")) == expected


def test_an_end_tag_is_content_in_markup() -> None:
    ctx = context("<p>‸</p>", language="html")
    assert stage_text(strip_markers, "<s>old</s>", ctx) == "<s>old</s>"


def test_mistral_tokens_end_the_text_unless_the_document_names_them() -> None:
    ctx = context("def f(docs):\n    return g(‸)\n")
    assert stage_text(strip_markers, "docs[SUFFIX]\n", ctx) == "docs"
    assert stage_text(strip_markers, "[PREFIX]docs", ctx) == "docs"
    named = context("SUFFIX = 2\nparts = names[‸]\n")
    assert stage_text(strip_markers, "SUFFIX]", named) == "SUFFIX]"
    indexed = context("SUFFIX = 2\nx = ‸\n")
    assert stage_text(strip_markers, "parts[SUFFIX]", indexed) == "parts[SUFFIX]"
