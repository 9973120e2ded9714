"""The language server: thin pygls handlers that turn LSP into engine calls and back.

Only this module (and `lsp_items`) knows LSP types. Documents are tracked by ghostls's own
line model (`documents`), not pygls's workspace, so a keystroke costs the lines it touches.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Generator, Mapping
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from ghostls import __version__
from ghostls.actions.lsp import register_code_actions
from ghostls.background import Background
from ghostls.completion import CompletionService, Suggestion
from ghostls.documents import Document, DocumentStore, Encoding
from ghostls.engine import Engine
from ghostls.engine.engine import Reuse
from ghostls.engine.looplag import loop_lag
from ghostls.exclusion import IGNORE_FILE
from ghostls.logs import SECRETS
from ghostls.lsp_items import completion_item, inline_item
from ghostls.model import ModelClient, ModelError
from ghostls.nextedit import protocol as inline_edits
from ghostls.nextedit.service import NextEditService
from ghostls.runtime import engine_options, model_config
from ghostls.settings import (
    Settings,
    merge_client_settings,
    resolve_settings_lenient,
    unwrap_client_settings,
)

log = logging.getLogger(__name__)

ACCEPTED_COMMAND = "ghostls.accepted"
STATS_REQUEST = "ghostls/stats"
STATUS_NOTIFICATION = "ghostls/status"
_STATUS_MIN_INTERVAL_S = 0.25
# How long a request that arrives before the client's pulled settings waits for them: a
# client answers `workspace/configuration` in milliseconds; one that never does must not
# stall the first suggestion for long.
SETTINGS_WAIT_S = 1.0


class GhostProtocol(LanguageServerProtocol):
    """pygls's protocol with document tracking handed to ghostls's document store."""

    _server: GhostServer

    def structure_message(self, data: dict[str, Any]) -> Any:
        """pygls drops a request whose params don't parse (a negative line, a string for a
        number) without an answer, and the editor waits for ever: answer it with the error."""
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            msg_id = data.get("id")
            if "method" in data and isinstance(msg_id, (int, str)) and not isinstance(msg_id, bool):
                self._send_response(msg_id, None, error.to_response_error())
            raise

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        """pygls's capabilities, with Copilot's inline edits under `experimental` (always:
        with `nextEdit` off the method answers with no edits)."""
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        capabilities = result.capabilities
        experimental = capabilities.experimental
        capabilities.experimental = {
            **(experimental if isinstance(experimental, dict) else {}),
            inline_edits.CAPABILITY: True,
        }
        return result

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        doc = self._server.documents.open(item.uri, item.language_id, item.version, item.text)
        self._server.completions.document_changed(doc, opened=True)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        self._server.apply_changes(params)
        doc = self._server.documents.get(params.text_document.uri)
        if doc is not None:
            self._server.completions.document_changed(doc)
            self._server.next_edits.document_changed(doc, self._server.encoding)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        self._server.documents.close(params.text_document.uri)
        self._server.completions.document_closed(params.text_document.uri)
        self._server.next_edits.document_closed(params.text_document.uri)


class GhostServer(LanguageServer):
    def __init__(self, env: Mapping[str, str] | None = None, reuse: Reuse = "full") -> None:
        super().__init__(
            "ghostls",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=GhostProtocol,
        )
        self.env: Mapping[str, str] = env if env is not None else os.environ
        self.reuse: Reuse = reuse  # the benchmark's baselines reuse less (`--lab-reuse`)
        self.documents = DocumentStore()
        self.settings, _ = resolve_settings_lenient(None, self.env)
        self._init_options: dict[str, Any] | None = None
        self.client = ModelClient(model_config(self.settings))
        self.engine = Engine(
            self.client,
            engine_options(self.settings, self.reuse),
            on_state=self._state_changed,
            on_error=self._model_failed,
        )
        self.completions = CompletionService(self.documents, self.engine, self.settings)
        self.next_edits = NextEditService(self.completions)
        self.initialized = False
        self.inline_supported = False
        self.pull_configuration = False
        self.watch_files = False
        # Set once the client's settings are known: at once, or after the first pull of
        # `workspace/configuration` (a request that arrives before waits for it, briefly).
        self.settings_known = asyncio.Event()
        self._error_shown = False
        self._last_status: tuple[str, float] = ("", 0.0)
        self.background = Background()

    # -- errors never flood the editor -------------------------------------------------------

    def report_server_error(self, error: Exception, source: Any) -> None:
        log.error("internal error (%s): %s", getattr(source, "__name__", source), error)

    # -- documents ---------------------------------------------------------------------------

    @property
    def encoding(self) -> Encoding:
        value = str(self.protocol.workspace.position_encoding or "utf-16")
        return value if value in ("utf-8", "utf-32") else "utf-16"  # type: ignore[return-value]

    def apply_changes(self, params: types.DidChangeTextDocumentParams) -> None:
        doc = self.documents.get(params.text_document.uri)
        if doc is None:
            log.warning("didChange for a document that is not open: %s", params.text_document.uri)
            return
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start = doc.point(
                    change.range.start.line, change.range.start.character, self.encoding
                )
                end = doc.point(change.range.end.line, change.range.end.character, self.encoding)
                doc.replace(start, end, change.text)
            else:
                doc.replace_all(change.text)
        doc.version = params.text_document.version

    def excluded(self, doc: Document) -> bool:
        return self.completions.excluded(doc)

    def workspace_changed(self) -> None:
        """The workspace folders are known (initialize) or changed: tell the completions."""
        workspace = self.protocol.workspace
        folders = [folder.uri for folder in workspace.folders.values()]
        self.completions.set_workspace([*folders, workspace.root_uri])

    async def watch_ignore_files(self) -> None:
        """Ask the editor to report changes to ignore files: exclusion reads them only then."""
        watcher = types.FileSystemWatcher(glob_pattern=f"**/{IGNORE_FILE}")
        await self.client_register_capability_async(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id="ghostls-ignore-files",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[watcher]
                        ),
                    )
                ]
            )
        )

    # -- settings ----------------------------------------------------------------------------

    def apply_settings(self, payload: object, *, initial: bool = False) -> None:
        client_values = unwrap_client_settings(payload)
        if initial:
            self._init_options = client_values
        merged = merge_client_settings(self._init_options, client_values)
        settings, errors = resolve_settings_lenient(merged, self.env, self.settings)
        for error in errors:
            self._show(types.MessageType.Error, str(error))
        if settings != self.settings:
            self._use(settings)

    def _use(self, settings: Settings) -> None:
        """Settings that differ from those in force: only what changed is rebuilt (the engine
        keeps its running calls, cache and rate-limit state unless the model changed)."""
        SECRETS.add([settings.api_key])
        previous = self.settings
        self.settings = settings
        self.completions.settings = settings
        if model_config(settings) != model_config(previous):
            old = self.client
            self.client = ModelClient(model_config(settings))
            self.background.spawn(old.aclose())
            if self.initialized:
                self.background.spawn(self.client.warm())
        self.engine.reconfigure(self.client, engine_options(settings, self.reuse))
        self._error_shown = False

    async def pull_settings(self) -> None:
        try:
            await self._pull_settings()
        finally:
            self.settings_known.set()

    async def _pull_settings(self) -> None:
        try:
            result = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="ghostls")])
            )
        except Exception as exc:  # a client that can't answer keeps the settings it sent
            log.info("workspace/configuration failed: %s", exc)
            return
        if result and isinstance(result[0], dict) and result[0]:
            self.apply_settings(result[0])

    # -- messages and status -----------------------------------------------------------------

    def _show(self, kind: types.MessageType, message: str) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=f"ghostls: {message}"))

    def _model_failed(self, error: ModelError) -> None:
        log.warning("model call failed: %s", error.message)
        if not self._error_shown:
            self._error_shown = True
            self._show(types.MessageType.Error, error.message)

    def _state_changed(self, state: str, message: str | None) -> None:
        if state == "ready":
            self._error_shown = False
        now = self.engine.clock.now()
        last_state, last_at = self._last_status
        if state == last_state and now - last_at < _STATUS_MIN_INTERVAL_S:
            return
        self._last_status = (state, now)
        params: dict[str, Any] = {"state": state}
        if state == "ready":
            params["promptTokensPerMinute"] = self.engine.cost.per_minute(now)[0]
        if state == "ready" and message is not None:
            params["latencyMs"] = float(message)
        elif message is not None:
            params["message"] = message
        self.protocol.notify(STATUS_NOTIFICATION, params)

    # -- completions -------------------------------------------------------------------------

    async def suggest(
        self, uri: str, position: types.Position, *, invoked: bool
    ) -> Suggestion | None:
        arrived = self.engine.clock.now()
        if not self.settings_known.is_set():
            try:
                await asyncio.wait_for(self.settings_known.wait(), SETTINGS_WAIT_S)
            except asyncio.TimeoutError:
                log.warning("no answer to workspace/configuration: going on with the settings sent")
                self.settings_known.set()
        return await self.completions.suggest(
            uri, position.line, position.character, self.encoding, invoked=invoked, arrived=arrived
        )

    def offers_completion_items(self) -> bool:
        mode = self.settings.completion_fallback
        return mode == "always" or (mode == "auto" and not self.inline_supported)


def create_server(env: Mapping[str, str] | None = None, reuse: Reuse = "full") -> GhostServer:
    server = GhostServer(env, reuse)

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        caps = params.capabilities
        server.inline_supported = bool(
            caps.text_document and caps.text_document.inline_completion is not None
        )
        server.pull_configuration = bool(caps.workspace and caps.workspace.configuration)
        watched = caps.workspace.did_change_watched_files if caps.workspace else None
        server.watch_files = bool(watched and watched.dynamic_registration)
        server.workspace_changed()
        server.apply_settings(params.initialization_options, initial=True)
        if not server.pull_configuration:
            server.settings_known.set()

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        server.initialized = True
        server.background.spawn(server.client.warm())
        if server.watch_files:
            server.background.spawn(server.watch_ignore_files())
        if server.pull_configuration:
            await server.pull_settings()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        server.workspace_changed()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        server.completions.files_changed([change.uri for change in params.changes])

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        if unwrap_client_settings(params.settings):
            server.apply_settings(params.settings)
        elif server.pull_configuration:
            await server.pull_settings()

    @server.feature(types.TEXT_DOCUMENT_INLINE_COMPLETION, types.InlineCompletionOptions())
    async def inline_completion(
        params: types.InlineCompletionParams,
    ) -> types.InlineCompletionList:
        invoked = params.context.trigger_kind == types.InlineCompletionTriggerKind.Invoked
        found = await server.suggest(params.text_document.uri, params.position, invoked=invoked)
        if found is None:
            return types.InlineCompletionList(items=[])
        at = types.Position(found.line, found.character)
        item = inline_item(found.answer, at, found.doc.eol(), server.encoding, ACCEPTED_COMMAND)
        return types.InlineCompletionList(items=[item])

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[".", "(", ",", ":", "=", " "]),
    )
    async def completion(params: types.CompletionParams) -> types.CompletionList:
        empty = types.CompletionList(is_incomplete=True, items=[])
        if not server.offers_completion_items():
            return types.CompletionList(is_incomplete=False, items=[])
        invoked = bool(
            params.context and params.context.trigger_kind == types.CompletionTriggerKind.Invoked
        )
        found = await server.suggest(params.text_document.uri, params.position, invoked=invoked)
        if found is None:
            return empty
        at = types.Position(found.line, found.character)
        item = completion_item(found.answer, at, found.doc.eol(), server.encoding, ACCEPTED_COMMAND)
        return types.CompletionList(is_incomplete=True, items=[item])

    register_code_actions(server, server, server.env)

    @server.command(ACCEPTED_COMMAND)
    def accepted(*args: Any) -> None:
        server.completions.accepted(args[0] if args else None)

    @server.feature(inline_edits.INLINE_EDIT_REQUEST)
    async def inline_edit(params: Any) -> dict[str, Any]:
        request = inline_edits.parse_request(params)
        if request is None:
            raise JsonRpcInvalidParams(
                "textDocument/copilotInlineEdit needs textDocument.uri and a position"
            )
        offer = await server.next_edits.suggest(
            request.uri, request.version, request.line, request.character, server.encoding
        )
        if offer is None:
            return {"edits": []}
        return {"edits": [inline_edits.edit_json(offer.id, offer.uri, offer.version, offer.edit)]}

    @server.feature(inline_edits.DID_SHOW_NOTIFICATION)
    def did_show_inline_edit(params: Any) -> None:
        server.next_edits.shown(inline_edits.shown_id(params))

    @server.command(inline_edits.ACCEPTED_COMMAND)
    def next_edit_accepted(*args: Any) -> None:
        server.next_edits.accepted(args[0] if args else None, server.encoding)

    @server.feature(STATS_REQUEST)
    def stats(params: Any) -> dict[str, Any]:
        snapshot = server.engine.stats.snapshot()
        snapshot["cache"] = {
            "entries": len(server.engine.cache),
            "bytes": server.engine.cache.bytes,
        }
        snapshot["cost"] = server.engine.cost.snapshot(server.engine.clock.now())
        snapshot["pendingTasks"] = server.engine.pending_tasks()
        snapshot["documents"] = len(server.documents)
        snapshot["loopLagMs"] = loop_lag()
        return snapshot

    @server.feature(types.SHUTDOWN)
    async def shutdown(params: Any) -> None:
        server.next_edits.close()
        await server.engine.aclose()
        await server.client.aclose()

    return server
