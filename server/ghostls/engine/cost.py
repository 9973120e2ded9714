"""What the model calls cost: prompt tokens sent, and the share of each prompt that repeats
the start of the one before (what providers' prompt caches reuse, billed lower or not at all).

Tokens are estimated from characters where the provider reports no usage; `max_tokens` is
counted too, since some providers (Cerebras) reserve it against a token budget up front.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ghostls.model import ModelRequest
from ghostls.prompts.sizing import estimate_tokens

_WINDOW_S = 60.0


def shared_prefix(a: str, b: str) -> int:
    """How many leading characters two texts share (a binary search of slice compares: C
    speed on prompts of many kilobytes)."""
    low, high = 0, min(len(a), len(b))
    if a[:high] == b[:high]:
        return high
    while low < high:  # a[:low] == b[:low], a[:high + 1] != b[:high + 1]
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def prompt_text(request: ModelRequest) -> str:
    """The text a request sends to the model, in the order the provider reads it."""
    if request.endpoint == "chat":
        return "\n".join(message.get("content", "") for message in request.messages)
    return request.prompt if request.suffix is None else request.prompt + "\n" + request.suffix


@dataclass(frozen=True)
class Measured:
    """A request's prompt as the meter and the token budget count it."""

    text: str
    tokens: int  # estimated prompt tokens
    reserved: int  # prompt tokens plus max_tokens, what providers hold against a budget


def measure(request: ModelRequest) -> Measured:
    text = prompt_text(request)
    tokens = estimate_tokens(text)
    return Measured(text, tokens, tokens + request.max_tokens)


@dataclass(frozen=True)
class _Sent:
    at: float
    tokens: int
    cacheable: int
    reserved: int


class CostMeter:
    def __init__(self) -> None:
        self._sent: deque[_Sent] = deque()
        self._previous = ""
        self.prompt_tokens = 0
        self.cacheable_tokens = 0

    def record(self, now: float, sent: Measured) -> None:
        """Count a call's prompt."""
        shared = shared_prefix(self._previous, sent.text)
        self._previous = sent.text
        cacheable = min(sent.tokens, estimate_tokens(sent.text[:shared]) if shared else 0)
        self.prompt_tokens += sent.tokens
        self.cacheable_tokens += cacheable
        self._sent.append(_Sent(now, sent.tokens, cacheable, sent.reserved))
        self._trim(now)

    def per_minute(self, now: float) -> tuple[int, int]:
        """(prompt tokens, prompt tokens plus max_tokens reserved) sent in the last minute."""
        self._trim(now)
        return sum(s.tokens for s in self._sent), sum(s.reserved for s in self._sent)

    @property
    def cacheable_share(self) -> float:
        return self.cacheable_tokens / self.prompt_tokens if self.prompt_tokens else 0.0

    def snapshot(self, now: float) -> dict[str, float | int]:
        tokens, reserved = self.per_minute(now)
        return {
            "promptTokens": self.prompt_tokens,
            "promptTokensLastMinute": tokens,
            "reservedTokensLastMinute": reserved,
            "cacheableShare": round(self.cacheable_share, 4),
        }

    def _trim(self, now: float) -> None:
        while self._sent and now - self._sent[0].at > _WINDOW_S:
            self._sent.popleft()
