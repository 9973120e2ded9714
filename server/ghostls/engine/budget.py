"""The budgets: requests a minute, and the tokens of a plan metered in tokens.

The request budget is a bucket refilled at the user's rate limit: it allows a small burst and
refills at the limit's rate; as it empties, `pressure` rises and the debounce keeps the
remaining calls for the places where the user is most likely to pause. What the provider
reports (`x-ratelimit-remaining-*`, its tightest budget) caps the bucket.
"""

from __future__ import annotations

from dataclasses import dataclass

from ghostls.model import RateLimitInfo

_BURST_SHARE = 1 / 6  # the bucket holds this share of a minute's requests


class RequestBudget:
    def __init__(self, per_minute: int | None, now: float) -> None:
        self.per_minute = per_minute
        self.capacity = max(3.0, (per_minute or 0) * _BURST_SHARE)
        self.tokens = self.capacity
        self._updated = now

    def _refill(self, now: float) -> None:
        if self.per_minute:
            elapsed = max(0.0, now - self._updated)
            self.tokens = min(self.capacity, self.tokens + elapsed * self.per_minute / 60)
        self._updated = now

    def pressure(self, now: float, reported: RateLimitInfo | None = None) -> float:
        """0 while the budget is plentiful, rising to 1 as it runs out."""
        share = self._share_left(now, reported)
        return 0.0 if share is None else min(1.0, max(0.0, 1.0 - share))

    def allows(self, now: float, reported: RateLimitInfo | None = None) -> bool:
        self._refill(now)
        if reported is not None and reported.remaining is not None and reported.remaining <= 0:
            waiting = reported.reset_at is None or now < reported.reset_at
            return not waiting and (not self.per_minute or self.tokens >= 1.0)
        return not self.per_minute or self.tokens >= 1.0

    def spend(self, now: float) -> None:
        self._refill(now)
        if self.per_minute:
            self.tokens = max(0.0, self.tokens - 1.0)

    def _share_left(self, now: float, reported: RateLimitInfo | None) -> float | None:
        shares: list[float] = []
        if self.per_minute:
            self._refill(now)
            shares.append(self.tokens / self.capacity)
        fresh = reported is not None and (reported.reset_at is None or now < reported.reset_at)
        if reported is not None and fresh and reported.limit and reported.remaining is not None:
            shares.append(reported.remaining / reported.limit)
        return min(shares) if shares else None


# A daily token budget is spread over a working day of typing, not over 24 hours: spent at
# this pace it lasts the day, and the bucket lets an hour's share go where the user codes.
WORKDAY_S = 8 * 3600.0
_DAY_BURST_S = 3600.0


@dataclass
class _Bucket:
    rate: float  # tokens a second
    capacity: float
    level: float


class TokenBudget:
    """The user's token budget (a plan metered in tokens a minute or a day), counted as the
    provider does: the prompt plus the `max_tokens` it reserves. As it runs low, `pressure`
    rises like the request budget's; a call that would overdraw it waits for the refill."""

    def __init__(self, per_minute: int | None, per_day: int | None, now: float) -> None:
        self._buckets: list[_Bucket] = []
        if per_minute:
            self._buckets.append(_Bucket(per_minute / 60, per_minute, per_minute))
        if per_day:
            rate = per_day / WORKDAY_S
            burst = min(per_day, rate * _DAY_BURST_S)
            self._buckets.append(_Bucket(rate, burst, burst))
        self._updated = now

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._updated)
        for bucket in self._buckets:
            bucket.level = min(bucket.capacity, bucket.level + elapsed * bucket.rate)
        self._updated = now

    def allows(self, now: float, tokens: int) -> bool:
        self._refill(now)
        return all(bucket.level >= min(tokens, bucket.capacity) for bucket in self._buckets)

    def spend(self, now: float, tokens: int) -> None:
        self._refill(now)
        for bucket in self._buckets:
            bucket.level = max(0.0, bucket.level - tokens)

    def pressure(self, now: float) -> float:
        if not self._buckets:
            return 0.0
        self._refill(now)
        return 1.0 - min(bucket.level / bucket.capacity for bucket in self._buckets)
