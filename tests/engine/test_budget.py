from __future__ import annotations

from ghostls.engine.budget import RequestBudget, TokenBudget
from ghostls.model import RateLimitInfo


def test_no_limit_means_no_pressure() -> None:
    budget = RequestBudget(None, 0.0)
    for _ in range(100):
        assert budget.allows(0.0)
        budget.spend(0.0)
    assert budget.pressure(0.0) == 0.0


def test_bucket_empties_and_refills_at_the_rate() -> None:
    budget = RequestBudget(30, 0.0)  # 30 a minute: a burst of 5, one more every 2 s
    spent = 0
    while budget.allows(0.0):
        budget.spend(0.0)
        spent += 1
    assert spent == 5
    assert budget.pressure(0.0) == 1.0
    assert not budget.allows(1.0)
    assert budget.allows(2.01)
    assert 0.0 < budget.pressure(4.0) < 1.0


def test_provider_headers_cap_the_budget() -> None:
    budget = RequestBudget(None, 0.0)
    spent = RateLimitInfo(limit=30, remaining=0, reset_at=10.0, updated_at=0.0)
    assert not budget.allows(1.0, spent)
    assert budget.pressure(1.0, spent) == 1.0
    assert budget.allows(11.0, spent)
    half = RateLimitInfo(limit=30, remaining=15, reset_at=10.0, updated_at=0.0)
    assert budget.pressure(1.0, half) == 0.5


def test_no_token_budget_allows_everything() -> None:
    tokens = TokenBudget(None, None, 0.0)
    assert tokens.allows(0.0, 10**9)
    tokens.spend(0.0, 10**9)
    assert tokens.pressure(0.0) == 0.0


def test_a_token_budget_per_minute_refills_at_its_rate() -> None:
    tokens = TokenBudget(6000, None, 0.0)  # 100 tokens a second
    tokens.spend(0.0, 5900)
    assert not tokens.allows(0.0, 300)
    assert tokens.pressure(0.0) > 0.95
    assert tokens.allows(2.0, 300)  # 100 + 200 refilled


def test_a_daily_token_budget_is_spread_over_a_working_day() -> None:
    tokens = TokenBudget(None, 24_000_000, 0.0)
    hour = 24_000_000 / 8  # an hour's share is the most that goes in a burst
    tokens.spend(0.0, int(hour) - 500)
    assert tokens.allows(0.0, 400)
    assert not tokens.allows(0.0, 1000)
    assert tokens.allows(1.0, 1000)  # 3,000,000 / 3600 s ≈ 833 tokens a second
