"""What the user felt, from a replay's records: pure functions, no I/O.

Times are `time.monotonic()` seconds (the client, the local model server and the server all
read the same system clock); figures are milliseconds.

- A keystroke is at a *pause* when no key follows for at least `PAUSE_S`. Pause figures count
  the pauses where a suggestion is due: the rest of the line is still to be written (at the
  end of a line the programmer's next key is Enter, and a single-line suggestion there has
  nothing to offer).
- A suggestion *for the current text* is the item answering the inline request sent after
  that keystroke, non-empty, arrived before the next key; the time to suggestion is from the
  keystroke until it arrived (infinite when none came).
- A keystroke's answer came from the *model* when a model request for exactly its prompt was
  received while it was pending; otherwise it was *reuse*: *in-flight* when a model stream
  ended while it was pending (it waited for one), *instant* when not (typed-ahead, cache,
  prefetch).
- Server overhead of a model answer: the inline request's round trip minus the model's time
  (the model server's receipt to its last byte) minus the debounce. Reuse answers are timed
  by their round trip too, to compare with a no-op request's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ghostls.engine.cost import shared_prefix
from ghostls.engine.stats import percentile
from ghostls.prompts.sizing import estimate_tokens

PAUSE_S = 0.5
COMPLETION_PATHS = ("/v1/completions", "/v1/chat/completions")

KeyKind = Literal["key", "enter", "accept"]
Source = Literal["model", "instant", "in-flight"]


@dataclass
class Keystroke:
    """One key (or Tab accepting a suggestion) and the inline request that followed it."""

    index: int
    kind: KeyKind
    text: str  # what the key inserted
    at: float  # when the key was pressed (its didChange sent)
    sent_at: float = 0.0  # when the inline request after it was sent
    next_at: float | None = None  # the next key, or the end of the session
    answered_at: float | None = None
    suggestion: str = ""  # the first item's text; "" for none, cancelled or failed
    cancelled: bool = False
    prefix_tail: str = ""  # the document before the cursor (its last characters)
    suffix_head: str = ""  # the document after the cursor (its first characters)
    accepted_chars: int = 0  # accept: characters of the suggestion that were right
    due: bool = True  # the rest of the line is still to be written

    @property
    def round_trip_ms(self) -> float | None:
        """From the inline request to its answer (comparable with a no-op request's)."""
        if self.answered_at is None:
            return None
        return (self.answered_at - (self.sent_at or self.at)) * 1000


@dataclass(frozen=True)
class ModelCall:
    """What the model server recorded of one completion request."""

    received_at: float
    finished_at: float | None
    first_byte_at: float | None
    tokens: int
    prompt: str
    suffix: str
    completed: bool
    sent_text: str = ""  # everything the call sent the model (chat messages, or prompt + suffix)

    @classmethod
    def of(cls, record: Any) -> ModelCall:
        """From a `ghostls.testing.RecordedRequest`."""
        body = record.body
        prompt = body.get("prompt")
        suffix = body.get("suffix")
        return cls(
            received_at=record.received_at,
            finished_at=record.finished_at,
            first_byte_at=record.first_byte_at,
            tokens=record.chunks_sent,
            prompt=prompt if isinstance(prompt, str) else "",
            suffix=suffix if isinstance(suffix, str) else "",
            completed=record.completed,
            sent_text=record.prompt_text,
        )


def is_pause(key: Keystroke, threshold_s: float = PAUSE_S) -> bool:
    return key.next_at is not None and key.next_at - key.at >= threshold_s


def shown(key: Keystroke) -> bool:
    """A suggestion for the current text was on screen before the next key."""
    if not key.suggestion or key.answered_at is None:
        return False
    return key.next_at is None or key.answered_at <= key.next_at


def time_to_suggestion(key: Keystroke) -> float:
    """Milliseconds from the key to its suggestion on screen; inf when none came in time."""
    if not shown(key) or key.answered_at is None:
        return math.inf
    return (key.answered_at - key.at) * 1000


def matching_call(key: Keystroke, calls: Sequence[ModelCall]) -> ModelCall | None:
    """The model request made for this key's own text while its request was pending."""
    if key.answered_at is None:
        return None
    for call in calls:
        if not key.at <= call.received_at <= key.answered_at:
            continue
        if key.prefix_tail.endswith(call.prompt) and key.suffix_head.startswith(
            call.suffix[: len(key.suffix_head)]
        ):
            return call
    return None


def source_of(key: Keystroke, calls: Sequence[ModelCall]) -> tuple[Source | None, ModelCall | None]:
    """Where a shown suggestion came from (None when none was shown)."""
    if not key.suggestion or key.answered_at is None:
        return None, None
    call = matching_call(key, calls)
    if call is not None:
        return "model", call
    for other in calls:
        if other.finished_at is not None and key.at <= other.finished_at <= key.answered_at:
            return "in-flight", None
    return "instant", None


def model_ms(call: ModelCall, answered_at: float) -> float:
    """The model's time for an answer: receipt to last byte (or to the answer, when the
    server stopped the stream early and the model server noticed later)."""
    end = call.finished_at if call.finished_at is not None else answered_at
    return (min(end, answered_at) - call.received_at) * 1000


@dataclass
class Figures:
    """One strategy at one latency profile."""

    strategy: str
    profile: str
    seconds: float = 0.0
    keystrokes: int = 0
    acceptances: int = 0
    chars: int = 0
    accepted_chars: int = 0
    model_calls: int = 0
    tokens: int = 0
    prompt_tokens: int = 0  # estimated: characters / CHARS_PER_TOKEN
    cacheable_prompt_tokens: int = 0  # the start each prompt shares with the one before
    pauses: int = 0
    pause_times_ms: list[float] = field(default_factory=list)
    shown_before_next: int = 0
    overhead_ms: list[float] = field(default_factory=list)
    overhead_before_ms: list[float] = field(default_factory=list)  # request → model call
    overhead_after_ms: list[float] = field(default_factory=list)  # model's last byte → answer
    instant_ms: list[float] = field(default_factory=list)
    inflight_ms: list[float] = field(default_factory=list)
    model_answer_ms: list[float] = field(default_factory=list)
    noop_ms: list[float] = field(default_factory=list)
    debounce_ms: list[float] = field(default_factory=list)
    server: dict[str, Any] = field(default_factory=dict)
    overhead_known: bool = True  # False: the debounce behind overhead_ms is in doubt

    @property
    def minutes(self) -> float:
        return max(self.seconds, 1e-9) / 60

    @property
    def calls_per_minute(self) -> float:
        return self.model_calls / self.minutes

    @property
    def calls_per_key(self) -> float:
        return self.model_calls / max(self.keystrokes, 1)

    @property
    def tokens_per_minute(self) -> float:
        return self.tokens / self.minutes

    @property
    def prompt_tokens_per_minute(self) -> float:
        return self.prompt_tokens / self.minutes

    @property
    def cacheable_share(self) -> float:
        return self.cacheable_prompt_tokens / max(self.prompt_tokens, 1)

    @property
    def shown_share(self) -> float:
        return self.shown_before_next / max(self.keystrokes, 1)

    @property
    def pause_shown_share(self) -> float:
        shown_count = sum(1 for value in self.pause_times_ms if not math.isinf(value))
        return shown_count / max(len(self.pause_times_ms), 1)

    @property
    def accepted_share(self) -> float:
        return self.accepted_chars / max(self.chars, 1)

    def p(self, series: str, q: float) -> float | None:
        values: list[float] = getattr(self, series)
        return percentile(values, q)


def figures_of(
    strategy: str,
    profile: str,
    keys: Sequence[Keystroke],
    calls: Sequence[ModelCall],
    *,
    seconds: float,
    debounce_ms: Sequence[float | None],
    noop_ms: Sequence[float] = (),
    server: dict[str, Any] | None = None,
) -> Figures:
    """The figures of one session. `debounce_ms[i]` is the debounce key i's model call
    waited (None when unknown: no overhead is computed for it)."""
    figures = Figures(strategy, profile, seconds=seconds, server=dict(server or {}))
    figures.keystrokes = len(keys)
    figures.model_calls = len(calls)
    figures.tokens = sum(call.tokens for call in calls)
    previous = ""
    for made in sorted(calls, key=lambda call: call.received_at):
        shared = shared_prefix(previous, made.sent_text)
        figures.prompt_tokens += estimate_tokens(made.sent_text)
        figures.cacheable_prompt_tokens += estimate_tokens(made.sent_text[:shared]) if shared else 0
        previous = made.sent_text
    figures.noop_ms = list(noop_ms)
    for key, debounce in zip(keys, debounce_ms, strict=True):
        figures.chars += len(key.text)
        if key.kind == "accept":
            figures.acceptances += 1
            figures.accepted_chars += len(key.text)
        if shown(key):
            figures.shown_before_next += 1
        if is_pause(key) and key.due:
            figures.pauses += 1
            figures.pause_times_ms.append(time_to_suggestion(key))
        source, call = source_of(key, calls)
        latency = key.round_trip_ms
        if source is None or latency is None or key.answered_at is None:
            continue
        if source == "instant":
            figures.instant_ms.append(latency)
        elif source == "in-flight":
            figures.inflight_ms.append(latency)
        elif call is not None:
            figures.model_answer_ms.append(latency)
            if debounce is not None:
                figures.debounce_ms.append(debounce)
                figures.overhead_ms.append(latency - model_ms(call, key.answered_at) - debounce)
                sent = key.sent_at or key.at
                figures.overhead_before_ms.append((call.received_at - sent) * 1000 - debounce)
                end = min(call.finished_at or key.answered_at, key.answered_at)
                figures.overhead_after_ms.append((key.answered_at - end) * 1000)
    return figures
