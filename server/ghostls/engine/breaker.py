"""When not to call the model: after a 429 until its Retry-After, and while an endpoint keeps
failing (a circuit breaker that probes it back with one request at a time)."""

from __future__ import annotations

from dataclasses import dataclass

_OPEN_AFTER = 3
_FIRST_OPEN_S = 1.0
_MAX_OPEN_S = 60.0
_DEFAULT_RETRY_AFTER_S = 5.0


@dataclass
class Breaker:
    failures: int = 0
    open_until: float = 0.0
    open_for: float = 0.0
    rate_limited_until: float = 0.0
    probing: bool = False

    def allows(self, now: float) -> bool:
        """May a model call start now? In the half-open state, one probe at a time."""
        if now < self.rate_limited_until:
            return False
        if self.failures < _OPEN_AFTER:
            return True
        if now < self.open_until or self.probing:
            return False
        self.probing = True
        return True

    @property
    def is_open(self) -> bool:
        return self.failures >= _OPEN_AFTER

    def success(self) -> None:
        self.failures = 0
        self.open_for = 0.0
        self.probing = False

    def failure(self, now: float) -> bool:
        """Record a failed call; True when this failure (re)opened the breaker."""
        self.failures += 1
        self.probing = False
        if self.failures < _OPEN_AFTER:
            return False
        self.open_for = min(_MAX_OPEN_S, self.open_for * 2 if self.open_for else _FIRST_OPEN_S)
        self.open_until = now + self.open_for
        return self.failures == _OPEN_AFTER

    def stalled(self, now: float) -> bool:
        """The endpoint took calls and sent nothing for long: open as after failures. True
        when this opened the breaker."""
        was_open = self.is_open
        self.failures = max(self.failures, _OPEN_AFTER - 1)
        self.failure(now)
        return not was_open

    def reopen(self, now: float) -> None:
        """A probe ended without an answer either way: wait the same period again."""
        self.probing = False
        self.open_until = now + self.open_for

    def rate_limited(self, now: float, retry_after: float | None) -> None:
        wait = retry_after if retry_after is not None else _DEFAULT_RETRY_AFTER_S
        self.rate_limited_until = max(self.rate_limited_until, now + min(wait, 300.0))
        self.probing = False
