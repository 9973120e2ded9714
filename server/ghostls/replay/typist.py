"""When the simulated programmer's keys come.

Gaps between keys are lognormal around the typist's median (programmers average ~52 words
per minute: ~230 ms a key; fast ones ~120 ms), with pauses of 0.5-2 s to think: often after
Enter (the next line), sometimes before it, now and then after punctuation mid-line. Every
call draws the same random numbers whatever it decides, so for a seed the sequence of
gaps depends only on the keystroke's ordinal and context, not on what other strategies did.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class TypistProfile:
    name: str
    median_ms: float  # median of the ordinary gaps (pauses shift the overall median a little)
    sigma: float  # spread of ln(gap)
    after_enter: float  # chance of a pause once a new line is started
    before_enter: float  # chance of a pause at the end of a line, before Enter
    mid_line: float  # chance of a pause after punctuation or a space
    pause_ms: tuple[float, float] = (500.0, 2000.0)
    min_ms: float = 35.0
    max_ms: float = 1200.0
    first_ms: float = 900.0  # before the first key of a region


TYPISTS: dict[str, TypistProfile] = {
    "median": TypistProfile(
        "median", 215.0, 0.42, after_enter=0.55, before_enter=0.2, mid_line=0.04
    ),
    "fast": TypistProfile("fast", 112.0, 0.38, after_enter=0.45, before_enter=0.15, mid_line=0.03),
}


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


class Typist:
    def __init__(self, profile: TypistProfile | str, seed: int) -> None:
        self.profile = TYPISTS[profile] if isinstance(profile, str) else profile
        self._rng = random.Random(seed)

    def pause(self) -> float:
        """A thinking pause, in seconds."""
        low, high = self.profile.pause_ms
        return math.exp(self._rng.uniform(math.log(low), math.log(high))) / 1000

    def gap(self, typed: str, upcoming: str) -> float:
        """Seconds until the next key, after a key that inserted `typed`; `upcoming` is what
        comes next ("" at the end of the region)."""
        profile = self.profile
        ordinary = self._rng.lognormvariate(math.log(profile.median_ms), profile.sigma)
        ordinary = min(max(ordinary, profile.min_ms), profile.max_ms) / 1000
        roll = self._rng.random()
        pause = self.pause()
        if typed.startswith("\n"):
            chance = profile.after_enter
        elif upcoming.startswith("\n"):
            chance = profile.before_enter
        elif typed and not _is_word(typed[-1]):
            chance = profile.mid_line
        else:
            chance = 0.0
        return pause if roll < chance else ordinary

    def first_gap(self) -> float:
        """Before the first key of a region: finding the place, a short look."""
        return self.profile.first_ms / 1000 * self._rng.uniform(0.8, 1.2)
