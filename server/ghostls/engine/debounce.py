"""Adaptive debounce: how long a keystroke's request waits before it may call the model.

A call is worth making where the user is about to pause: then the suggestion is on screen
while they look. ghostls learns where this user pauses. Each keystroke falls in a context
(a fresh line, after a block opener, after other punctuation, at a word's end, inside a
word); for each, it keeps the gaps that followed such keystrokes. Where pauses are common
(typically a fresh line) the call goes at once, and a fast model answers before the user
looks up. Elsewhere the request waits out the user's usual gap in that context (a high
quantile of the ordinary gaps seen there), so a call fires only when they stop typing.
Priors stand in until enough gaps are seen. The delay is counted from the request's
arrival, so building the prompt happens during it, and it grows with `pressure` when the
request budget runs low, so the remaining calls go where pauses are likeliest.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Literal

from ghostls.engine.stats import percentile

Context = Literal["fresh-line", "opener", "closer", "punctuation", "word"]

_OPENERS = frozenset("([{:,=")
_CLOSERS = frozenset(")]}\"'`;")
_WORD = re.compile(r"\w")
PAUSE_S = 0.5  # a gap at least this long is a pause: the user looks at the screen
_SAMPLES = 48
_LATENCY_SAMPLES = 16
_MAX_GAP_S = 3.0
_PRIOR_WEIGHT = 6.0
# Share of keystrokes followed by a pause, before anything is learnt.
_PRIOR_PAUSE: dict[Context, float] = {
    "fresh-line": 0.5,
    "opener": 0.15,
    "closer": 0.15,
    "punctuation": 0.05,
    "word": 0.02,
}
_DEFAULT_GAP_S = 0.22
_GO_NOW = 0.3  # pause share from which a call goes at once
_MIN_DELAY_S = 0.06
_MAX_DELAY_S = 1.2


@dataclass(frozen=True)
class DebounceContext:
    """What the debounce reads of the cursor's position."""

    last_char: str  # the character before the cursor ("\n" at the start of a line)
    next_char: str  # the character after the cursor ("" at the end of a line)
    line_is_blank: bool  # nothing but whitespace before the cursor on its line
    rest_is_closers: bool  # nothing but closing brackets, quotes or spaces after the cursor

    @property
    def kind(self) -> Context:
        if self.line_is_blank:
            return "fresh-line"
        if _WORD.match(self.last_char):
            return "word"
        if self.last_char in _OPENERS:
            return "opener"
        if self.last_char in _CLOSERS and self.rest_is_closers:
            return "closer"
        return "punctuation"


def debounce_context(prefix: str, suffix: str) -> DebounceContext:
    line_start = prefix.rfind("\n") + 1
    line_prefix = prefix[line_start:]
    line_end = suffix.find("\n")
    line_suffix = suffix if line_end < 0 else suffix[:line_end]
    return DebounceContext(
        last_char=prefix[-1] if prefix else "\n",
        next_char=line_suffix[:1],
        line_is_blank=not line_prefix.strip(),
        rest_is_closers=all(char in ")]}>\"'`;, \t" for char in line_suffix),
    )


class AdaptiveDebounce:
    """Delay before a model call, in seconds. `fixed_ms` turns adaptation off."""

    def __init__(self, fixed_ms: int | None = None) -> None:
        self.fixed_ms = fixed_ms
        self._gaps: dict[Context, deque[float]] = {
            kind: deque(maxlen=_SAMPLES) for kind in _PRIOR_PAUSE
        }
        self._latencies: deque[float] = deque(maxlen=_LATENCY_SAMPLES)
        self._last: tuple[float, Context] | None = None

    def note_request(self, now: float, ctx: DebounceContext) -> None:
        """A keystroke's request arrived: learn the gap that followed the previous one."""
        if self._last is not None:
            then, kind = self._last
            gap = now - then
            if 0 < gap <= _MAX_GAP_S:
                self._gaps[kind].append(gap)
        self._last = (now, ctx.kind)

    def note_latency(self, seconds: float) -> None:
        self._latencies.append(seconds)

    @property
    def model_latency(self) -> float:
        if not self._latencies:
            return 0.15
        return sum(self._latencies) / len(self._latencies)

    def pause_share(self, kind: Context) -> float:
        """How often a keystroke in this context was followed by a pause (with a prior)."""
        gaps = self._gaps[kind]
        pauses = sum(1 for gap in gaps if gap >= PAUSE_S)
        return (pauses + _PRIOR_PAUSE[kind] * _PRIOR_WEIGHT) / (len(gaps) + _PRIOR_WEIGHT)

    def usual_gap(self, kind: Context, quantile: float) -> float:
        """A high quantile of the ordinary (non-pause) gaps after this context; the gaps of
        all contexts stand in while this one has few."""
        ordinary = [gap for gap in self._gaps[kind] if gap < PAUSE_S]
        if len(ordinary) < 8:
            ordinary = [gap for gaps in self._gaps.values() for gap in gaps if gap < PAUSE_S]
        if len(ordinary) < 8:
            return _DEFAULT_GAP_S * 1.6
        return percentile(ordinary, quantile) or _DEFAULT_GAP_S

    def delay(self, ctx: DebounceContext, *, pressure: float = 0.0) -> float:
        """Seconds to wait. `pressure` (0..1) grows as the request budget runs low."""
        if self.fixed_ms is not None:
            return self.fixed_ms / 1000
        kind = ctx.kind
        share = self.pause_share(kind)
        if share >= _GO_NOW + 0.2 * pressure:
            return 0.0
        # Where this user seldom pauses, wait for nearly all of their ordinary gaps to pass.
        rarity = 1.0 - min(1.0, share / _GO_NOW)
        quantile = min(99.0, 88 + 10 * rarity + 8 * pressure)
        delay = self.usual_gap(kind, quantile) * (1 + 0.8 * pressure)
        return min(max(delay, _MIN_DELAY_S), _MAX_DELAY_S)
