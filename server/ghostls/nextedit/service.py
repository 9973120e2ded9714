"""The next-edit service: from a request at a position to the edit the recent ones imply.

One call per request at most, and none where no edit can follow: the feature off, the
document closed, excluded or changed since the request (stale), no recent edit to go on, a
secret in the window. The call goes through the engine's admission (breaker, Retry-After, the
request and token budgets, the cost meter) and its failures count there like a completion's.
A newer request for the document, or any change to it, cancels the call; the stream stops as
soon as the answer's window is complete. An edit whose document moved on is never offered.

Accepting an offer (its command) fetches the next one ahead, for the document with the edit
applied: the editor's next request finds it waiting.

Knows no LSP: the handlers give it a URI, a version and a position and turn the `Offer` into
JSON (`nextedit.protocol`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from ghostls.actions.diff import Edit
from ghostls.completion import CompletionService
from ghostls.documents import Document, Encoding, Point
from ghostls.engine import Engine
from ghostls.model import ModelError, ModelRequest, StreamTiming
from ghostls.nextedit.edits import propose
from ghostls.nextedit.prompts import EditContext, Reading, build_request, read_answer
from ghostls.nextedit.window import (
    CONTEXT_AFTER_CHARS,
    CONTEXT_BEFORE_CHARS,
    take_window,
)
from ghostls.presets import NextEditPrompt
from ghostls.prompts.builder import prompt_chars
from ghostls.prompts.redact import redact
from ghostls.prompts.sizing import allocate, estimate_tokens
from ghostls.related.service import display_path
from ghostls.settings import Settings

log = logging.getLogger(__name__)

MAX_EDITS = 8  # recent edits shown to the model
EDIT_CHARS = 4000
MAX_OFFERS = 64
_COMPLETING = ("\n", "`", ">")
_SHORT = 8  # pieces read as they come (NO_CHANGE may arrive in a few)


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("next-edit prefetch failed: %r", task.exception())


@dataclass(frozen=True)
class Offer:
    id: int
    uri: str
    version: int
    edit: Edit


@dataclass(frozen=True)
class _Answer:
    """What one ask came to: the offer, if any, and the window (first, last line) the model
    answered for (None when no model answered: nothing to go on, a budget, a failure)."""

    offer: Offer | None
    window: tuple[int, int] | None = None


NOT_ASKED = _Answer(None)


@dataclass
class _Prefetch:
    version: int
    task: asyncio.Task[_Answer]


class NextEditService:
    def __init__(self, completions: CompletionService) -> None:
        self.completions = completions
        self._running: dict[str, asyncio.Task[_Answer]] = {}
        self._prefetched: dict[str, _Prefetch] = {}
        self._chained: dict[str, Offer] = {}  # accepted, waiting for the edit to arrive
        self._offers: dict[int, Offer] = {}
        self._shown: set[int] = set()
        self._ids = 0

    @property
    def settings(self) -> Settings:
        return self.completions.settings

    @property
    def engine(self) -> Engine:
        return self.completions.engine

    def _count(self, name: str) -> None:
        self.engine.stats.count(name)

    # -- requests ------------------------------------------------------------------------------

    async def suggest(
        self, uri: str, version: int | None, line: int, character: int, encoding: Encoding
    ) -> Offer | None:
        self._count("nextEditRequests")
        if self.settings.next_edit != "on":
            return None
        doc = self.completions.documents.get(uri)
        if doc is None or self.completions.excluded(doc):
            return None
        if version is not None and version != doc.version:
            self._count("nextEditStale")
            return None
        version = doc.version
        started = self.engine.clock.now()
        prefetched = self._prefetched.pop(uri, None)
        if prefetched is not None and prefetched.version == version:
            ahead = await self._outcome(prefetched.task)
            window = ahead.window if ahead is not None else None
            if ahead is not None and window is not None and window[0] <= line <= window[1]:
                if doc.version != version:
                    return None
                self._count("nextEditPrefetchHits")  # the model's answer for this window
                if ahead.offer is not None:
                    self._observe(started)
                return ahead.offer
        if prefetched is not None:
            prefetched.task.cancel()  # for another version or window: no use any more
        point = doc.point(line, character, encoding)
        previous = self._running.pop(uri, None)
        if previous is not None:
            previous.cancel()
        task = asyncio.ensure_future(self._ask(doc, point, encoding, speculative=False))
        self._running[uri] = task
        try:
            answer = await self._outcome(task)
        finally:
            if self._running.get(uri) is task:
                del self._running[uri]
        if answer is None or answer.offer is None:
            return None
        self._observe(started)
        return answer.offer

    async def _outcome(self, task: asyncio.Task[_Answer]) -> _Answer | None:
        """The task's answer; None when it was cancelled. Cancelling the waiting request (the
        client's `$/cancelRequest`) cancels the task."""
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError:
            task.cancel()
            raise
        if task.cancelled():
            self._count("nextEditCancelled")
            return None
        return task.result()

    def _observe(self, started: float) -> None:
        self.engine.stats.observe("nextEdit", (self.engine.clock.now() - started) * 1000)

    # -- the call ------------------------------------------------------------------------------

    def _context(self, doc: Document, point: Point) -> EditContext | None:
        settings = self.settings
        related = self.completions.related
        # The code around the window is sized like a completion's (the prompt budget follows
        # the model's measured prompt speed); never more than the window's own defaults.
        allocation = allocate(related.token_budget(settings.context_tokens))
        window = take_window(
            doc,
            point,
            settings.next_edit_window_lines,
            before_chars=min(CONTEXT_BEFORE_CHARS, allocation.prefix_chars),
            after_chars=min(CONTEXT_AFTER_CHARS, allocation.suffix_chars),
        )
        if redact(window.text) != window.text:
            self._count("nextEditSecretWindow")
            return None  # the answer rewrites the window: it must be the real text
        documents = self.completions.documents
        roots = self.completions.roots
        history = related.edits.recent(
            doc,
            None,
            is_open=lambda other: documents.get(other.uri) is other,
            excluded=self.completions.excluded,
            max_chars=EDIT_CHARS,
            path_of=lambda uri: display_path(uri, roots),
            limit=MAX_EDITS,
        )
        if not history:
            self._count("nextEditNoHistory")
            return None
        original = "\n".join(related.edits.original(doc, window.first, window.last))
        if window.text.endswith("\n"):
            original += "\n"
        snippets = related.similar_snippets(
            doc,
            window.last + 1,  # the lines up to the window's end are the query
            excluded=self.completions.excluded,
            max_chars=allocation.snippet_chars,
            roots=roots,
        )
        return EditContext(
            path=display_path(doc.uri, roots),
            language_id=doc.language_id,
            window=window,
            original=original,
            edits=tuple(reversed(history)),
            snippets=snippets,
        )

    async def _ask(
        self, doc: Document, point: Point, encoding: Encoding, *, speculative: bool
    ) -> _Answer:
        ctx = self._context(doc, point)
        if ctx is None:
            return NOT_ASKED
        settings = self.settings
        request = build_request(
            ctx,
            settings.next_edit_prompt,
            model=settings.next_edit_model or settings.model,
            temperature=settings.temperature,
        )
        me = asyncio.current_task()
        assert me is not None  # _ask runs as a task of its own
        call = self.engine.admit(request, speculative=speculative, cancel=me.cancel)
        if call is None:
            return NOT_ASKED
        self._count("nextEditPrefetches" if speculative else "nextEditCalls")
        version = doc.version
        try:
            reading = await asyncio.wait_for(
                self._stream(request, settings.next_edit_prompt), settings.timeout_ms / 1000
            )
        except ModelError as error:
            self.engine.settle(call, error, answered=False)
            return NOT_ASKED
        except asyncio.TimeoutError:
            late = ModelError("the model did not answer in time (timeoutMs)")
            self.engine.settle(call, late, answered=False)
            return NOT_ASKED
        except asyncio.CancelledError:
            self.engine.settle(call, None, answered=False)
            raise
        self.engine.settle(call, None, answered=True)
        if self.completions.documents.get(doc.uri) is not doc or doc.version != version:
            self._count("nextEditStale")
            return NOT_ASKED
        window = (ctx.window.first, ctx.window.last)
        return _Answer(self._offer(doc, ctx, reading, encoding), window)

    async def _stream(self, request: ModelRequest, prompt_format: NextEditPrompt) -> Reading:
        """The answer, read as it streams; the stream is closed once it is complete. Its time
        to first token feeds the prompt budget, as a completion's does."""
        timing = StreamTiming()
        stream = self.engine.client.stream(request, timing)
        try:
            return await self._read(stream, request, prompt_format)
        finally:
            if timing.first_token_at is not None:
                ttft = timing.first_token_at - timing.started_at
                self.completions.related.observe(prompt_chars(request), ttft)

    async def _read(
        self,
        stream: AsyncGenerator[str, None],
        request: ModelRequest,
        prompt_format: NextEditPrompt,
    ) -> Reading:
        pieces: list[str] = []
        try:
            async for piece in stream:
                pieces.append(piece)
                # An answer completes with a line break, a fence or a marker's end (`|>`), or
                # with NO_CHANGE at its start: only then is it read again.
                if any(mark in piece for mark in _COMPLETING) or len(pieces) <= _SHORT:
                    reading = read_answer(prompt_format, "".join(pieces), ended=False)
                    if reading.complete:
                        return reading
        finally:
            await stream.aclose()
        text = "".join(pieces)
        reading = read_answer(prompt_format, text, ended=True)
        if reading.window is not None and estimate_tokens(text) >= request.max_tokens:
            return Reading(None, False)  # cut by max_tokens: the window's end is missing
        return reading

    def _offer(
        self, doc: Document, ctx: EditContext, reading: Reading, encoding: Encoding
    ) -> Offer | None:
        if reading.window is None:
            self._no_edit("no-change" if reading.complete else "unreadable")
            return None
        proposal = propose(doc, ctx.window, reading.window, encoding, original=ctx.original)
        if proposal.edit is None:
            self._no_edit(proposal.verdict)
            return None
        self._ids += 1
        offer = Offer(self._ids, doc.uri, doc.version, proposal.edit)
        self._offers[offer.id] = offer
        while len(self._offers) > MAX_OFFERS:
            del self._offers[next(iter(self._offers))]
        self._count("nextEditOffered")
        return offer

    def _no_edit(self, why: str) -> None:
        """Count an answer that makes no edit: no change, or noise dropped (and why)."""
        if why == "no-change":
            self._count("nextEditNoChange")
        else:
            self._count("nextEditDropped")
            self._count(f"nextEditDropped.{why}")

    # -- what the editor reports ---------------------------------------------------------------

    def shown(self, offer_id: int | None) -> None:
        if offer_id in self._offers and offer_id not in self._shown:
            self._shown.add(offer_id)
            if len(self._shown) > MAX_OFFERS:
                self._shown.intersection_update(self._offers)
            self._count("nextEditShown")

    def accepted(self, offer_id: object, encoding: Encoding) -> None:
        """The offer's command ran: the editor applied it. The next edit is fetched ahead,
        once the document holds the applied edit."""
        self._count("nextEditAccepted")
        offer = self._offers.get(offer_id) if isinstance(offer_id, int) else None
        if offer is None or not self.engine.options.prefetch:
            return
        doc = self.completions.documents.get(offer.uri)
        if doc is None:
            return
        if doc.version > offer.version:
            self._prefetch(doc, offer, encoding)
        else:
            self._chained[offer.uri] = offer

    def document_changed(self, doc: Document, encoding: Encoding) -> None:
        """A change makes the document's running call and prefetch stale; it may be the
        accepted edit the next one waits for."""
        self._cancel(doc.uri)
        chained = self._chained.pop(doc.uri, None)
        if chained is not None and doc.version > chained.version:
            self._prefetch(doc, chained, encoding)

    def document_closed(self, uri: str) -> None:
        self._cancel(uri)
        self._chained.pop(uri, None)

    def _cancel(self, uri: str) -> None:
        running = self._running.pop(uri, None)
        if running is not None:
            running.cancel()
        prefetched = self._prefetched.pop(uri, None)
        if prefetched is not None:
            prefetched.task.cancel()

    def _prefetch(self, doc: Document, offer: Offer, encoding: Encoding) -> None:
        if self.settings.next_edit != "on" or self.completions.excluded(doc):
            return
        line = min(offer.edit.start_line + offer.edit.new_text.count("\n"), doc.line_count - 1)
        task = asyncio.ensure_future(self._ask(doc, Point(line, 0), encoding, speculative=True))
        task.add_done_callback(_log_failure)
        self._prefetched[doc.uri] = _Prefetch(doc.version, task)

    def close(self) -> None:
        for task in self._running.values():
            task.cancel()
        for prefetched in self._prefetched.values():
            prefetched.task.cancel()
        self._running.clear()
        self._prefetched.clear()
