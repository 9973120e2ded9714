"""When a keystroke's request may call the model: the "instant" policy.

With a model that answers in ~100 ms, the wait before the call is most of what the user feels
at a pause, and a call is cheap. So a request calls at once where a suggestion is likely
wanted (a fresh line, after a block opener or a closer, where this user often pauses), and
after a short wait elsewhere. The one call it skips is the call that cannot buy a suggestion
the user would see: where this user's next key nearly always comes before a model answer
could arrive (a fast burst), the request waits out their usual gap instead, so a call goes
only if they stop.

Under a real request budget (`pressure` > 0, as it runs low) the calls are kept for where
pauses are likeliest: outside the contexts where this user pauses, the request waits for the
usual gap to pass, but never longer than a fixed 350 ms debounce would.

Pauses are learnt per context (a fresh line, after a block opener, after other punctuation,
at a word's end, inside a word) from the gaps that followed such keystrokes; priors stand in
until enough are seen. The delay is counted from the request's arrival.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Literal

from ghostls.cursor import line_after, line_before
from ghostls.engine.stats import percentile

Site = Literal["fresh-line", "opener", "closer", "punctuation", "word"]

_OPENERS = frozenset("([{:,=")
_CLOSERS = frozenset(")]}\"'`;")
_WORD = re.compile(r"\w")
PAUSE_S = 0.5  # a gap at least this long is a pause: the user looks at the screen
_SAMPLES = 48
_LATENCY_SAMPLES = 16
_MAX_GAP_S = 3.0
_PRIOR_WEIGHT = 6.0
# Share of keystrokes followed by a pause, before anything is learnt.
_PRIOR_PAUSE: dict[Site, float] = {
    "fresh-line": 0.5,
    "opener": 0.15,
    "closer": 0.15,
    "punctuation": 0.05,
    "word": 0.02,
}
_DEFAULT_GAP_S = 0.22
_GO_NOW = 0.3  # pause share from which a call goes at once under budget pressure
# Without pressure: the contexts that call at once, and the short wait elsewhere (it lets
# a burst's next key, when it comes within it, make the call instead).
_AT_ONCE: frozenset[Site] = frozenset({"fresh-line", "opener", "closer"})
INSTANT_WAIT_S = 0.03
# A call is skipped in a burst when fewer than this share of this user's keys in the context
# leave the model time to answer before the next one.
_USEFUL_SHARE = 0.3
_SHOWN_AFTER_FIRST_TOKEN = 1.3  # an answer is on screen about this long after its first token
_MIN_DELAY_S = 0.06
# Under pressure the wait never outlasts a fixed 350 ms debounce's.
_MAX_DELAY_S = 0.35


@dataclass(frozen=True)
class CursorSite:
    """What the debounce reads of the cursor's position."""

    last_char: str  # the character before the cursor ("\n" at the start of a line)
    next_char: str  # the character after the cursor ("" at the end of a line)
    line_is_blank: bool  # nothing but whitespace before the cursor on its line
    rest_is_closers: bool  # nothing but closing brackets, quotes or spaces after the cursor

    @property
    def kind(self) -> Site:
        if self.line_is_blank:
            return "fresh-line"
        if _WORD.match(self.last_char):
            return "word"
        if self.last_char in _OPENERS:
            return "opener"
        if self.last_char in _CLOSERS and self.rest_is_closers:
            return "closer"
        return "punctuation"


def cursor_site(prefix: str, suffix: str) -> CursorSite:
    line_suffix = line_after(suffix)
    return CursorSite(
        last_char=prefix[-1] if prefix else "\n",
        next_char=line_suffix[:1],
        line_is_blank=not line_before(prefix).strip(),
        rest_is_closers=all(char in ")]}>\"'`;, \t" for char in line_suffix),
    )


class AdaptiveDebounce:
    """Delay before a model call, in seconds. `fixed_ms` turns adaptation off."""

    def __init__(self, fixed_ms: int | None = None) -> None:
        self.fixed_ms = fixed_ms
        self._gaps: dict[Site, deque[float]] = {
            kind: deque(maxlen=_SAMPLES) for kind in _PRIOR_PAUSE
        }
        self._latencies: deque[float] = deque(maxlen=_LATENCY_SAMPLES)
        self._last: tuple[float, Site] | None = None

    def note_request(self, now: float, ctx: CursorSite) -> None:
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

    def pause_share(self, kind: Site) -> float:
        """How often a keystroke in this context was followed by a pause (with a prior)."""
        gaps = self._gaps[kind]
        pauses = sum(1 for gap in gaps if gap >= PAUSE_S)
        return (pauses + _PRIOR_PAUSE[kind] * _PRIOR_WEIGHT) / (len(gaps) + _PRIOR_WEIGHT)

    def usual_gap(self, kind: Site, quantile: float) -> float:
        """A high quantile of the ordinary (non-pause) gaps after this context; the gaps of
        all contexts stand in while this one has few."""
        ordinary = [gap for gap in self._gaps[kind] if gap < PAUSE_S]
        if len(ordinary) < 8:
            ordinary = [gap for gaps in self._gaps.values() for gap in gaps if gap < PAUSE_S]
        if len(ordinary) < 8:
            return _DEFAULT_GAP_S * 1.6
        return percentile(ordinary, quantile) or _DEFAULT_GAP_S

    def answer_time(self) -> float:
        """About how long from a call until its suggestion is on screen."""
        return self.model_latency * _SHOWN_AFTER_FIRST_TOKEN + 0.01

    def useful_share(self, kind: Site, wait: float) -> float:
        """The share of keystrokes in this context after which a call made `wait` seconds
        later would be answered before the next key (pauses included)."""
        gaps = self._gaps[kind]
        if len(gaps) < 8:
            gaps = deque(gap for samples in self._gaps.values() for gap in samples)
        if len(gaps) < 8:
            return 1.0
        needed = wait + self.answer_time()
        return sum(1 for gap in gaps if gap > needed) / len(gaps)

    def delay(self, ctx: CursorSite, *, pressure: float = 0.0) -> float:
        """Seconds to wait. `pressure` (0..1) grows as the request budget runs low."""
        if self.fixed_ms is not None:
            return self.fixed_ms / 1000
        kind = ctx.kind
        share = self.pause_share(kind)
        if pressure <= 0.0:
            wait = 0.0 if kind in _AT_ONCE or share >= _GO_NOW else INSTANT_WAIT_S
            if wait == 0.0 or self.useful_share(kind, wait) >= _USEFUL_SHARE:
                return wait
            return min(max(self.usual_gap(kind, 90.0), INSTANT_WAIT_S), _MAX_DELAY_S)
        if share >= _GO_NOW + 0.2 * pressure:
            return 0.0
        # Where this user seldom pauses, wait for nearly all of their ordinary gaps to pass.
        rarity = 1.0 - min(1.0, share / _GO_NOW)
        quantile = min(99.0, 88 + 10 * rarity + 8 * pressure)
        delay = self.usual_gap(kind, quantile) * (1 + 0.8 * pressure)
        return min(max(delay, _MIN_DELAY_S), _MAX_DELAY_S)
