"""An editor for the code-action tests: pytest-lsp's client with chosen capabilities, which
answers `workspace/applyEdit` and `window/showMessageRequest` and applies edits to its copy."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter

from tests.support import Handler, Session, capabilities, lsp_session


@dataclass
class Editor:
    """A session plus what the server asked of the editor."""

    session: Session
    applied: list[types.ApplyWorkspaceEditParams] = field(default_factory=list)
    asked: list[types.ShowMessageRequestParams] = field(default_factory=list)
    encoding: str = "utf-16"

    @property
    def client(self) -> Any:
        return self.session.client

    def open(self, uri: str, text: str, language: str = "python") -> None:
        self.session.open(uri, text, language)

    def text(self, uri: str) -> str:
        return self.session.docs[uri].text

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply a server's edit to the editor's copy of the documents."""
        for uri, edits in _edits_by_uri(edit).items():
            doc = self.session.docs[uri]
            enc: Any = self.encoding
            for text_edit in sorted(
                edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
            ):
                start = doc.point(text_edit.range.start.line, text_edit.range.start.character, enc)
                end = doc.point(text_edit.range.end.line, text_edit.range.end.character, enc)
                doc.replace(start, end, text_edit.new_text)

    def change(self, uri: str, line: int, character: int, text: str) -> None:
        """Type in the editor (the server is told; the version goes up)."""
        doc = self.session.docs[uri]
        self.session.type_text(uri, line, character, text)
        enc: Any = self.encoding
        point = doc.point(line, character, enc)
        doc.replace(point, point, text)

    async def actions(
        self,
        uri: str,
        start: tuple[int, int],
        end: tuple[int, int] | None = None,
        *,
        diagnostics: Sequence[types.Diagnostic] = (),
        only: Sequence[types.CodeActionKind] | None = None,
    ) -> list[types.CodeAction | types.Command]:
        end = end or start
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=types.Position(*start), end=types.Position(*end)),
                context=types.CodeActionContext(
                    diagnostics=list(diagnostics), only=list(only) if only else None
                ),
            )
        )
        return list(result or [])

    async def action(self, uri: str, kind: str, *args: Any, **kwargs: Any) -> types.CodeAction:
        """The listed code action whose data (or command argument) has this kind."""
        for item in await self.actions(uri, *args, **kwargs):
            assert isinstance(item, types.CodeAction)
            if action_kind(item) == kind:
                return item
        raise AssertionError(f"no {kind} action listed")

    async def resolve(self, action: types.CodeAction) -> types.CodeAction:
        resolved: types.CodeAction = await self.client.code_action_resolve_async(action)
        return resolved

    def send_resolve(self, action: types.CodeAction) -> tuple[str, asyncio.Future[Any]]:
        msg_id = str(uuid.uuid4())
        future = self.client.protocol.send_request(types.CODE_ACTION_RESOLVE, action, msg_id=msg_id)
        return msg_id, asyncio.wrap_future(future) if not isinstance(
            future, asyncio.Future
        ) else future

    async def execute(self, command: types.Command) -> Any:
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=command.command, arguments=command.arguments)
        )

    def messages(self) -> list[str]:
        return [message.message for message in self.client.messages]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        await self.session.until(condition, timeout)

    def progress(self) -> list[list[Any]]:
        """The progress reports, one list per token, each begin ... end."""
        return [list(reports) for reports in self.client.progress_reports.values()]


def action_kind(action: types.CodeAction | types.Command) -> str | None:
    payload: Any = None
    if isinstance(action, types.CodeAction):
        payload = action.data
        if payload is None and action.command is not None and action.command.arguments:
            payload = action.command.arguments[0]
    elif action.arguments:
        payload = action.arguments[0]
    return payload.get("kind") if isinstance(payload, dict) else None


def _edits_by_uri(edit: types.WorkspaceEdit) -> dict[str, list[types.TextEdit]]:
    found: dict[str, list[types.TextEdit]] = {}
    for change in edit.document_changes or []:
        assert isinstance(change, types.TextDocumentEdit)
        found.setdefault(change.text_document.uri, []).extend(
            e for e in change.edits if isinstance(e, types.TextEdit)
        )
    for uri, edits in (edit.changes or {}).items():
        found.setdefault(uri, []).extend(edits)
    return found


def _converter() -> Any:
    """pygls's converter, but a code action that carries a command stays a code action
    (lsprotocol reads anything with a "command" as a Command; editors look at its type)."""
    converter = default_converter()

    def code_action_or_command(value: Any, _: type) -> types.CodeAction | types.Command:
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)  # type: ignore[no-any-return]
        return converter.structure(value, types.CodeAction)  # type: ignore[no-any-return]

    converter.register_structure_hook(
        types.Command | types.CodeAction,  # type: ignore[arg-type]
        code_action_or_command,
    )
    return converter


@asynccontextmanager
async def editor(
    settings: Mapping[str, Any],
    *,
    resolve: bool = True,
    literals: bool = True,
    show_document: bool = True,
    progress: bool = True,
    document_changes: bool = True,
    encodings: list[str] | None = None,
    choice: str | None = "Simplify",
    env: Mapping[str, str] | None = None,
) -> AsyncIterator[Editor]:
    """Start `python -m ghostls` with an editor of these capabilities."""
    applied: list[types.ApplyWorkspaceEditParams] = []
    asked: list[types.ShowMessageRequestParams] = []

    def apply_edit(
        _: Any, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        applied.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    def show_message_request(
        _: Any, params: types.ShowMessageRequestParams
    ) -> types.MessageActionItem | None:
        asked.append(params)
        return types.MessageActionItem(title=choice) if choice is not None else None

    caps = capabilities(encodings=encodings)
    assert caps.text_document is not None and caps.text_document.code_action is not None
    code_action = caps.text_document.code_action
    if not resolve:
        code_action.resolve_support = None
    if not literals:
        code_action.code_action_literal_support = None
    window = caps.window or types.WindowClientCapabilities()
    window.work_done_progress = progress
    window.show_document = types.ShowDocumentClientCapabilities(support=show_document)
    caps.window = window
    assert caps.workspace is not None
    caps.workspace.workspace_edit = types.WorkspaceEditClientCapabilities(
        document_changes=document_changes
    )
    handlers: dict[str, Handler] = {
        types.WORKSPACE_APPLY_EDIT: apply_edit,
        types.WINDOW_SHOW_MESSAGE_REQUEST: show_message_request,
    }
    async with lsp_session(
        settings,
        env=env,
        client_capabilities=caps,
        handlers=handlers,
        converter_factory=_converter,
    ) as session:
        negotiated: Any = session.init.capabilities.position_encoding or "utf-16"
        encoding = str(getattr(negotiated, "value", negotiated))
        yield Editor(session, applied, asked, encoding)
