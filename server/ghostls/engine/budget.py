"""The request budget: a token bucket refilled at the provider's rate limit.

Fast providers limit requests per minute (Cerebras' free tier: 30). The bucket allows a
small burst and refills at the limit's rate; as it empties, `pressure` rises and the
debounce keeps the remaining calls for the places where the user is most likely to pause.
What the provider reports (`x-ratelimit-remaining-requests`) caps the bucket.
"""

from __future__ import annotations

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
