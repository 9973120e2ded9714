"""A sliding-window request limit with OpenAI's x-ratelimit-* headers."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Admission:
    """The limiter's verdict on one request."""

    allowed: bool
    headers: dict[str, str]
    retry_after_s: float = 0.0  # when refused: until the next request will be allowed


def retry_after_headers(seconds: float) -> dict[str, str]:
    """Retry-After (seconds, as OpenAI sends it) and retry-after-ms."""
    return {"Retry-After": f"{seconds:g}", "retry-after-ms": str(math.ceil(seconds * 1000))}


class SlidingWindow:
    """Allows `limit` requests in any window of `window_s` seconds."""

    def __init__(
        self, limit: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if limit < 1:
            raise ValueError("the rate limit must allow at least one request")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._admitted: deque[float] = deque()

    def _headers(self, now: float) -> dict[str, str]:
        # The window is back to its initial state once the newest request has left it.
        reset = self._admitted[-1] + self.window_s - now if self._admitted else 0.0
        return {
            "x-ratelimit-limit-requests": str(self.limit),
            "x-ratelimit-remaining-requests": str(self.limit - len(self._admitted)),
            "x-ratelimit-reset-requests": f"{reset:.1f}s",
        }

    def peek(self) -> dict[str, str]:
        """The current headers, without counting a request."""
        now = self._clock()
        self._expire(now)
        return self._headers(now)

    def admit(self) -> Admission:
        """Count one request if the window has room for it."""
        now = self._clock()
        self._expire(now)
        if len(self._admitted) >= self.limit:
            # Whole seconds, as HTTP wants for Retry-After.
            retry = math.ceil(self._admitted[0] + self.window_s - now)
            return Admission(False, self._headers(now), retry)
        self._admitted.append(now)
        return Admission(True, self._headers(now))

    def _expire(self, now: float) -> None:
        while self._admitted and self._admitted[0] <= now - self.window_s:
            self._admitted.popleft()
