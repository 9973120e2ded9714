"""How long a prompt may be: a token budget that keeps the model's time to first token short.

Prompt tokens are estimated from characters (no tokenizer on the keystroke path). With
`contextTokens: "auto"` the budget follows what the model has shown: `PromptSizer` is fed
(prompt tokens, time to first token) pairs, fits TTFT ≈ a + b·tokens over the recent ones and
answers the largest prompt whose predicted TTFT stays inside the target. When the fit says
nothing yet (too few calls, prompts all of one size), it moves one step at a time: up while
the model answers well inside the target, down while it answers outside it.

Before there are enough calls for either, one slow call is enough to act on: a model that
takes a second or more to its first token (a local model prefilling on a CPU) is measured by
that call's speed — its seconds per prompt token — and the budget comes down to what meets the
target at that speed, at most halving per call (one slow answer from a busy provider does not
starve the prompt; the fit grows it back).

The budget moves in whole steps and only when the answer is clearly different, so the
windows it sizes (and with them the prompt's start) stay put between keystrokes.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

CHARS_PER_TOKEN = 3.5
# A time to first token that no provider's fixed latency explains: the prompt itself is slow.
SLOW_TTFT_S = 1.0


def estimate_tokens(text: str) -> int:
    """Tokens in `text`, estimated: about 3.5 characters per token for code."""
    return chars_to_tokens(len(text))


def chars_to_tokens(chars: int) -> int:
    return int(chars / CHARS_PER_TOKEN + 0.999)


def tokens_to_chars(tokens: int) -> int:
    return int(tokens * CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Allocation:
    """A token budget split between the parts of a prompt, in characters."""

    prefix_chars: int
    suffix_chars: int
    snippet_chars: int
    edit_chars: int


# Shares of the budget: the text before the cursor matters most; the other shares are fixed
# (not handed to the prefix when unused) so that the prefix window does not move with them.
_PREFIX_SHARE = 0.6
_SUFFIX_SHARE = 0.15
_SNIPPET_SHARE = 0.15
_EDIT_SHARE = 0.1


def allocate(tokens: int) -> Allocation:
    chars = tokens_to_chars(tokens)
    return Allocation(
        prefix_chars=int(chars * _PREFIX_SHARE),
        suffix_chars=int(chars * _SUFFIX_SHARE),
        snippet_chars=int(chars * _SNIPPET_SHARE),
        edit_chars=int(chars * _EDIT_SHARE),
    )


class PromptSizer:
    """The automatic token budget. Pure: fed observations, answers a number."""

    def __init__(
        self,
        *,
        target_ttft_s: float = 0.15,
        initial: int = 2048,
        minimum: int = 512,
        maximum: int = 4096,
        step: int = 256,
        window: int = 64,
        min_samples: int = 8,
    ) -> None:
        self.target_ttft_s = target_ttft_s
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
        self.min_samples = min_samples
        self._samples: deque[tuple[int, float]] = deque(maxlen=window)
        self._tokens = self._quantize(initial)

    def tokens(self) -> int:
        """The current budget in tokens: a multiple of `step` within [minimum, maximum]."""
        return self._tokens

    def observe(self, prompt_tokens: int, ttft_s: float) -> None:
        """One model call's prompt size and time to first token."""
        if prompt_tokens <= 0 or not 0 < ttft_s < 60:
            return
        self._samples.append((prompt_tokens, ttft_s))
        if len(self._samples) < self.min_samples:
            if ttft_s >= SLOW_TTFT_S:
                at_speed = self.target_ttft_s * prompt_tokens / ttft_s
                self._tokens = self._quantize(max(at_speed, self._tokens / 2))
            return
        wanted = self._from_fit()
        if wanted is None:
            wanted = self._from_median()
        wanted = self._quantize(wanted)
        # Hysteresis: a one-step difference is noise; keep the prompt layout stable.
        if abs(wanted - self._tokens) >= 2 * self.step or wanted in (self.minimum, self.maximum):
            self._tokens = wanted

    def fit(self) -> tuple[float, float] | None:
        """(a seconds, b seconds per token) of TTFT ≈ a + b·tokens, when the recent prompts
        vary enough in size to tell them apart; None otherwise."""
        if len(self._samples) < self.min_samples:
            return None
        n = len(self._samples)
        mean_x = sum(x for x, _ in self._samples) / n
        mean_y = sum(y for _, y in self._samples) / n
        var_x = sum((x - mean_x) ** 2 for x, _ in self._samples) / n
        if var_x**0.5 < 0.15 * mean_x:
            return None
        cov = sum((x - mean_x) * (y - mean_y) for x, y in self._samples) / n
        slope = cov / var_x
        return mean_y - slope * mean_x, slope

    def _from_fit(self) -> float | None:
        fitted = self.fit()
        if fitted is None:
            return None
        a, b = fitted
        if b <= 1e-7:  # prompt length costs nothing measurable
            return self.maximum
        # When the fixed part alone misses the target (a distant provider), prompt length is
        # not what to cut: allow it a fifth of the target.
        allowance = max(self.target_ttft_s - a, 0.2 * self.target_ttft_s)
        return allowance / b

    def _from_median(self) -> float:
        times = sorted(y for _, y in self._samples)
        median = times[len(times) // 2]
        if median < 0.7 * self.target_ttft_s:
            return self._tokens + 2 * self.step
        if median > self.target_ttft_s:
            return self._tokens - 2 * self.step
        return self._tokens

    def _quantize(self, tokens: float) -> int:
        stepped = int(tokens // self.step) * self.step
        return max(self.minimum, min(self.maximum, stepped))
