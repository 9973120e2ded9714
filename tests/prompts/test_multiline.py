"""One line or a block, decided from the cursor position, across languages; and the token
limit that goes with each."""

from __future__ import annotations

import pytest

from ghostls.documents import Document, Point
from ghostls.prompts import PromptOptions, build_request
from ghostls.snapshot import take_snapshot, wants_multiline

BLOCK = [
    # A blank line, or nothing but closers after the cursor.
    ("", ""),
    ("    ", "\n"),
    ("    ", ")\n"),
    # An empty indented line where its block ends below: the rest of the block.
    ("    ", "\n\ndef g():\n"),
    ("  ", "\n}\n"),
    ("        ", "\n    return total\n"),
    # Block openers at the end of the line, in several languages.
    ("def area(self):", "\n"),
    ("class Shape:", ""),
    ("if x > 0:  # positive", "\n"),
    ("int main(void) {", "\n"),
    ("} else {", "\n"),
    ("fn main() {", "\n"),
    ("impl Shape for Rect {", "\n"),
    ("func (r Rect) Area() float64 {", "\n"),
    ("const area = (r) =>", "\n"),
    ("items.forEach((item) => {", "\n"),
    ("match shape {", "\n"),
    ("case 1:", "\n"),
    ("items.each do |item|", "\n"),
    ("defmodule Shapes do", "\n"),
    ("if x then", "\n"),
    ("fn area(&self) -> f64 {", "\n"),
    ("config = {", "\n"),
    ("result = compute(", "\n"),
]

ONE_LINE = [
    # In the middle of a line.
    ("total = add(", "1, 2)\n"),
    ("name = user.", "name\n"),
    ("x = foo", "bar\n"),
    # After code that does not open a block.
    ("    return ", "\n"),
    ("const total = ", "\n"),
    ("let x = compute(a, b)", "\n"),
    ("import os", ""),
    # An empty indented line inside a block that goes on below: one statement.
    ("    ", "\n    return total\n"),
    ("\t", "\n\n\tcount++;\n}\n"),
    ("  ", "\n    nested()\n"),
    # An opener with the closer already typed after the cursor: fill the brackets.
    ("print(", ")\n"),
    ("fn main() {", "}\n"),
    ("items.map((x) =>", ")\n"),
]


@pytest.mark.parametrize(("prefix", "suffix"), BLOCK)
def test_block(prefix: str, suffix: str) -> None:
    assert wants_multiline("a = 1\n" + prefix, suffix)


@pytest.mark.parametrize(("prefix", "suffix"), ONE_LINE)
def test_one_line(prefix: str, suffix: str) -> None:
    assert not wants_multiline("a = 1\n" + prefix, suffix)


def test_max_tokens_follow_the_decision() -> None:
    options = PromptOptions(mode="fim", model="m", max_tokens=48, max_tokens_multiline=300)
    doc = Document.from_text("file:///w/a.rs", "rust", 1, "fn main() {\n\n}\nlet x = a;\n")
    block = build_request(take_snapshot(doc, Point(0, 11)), options)
    line = build_request(take_snapshot(doc, Point(3, 8)), options)
    assert block.max_tokens == 300
    assert line.max_tokens == 48


def test_advanced_and_after_enter_recompute_the_decision() -> None:
    doc = Document.from_text("file:///w/a.py", "python", 1, "def f(x):\n    return x\n")
    snap = take_snapshot(doc, Point(0, 0))
    assert not snap.cursor.multiline
    typed = snap.advanced("def g():")
    assert not typed.cursor.multiline  # the rest of the line follows
    doc = Document.from_text("file:///w/a.py", "python", 1, "def g():")
    at_end = take_snapshot(doc, Point(0, 8))
    assert at_end.cursor.multiline
    entered = at_end.after_enter()
    assert entered.prefix.endswith("def g():\n    ")
    assert entered.cursor.multiline
