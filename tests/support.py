"""Drive the real ghostls server over stdio with a real LSP client, against the local model
server. Shared by the protocol tests."""

from __future__ import annotations

import asyncio
import inspect
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES

from ghostls.documents import Document
from ghostls.testing import ModelServer, RecordedRequest
from ghostls.testing.lsp import plain, server_env

MODEL = "ghost-coder"
_MODEL_CALL_PATHS = ("/v1/completions", "/v1/chat/completions")


def model_calls(model: ModelServer) -> list[RecordedRequest]:
    """The completion requests the model server received (not model listings)."""
    return [request for request in model.requests if request.path in _MODEL_CALL_PATHS]


async def wait_for_calls(model: ModelServer, n: int, timeout: float = 5.0) -> list[RecordedRequest]:
    """Wait until the model server has received `n` completion requests."""
    if not await model.wait_until(lambda: len(model_calls(model)) >= n, timeout):
        raise TimeoutError(f"{len(model_calls(model))} model calls, expected {n}")
    return model_calls(model)


def base_settings(base_url: str, **overrides: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "baseUrl": base_url,
        "model": MODEL,
        "promptMode": "fim",
        "debounceMs": 0,
        "prefetch": False,
    }
    settings.update(overrides)
    return settings


def capabilities(
    *,
    inline: bool = True,
    encodings: list[str] | None = None,
    configuration: bool = False,
    base: str = "visual-studio-code",
) -> types.ClientCapabilities:
    caps = client_capabilities(base)
    text = caps.text_document or types.TextDocumentClientCapabilities()
    text.inline_completion = types.InlineCompletionClientCapabilities() if inline else None
    caps.text_document = text
    workspace = caps.workspace or types.WorkspaceClientCapabilities()
    workspace.configuration = configuration
    caps.workspace = workspace
    if encodings is not None:
        general = caps.general or types.GeneralClientCapabilities()
        general.position_encodings = [types.PositionEncodingKind(e) for e in encodings]
        caps.general = general
    return caps


@dataclass
class Session:
    client: LanguageClient
    init: types.InitializeResult
    docs: dict[str, Document] = field(default_factory=dict)
    notifications: list[tuple[str, Any]] = field(default_factory=list)
    noted: asyncio.Event = field(default_factory=asyncio.Event)  # set on each notification
    registrations: list[types.Registration] = field(default_factory=list)

    def open(self, uri: str, text: str, language: str = "python") -> None:
        self.docs[uri] = Document.from_text(uri, language, 1, text)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language, version=1, text=text
                )
            )
        )

    def type_text(self, uri: str, line: int, character: int, text: str) -> None:
        """An incremental insertion at (line, character) in the negotiated units."""
        self.replace(uri, (line, character), (line, character), text)

    def replace(self, uri: str, start: tuple[int, int], end: tuple[int, int], text: str) -> None:
        """An incremental change of start..end ((line, character) in the negotiated units)."""
        doc = self.docs[uri]
        doc.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=doc.version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=types.Position(*start), end=types.Position(*end)),
                        text=text,
                    )
                ],
            )
        )

    async def inline(
        self, uri: str, line: int, character: int, *, invoked: bool = False
    ) -> list[types.InlineCompletionItem]:
        result = await self.client.text_document_inline_completion_async(
            self.inline_params(uri, line, character, invoked=invoked)
        )
        if result is None:
            return []
        return list(result.items if isinstance(result, types.InlineCompletionList) else result)

    def inline_params(
        self, uri: str, line: int, character: int, *, invoked: bool = False
    ) -> types.InlineCompletionParams:
        kind = (
            types.InlineCompletionTriggerKind.Invoked
            if invoked
            else types.InlineCompletionTriggerKind.Automatic
        )
        return types.InlineCompletionParams(
            context=types.InlineCompletionContext(trigger_kind=kind),
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line, character),
        )

    def send_inline(
        self, uri: str, line: int, character: int, *, invoked: bool = False
    ) -> tuple[str, asyncio.Future[Any]]:
        """Send an inline request with a known id (so it can be cancelled)."""
        msg_id = str(uuid.uuid4())
        future = self.client.protocol.send_request(
            types.TEXT_DOCUMENT_INLINE_COMPLETION,
            self.inline_params(uri, line, character, invoked=invoked),
            msg_id=msg_id,
        )
        return msg_id, asyncio.wrap_future(future) if not isinstance(
            future, asyncio.Future
        ) else future

    def cancel(self, msg_id: str) -> None:
        self.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))

    async def stats(self) -> dict[str, Any]:
        result = await self.client.protocol.send_request_async("ghostls/stats", {})
        return plain(result)

    async def until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `condition` holds, looking again each time the server sends the client
        something (a notification, a request or a registration)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            self.noted.clear()
            await asyncio.wait_for(self.noted.wait(), max(0.0, deadline - loop.time()))

    async def status_becomes(self, state: str, timeout: float = 5.0) -> None:
        """Wait for the server's `ghostls/status` notifications to reach `state`."""

        def reached() -> bool:
            states = [p["state"] for method, p in self.notifications if method == "ghostls/status"]
            return bool(states) and states[-1] == state

        await self.until(reached, timeout)


Handler = Callable[[LanguageClient, Any], Any]


def _noting(client: LanguageClient, handler: Handler, noted: asyncio.Event) -> Callable[[Any], Any]:
    """The client's handler of a server message, which also sets `noted` once it has run."""
    if inspect.iscoroutinefunction(handler):

        async def handled_async(params: Any) -> Any:
            try:
                return await handler(client, params)
            finally:
                noted.set()

        return handled_async

    def handled(params: Any) -> Any:
        try:
            return handler(client, params)
        finally:
            noted.set()

    return handled


@asynccontextmanager
async def lsp_session(
    settings: Mapping[str, Any] | None = None,
    *,
    inline: bool = True,
    encodings: list[str] | None = None,
    configuration: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    hold_configuration: asyncio.Event | None = None,
    args: tuple[str, ...] = (),
    client_capabilities: types.ClientCapabilities | None = None,
    handlers: Mapping[str, Handler] | None = None,
    converter_factory: Callable[[], Any] = default_converter,
) -> AsyncIterator[Session]:
    """Start `python -m ghostls` and initialize it like an editor would (with
    `client_capabilities`, else VS Code's adjusted by `inline`, `encodings` and
    `configuration`). `handlers` answer server requests beside pytest-lsp's defaults. With
    `hold_configuration`, the client answers `workspace/configuration` only once it is set."""
    client = LanguageClient(converter_factory=converter_factory)
    notifications: list[tuple[str, Any]] = []
    noted = asyncio.Event()
    registrations: list[types.Registration] = []

    def status(_: LanguageClient, params: Any) -> None:
        notifications.append(("ghostls/status", plain(params)))

    def register(_: LanguageClient, params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    features: dict[str, Handler] = {
        **DEFAULT_CLIENT_FEATURES,
        "ghostls/status": status,
        types.CLIENT_REGISTER_CAPABILITY: register,
        **(handlers or {}),
    }
    if hold_configuration is not None:
        answer = features[types.WORKSPACE_CONFIGURATION]

        async def held(client: LanguageClient, params: types.ConfigurationParams) -> Any:
            await hold_configuration.wait()
            return answer(client, params)

        features[types.WORKSPACE_CONFIGURATION] = held
    for method, handler in features.items():
        client.feature(method)(_noting(client, handler, noted))
    if configuration is not None:
        client.set_configuration(dict(configuration), section="ghostls")
    await client.start_io(
        sys.executable, "-m", "ghostls", "--log-level", "DEBUG", *args, env=server_env(env)
    )
    try:
        init = await client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities
                or capabilities(
                    inline=inline, encodings=encodings, configuration=configuration is not None
                ),
                initialization_options=dict(settings) if settings is not None else None,
            )
        )
        session = Session(
            client=client,
            init=init,
            notifications=notifications,
            noted=noted,
            registrations=registrations,
        )
        yield session
        await asyncio.wait_for(client.shutdown_session(), 10)
    finally:
        process = client._server
        if process is not None and process.returncode is None:
            process.kill()
        await client.stop()
