"""The held-out benchmark's generator: what real models do to a right answer."""

from __future__ import annotations

import random

from ghostls.replay.artifacts import View
from ghostls.replay.habits import (
    CLEAN,
    KINDS,
    PAIR,
    applicable,
    mode_of,
    pair_parts,
    preamble_line,
    wrap,
)

PREFIX = "".join(f"# line {i}\n" for i in range(5)) + "def f(x):\n    if x:\n        "
BLOCK = View(PREFIX, "\n    return g(x)\n", "python")
MID = View(PREFIX + "y = h(", ")\n    return y\n", "python")
JS_BLOCK = View("function f(x) {\n  if (x) {\n    ", "\n  }\n}\n", "javascript", "  ")


def raws(kind: str, text: str, view: View, count: int = 20) -> set[str]:
    return {wrap(kind, text, view, random.Random(seed)).text for seed in range(count)}


def test_clean_is_the_truth_and_every_answer_is_deterministic() -> None:
    assert wrap(CLEAN, "y = 1", BLOCK, random.Random(0)).text == "y = 1"
    for kind in KINDS[1:]:
        if applicable(kind, "y = 1\n        z = 2", BLOCK):
            first = wrap(kind, "y = 1\n        z = 2", BLOCK, random.Random(3))
            again = wrap(kind, "y = 1\n        z = 2", BLOCK, random.Random(3))
            assert first == again and first.text != "y = 1\n        z = 2", kind


def test_chat_wording_varies() -> None:
    lines = {preamble_line(random.Random(seed)) for seed in range(60)}
    assert len(lines) > 40
    assert all(line[:1].isupper() for line in lines)


def test_fences_explanations_and_tokens_keep_the_truth_inside() -> None:
    for raw in raws("fence", "y = 1", BLOCK):
        assert raw.startswith("```") and "\ny = 1\n```" in raw
    for raw in raws("explanation", "y = 1", BLOCK):
        assert raw.startswith("y = 1\n") and len(raw) > 20
    for raw in raws("tokens", "y = 1", BLOCK, 40):
        assert "y = 1<" in raw or "y = 1[" in raw


def test_run_on_goes_past_the_cursors_block() -> None:
    for raw in raws("run-on", "y = 1", BLOCK):
        later = [line for line in raw.split("\n")[1:] if line.strip()]
        assert later and not later[0].startswith("        ")  # out of the cursor's block
    for raw in raws("run-on", "y = 1;", JS_BLOCK):
        assert raw.startswith("y = 1;\n  }\n")
    assert not applicable("run-on", "x", MID)  # the line goes on after the cursor


def test_closers_and_suffix_repeat_the_text_after_the_cursor() -> None:
    assert raws("closers", "x", MID) == {"x)"}
    assert all(raw.startswith("x)\n") or raw == "x)" for raw in raws("suffix", "x", MID))


def test_pairs_combine_two_habits_and_pick_the_model() -> None:
    for seed in range(20):
        parts = pair_parts("y = 1", BLOCK, random.Random(seed))
        assert 1 <= len(parts) <= 2
        assert not {"suffix", "run-on"} <= set(parts)
        artifact = wrap(PAIR, "y = 1", BLOCK, random.Random(seed), parts)
        assert artifact.variant.count(":") >= len(parts)
    assert mode_of("fence") == "chat" and mode_of("tokens") == "fim"
    assert mode_of(PAIR, ("tokens", "preamble")) == "chat"
    assert {mode_of("whitespace", (), random.Random(s)) for s in range(10)} == {"chat", "fim"}
