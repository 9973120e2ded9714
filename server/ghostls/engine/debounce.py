"""Adaptive debounce: how long a keystroke's request waits before it may call the model.

It learns the user's typing rhythm (gaps between requests) and the model's latency, and
reads the cursor's context: right after `(`, `:`, `=`, `,` or a new line a pause (and so a
wanted suggestion) is likely and the wait is short; in the middle of a word the user is
probably still typing and the wait is longer than their usual gap. The delay is counted from
the request's arrival, so the time spent building the prompt is part of it.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from ghostls.engine.stats import percentile

_TRIGGER_CHARS = frozenset("([{,:=")
_WORD = re.compile(r"\w")
_GAP_SAMPLES = 64
_LATENCY_SAMPLES = 16
_MAX_GAP_S = 1.0
_DEFAULT_GAP_S = 0.2


@dataclass(frozen=True)
class DebounceContext:
    """What the debounce reads of the cursor's position."""

    last_char: str  # the character before the cursor ("\n" at the start of a line)
    next_char: str  # the character after the cursor ("" at the end of a line)
    line_is_blank: bool  # nothing but whitespace before the cursor on its line
    rest_is_closers: bool  # nothing but closing brackets, quotes or spaces after the cursor


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


def pause_likelihood(ctx: DebounceContext) -> float:
    """0 (mid-word: the user is typing on) .. 1 (a natural stop: a suggestion is wanted)."""
    if _WORD.match(ctx.last_char) and ctx.next_char and _WORD.match(ctx.next_char):
        return 0.0
    score = 0.0
    if ctx.last_char in _TRIGGER_CHARS:
        score += 0.7
    elif ctx.line_is_blank:
        score += 0.6
    elif not _WORD.match(ctx.last_char):
        score += 0.3
    if ctx.rest_is_closers:
        score += 0.3
    return min(score, 1.0)


class AdaptiveDebounce:
    """Delay before a model call, in seconds. `fixed_ms` turns adaptation off."""

    def __init__(self, fixed_ms: int | None = None) -> None:
        self.fixed_ms = fixed_ms
        self._gaps: deque[float] = deque(maxlen=_GAP_SAMPLES)
        self._latencies: deque[float] = deque(maxlen=_LATENCY_SAMPLES)
        self._last_request_at: float | None = None

    def note_request(self, now: float) -> None:
        """A keystroke's request arrived: learn the gap since the previous one."""
        if self._last_request_at is not None:
            gap = now - self._last_request_at
            if 0 < gap <= _MAX_GAP_S:
                self._gaps.append(gap)
        self._last_request_at = now

    def note_latency(self, seconds: float) -> None:
        self._latencies.append(seconds)

    @property
    def typing_gap(self) -> float:
        """The user's usual gap between keys (a high percentile: most gaps are shorter)."""
        if len(self._gaps) < 8:
            return _DEFAULT_GAP_S
        return percentile(list(self._gaps), 75) or _DEFAULT_GAP_S

    @property
    def model_latency(self) -> float:
        if not self._latencies:
            return 0.15
        return sum(self._latencies) / len(self._latencies)

    def delay(self, ctx: DebounceContext, *, pressure: float = 0.0) -> float:
        """Seconds to wait. `pressure` (0..1) grows as the request budget runs low."""
        if self.fixed_ms is not None:
            return self.fixed_ms / 1000
        likely = pause_likelihood(ctx)
        gap = min(max(self.typing_gap, 0.06), 0.45)
        # Mid-word: wait past the user's usual gap, so a call fires only when they stop.
        # At a natural stop: go almost at once; a fast model answers before the next key.
        factor = 1.5 - 1.4 * likely
        delay = gap * factor
        if pressure > 0:
            delay += pressure * (0.25 + 3 * gap)
        return min(max(delay, 0.0), 1.5)
