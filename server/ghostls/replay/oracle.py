"""What the simulated model answers: the truth, as often as real models get it right.

The oracle is the local model server's responder. It finds the request's cursor in the truth
from the FIM `prompt` (the text before the cursor ends there) and answers, with probability
`q` (deterministic per file and position, as a temperature-0 model answers a repeated prompt
the same way), the true continuation: the rest of the line; at the start of a fresh line a
few lines of the block; at the end of a line the next line. Otherwise it answers a plausible
wrong one: the truth for a few characters, then real code from elsewhere in the file. A
prompt that isn't in the truth (a prefetch after a wrong suggestion) gets a wrong answer.
"""

from __future__ import annotations

import ast
import hashlib
import random
import re
from dataclasses import dataclass

from ghostls.cursor import line_before
from ghostls.replay.truth import Truth, indentation, line_bounds
from ghostls.testing import RecordedRequest

# Copilot's reported acceptance rate: the share of suggestions that are right.
DEFAULT_Q = 0.35
BLOCK_LINES = 4


def unit(seed: int, *parts: object) -> float:
    """A number in [0, 1) fixed by the seed and the parts."""
    digest = hashlib.blake2b(repr((seed, *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def true_continuation(truth: Truth, pos: int) -> str:
    """What a model that knows the file would suggest at `pos`."""
    text, end = truth.text, truth.end
    if pos >= end:
        return ""
    line_start, line_end = line_bounds(text, pos)
    line_end = min(line_end, end)
    before = text[line_start:pos]
    if pos == line_end:
        if not before.strip():
            return ""
        # The end of a line: the next line, after the line break.
        _, next_end = line_bounds(text, pos + 1)
        return text[pos : min(next_end, end)]
    if before.strip():
        return text[pos:line_end]
    # A fresh line: a few lines of the block, while they stay in it.
    own = len(before)
    stop = line_end
    lines = 1
    while lines < BLOCK_LINES and stop < end:
        following_start = stop + 1
        _, following_end = line_bounds(text, following_start)
        following = text[following_start : min(following_end, end)]
        if not following.strip() or len(indentation(following)) < own:
            break
        stop = min(following_end, end)
        lines += 1
    return text[pos:stop]


@dataclass
class Oracle:
    """The responder of the local model server for one replay session."""

    q: float = DEFAULT_Q
    seed: int = 0
    truth: Truth | None = None
    answered: int = 0
    right: int = 0

    def __call__(self, record: RecordedRequest) -> str:
        prompt = record.body.get("prompt")
        truth = self.truth
        if not isinstance(prompt, str) or truth is None:
            return ""
        self.answered += 1
        found = truth.text.find(prompt)
        pos = found + len(prompt) if found >= 0 else -1
        if pos < 0 or pos > truth.end:
            return self.wrong(truth, prompt, "", unit(self.seed, "lost", prompt[-200:]))
        true = true_continuation(truth, pos)
        draw = unit(self.seed, truth.path, pos)
        if draw < self.q and true:
            self.right += 1
            return true
        return self.wrong(truth, truth.text[:pos], true, draw)

    def wrong(self, truth: Truth, prefix: str, true: str, draw: float) -> str:
        """A plausible wrong suggestion: a few true characters, then code from elsewhere."""
        rng = random.Random(draw)
        pool = _code_lines(truth.text, truth.path.endswith((".py", ".pyi")))
        if not pool:
            return "pass"
        before = line_before(prefix)
        first_true = true.split("\n", 1)[0]
        if true.startswith("\n") or (not first_true and before.strip()):
            # At the end of a line: a wrong next line.
            return "\n" + indentation(before) + rng.choice(pool)
        keep = min(rng.randint(0, 3), max(len(first_true) - 1, 0))
        first = true[:keep] + _fragment(rng.choice(pool), rng)
        if first == first_true:
            first += " or None"
        if before.strip() or len(true.split("\n")) < 2:
            return first
        indent = indentation(before)
        extra = [indent + rng.choice(pool) for _ in range(rng.randint(1, 2))]
        return "\n".join([first, *extra])


def _fragment(line: str, rng: random.Random) -> str:
    """The line from one of its word starts (a wrong guess still reads like code)."""
    starts = [0] + [i + 1 for i, char in enumerate(line[:-1]) if char in " (.,=[" and i < 30]
    return line[rng.choice(starts) :].lstrip() or line


_CACHE: dict[tuple[int, bool], list[str]] = {}
_CODE_MARK = re.compile(r"[=()\[\]{}:;]")
_PROSE = re.compile(r"[A-Za-z]+,? [a-z]+ [a-z]+ [a-z]+ [a-z]+")
_CLAUSES = ("elif ", "else:", "except", "finally:", "case ", "@")


def _parses(line: str) -> bool:
    """A whole Python statement (or a block's header, or a decorator)."""
    if line.startswith(_CLAUSES):
        return line.endswith(":") or line.startswith("@")
    for attempt in (line, f"{line} pass" if line.endswith(":") else None):
        if attempt is None:
            continue
        try:
            ast.parse(attempt)
        except (SyntaxError, ValueError):
            continue
        return True
    return False


def _looks_like_code(line: str, python: bool) -> bool:
    if not 6 <= len(line) <= 80 or line.startswith(("#", '"', "'", "//", "*", "/*")):
        return False
    if python:
        return _parses(line) and bool(_CODE_MARK.search(line))
    return bool(_CODE_MARK.search(line)) and not _PROSE.search(line)


def _code_lines(text: str, python: bool = True) -> list[str]:
    """Distinct lines of the file that read as code (not comments or docstring prose)."""
    key = (hash(text), python)
    lines = _CACHE.get(key)
    if lines is None:
        stripped = {line.strip() for line in text.split("\n")}
        lines = sorted(line for line in stripped if _looks_like_code(line, python))
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = lines
    return lines
