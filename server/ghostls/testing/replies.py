"""Value types of the local model server: latency profiles, faults, replies, recorded requests."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

FaultKind = Literal["status", "hang", "cut", "malformed", "drip", "huge", "endless"]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


@dataclass(frozen=True)
class Profile:
    """How long until the first content token arrives, then how fast the others follow."""

    ttft_ms: float = 0.0
    tokens_per_s: float = 0.0  # 0 or inf: all at once
    jitter_ms: float = 0.0  # uniform random +/- on ttft, from the server's seeded generator

    @property
    def token_interval_s(self) -> float:
        """Seconds between two tokens; 0 when they all arrive at once."""
        if self.tokens_per_s <= 0 or math.isinf(self.tokens_per_s):
            return 0.0
        return 1.0 / self.tokens_per_s


PROFILES: dict[str, Profile] = {
    "instant": Profile(),
    "cerebras": Profile(ttft_ms=60, tokens_per_s=1500, jitter_ms=15),
    "groq": Profile(ttft_ms=160, tokens_per_s=500, jitter_ms=30),
    "gpu": Profile(ttft_ms=400, tokens_per_s=80, jitter_ms=60),
}


def resolve_profile(profile: Profile | str) -> Profile:
    """Return `profile` itself, or the named entry of PROFILES."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        known = ", ".join(PROFILES)
        raise ValueError(f"unknown profile {profile!r} (known: {known})") from None


@dataclass(frozen=True)
class Fault:
    """A misbehaviour to inject into one reply.

    - "status": answer `status` with an OpenAI-style error body (429 adds Retry-After).
    - "hang": accept the request and send nothing until the client goes away or the server stops.
    - "cut": close the connection abruptly after `after_chunks` content chunks.
    - "malformed": send one broken JSON event after `after_chunks` chunks, then carry on.
    - "drip": one content chunk every `interval_s`.
    - "huge": an answer of `size_bytes` characters, 8 KiB per chunk (ignores max_tokens, stop).
    - "endless": stream content chunks until the client disconnects (ignores max_tokens and stop).
    """

    kind: FaultKind
    status: int = 500
    retry_after: float | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    after_chunks: int = 3
    interval_s: float = 1.0
    size_bytes: int = 10_000_000

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r} (known: {', '.join(FAULT_KINDS)})")

    @property
    def sends_content(self) -> bool:
        """Whether this fault streams (possibly damaged) content rather than replacing it."""
        return self.kind not in ("status", "hang")


@dataclass
class Reply:
    """What the server answers to one request."""

    text: str = ""
    fault: Fault | None = None
    profile: Profile | None = None  # overrides the server's profile for this reply
    finish_reason: str = "stop"


def _content_text(content: Any) -> str:
    """The text of a chat message content: a string or a list of text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part["text"]
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    return ""


@dataclass
class RecordedRequest:
    """One request as the server saw and answered it."""

    id: int
    path: str
    body: dict[str, Any]
    headers: dict[str, str]  # names lower-cased
    received_at: float  # time.monotonic()
    first_byte_at: float | None = None
    finished_at: float | None = None
    chunks_sent: int = 0  # content chunks of a stream
    text_sent: str = ""  # content actually sent
    disconnected: bool = False  # the client went away before the answer was complete
    completed: bool = False  # the stream ran to [DONE] (or the whole JSON body was sent)
    status: int = 200

    @property
    def prompt_text(self) -> str:
        """Chat: all messages' contents joined with newlines; completions: prompt (+ suffix)."""
        messages = self.body.get("messages")
        if isinstance(messages, list):
            return "\n".join(
                _content_text(m.get("content")) for m in messages if isinstance(m, dict)
            )
        prompt = self.body.get("prompt", "")
        text = "\n".join(map(str, prompt)) if isinstance(prompt, list) else str(prompt)
        suffix = self.body.get("suffix")
        return f"{text}\n{suffix}" if suffix else text

    @property
    def stream(self) -> bool:
        """Whether the client asked for a streamed answer."""
        return self.body.get("stream") is True


# A responder may also answer None: "no opinion", the default reply is used.
Responder = Callable[[RecordedRequest], "Reply | str | Awaitable[Reply | str | None] | None"]
