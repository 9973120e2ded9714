"""The token budget: estimates, shares, and the automatic budget that tracks TTFT."""

from __future__ import annotations

import random

from ghostls.prompts.sizing import PromptSizer, allocate, chars_to_tokens, estimate_tokens


def test_estimates() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("x" * 35) == 10
    assert chars_to_tokens(36) == 11


def test_allocation_shares() -> None:
    allocation = allocate(2048)
    total = (
        allocation.prefix_chars
        + allocation.suffix_chars
        + allocation.snippet_chars
        + allocation.edit_chars
    )
    assert total <= 2048 * 3.5
    assert allocation.prefix_chars > allocation.suffix_chars > 0
    assert allocation.snippet_chars > 0 and allocation.edit_chars > 0


def _feed(budget: PromptSizer, a: float, b: float, rng: random.Random, n: int = 64) -> None:
    """Observations of a model whose TTFT is a + b·tokens (with noise), for prompts around
    the current budget and smaller (the start of files, no snippets)."""
    for _ in range(n):
        tokens = int(budget.tokens() * rng.uniform(0.3, 1.0))
        budget.observe(tokens, a + b * tokens + rng.uniform(-0.004, 0.004))


def test_starts_at_the_default_and_stays_within_bounds() -> None:
    budget = PromptSizer()
    assert budget.tokens() == 2048
    budget.observe(100, 0.05)
    assert budget.tokens() == 2048  # too few observations


def test_a_fast_model_gets_the_maximum() -> None:
    budget = PromptSizer(target_ttft_s=0.15)
    _feed(budget, a=0.04, b=1e-6, rng=random.Random(1))
    assert budget.tokens() == budget.maximum


def test_a_slow_prefill_shrinks_the_budget_to_meet_the_target() -> None:
    # 40 ms fixed + 0.1 ms per token: 1100 tokens reach 150 ms.
    budget = PromptSizer(target_ttft_s=0.15)
    rng = random.Random(2)
    for _ in range(6):
        _feed(budget, a=0.04, b=1e-4, rng=rng)
    assert 768 <= budget.tokens() <= 1280
    a, b = budget.fit() or (0.0, 0.0)
    assert abs(a - 0.04) < 0.02 and abs(b - 1e-4) < 3e-5


def test_a_distant_provider_is_not_starved() -> None:
    # 400 ms of network and queue whatever the prompt: prompt length is not the problem.
    budget = PromptSizer(target_ttft_s=0.15)
    rng = random.Random(3)
    for _ in range(6):
        _feed(budget, a=0.4, b=2e-6, rng=rng)
    assert budget.tokens() == budget.maximum


def test_without_a_fit_it_steps_by_the_median() -> None:
    budget = PromptSizer(target_ttft_s=0.15)
    for _ in range(8):
        budget.observe(2000, 0.5)  # all one size: no fit; far too slow
    assert budget.tokens() < 2048
    fast = PromptSizer(target_ttft_s=0.15)
    for _ in range(8):
        fast.observe(2000, 0.03)
    assert fast.tokens() > 2048


def test_small_changes_do_not_move_the_budget() -> None:
    budget = PromptSizer(target_ttft_s=0.15)
    rng = random.Random(4)
    for _ in range(4):
        _feed(budget, a=0.04, b=1e-4, rng=rng)
    settled = budget.tokens()
    moves = 0
    for _ in range(20):
        _feed(budget, a=0.04, b=1e-4, rng=rng, n=8)
        moves += budget.tokens() != settled
        settled = budget.tokens()
    assert moves <= 2


def test_a_slow_local_model_shrinks_the_budget_from_its_first_calls() -> None:
    # A CPU model prefilling 400 tokens a second: 2,048 tokens take 5 s to the first token.
    budget = PromptSizer(target_ttft_s=0.15)
    budget.observe(2048, 2048 / 400)
    assert budget.tokens() == 1024  # at most halved per call
    budget.observe(1024, 1024 / 400)
    assert budget.tokens() == budget.minimum


def test_one_slow_answer_halves_the_budget_and_the_fit_grows_it_back() -> None:
    budget = PromptSizer(target_ttft_s=0.15)
    budget.observe(2048, 1.2)  # a busy moment at a hosted provider
    assert budget.tokens() == 1024
    rng = random.Random(5)
    for _ in range(6):
        _feed(budget, a=0.04, b=1e-6, rng=rng)
    assert budget.tokens() == budget.maximum


def test_nonsense_is_ignored() -> None:
    budget = PromptSizer()
    for _ in range(20):
        budget.observe(0, 0.1)
        budget.observe(100, -1.0)
        budget.observe(100, 1e9)
    assert budget.fit() is None
    assert budget.tokens() == 2048
