"""A flight: one running model call for one cursor snapshot, shared by every request that
can use it (single-flight and in-flight reuse), stopped early when its suggestion is done."""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import Callable

from ghostls.engine.cache import LOOK_BACK, PREFIX_KEY_CHARS, SUFFIX_KEY_CHARS
from ghostls.engine.clock import Clock
from ghostls.engine.streaming import StreamingModel
from ghostls.model import ModelError, ModelRequest, StreamTiming
from ghostls.postprocess import Insertion, StreamStopper, postprocess
from ghostls.snapshot import Snapshot

_FENCE_OPEN = "```"
# An endpoint that ignores max_tokens (or streams without end) is cut off at this many
# characters per token asked for: several times any real answer, and bounded work per chunk.
_MAX_CHARS_PER_TOKEN = 16
_MIN_MAX_CHARS = 2048


def typed_since(old_prefix: str, new_prefix: str) -> str | None:
    """The text typed after `old_prefix` to reach `new_prefix`, comparing only their tails
    (windows may start on different lines); None when new_prefix doesn't extend it."""
    tail = old_prefix[-PREFIX_KEY_CHARS:]
    guess = len(new_prefix) - len(old_prefix)
    candidates = range(0, min(LOOK_BACK, len(new_prefix)) + 1)
    order = [guess, *candidates] if 0 <= guess <= LOOK_BACK else list(candidates)
    for back in order:
        end = len(new_prefix) - back
        if end < len(tail):
            continue
        if new_prefix[end - len(tail) : end] == tail:
            return new_prefix[end:]
    return None


def _visible(raw: str) -> str:
    """The streamed text without a chat model's opening code fence."""
    stripped = raw.lstrip()
    if stripped.startswith(_FENCE_OPEN):
        newline = stripped.find("\n")
        return "" if newline < 0 else stripped[newline + 1 :]
    return raw


class FlightState(enum.Enum):
    RUNNING = "running"
    FINISHED = "finished"  # the stream ended and its text was cleaned up
    STOPPED_EARLY = "stopped early"  # finished, closed as soon as the suggestion was complete
    FAILED = "failed"  # a `ModelError`
    CANCELLED = "cancelled"  # nobody wanted the answer any more
    TIMED_OUT = "timed out"  # cancelled because the time budget ran out
    REPLACED = "replaced"  # cancelled because the settings it was asked with changed


_CANCELLED = frozenset({FlightState.CANCELLED, FlightState.TIMED_OUT, FlightState.REPLACED})
# The only moves a flight makes; any other is ignored. A running flight ends one way; a
# cancelled one may still learn why (the time budget, new settings) while its task unwinds.
_MOVES: dict[FlightState, frozenset[FlightState]] = {
    FlightState.RUNNING: frozenset(FlightState) - {FlightState.RUNNING},
    FlightState.CANCELLED: frozenset({FlightState.TIMED_OUT, FlightState.REPLACED}),
    FlightState.TIMED_OUT: frozenset(),
    FlightState.REPLACED: frozenset(),
    FlightState.FINISHED: frozenset(),
    FlightState.STOPPED_EARLY: frozenset(),
    FlightState.FAILED: frozenset(),
}


class Flight:
    """A model call in progress. Waiters attach and detach; nobody owns it. `state` says how
    it stands (`_move` is its only writer); `done` is set once it has ended, for waiters."""

    def __init__(
        self,
        snapshot: Snapshot,
        request: ModelRequest,
        *,
        from_chat: bool,
        prefetch: bool = False,
        origin: Snapshot | None = None,
        lead: str = "",
        clock: Clock,
    ) -> None:
        self.clock = clock
        self.snapshot = snapshot
        # A flight for the next line, asked from the end of a finished line: the answer there
        # is `lead` (the line break and indentation) followed by this flight's suggestion.
        self.origin = origin
        self.lead = lead
        self.request = request
        self.from_chat = from_chat
        self.prefetch = prefetch
        self.raw = ""
        self.timing = StreamTiming()
        self.created_at = clock.now()
        self.done = asyncio.Event()
        self.insertion: Insertion | None = None
        self.error: ModelError | None = None
        self.state = FlightState.RUNNING
        self.postprocess_ms = 0.0
        self.waiters = 0
        self.task: asyncio.Task[None] | None = None
        self._listeners: list[Callable[[], None]] = []
        self._max_chars = max(_MIN_MAX_CHARS, request.max_tokens * _MAX_CHARS_PER_TOKEN)

    @property
    def uri(self) -> str:
        return self.snapshot.uri

    def _move(self, state: FlightState) -> None:
        if state in _MOVES[self.state]:
            self.state = state

    @property
    def cancelled(self) -> bool:
        return self.state in _CANCELLED

    @property
    def timed_out(self) -> bool:
        return self.state is FlightState.TIMED_OUT

    @property
    def replaced(self) -> bool:
        return self.state is FlightState.REPLACED

    @property
    def early_stopped(self) -> bool:
        return self.state is FlightState.STOPPED_EARLY

    def start(self, client: StreamingModel, on_done: Callable[[Flight], None]) -> None:
        self.task = asyncio.get_running_loop().create_task(self._run(client))
        # Ended here rather than in `_run`: a task cancelled before its first step never runs
        # its body, and a flight must end all the same.
        self.task.add_done_callback(lambda task: self._end(task, on_done))

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener` as text streams in and when the flight ends (at once if it has)."""
        if self.done.is_set():
            listener()
        else:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    @property
    def streamed(self) -> bool:
        return bool(self.raw)

    def agrees(self, prefix: str, suffix: str) -> str | None:
        """The text typed since this flight's snapshot, when that typing still agrees with
        what the model has streamed so far; None otherwise."""
        if suffix[:SUFFIX_KEY_CHARS] != self.snapshot.suffix[:SUFFIX_KEY_CHARS]:
            return None
        typed = typed_since(self.snapshot.prefix, prefix)
        if typed is None:
            return None
        if not typed:
            return typed
        if self.done.is_set():
            text = self.insertion.text if self.insertion else ""
            return typed if text.startswith(typed) and len(text) > len(typed) else None
        visible = _visible(self.raw)
        if visible.startswith(typed) or typed.startswith(visible):
            return typed
        return None

    def answer(self) -> Insertion | None:
        """The suggestion for the position the flight was asked from."""
        if self.insertion is None or not self.lead:
            return self.insertion
        return Insertion(self.lead + self.insertion.text, self.insertion.replace_suffix)

    def _text(self) -> str:
        """The streamed text; for a next-line flight, without the line break the model may
        write first although the prompt already ends with it."""
        if self.lead and self.raw.startswith("\n"):
            rest = self.raw[1:]
            indent = self.lead[1:]
            return rest[len(indent) :] if rest.startswith(indent) else rest.lstrip(" \t")
        return self.raw

    def cancel(self, why: FlightState = FlightState.CANCELLED) -> None:
        """Stop the call (while it runs); `why` is one of the cancelled states."""
        if self.task is not None and not self.task.done():
            self._move(why)
            self.task.cancel()

    def replace(self) -> None:
        """Cancel the call: the settings it was made with are gone."""
        self.cancel(FlightState.REPLACED)

    def time_out(self) -> None:
        """Cancel the call: the time budget is spent."""
        self.cancel(FlightState.TIMED_OUT)

    def partial(self, *, with_lead: bool = False) -> Insertion | None:
        """What is ready so far, cleaned up (for a request whose time budget ran out); with
        the lead when it answers the position the flight was asked from."""
        if not self.raw:
            return None
        ready = postprocess(self._text(), self.snapshot.cursor, from_chat=self.from_chat)
        if ready is None or not with_lead or not self.lead:
            return ready
        return Insertion(self.lead + ready.text, ready.replace_suffix)

    async def _run(self, client: StreamingModel) -> None:
        stopper = StreamStopper(self.snapshot.cursor, from_chat=self.from_chat)
        stopped = False
        try:
            stream = client.stream(self.request, self.timing)
            async with contextlib.aclosing(stream):
                async for piece in stream:
                    self.raw += piece
                    text = self._text()
                    stop = stopper.feed(text)
                    if stop is not None:
                        self.raw = self.raw[: len(self.raw) - len(text) + stop]
                        stopped = True
                        break
                    if len(self.raw) > self._max_chars:
                        self.raw = self.raw[: self._max_chars]
                        break
                    for listener in self._listeners:
                        listener()
            started = self.clock.now()
            self.insertion = postprocess(
                self._text(), self.snapshot.cursor, from_chat=self.from_chat
            )
            self.postprocess_ms = (self.clock.now() - started) * 1000
            self._move(FlightState.STOPPED_EARLY if stopped else FlightState.FINISHED)
        except ModelError as exc:
            self.error = exc
            self._move(FlightState.FAILED)
        except asyncio.CancelledError:
            self._move(FlightState.CANCELLED)

    def _end(self, task: asyncio.Task[None], on_done: Callable[[Flight], None]) -> None:
        if task.cancelled():
            self._move(FlightState.CANCELLED)
        self.done.set()
        for listener in self._listeners:
            listener()
        on_done(self)
