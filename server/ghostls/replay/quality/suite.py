"""What the quality benchmark measures: cut point labels, prompt modes, targets, seeds and
artifact sets."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ghostls.replay import artifacts, habits
from ghostls.replay.artifacts import Artifact, View

LABELS = ("mid-line", "end-of-line", "empty-line", "inside-brackets")
MODES = ("chat", "fim")
MODEL = "ghost-coder"
TARGET_OVERALL = 0.97
TARGET_KIND = 0.90
TARGET_CLEAN_DAMAGE = 0.01

# Seeds the post-processing stages were developed on: a figure from them is a regression
# check, not a measurement. Whoever tunes a fix on a seed's failures adds the seed here and
# moves the held-out default to seeds nobody has looked at.
TUNING_SEEDS = frozenset({0, 1, 2, 1207, 1208, 1311, 1312, 1423, 1424})
# The default run: seeds no fix was tuned on.
HELD_OUT_SEEDS = (1531, 1532)


def seed_class(seed: int) -> str:
    return "tuning" if seed in TUNING_SEEDS else "held-out"


@dataclass(frozen=True)
class ArtifactSet:
    """A generator of raw answers: its kinds and how it wraps the truth in them."""

    name: str
    description: str
    kinds: tuple[str, ...]
    mixed: str  # the kind of an answer that combines others
    applicable: Callable[[str, str, View], bool]
    mix_parts: Callable[[str, View, random.Random], tuple[str, ...]]
    mode_of: Callable[[str, Sequence[str], random.Random], str]
    wrap: Callable[[str, str, View, random.Random, Sequence[str]], Artifact]


ARTIFACT_SETS = {
    "habits": ArtifactSet(
        "habits",
        "the author's text with what real models do to an answer (`ghostls.replay.habits`, "
        "described independently of the post-processing stages)",
        habits.KINDS,
        habits.PAIR,
        habits.applicable,
        habits.pair_parts,
        habits.mode_of,
        habits.wrap,
    ),
    "stages": ArtifactSet(
        "stages",
        "the author's text with one artifact per post-processing stage "
        "(`ghostls.replay.artifacts`: a regression suite of the stages, not a measurement)",
        artifacts.KINDS,
        artifacts.MIXED,
        artifacts.applicable,
        artifacts.mix_parts,
        lambda kind, parts, rng: artifacts.mode_of(kind, parts),
        artifacts.wrap,
    ),
}
HABITS = ARTIFACT_SETS["habits"]
STAGES = ARTIFACT_SETS["stages"]
