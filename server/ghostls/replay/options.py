"""The `ghostls bench` and `ghostls demo` command lines (argparse only: imported on every run
of `ghostls`, so it must stay light)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

PROFILE_NAMES = ("cerebras", "groq", "gpu")
STRATEGY_NAMES = ("naive", "fixed-350", "fixed-50", "ghostls")
TYPIST_NAMES = ("median", "fast")
ARTIFACT_NAMES = ("habits", "stages")


def _names(known: tuple[str, ...]) -> Callable[[str], tuple[str, ...]]:
    def parse(value: str) -> tuple[str, ...]:
        names = tuple(name.strip() for name in value.split(",") if name.strip())
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"expected a comma-separated list of {', '.join(known)}"
            )
        return names

    return parse


def _share(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number from 0 to 1") from None
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError("expected a number from 0 to 1")
    return number


def _integers(value: str) -> tuple[int, ...]:
    try:
        numbers = tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("expected comma-separated integers") from None
    if not numbers:
        raise argparse.ArgumentTypeError("expected comma-separated integers")
    return numbers


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError("expected seconds") from None
    if number <= 0:
        raise argparse.ArgumentTypeError("expected a positive number of seconds")
    return number


def add_bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quick", action="store_true", help="cerebras only, short sessions (CI: under 30 s)"
    )
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    parser.add_argument(
        "--plot",
        metavar="FILE",
        help="a PNG: time to suggestion at pauses, and calls/min against its median (matplotlib)",
    )
    parser.add_argument(
        "--corpus", metavar="DIR", help="type code from this folder (default: the stdlib)"
    )
    parser.add_argument("--seed", type=int, default=0, help="corpus, typist and model (0)")
    parser.add_argument(
        "--q", type=_share, default=0.35, help="share of right answers of the model (0.35)"
    )
    parser.add_argument("--typist", choices=TYPIST_NAMES, default="median")
    parser.add_argument(
        "--profiles",
        type=_names(PROFILE_NAMES),
        help=f"model latency profiles (default: {','.join(PROFILE_NAMES)})",
    )
    parser.add_argument(
        "--strategies",
        type=_names(STRATEGY_NAMES),
        help=f"(default: {','.join(STRATEGY_NAMES)})",
    )
    parser.add_argument(
        "--seconds", type=_seconds, help="typing time per session (default 15; quick: 5)"
    )
    parser.add_argument(
        "--budget",
        type=int,
        metavar="N",
        help="run every strategy under a request budget of N model calls per minute",
    )
    parser.add_argument(
        "--quality",
        action="store_true",
        help="instead: exact match of the inserted text when answers carry model artifacts",
    )
    parser.add_argument(
        "--next-edit",
        action="store_true",
        help="instead: next-edit suggestions on sequences of related edits in real code",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="--quality: also failing examples and variants; --next-edit: each case's steps",
    )
    parser.add_argument(
        "--seeds",
        type=_integers,
        help="--quality: comma-separated seeds (default: the held-out seeds)",
    )
    parser.add_argument(
        "--artifacts",
        choices=ARTIFACT_NAMES,
        default="habits",
        help="--quality: what models do (habits) or one artifact per stage (stages, a regression)",
    )
    real = parser.add_argument_group("--quality against a real model")
    real.add_argument(
        "--endpoint",
        metavar="URL",
        help="an OpenAI-compatible base URL: ask its model raw and through ghostls",
    )
    real.add_argument("--model", default="", help="the endpoint's model name")
    real.add_argument("--prompt-mode", choices=("fim-tokens", "chat"), default="fim-tokens")
    real.add_argument("--fim-template", default="qwen", help="for fim-tokens (qwen)")
    real.add_argument(
        "--timeout-ms", type=int, default=10_000, help="for both sides (ghostls's default)"
    )
    real.add_argument("--cases", type=int, metavar="N", help="at most N cut points")


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", help="a source file (default: a stdlib module)")
    parser.add_argument("--profile", choices=PROFILE_NAMES, default="cerebras")
    parser.add_argument("--typist", choices=TYPIST_NAMES, default="median")
    parser.add_argument("--seconds", type=_seconds, default=20.0, help="how long to type (20)")
    parser.add_argument(
        "--q", type=_share, default=1.0, help="simulated model: share of right answers (1)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--base-url", help="a real OpenAI-compatible endpoint (default: from the environment)"
    )
