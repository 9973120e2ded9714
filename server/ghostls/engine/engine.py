"""The latency engine: from a cursor snapshot to a suggestion, with as little waiting and as
few model calls as possible.

Order of business for one request:
1. supersede the document's older requests (they answer empty at once);
2. typed-ahead and cache: an earlier suggestion that covers this position answers at once;
3. in-flight reuse: a running call whose snapshot and streamed text agree with what was typed
   since is awaited instead of starting another (identical prompts share one call);
4. debounce (adaptive, counted from the request's arrival; invoked requests skip it);
5. a new flight, stopped as soon as its suggestion is complete;
6. after an answer, a budgeted speculative prefetch of the next suggestion.

This module knows neither LSP nor HTTP: the server gives it snapshots, the model client does
the calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import itertools
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ghostls.background import Background
from ghostls.engine.breaker import Breaker
from ghostls.engine.budget import RequestBudget, TokenBudget
from ghostls.engine.cache import LOOK_BACK, CacheEntry, SuggestionCache
from ghostls.engine.clock import Clock, MonotonicClock
from ghostls.engine.cost import CostMeter, Measured, measure
from ghostls.engine.debounce import AdaptiveDebounce, CursorSite, cursor_site
from ghostls.engine.flight import Flight
from ghostls.engine.stats import Breakdown, Stats
from ghostls.engine.streaming import StreamingModel
from ghostls.model import ModelError, ModelRequest, RateLimited
from ghostls.postprocess import Insertion
from ghostls.prompts import PromptOptions, build_request
from ghostls.snapshot import Snapshot

log = logging.getLogger(__name__)

Source = Literal["model", "cache", "typed-ahead", "in-flight", "prefetch"]
State = Literal["ready", "thinking", "error", "rate-limited"]

# A connection idle this long may have been closed by the provider: open one again in the
# background when the user is typing, so the next call doesn't pay the handshake.
REWARM_AFTER_S = 45.0
# A speculative call after a suggestion is shown (rather than after it is accepted) pays only
# where the model is slow: then accepting shows the next suggestion without the wait. With a
# fast model, the call made when the user accepts answers before their next key anyway.
SPECULATE_ON_SHOW_S = 0.25
# After a client cancels a request, its call stays alive this long for the next keystroke's
# request to attach to (editors cancel the previous request as the next key arrives).
CANCEL_GRACE_S = 0.05
_WINDOW_S = 60.0
# An endpoint that has had calls outstanding for this many times its usual first-token
# latency (and at least STALL_MIN_S) without sending a byte is hung: the circuit breaker opens
# as for a failing one, so it doesn't collect one call per keystroke, each waiting timeoutMs.
STALL_FACTOR = 6.0
STALL_MIN_S = 2.0
# Once it has been silent this many times its usual latency (at least SILENT_MIN_S), calls
# go out at most one per such interval until it speaks again.
SILENT_FACTOR = 4.0
SILENT_MIN_S = 0.5


# How much earlier work an answer may reuse: everything (typed-ahead, cache, in-flight), exact
# positions only, or nothing. Not a user setting: the benchmark's baselines start the server
# with less (`ghostls --lab-reuse`).
Reuse = Literal["full", "exact", "none"]


@dataclass(frozen=True)
class EngineOptions:
    prompt: PromptOptions
    debounce_ms: int | None = None  # None: adaptive
    timeout_s: float = 5.0
    prefetch: bool = True
    prefetch_share: float = 0.25  # at most this share of model calls are prefetches
    rate_limit_per_minute: int | None = None
    tokens_per_minute: int | None = None
    tokens_per_day: int | None = None
    reuse: Reuse = "full"


@dataclass
class Answer:
    insertion: Insertion
    source: Source
    breakdown: Breakdown
    snapshot: Snapshot
    id: int = 0


class Waiting(enum.Enum):
    """Where a request waiting on a flight stands."""

    WAITING = "waiting"
    LANDED = "landed"  # the flight ended: its answer (or failure) is the request's
    SUPERSEDED = "superseded"  # a newer request for the document came: answer empty
    DETACHED = "detached"  # an attached request whose typing left the flight, or it is late
    OUT_OF_TIME = "out of time"  # the time budget is spent: what has streamed is shown


@dataclass(frozen=True)
class _Wait:
    """One request's wait on a flight: its own (`fresh`) or one it attached to. An attached
    request leaves as soon as the streamed text stops agreeing with what was typed, or when a
    flight that has streamed nothing yet is late (its own call is then the faster way)."""

    deadline: float
    attach_until: float
    fresh: bool

    def state(self, flight: Flight, snapshot: Snapshot, ticket: _Ticket, now: float) -> Waiting:
        """The transitions of a wait, in one place."""
        if ticket.superseded:
            return Waiting.SUPERSEDED
        if flight.done.is_set():
            return Waiting.LANDED
        if not self.fresh:
            late = not flight.streamed and now >= self.attach_until
            if late or flight.agrees(snapshot.prefix, snapshot.suffix) is None:
                return Waiting.DETACHED
        if now >= self.deadline:
            return Waiting.OUT_OF_TIME
        return Waiting.WAITING

    def until(self, flight: Flight) -> float:
        """When to look again without news: an attached request, while nothing has
        streamed, at `attach_until` (then lateness is checked)."""
        if self.fresh or flight.streamed:
            return self.deadline
        return min(self.deadline, self.attach_until)


@dataclass(eq=False)
class SideCall:
    """A model call besides completions (a next edit), admitted by `Engine.admit`."""

    speculative: bool
    cancel: Callable[[], object]


@dataclass
class _Ticket:
    uri: str
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    superseded: bool = False


class Engine:
    def __init__(
        self,
        client: StreamingModel,
        options: EngineOptions,
        *,
        on_state: Callable[[State, str | None], None] | None = None,
        on_error: Callable[[ModelError], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.client = client
        self.clock: Clock = clock or MonotonicClock()
        self.options = options
        self.stats = Stats()
        self.cost = CostMeter()
        self.cache = SuggestionCache()
        self.debounce = AdaptiveDebounce(options.debounce_ms)
        self.breaker = Breaker()
        self.budget = RequestBudget(options.rate_limit_per_minute, self.clock.now())
        self.tokens = TokenBudget(
            options.tokens_per_minute, options.tokens_per_day, self.clock.now()
        )
        self._report = on_state or (lambda state, message: None)
        self._state: State = "ready"
        self._on_error = on_error or (lambda error: None)
        self._tickets: dict[str, list[_Ticket]] = {}
        self._flights: dict[str, list[Flight]] = {}
        self._calls: deque[float] = deque()
        self._prefetch_calls: deque[float] = deque()
        self._answers: dict[int, Answer] = {}
        self._ids = itertools.count(1)
        self._background = Background()
        self._last_traffic = self.clock.now()
        self._silent_since: float | None = None  # calls outstanding, no byte heard since
        self._quiet_at = 0.0  # when the last outstanding call ended
        self._last_silent_call = 0.0
        self._side_calls: set[SideCall] = set()

    # -- configuration -----------------------------------------------------------------------

    def reconfigure(self, client: StreamingModel, options: EngineOptions) -> None:
        """New settings. What was learnt stays. Only a new endpoint forgets the breaker and
        the rate-limit state; only a new endpoint or new prompt options forget the cache, and
        then the calls running with the old ones are replaced: their waiting requests ask
        again with the new settings instead of answering empty."""
        new_endpoint = client is not self.client
        new_prompt = options.prompt != self.options.prompt
        new_limit = options.rate_limit_per_minute != self.options.rate_limit_per_minute
        new_tokens = (options.tokens_per_minute, options.tokens_per_day) != (
            self.options.tokens_per_minute,
            self.options.tokens_per_day,
        )
        self.client = client
        self.options = options
        self.debounce.fixed_ms = options.debounce_ms
        if new_endpoint:
            self.breaker = Breaker()
        if new_endpoint or new_limit:
            self.budget = RequestBudget(options.rate_limit_per_minute, self.clock.now())
        if new_tokens:
            self.tokens = TokenBudget(
                options.tokens_per_minute, options.tokens_per_day, self.clock.now()
            )
        if new_endpoint or new_prompt:
            self.cache.clear()
            for flights in list(self._flights.values()):
                for flight in flights:
                    flight.replace()

    # -- the request path ----------------------------------------------------------------------

    async def complete(
        self, snapshot: Snapshot, *, invoked: bool, arrived_at: float | None = None
    ) -> Answer | None:
        """The suggestion for this snapshot, or None (superseded, nothing to say, failure)."""
        arrived = arrived_at if arrived_at is not None else self.clock.now()
        self.stats.count("requests")
        if arrived - self._last_traffic > REWARM_AFTER_S:
            self._last_traffic = arrived
            self._background.spawn(self.client.warm())
        ticket = self._supersede(snapshot.uri)
        # Where the cursor is, for the debounce; an invoked request does not wait.
        where = None if invoked else cursor_site(snapshot.prefix, snapshot.suffix)
        if where is not None:
            self.debounce.note_request(arrived, where)
        try:
            answer = await self._complete(snapshot, ticket, where=where, arrived=arrived)
        except asyncio.CancelledError:
            self.stats.count("cancelled")
            raise
        finally:
            self._retire(ticket)
        if answer is None:
            self.stats.count("superseded" if ticket.superseded else "empty")
            self._calls_over()
            return None
        answer.breakdown.total = (self.clock.now() - arrived) * 1000
        answer.id = next(self._ids)
        self._remember(answer)
        self.stats.count("answered")
        self.stats.observe_breakdown(answer.source, answer.breakdown)
        if answer.source in ("model", "in-flight") and not self.breaker.failures:
            self._on_state("ready", f"{answer.breakdown.total:.0f}")
        else:
            self._calls_over()
        return answer

    async def _complete(
        self,
        snapshot: Snapshot,
        ticket: _Ticket,
        *,
        where: CursorSite | None,
        arrived: float,
    ) -> Answer | None:
        breakdown = Breakdown()
        hit = self._lookup(snapshot)
        if hit is not None:
            return hit
        flight = self._attachable_flight(snapshot)
        if flight is not None:
            answer = await self._await_flight(flight, snapshot, ticket, breakdown)
            if answer is not None or ticket.superseded:
                return answer
        if where is not None:
            delay = self.debounce.delay(where, pressure=self._pressure(self.clock.now()))
            remaining = arrived + delay - self.clock.now()
            if remaining > 0 and await self._sleep(ticket, remaining):
                return None
            breakdown.debounce = (self.clock.now() - arrived) * 1000
            hit = self._lookup(snapshot)
            if hit is not None:
                return hit
        # The first call after start may wait for the client library: that wait is part of
        # the request's time budget.
        loading_from = self.clock.now()
        await self.client.ready()
        spent = self.clock.now() - loading_from
        while not ticket.superseded:
            flight = self._start_flight(snapshot, prefetch=False)
            if flight is None:
                return None
            answer = await self._await_flight(
                flight, snapshot, ticket, breakdown, fresh=True, spent=spent
            )
            if not flight.replaced:
                return answer
            self.stats.count("rerunForSettings")
        return None

    def _lookup(self, snapshot: Snapshot) -> Answer | None:
        if self.options.reuse == "none":
            return None
        look_back = LOOK_BACK if self.options.reuse == "full" else 0
        hit = self.cache.lookup(snapshot.uri, snapshot.prefix, snapshot.suffix, look_back=look_back)
        if hit is None:
            return None
        source: Source = "typed-ahead" if hit.typed else "cache"
        if hit.prefetched and not hit.typed:
            source = "prefetch"
            self.stats.count("prefetchHits")
        elif hit.typed:
            self.stats.count("typedAheadHits")
        else:
            self.stats.count("cacheHits")
        return Answer(
            insertion=hit.insertion, source=source, breakdown=Breakdown(), snapshot=snapshot
        )

    def _attachable_flight(self, snapshot: Snapshot) -> Flight | None:
        """A running flight this request can wait for; flights that disagree are cancelled."""
        chosen: Flight | None = None
        if self.options.reuse != "full":
            for flight in list(self._flights.get(snapshot.uri, ())):
                if not flight.prefetch:
                    flight.cancel()
            return None
        for flight in list(self._flights.get(snapshot.uri, ())):
            if flight.done.is_set():
                continue
            typed = flight.agrees(snapshot.prefix, snapshot.suffix)
            if typed is not None and chosen is None:
                chosen = flight
                self.stats.count("singleFlightHits" if typed == "" else "inflightHits")
            elif typed is None and not flight.prefetch:
                flight.cancel()
        return chosen

    async def _await_flight(
        self,
        flight: Flight,
        snapshot: Snapshot,
        ticket: _Ticket,
        breakdown: Breakdown,
        *,
        fresh: bool = False,
        spent: float = 0.0,
    ) -> Answer | None:
        """Wait for a flight: the request's own (`fresh`), or one it attached to; `spent`: of
        the time budget, what the request spent before the flight began."""
        flight.waiters += 1
        waited_from = self.clock.now()
        wait = _Wait(
            deadline=waited_from
            + max(0.05, self.options.timeout_s - (waited_from - flight.created_at) - spent),
            attach_until=max(
                waited_from + 0.1, flight.created_at + 2 * self.debounce.model_latency + 0.05
            ),
            fresh=fresh,
        )
        flight.subscribe(ticket.wake.set)
        try:
            now = waited_from
            state = wait.state(flight, snapshot, ticket, now)
            while state is Waiting.WAITING:
                ticket.wake.clear()
                await self.clock.wait(ticket.wake, max(0.0, wait.until(flight) - now))
                now = self.clock.now()
                state = wait.state(flight, snapshot, ticket, now)
        finally:
            flight.unsubscribe(ticket.wake.set)
            flight.waiters -= 1
            if flight.waiters == 0 and not flight.done.is_set() and not flight.prefetch:
                self._cancel_later(flight)
        return self._answer_after(state, flight, snapshot, breakdown, fresh=fresh)

    def _answer_after(
        self,
        state: Waiting,
        flight: Flight,
        snapshot: Snapshot,
        breakdown: Breakdown,
        *,
        fresh: bool,
    ) -> Answer | None:
        """What a request answers once its wait on a flight has ended in `state`."""
        if state in (Waiting.SUPERSEDED, Waiting.DETACHED):
            return None
        if state is Waiting.OUT_OF_TIME:
            # The time budget is spent: show what is ready.
            partial = flight.partial(with_lead=fresh)
            flight.time_out()
            if partial is None:
                return None
            return Answer(partial, "model" if fresh else "in-flight", breakdown, snapshot)
        if flight.error is not None and fresh:
            # The stream went wrong after some text: show what arrived, cleaned.
            partial = flight.partial(with_lead=True)
            return None if partial is None else Answer(partial, "model", breakdown, snapshot)
        if flight.error is not None or flight.insertion is None:
            return None
        if fresh:
            timing = flight.timing
            first = timing.first_token_at or timing.finished_at or timing.started_at
            breakdown.ttft = (first - timing.started_at) * 1000
            breakdown.stream = ((timing.finished_at or first) - first) * 1000
            breakdown.postprocess = flight.postprocess_ms
            answer = flight.answer()
            return None if answer is None else Answer(answer, "model", breakdown, snapshot)
        return self._lookup_from(flight, snapshot)

    def _lookup_from(self, flight: Flight, snapshot: Snapshot) -> Answer | None:
        typed = flight.agrees(snapshot.prefix, snapshot.suffix)
        insertion = flight.insertion
        if typed is None or insertion is None:
            return None
        rest = Insertion(text=insertion.text[len(typed) :], replace_suffix=insertion.replace_suffix)
        if not rest.text:
            return None
        return Answer(rest, "in-flight", Breakdown(), snapshot)

    # -- flights -------------------------------------------------------------------------------

    def _start_flight(self, snapshot: Snapshot, *, prefetch: bool) -> Flight | None:
        """Start a model call. At the end of a finished line the call is for the next line
        (after Enter), so the answer there is a next-line suggestion, not an empty one."""
        now = self.clock.now()
        if not self._may_call(now):
            return None
        origin: Snapshot | None = None
        lead = ""
        if snapshot.line_finished:
            origin, snapshot = snapshot, snapshot.after_enter()
            lead = snapshot.prefix[len(origin.prefix) :]
        request = build_request(snapshot, self.options.prompt)
        sent = measure(request)
        if not self._may_send(now, sent):
            return None
        if not prefetch and not self.client.parallel:
            for speculative in self._running(prefetch=True):
                speculative.cancel()  # the user's own call goes first
            for side in [side for side in self._side_calls if side.speculative]:
                side.cancel()
        self._spend(now, sent)
        flight = Flight(
            snapshot,
            request,
            from_chat=request.endpoint == "chat",
            prefetch=prefetch,
            origin=origin,
            lead=lead,
            clock=self.clock,
        )
        self._flights.setdefault(snapshot.uri, []).append(flight)
        self._calls.append(now)
        self._last_traffic = now
        self.stats.count("modelCalls")
        if prefetch:
            self._prefetch_calls.append(now)
            self.stats.count("prefetches")
        else:
            self._on_state("thinking", None)
        if self._silent_since is None:
            self._silent_since = now
        self._last_silent_call = now
        flight.subscribe(lambda: self._heard(flight))
        flight.start(self.client, self._flight_done)
        return flight

    # -- calls besides completions -------------------------------------------------------------

    def admit(
        self, request: ModelRequest, *, speculative: bool, cancel: Callable[[], object]
    ) -> SideCall | None:
        """May a call besides completions start now? Not while the breaker is open, the
        endpoint is hung or a budget is spent; when it may, it is counted in the budgets and
        the cost. A `speculative` call is cancelled (`cancel`) when a completion needs an
        endpoint that serves one request at a time. `settle` must follow."""
        now = self.clock.now()
        was_probing = self.breaker.probing
        sent = measure(request)
        waits_for_user = speculative and not self.client.parallel and self._running(prefetch=False)
        if waits_for_user or not self._may_call(now) or not self._may_send(now, sent):
            if self.breaker.probing and not was_probing:
                self.breaker.probing = False  # this call was to be the probe: none goes
            return None
        self._spend(now, sent)
        self._last_traffic = now
        call = SideCall(speculative, cancel)
        self._side_calls.add(call)
        return call

    def settle(self, call: SideCall, error: ModelError | None, *, answered: bool) -> None:
        """An admitted call ended: `answered`, failed with `error`, or neither (cancelled).
        A failure counts like a completion's (breaker, Retry-After, the error shown once)."""
        self._side_calls.discard(call)
        if error is not None:
            self._failed(error, self.clock.now())
        elif answered:
            self._answered()
        else:
            self.breaker.probing = False

    def _may_call(self, now: float) -> bool:
        """Whether the breaker, the endpoint's silence and the request budget allow a call."""
        if not self.breaker.allows(now):
            self.stats.count("skippedByBudget")
            return False
        if self._hung(now):
            return False
        if not self.budget.allows(now, self.client.rate_limit):
            self.stats.count("skippedByBudget")
            return False
        return True

    def _may_send(self, now: float, sent: Measured) -> bool:
        """Whether the token budget holds this prompt (and its max_tokens)."""
        if not self.tokens.allows(now, sent.reserved):
            self.stats.count("skippedByBudget")
            return False
        return True

    def _spend(self, now: float, sent: Measured) -> None:
        self.budget.spend(now)
        self.tokens.spend(now, sent.reserved)
        self.cost.record(now, sent)

    def _answered(self) -> None:
        """A call answered: the endpoint works (a breaker that was open closes)."""
        if self.breaker.is_open:
            self._on_state("ready", None)
        self.breaker.success()

    def _calls_over(self) -> None:
        """Back to ready once no model call the user waits for is running."""
        if self._state == "thinking" and not self._running(prefetch=False):
            self._on_state("ready", None)

    def _on_state(self, state: State, message: str | None) -> None:
        self._state = state
        self._report(state, message)

    def _pressure(self, now: float) -> float:
        """How low the tightest budget runs: requests, or the user's tokens."""
        return max(self.budget.pressure(now, self.client.rate_limit), self.tokens.pressure(now))

    def _heard(self, flight: Flight) -> None:
        """The endpoint spoke: a byte of a stream, or any answer, an error's included. Two
        streams under way at once show that it serves requests in parallel."""
        if flight.streamed or (flight.done.is_set() and not flight.cancelled):
            self._silent_since = None
        if flight.streamed and not self.client.parallel and not flight.done.is_set():
            client = self.client
            client.parallel = any(
                other is not flight and other.streamed and not other.done.is_set()
                for flights in self._flights.values()
                for other in flights
            )

    def _long_silent(self, now: float) -> bool:
        silent_since = self._silent_since
        latency = self.debounce.model_latency
        return silent_since is not None and now - silent_since >= max(
            SILENT_MIN_S, SILENT_FACTOR * latency
        )

    def _hung(self, now: float) -> bool:
        """Whether the endpoint has sent nothing for too long while calls were waiting on
        it (then the breaker opens, and the silence is timed again from its probe)."""
        silent_since = self._silent_since
        if silent_since is None:
            return False
        if not any(self._flights.values()) and now - self._quiet_at > STALL_MIN_S:
            self._silent_since = None  # nothing outstanding for a while: a fresh start
            return False
        latency = self.debounce.model_latency
        stall_after = max(STALL_MIN_S, STALL_FACTOR * latency)
        if now - silent_since < stall_after:
            silent_after = max(SILENT_MIN_S, SILENT_FACTOR * latency)
            if now - silent_since >= silent_after and now - self._last_silent_call < silent_after:
                self.stats.count("skippedSilent")
                return True
            return False
        self._silent_since = None
        self.stats.count("stalls")
        if self.breaker.stalled(now):
            self.stats.count("breakerOpen")
        self._on_state("error", None)
        self._on_error(ModelError(f"the model sent nothing for {now - silent_since:.0f} s"))
        return True

    def _flight_done(self, flight: Flight) -> None:
        flights = self._flights.get(flight.uri)
        if flights is not None:
            with contextlib.suppress(ValueError):
                flights.remove(flight)
            if not flights:
                del self._flights[flight.uri]
        now = self.clock.now()
        if not self._flights:
            self._quiet_at = now
        if flight.cancelled:
            if flight.timed_out and not flight.streamed:
                self._silent_since = None  # counted as a failure: the breaker takes it
                self._failed(ModelError("the model did not answer in time (timeoutMs)"), now)
            elif self.breaker.probing and not flight.streamed and self._long_silent(now):
                self.breaker.reopen(now)  # the probe heard nothing for long: wait again
            else:
                self.breaker.probing = False  # a cancelled probe must not keep the breaker open
            self._calls_over()
            return
        if flight.error is not None:
            self._failed(flight.error, now)
            return
        self._answered()
        if flight.early_stopped:
            self.stats.count("earlyStops")
        if flight.timing.first_token_at is not None:
            self.debounce.note_latency(flight.timing.first_token_at - flight.timing.started_at)
        if flight.insertion is not None and self.options.reuse != "none":
            self.cache.put(
                flight.uri,
                flight.snapshot.prefix,
                flight.snapshot.suffix,
                CacheEntry(flight.insertion, prefetched=flight.prefetch),
            )
            answer = flight.answer()
            if flight.origin is not None and answer is not None:
                self.cache.put(
                    flight.uri,
                    flight.origin.prefix,
                    flight.origin.suffix,
                    CacheEntry(answer, prefetched=flight.prefetch),
                )

    def _failed(self, error: ModelError, now: float) -> None:
        self.stats.count("modelErrors")
        if isinstance(error, RateLimited):
            self.stats.count("rateLimited")
            self.breaker.rate_limited(now, error.retry_after)
            self._on_state("rate-limited", error.message)
        else:
            if self.breaker.failure(now):
                self.stats.count("breakerOpen")
            self._on_state("error", error.message)
        self._on_error(error)

    def _cancel_later(self, flight: Flight) -> None:
        async def cancel_if_unwanted() -> None:
            await self.clock.sleep(CANCEL_GRACE_S)
            if flight.waiters == 0:
                flight.cancel()

        self._background.spawn(cancel_if_unwanted())

    # -- prefetch ------------------------------------------------------------------------------

    def shown(self, answer: Answer) -> None:
        """A suggestion goes to the editor. Where the model is slow and the endpoint serves
        requests in parallel, the next one is fetched now, so that accepting shows it at
        once; otherwise it is fetched when the user accepts (`accepted`)."""
        if self.client.parallel and self.debounce.answer_time() >= SPECULATE_ON_SHOW_S:
            self.prefetch_after(answer)

    def prefetch_after(self, answer: Answer) -> None:
        """Fetch the suggestion for the document with this answer applied (and, when it
        finishes the line, Enter pressed). Budgeted: prefetches stay under a share of all
        model calls, and never hold up a request the user waits for."""
        if not self.options.prefetch or self.options.reuse != "full":
            return
        if answer.source not in ("model", "in-flight"):
            return
        if "\n" in answer.insertion.text.rstrip("\n"):
            return  # after a block, the next suggestion is too uncertain to pay for
        now = self.clock.now()
        self._trim(now)
        allowed = self.options.prefetch_share * max(len(self._calls), 4)
        if len(self._prefetch_calls) + 1 > allowed:
            return
        ahead = answer.snapshot.advanced(answer.insertion.text, answer.insertion.replace_suffix)
        if ahead.at_line_end and ahead.cursor.line_prefix.strip():
            # The suggestion finishes the line: what comes next is the next line.
            ahead = ahead.after_enter()
        if self.cache.lookup(ahead.uri, ahead.prefix, ahead.suffix) is not None:
            return
        for flight in self._flights.get(ahead.uri, ()):
            if flight.agrees(ahead.prefix, ahead.suffix) == "":
                return
        if not self.client.parallel and self._running(prefetch=False):
            return  # the endpoint would make the user's own call wait behind this one
        self._start_flight(ahead, prefetch=True)

    def _running(self, *, prefetch: bool) -> list[Flight]:
        return [
            flight
            for flights in self._flights.values()
            for flight in flights
            if flight.prefetch == prefetch and not flight.done.is_set()
        ]

    def accepted(self, answer_id: int) -> None:
        """The user accepted a suggestion (the item's command ran)."""
        self.stats.count("accepted")
        answer = self._answers.get(answer_id)
        if answer is not None:
            self.prefetch_after(answer)

    def _remember(self, answer: Answer) -> None:
        self._answers[answer.id] = answer
        while len(self._answers) > 64:
            del self._answers[next(iter(self._answers))]

    # -- supersede and budget ------------------------------------------------------------------

    def _supersede(self, uri: str) -> _Ticket:
        tickets = self._tickets.setdefault(uri, [])
        for older in tickets:
            older.superseded = True
            older.wake.set()
        ticket = _Ticket(uri)
        tickets.append(ticket)
        return ticket

    def _retire(self, ticket: _Ticket) -> None:
        tickets = self._tickets.get(ticket.uri)
        if tickets is None:
            return
        with contextlib.suppress(ValueError):
            tickets.remove(ticket)
        if not tickets:
            del self._tickets[ticket.uri]

    async def _sleep(self, ticket: _Ticket, seconds: float) -> bool:
        """Wait; True when superseded meanwhile."""
        if ticket.superseded:
            return True
        ticket.wake.clear()
        await self.clock.wait(ticket.wake, seconds)
        return ticket.superseded

    def _trim(self, now: float) -> None:
        for calls in (self._calls, self._prefetch_calls):
            while calls and now - calls[0] > _WINDOW_S:
                calls.popleft()

    # -- lifecycle -----------------------------------------------------------------------------

    def pending_tasks(self) -> int:
        flights = sum(len(flights) for flights in self._flights.values())
        return flights + len(self._background)

    async def aclose(self) -> None:
        for side in list(self._side_calls):
            side.cancel()
        for flights in list(self._flights.values()):
            for flight in flights:
                flight.cancel()
        self._background.cancel()
