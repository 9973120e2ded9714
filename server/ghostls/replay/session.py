"""Drive `python -m ghostls` over stdio the way an editor does while someone types.

`ServerConnection` is the LSP plumbing (pygls's own client). `Replay` is the editor and the
programmer: per key an incremental `didChange` and an automatic inline request, the previous
pending inline request cancelled with `$/cancelRequest` (as VS Code does); Tab applies the
shown item (its text and range) and runs its `ghostls.accepted` command when the suggestion's
first line is exactly what the programmer was about to type.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.protocol import JsonRPCResponseMessage, default_converter

from ghostls.documents import Document, Point
from ghostls.engine.engine import Reuse
from ghostls.replay.corpus import Region
from ghostls.replay.metrics import KeyKind, Keystroke
from ghostls.replay.oracle import Oracle
from ghostls.replay.truth import Truth
from ghostls.replay.typist import Typist
from ghostls.testing.lsp import item_text, plain, server_env

STATS_REQUEST = "ghostls/stats"
STATUS_NOTIFICATION = "ghostls/status"
ACCEPTED_COMMAND = "ghostls.accepted"
# A document nobody opened: the server answers its inline requests without any work, so their
# round trip is the protocol's own cost (the "no-op" request).
NOOP_URI = "file:///ghostls-replay/never-opened.py"
# A scratch document for one invoked request before the session: the server's first model
# call pays one-time costs (lazy imports, the first connection) a long-running server doesn't.
WARM_UP_URI = "file:///ghostls-replay/warm-up.py"
WARM_UP_MARK = "# ghostls replay warm-up"
WARM_UP_TEXT = f"{WARM_UP_MARK}\ndef answer():\n    "
PREFIX_TAIL_CHARS = 16_384
SUFFIX_HEAD_CHARS = 4_096
_SHUTDOWN_S = 5.0

STRATEGIES: dict[str, dict[str, Any]] = {
    # A model call per keystroke.
    "naive": {"debounceMs": 0, "prefetch": False},
    # Continue's default: a fixed 350 ms debounce and a cache of exact positions.
    "fixed-350": {"debounceMs": 350, "prefetch": False},
    # A fixed 50 ms debounce with all of ghostls's reuse: simple, feels instant, calls a lot.
    "fixed-50": {"debounceMs": 50, "prefetch": True},
    # ghostls's defaults.
    "ghostls": {"debounceMs": "auto", "prefetch": True},
}
# How much earlier work each strategy may reuse: the baselines are plugins without ghostls's
# typed-ahead, cache and in-flight reuse.
REUSE: dict[str, Reuse] = {
    "naive": "none",
    "fixed-350": "exact",
    "fixed-50": "full",
    "ghostls": "full",
}

log = logging.getLogger(__name__)


def quiet_client_logs() -> None:
    """pygls logs every message it sends at INFO: keep the replay's own process quiet."""
    for name in ("pygls", "ghostls.testing", "aiohttp.access"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _items(result: Any) -> list[types.InlineCompletionItem]:
    if result is None:
        return []
    if isinstance(result, types.InlineCompletionList):
        return list(result.items)
    if isinstance(result, list):
        return [item for item in result if isinstance(item, types.InlineCompletionItem)]
    return []


def _converter() -> Any:
    """pygls's converter, except that results of custom requests stay plain JSON (pygls would
    make named tuples of them, renaming keys such as "total.model")."""
    factory: Any = default_converter
    converter = factory()
    converter.register_structure_hook(JsonRPCResponseMessage, lambda obj, cls: cls(**obj))
    return converter


class ServerConnection:
    """One `python -m ghostls` process and the LSP client talking to it."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.stderr_tail: list[str] = []
        self.status: dict[str, Any] = {}
        self.command_errors: list[str] = []
        self._drain: asyncio.Task[None] | None = None
        self._pending_commands: set[asyncio.Future[Any]] = set()

    @classmethod
    async def start(
        cls,
        init_options: Mapping[str, Any] | None,
        *,
        env: Mapping[str, str] | None = None,
        args: tuple[str, ...] = (),
        reuse: Reuse = "full",
        timeout_s: float = 20.0,
    ) -> ServerConnection:
        """Start a server; `reuse` is the strategy's (a server option, not a user setting)."""
        client = LanguageClient("ghostls-replay", "1", converter_factory=_converter)
        connection = cls(client)

        def status(params: Any) -> None:
            connection._status(params)

        client.feature(STATUS_NOTIFICATION)(status)
        command = ("-m", "ghostls", "--lab-reuse", reuse, *args)
        await client.start_io(sys.executable, *command, env=dict(env or server_env()))
        connection._drain = asyncio.get_running_loop().create_task(connection._read_stderr())
        caps = types.ClientCapabilities(
            text_document=types.TextDocumentClientCapabilities(
                inline_completion=types.InlineCompletionClientCapabilities(),
                synchronization=types.TextDocumentSyncClientCapabilities(),
            ),
            workspace=types.WorkspaceClientCapabilities(configuration=False),
        )
        try:
            await asyncio.wait_for(
                client.initialize_async(
                    types.InitializeParams(
                        capabilities=caps,
                        process_id=os.getpid(),
                        client_info=types.ClientInfo(name="ghostls-replay"),
                        initialization_options=dict(init_options or {}),
                    )
                ),
                timeout_s,
            )
        except Exception as exc:
            await connection.aclose(graceful=False)
            tail = "\n".join(connection.stderr_tail[-15:])
            raise RuntimeError(f"`python -m ghostls` did not start ({exc}):\n{tail}") from None
        except BaseException:
            await connection.aclose(graceful=False)
            raise
        client.initialized(types.InitializedParams())
        return connection

    def _status(self, params: Any) -> None:
        status = plain(params)
        if isinstance(status, dict):
            self.status = status

    async def _read_stderr(self) -> None:
        process = self.client._server
        if process is None or process.stderr is None:
            return
        while True:
            line = await process.stderr.readline()
            if not line:
                return
            self.stderr_tail.append(line.decode("utf-8", "replace").rstrip())
            del self.stderr_tail[:-40]

    @property
    def alive(self) -> bool:
        process = self.client._server
        return process is not None and process.returncode is None

    # -- notifications -------------------------------------------------------------------------

    def open(self, uri: str, language_id: str, text: str) -> None:
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language_id, version=1, text=text
                )
            )
        )

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    def change(
        self, uri: str, version: int, start: types.Position, end: types.Position, text: str
    ) -> None:
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=start, end=end), text=text
                    )
                ],
            )
        )

    def cancel(self, msg_id: str) -> None:
        self.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))

    # -- requests ------------------------------------------------------------------------------

    def inline(self, uri: str, position: types.Position, msg_id: str) -> Future[Any]:
        """An automatic inline request; its future resolves to the raw result."""
        params = types.InlineCompletionParams(
            context=types.InlineCompletionContext(
                trigger_kind=types.InlineCompletionTriggerKind.Automatic
            ),
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position,
        )
        future: Future[Any] = self.client.protocol.send_request(
            types.TEXT_DOCUMENT_INLINE_COMPLETION, params, msg_id=msg_id
        )
        return future

    def execute(self, command: types.Command) -> None:
        """Run an item's command on the server (answered later; nobody waits)."""
        future = self.client.protocol.send_request_async(
            types.WORKSPACE_EXECUTE_COMMAND,
            types.ExecuteCommandParams(command=command.command, arguments=command.arguments),
        )
        task = asyncio.ensure_future(future)
        self._pending_commands.add(task)
        task.add_done_callback(self._command_done)

    def _command_done(self, task: asyncio.Future[Any]) -> None:
        self._pending_commands.discard(task)
        error = None if task.cancelled() else task.exception()
        if error is not None:
            self.command_errors.append(f"{type(error).__name__}: {error}")

    async def request(self, method: str, params: Any, timeout_s: float = 10.0) -> Any:
        return await asyncio.wait_for(
            self.client.protocol.send_request_async(method, params), timeout_s
        )

    async def stats(self) -> dict[str, Any]:
        result = plain(await self.request(STATS_REQUEST, {}))
        return result if isinstance(result, dict) else {}

    async def noop(self) -> float:
        """The round trip of an inline request the server answers without any work (ms)."""
        started = time.monotonic()
        await self.request(
            types.TEXT_DOCUMENT_INLINE_COMPLETION,
            types.InlineCompletionParams(
                context=types.InlineCompletionContext(
                    trigger_kind=types.InlineCompletionTriggerKind.Automatic
                ),
                text_document=types.TextDocumentIdentifier(uri=NOOP_URI),
                position=types.Position(0, 0),
            ),
        )
        return (time.monotonic() - started) * 1000

    async def warm_up(self, timeout_s: float = 10.0) -> None:
        """One invoked request in a scratch document (see WARM_UP_TEXT)."""
        self.open(WARM_UP_URI, "python", WARM_UP_TEXT)
        lines = WARM_UP_TEXT.split("\n")
        with contextlib.suppress(Exception):
            await self.request(
                types.TEXT_DOCUMENT_INLINE_COMPLETION,
                types.InlineCompletionParams(
                    context=types.InlineCompletionContext(
                        trigger_kind=types.InlineCompletionTriggerKind.Invoked
                    ),
                    text_document=types.TextDocumentIdentifier(uri=WARM_UP_URI),
                    position=types.Position(len(lines) - 1, len(lines[-1])),
                ),
                timeout_s,
            )
        self.close(WARM_UP_URI)

    async def aclose(self, *, graceful: bool = True) -> None:
        """Shut the server down (politely when it can, by force when it must)."""
        client = self.client
        process = client._server
        if graceful and self.alive:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.shutdown_async(None), _SHUTDOWN_S)
            with contextlib.suppress(Exception):
                client.exit(None)
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), _SHUTDOWN_S if graceful else 0.01)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(process.wait(), _SHUTDOWN_S)
        stop: Any = client.stop
        with contextlib.suppress(Exception):
            await asyncio.wait_for(stop(), _SHUTDOWN_S)
        if self._drain is not None:
            # The process is gone: its last words are on their way (or the wait is cut short).
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(self._drain, 1.0)
        for task in list(self._pending_commands):
            task.cancel()


class Observer:
    """What the demo watches; every method does nothing by default."""

    def opened(self, replay: Replay) -> None:
        """A region's document was opened."""

    def pressed(self, replay: Replay, key: Keystroke) -> None:
        """A key was typed or a suggestion accepted."""

    def answered(self, replay: Replay, key: Keystroke) -> None:
        """The inline request after `key` was answered (key.suggestion may be empty)."""


@dataclass
class _Pending:
    key: Keystroke
    msg_id: str
    future: Future[Any]
    item: types.InlineCompletionItem | None = None


class Replay:
    """The editor and the programmer for one session."""

    def __init__(
        self,
        server: ServerConnection,
        regions: Iterator[Region],
        typist: Typist,
        *,
        oracle: Oracle | None = None,
        observer: Observer | None = None,
        noop_every_s: float | None = 0.5,
    ) -> None:
        self.server = server
        self.regions = regions
        self.typist = typist
        self.oracle = oracle
        self.observer = observer or Observer()
        self.noop_every_s = noop_every_s
        self.keys: list[Keystroke] = []
        self.noop_ms: list[float] = []
        self.truth: Truth | None = None
        self.region: Region | None = None
        self.regions_typed = 0
        self.started_at: float | None = None
        self.ended_at: float | None = None
        self.accepted_spans: list[tuple[int, int]] = []  # in the current truth
        self._doc: Document | None = None
        self._uri = ""
        self._version = 1
        self._cursor = Point(0, 0)
        self._pending: _Pending | None = None
        self._shown: _Pending | None = None
        self._ids = 0
        self._due = 0.0  # when the next key comes

    # -- the session ---------------------------------------------------------------------------

    @property
    def shown_item(self) -> types.InlineCompletionItem | None:
        """The suggestion on screen now (for the current text), if any."""
        shown = self._shown
        return shown.item if shown is not None and shown is self._pending else None

    async def run(self, seconds: float, stop: asyncio.Event | None = None) -> None:
        """Type for `seconds` (counted from the first key), or until `stop` is set or the
        regions run out."""
        stop = stop or asyncio.Event()
        noop_task = None
        if self.noop_every_s:
            noop_task = asyncio.get_running_loop().create_task(self._sample_noops(stop))
        try:
            await self._type(seconds, stop)
        finally:
            now = time.monotonic()
            self.ended_at = now if self.ended_at is None else self.ended_at
            if self.keys and self.keys[-1].next_at is None:
                self.keys[-1].next_at = self.ended_at
            self._cancel_pending()
            if noop_task is not None:
                noop_task.cancel()
                with contextlib.suppress(BaseException):
                    await noop_task
            if self._doc is not None and self.server.alive:
                self.server.close(self._uri)

    async def _type(self, seconds: float, stop: asyncio.Event) -> None:
        if not self._open_next():
            return
        # The first region: the programmer is already there, a short look before typing.
        due = self._due = time.monotonic() + self.typist.first_gap() / 3
        deadline: float | None = None
        while not stop.is_set():
            wait = due - time.monotonic()
            if wait > 0:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
                if stop.is_set():
                    break
            now = time.monotonic()
            if deadline is None:
                self.started_at = now
                deadline = now + seconds
            if now >= deadline:
                self.ended_at = deadline
                break
            if not self.server.alive:
                raise RuntimeError("the server exited:\n" + "\n".join(self.server.stderr_tail))
            truth = self.truth
            assert truth is not None
            if truth.done:
                self.regions_typed += 1
                if not self._open_next():
                    self.ended_at = now
                    break
                due = self._due = now + self.typist.first_gap()
                continue
            key = self._press(now)
            upcoming = truth.text[truth.pos : truth.end]
            due = self._due = key.at + self.typist.gap(key.text, upcoming)

    async def _sample_noops(self, stop: asyncio.Event) -> None:
        assert self.noop_every_s is not None
        while not stop.is_set():
            await asyncio.sleep(self.noop_every_s)
            if self.started_at is None or not await self._quiet_moment():
                continue
            with contextlib.suppress(Exception):
                self.noop_ms.append(await self.server.noop())

    async def _quiet_moment(self, margin_s: float = 0.015) -> bool:
        """Wait (briefly) for a moment away from keystrokes: a sample must not delay one,
        nor be delayed by one."""
        for _ in range(20):
            now = time.monotonic()
            last = self.keys[-1].at if self.keys else 0.0
            if now - last >= margin_s and self._due - now >= margin_s:
                return True
            await asyncio.sleep(margin_s)
        return False

    # -- documents -----------------------------------------------------------------------------

    def _open_next(self) -> bool:
        if self._doc is not None:
            self.server.close(self._uri)
            self._doc = None
        region = next(self.regions, None)
        if region is None:
            return False
        self.region = region
        self.truth = truth = Truth.of(region)
        self.accepted_spans = []
        if self.oracle is not None:
            self.oracle.truth = truth
        text = truth.document()
        self._uri = region.uri
        self._version = 1
        self._doc = Document.from_text(self._uri, region.language_id, 1, text)
        line = text.count("\n", 0, truth.pos)
        self._cursor = Point(line, truth.pos - (text.rfind("\n", 0, truth.pos) + 1))
        self._pending = self._shown = None
        self.server.open(self._uri, region.language_id, text)
        self.observer.opened(self)
        return True

    def _position(self, point: Point) -> types.Position:
        assert self._doc is not None
        return types.Position(point.line, self._doc.units(point, "utf-16"))

    def _advance(self, point: Point, text: str) -> Point:
        newlines = text.count("\n")
        if not newlines:
            return Point(point.line, point.col + len(text))
        return Point(point.line + newlines, len(text) - text.rfind("\n") - 1)

    # -- keys ----------------------------------------------------------------------------------

    def _press(self, now: float) -> Keystroke:
        truth, doc = self.truth, self._doc
        assert truth is not None and doc is not None
        if self.keys and self.keys[-1].next_at is None:
            self.keys[-1].next_at = now
        item = self.shown_item
        self._cancel_pending()
        wanted = truth.wanted()
        if item is not None and wanted and item_text(item).split("\n", 1)[0] == wanted:
            key = self._accept(now, item)
        else:
            text = truth.next_key()
            start = self._position(self._cursor)
            doc.replace(self._cursor, self._cursor, text)
            truth.typed(text)
            self._cursor = self._advance(self._cursor, text)
            self._version += 1
            self.server.change(self._uri, self._version, start, start, text)
            kind: KeyKind = "enter" if text.startswith("\n") else "key"
            key = Keystroke(len(self.keys), kind, text, now)
        key.prefix_tail = truth.text[max(0, truth.pos - PREFIX_TAIL_CHARS) : truth.pos]
        key.suffix_head = truth.text[truth.end : truth.end + SUFFIX_HEAD_CHARS]
        key.due = bool(truth.wanted())
        self.keys.append(key)
        self._request(key)
        self.observer.pressed(self, key)
        return key

    def _accept(self, now: float, item: types.InlineCompletionItem) -> Keystroke:
        truth, doc = self.truth, self._doc
        assert truth is not None and doc is not None
        text = item_text(item)
        if item.range is not None:
            start, end = item.range.start, item.range.end
        else:
            start = end = self._position(self._cursor)
        doc.replace(
            doc.point(start.line, start.character, "utf-16"),
            doc.point(end.line, end.character, "utf-16"),
            text,
        )
        self._version += 1
        self.server.change(self._uri, self._version, start, end, text)
        if item.command is not None:
            self.server.execute(item.command)
        begin = truth.pos
        matched = truth.accept(text)
        self.accepted_spans.append((begin, truth.pos))
        self._cursor = self._advance(doc.point(start.line, start.character, "utf-16"), text)
        if doc.text != truth.document():
            # The item replaced text the programmer didn't mean to change: move on.
            log.warning("an accepted item left the document off the truth; next region")
            truth.pos = truth.end
        return Keystroke(len(self.keys), "accept", text, now, accepted_chars=matched)

    def _request(self, key: Keystroke) -> None:
        self._ids += 1
        msg_id = f"replay-{self._ids}"
        position = self._position(self._cursor)
        key.sent_at = time.monotonic()
        future = self.server.inline(self._uri, position, msg_id)
        pending = _Pending(key, msg_id, future)
        self._pending = pending
        future.add_done_callback(lambda done: self._answered(pending, done))

    def _answered(self, pending: _Pending, future: Future[Any]) -> None:
        now = time.monotonic()
        key = pending.key
        if key.cancelled:
            return
        key.answered_at = now
        items: list[types.InlineCompletionItem] = []
        if not future.cancelled() and future.exception() is None:
            items = _items(future.result())
        if items and item_text(items[0]):
            pending.item = items[0]
            key.suggestion = item_text(items[0])
            self._shown = pending
        self.observer.answered(self, key)

    def _cancel_pending(self) -> None:
        pending = self._pending
        if pending is not None and pending.key.answered_at is None and not pending.key.cancelled:
            pending.key.cancelled = True
            if self.server.alive:
                self.server.cancel(pending.msg_id)
