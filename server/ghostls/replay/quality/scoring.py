"""Figures: exact-match shares and the targets they are held to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ghostls.replay.artifacts import CLEAN
from ghostls.replay.quality.evaluation import Evaluation
from ghostls.replay.quality.suite import TARGET_CLEAN_DAMAGE, TARGET_KIND, TARGET_OVERALL

# -- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    n: int
    raw: int  # exact before post-processing
    exact: int  # exact after

    @property
    def share(self) -> float:
        return self.exact / self.n if self.n else 0.0

    @property
    def raw_share(self) -> float:
        return self.raw / self.n if self.n else 0.0


def score(evaluations: Iterable[Evaluation]) -> Score:
    items = list(evaluations)
    return Score(len(items), sum(e.raw_exact for e in items), sum(e.exact for e in items))


@dataclass(frozen=True)
class Target:
    label: str
    value: str
    met: bool


def target_checks(evaluations: Sequence[Evaluation]) -> list[Target]:
    overall = score(evaluations)
    kinds = {
        kind: score(e for e in evaluations if e.kind == kind)
        for kind in dict.fromkeys(e.kind for e in evaluations)
    }
    lowest = min(kinds, key=lambda kind: kinds[kind].share) if kinds else None
    # A clean answer is right as it stands: one that post-processing leaves wrong was damaged.
    clean = [e for e in evaluations if e.kind == CLEAN]
    damaged = sum(1 for e in clean if not e.exact)
    damage = damaged / len(clean) if clean else 0.0
    return [
        Target(
            f"exact match overall ≥ {TARGET_OVERALL:.0%}",
            f"{overall.share:.1%} ({overall.exact} of {overall.n})",
            overall.n > 0 and overall.share >= TARGET_OVERALL,
        ),
        Target(
            f"no artifact kind below {TARGET_KIND:.0%}",
            "–"
            if lowest is None
            else f"lowest: {lowest} {kinds[lowest].share:.1%} ({kinds[lowest].exact} of "
            f"{kinds[lowest].n})",
            lowest is not None and kinds[lowest].share >= TARGET_KIND,
        ),
        Target(
            f"clean answers damaged ≤ {TARGET_CLEAN_DAMAGE:.0%}",
            f"{damage:.1%} ({damaged} of {len(clean)})",
            bool(clean) and damage <= TARGET_CLEAN_DAMAGE,
        ),
    ]
