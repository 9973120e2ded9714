from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ghostls.engine.cost import CostMeter, measure, shared_prefix
from ghostls.model import ModelRequest


@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=20))
def test_shared_prefix_is_the_longest_common_start(start: str, a: str, b: str) -> None:
    n = shared_prefix(start + a, start + b)
    assert (start + a)[:n] == (start + b)[:n]
    assert n >= len(start)
    if n < min(len(start + a), len(start + b)):
        assert (start + a)[n] != (start + b)[n]


def _fim(prompt: str) -> ModelRequest:
    return ModelRequest("completions", "m", 64, 0.1, prompt=prompt, suffix="")


def test_cost_counts_tokens_and_the_cacheable_start() -> None:
    meter = CostMeter()
    head = "import os\n" * 70  # 700 characters shared by both prompts
    meter.record(0.0, measure(_fim(head + "x = 1")))
    meter.record(1.0, measure(_fim(head + "y = 2")))
    assert meter.prompt_tokens > 400
    assert 0.4 < meter.cacheable_share < 0.5  # the first prompt has nothing to share with
    tokens, reserved = meter.per_minute(1.0)
    assert tokens == meter.prompt_tokens
    assert reserved == tokens + 2 * 64
    assert meter.per_minute(100.0) == (0, 0)
