"""`ghostls bench --quality`: the command."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from ghostls.replay.artifacts import CHAT_KINDS, FIM_KINDS
from ghostls.replay.quality.evaluation import (
    Evaluation,
    QualityConfig,
    QualityResponder,
    plan,
    run_quality,
)
from ghostls.replay.quality.report import markdown, to_json
from ghostls.replay.quality.sampling import CutPoint, cut_candidates, sample_cuts
from ghostls.replay.quality.suite import ARTIFACT_SETS, HELD_OUT_SEEDS, LABELS, TUNING_SEEDS


def chosen_seeds(args: argparse.Namespace) -> tuple[int, ...]:
    """`--seeds`, else a `--seed` other than the default 0, else the held-out seeds (the
    first of them alone with `--quick`)."""
    if args.seeds:
        return tuple(args.seeds)
    if args.seed:
        return (args.seed,)
    return HELD_OUT_SEEDS[:1] if args.quick else HELD_OUT_SEEDS


def main(args: argparse.Namespace) -> int:
    config = QualityConfig(
        seeds=chosen_seeds(args),
        quick=bool(args.quick),
        corpus=args.corpus,
        artifacts=args.artifacts,
    )
    try:
        result = asyncio.run(run_quality(config, progress=sys.stderr))
    except KeyboardInterrupt:
        print("ghostls bench: interrupted", file=sys.stderr)
        return 130
    print(markdown(result, verbose=bool(getattr(args, "verbose", False))))
    if args.json:
        Path(args.json).write_text(json.dumps(to_json(result), indent=2) + "\n", encoding="utf-8")
    return 0


__all__ = [
    "ARTIFACT_SETS",
    "CHAT_KINDS",
    "FIM_KINDS",
    "HELD_OUT_SEEDS",
    "LABELS",
    "TUNING_SEEDS",
    "CutPoint",
    "Evaluation",
    "QualityConfig",
    "QualityResponder",
    "cut_candidates",
    "main",
    "plan",
    "sample_cuts",
]
