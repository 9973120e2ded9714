"""A small benchmark on real code: cut points in standard-library modules, the true
continuation wrapped in the artifacts models produce, and the share of insertions that
rebuild the file exactly. Guards the pipeline against regressions as a whole."""

from __future__ import annotations

import random
import sysconfig
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ghostls.postprocess import Cursor, postprocess

MODULES = ["textwrap.py", "shlex.py", "fractions.py", "calendar.py", "heapq.py", "bisect.py"]
CUTS_PER_MODULE = 12
PREFIX_CHARS, SUFFIX_CHARS = 4000, 1200

Artifact = Callable[[str, Cursor, random.Random], tuple[str, bool]]


def _fence(truth: str, ctx: Cursor, rng: random.Random) -> tuple[str, bool]:
    return f"```python\n{truth}\n```", True


def _explained(truth: str, ctx: Cursor, rng: random.Random) -> tuple[str, bool]:
    return f"Here is the completion:\n```python\n{truth}\n```\nThis completes the code.", True


def _echo(truth: str, ctx: Cursor, rng: random.Random) -> tuple[str, bool]:
    return rng.choice([ctx.line_prefix, ctx.line_prefix.lstrip()]) + truth, True


def _suffix(truth: str, ctx: Cursor, rng: random.Random) -> tuple[str, bool]:
    end = 0
    for _ in range(rng.randint(1, 3)):
        end = ctx.suffix.find("\n", end + 1)
        if end < 0:
            end = len(ctx.suffix)
            break
    return truth + ctx.suffix[:end], False


def _tabs(truth: str, ctx: Cursor, rng: random.Random) -> tuple[str, bool]:
    first, *rest = truth.split("\n")
    tabbed = ["\t" * ((len(line) - len(line.lstrip(" "))) // 4) + line.lstrip(" ") for line in rest]
    return "\n".join([first, *tabbed]), True


def _loop(truth: str, ctx: Cursor, rng: random.Random) -> tuple[str, bool]:
    last = truth.split("\n")[-1] if "\n" in truth else ctx.line_prefix + truth
    return truth + f"\n{last}" * rng.randint(2, 5), False


ARTIFACTS: dict[str, Artifact] = {
    "fence": _fence,
    "explained": _explained,
    "echo": _echo,
    "suffix": _suffix,
    "tabs": _tabs,
    "loop": _loop,
}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _cut_points(text: str, rng: random.Random) -> Iterator[tuple[int, int, bool]]:
    """(cursor, end of the true continuation, multi-line) for random cursors in code lines."""
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    for _ in range(CUTS_PER_MODULE):
        row = rng.randrange(5, len(starts) - 5)
        line_end = text.index("\n", starts[row])
        line = text[starts[row] : line_end]
        if not line.strip():
            continue
        cursor = rng.randrange(starts[row], starts[row] + len(line.rstrip()))
        if rng.random() < 0.4:
            yield cursor, line_end, False
            continue
        end = line_end
        for later in range(row + 1, min(row + rng.randint(2, 7), len(starts) - 1)):
            following = text[starts[later] : starts[later + 1] - 1]
            if following.strip() and _indent(following) < _indent(line):
                break
            if following.strip():
                end = starts[later + 1] - 1
        yield cursor, end, True


def _window(text: str, cursor: int, end: int) -> tuple[str, str]:
    start = text.rfind("\n", 0, max(0, cursor - PREFIX_CHARS)) + 1 if cursor > PREFIX_CHARS else 0
    stop = text.find("\n", min(len(text), end + SUFFIX_CHARS))
    return text[start:cursor], text[end : len(text) if stop < 0 else stop]


def _score() -> tuple[Counter[str], Counter[str]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    rng = random.Random(20260101)
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for module in MODULES:
        text = (stdlib / module).read_text(encoding="utf-8")
        for cursor, end, multiline in _cut_points(text, rng):
            prefix, suffix = _window(text, cursor, end)
            truth = text[cursor:end]
            if not truth.strip():
                continue
            ctx = Cursor(prefix, suffix, "python", multiline)
            answers = {"clean": (truth, False)}
            answers |= {name: make(truth, ctx, rng) for name, make in ARTIFACTS.items()}
            for name, (raw, chat) in answers.items():
                insertion = postprocess(raw, ctx, from_chat=chat)
                text_after = (
                    prefix + suffix
                    if insertion is None
                    else prefix + insertion.text + suffix[insertion.replace_suffix :]
                )
                total[name] += 1
                right[name] += text_after == prefix + truth + suffix
    return right, total


@pytest.mark.skipif(
    not all((Path(sysconfig.get_paths()["stdlib"]) / m).exists() for m in MODULES),
    reason="the standard library sources are not installed",
)
def test_answers_rebuild_the_file() -> None:
    right, total = _score()
    assert total["clean"] >= 40
    assert right["clean"] / total["clean"] >= 0.97
    for name in ARTIFACTS:
        assert right[name] / total[name] >= 0.85, name
    artifacts = sum(right[n] for n in ARTIFACTS) / sum(total[n] for n in ARTIFACTS)
    assert artifacts >= 0.93
