"""The simulated programmer's timing: realistic gaps, pauses where people pause, seeded."""

from __future__ import annotations

import statistics

import pytest

from ghostls.replay.typist import TYPISTS, Typist

CODE = (
    "def merge(left, right):\n    result = []\n    while left and right:\n"
    "        if left[0] <= right[0]:\n            result.append(left.pop(0))\n"
    "        else:\n            result.append(right.pop(0))\n    return result + left + right\n"
) * 12


def gaps(typist: Typist, text: str = CODE) -> list[tuple[str, float]]:
    out = []
    for index, char in enumerate(text):
        out.append((char, typist.gap(char, text[index + 1 :])))
    return out


@pytest.mark.parametrize(("name", "median_ms"), [("median", 230), ("fast", 120)])
def test_median_gap_matches_the_typist(name: str, median_ms: float) -> None:
    values = [gap for _, gap in gaps(Typist(name, seed=3))]
    assert statistics.median(values) * 1000 == pytest.approx(median_ms, rel=0.12)


def test_ordinary_gaps_spread_like_a_lognormal() -> None:
    values = sorted(gap for _, gap in gaps(Typist("median", seed=1)) if gap < 0.5)
    p10 = values[len(values) // 10]
    p90 = values[len(values) * 9 // 10]
    # Real inter-key intervals vary by a factor of a few, not a few percent.
    assert 2 < p90 / p10 < 6


def test_pauses_come_mostly_after_enter_and_last_half_a_second_to_two() -> None:
    pairs = gaps(Typist("median", seed=7))
    pauses = [(char, gap) for char, gap in pairs if gap >= 0.5]
    assert all(gap <= 2.0 for _, gap in pauses)
    after_enter = [gap for char, gap in pairs if char == "\n"]
    mid_word = [gap for char, gap in pairs if char.isalnum()]
    share_enter = sum(gap >= 0.5 for gap in after_enter) / len(after_enter)
    share_word = sum(gap >= 0.5 for gap in mid_word) / len(mid_word)
    assert share_enter > 0.35
    assert share_word < 0.05


def test_same_seed_same_gaps_other_seed_other_gaps() -> None:
    assert gaps(Typist("median", seed=5)) == gaps(Typist("median", seed=5))
    assert gaps(Typist("median", seed=5)) != gaps(Typist("median", seed=6))


def test_the_sequence_depends_on_the_ordinal_not_on_earlier_decisions() -> None:
    # Whatever the context, each call draws the same random numbers: two typists on the
    # same seed stay in step even when one pauses where the other doesn't.
    first, second = Typist("median", seed=9), Typist("median", seed=9)
    first.gap("\n", "x")
    second.gap("a", "b")
    assert first.gap("a", "b") == second.gap("a", "b")


def test_profiles_are_known() -> None:
    assert set(TYPISTS) == {"median", "fast"}
    assert TYPISTS["fast"].median_ms < TYPISTS["median"].median_ms
