"""The code-action handlers: listing, resolve, and the commands behind the actions.

Listing is detection only (no model call). The model runs in `codeAction/resolve` for clients
that resolve edits, else in the `ghostls.applyAction` command, which applies its edit with
`workspace/applyEdit`. Both report `$/progress` and stop, closing the model stream, on a
`$/cancelRequest` or a progress cancel. Explain answers in a Markdown document the client shows
(`window/showDocument`), or in a message.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import replace
from hashlib import sha1
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ghostls.actions.detect import MAX_FIXES, Offer, fix_region, offers, selection_region
from ghostls.actions.prompts import REWRITE_CHOICES
from ghostls.actions.run import (
    ActionData,
    Diagnostic,
    Explained,
    Outcome,
    Refused,
    Rewritten,
    Services,
    parse_range,
    run_action,
    workspace_edit,
)
from ghostls.background import Background
from ghostls.documents import Document, Point

log = logging.getLogger(__name__)

APPLY_COMMAND = "ghostls.applyAction"
REWRITE_COMMAND = "ghostls.rewrite"
EXPLAIN_COMMAND = "ghostls.explain"

_KINDS: Mapping[str, types.CodeActionKind] = {
    "fix": types.CodeActionKind.QuickFix,
    "docstring": types.CodeActionKind.RefactorRewrite,
    "implement": types.CodeActionKind.RefactorRewrite,
    "rewrite": types.CodeActionKind.RefactorRewrite,
}
_PROGRESS_TITLES: Mapping[str, str] = {
    "fix": "Fixing with AI",
    "docstring": "Writing documentation with AI",
    "implement": "Implementing with AI",
    "rewrite": "Rewriting with AI",
    "explain": "Explaining with AI",
}
_EDIT_LABELS: Mapping[str, str] = {
    "fix": "Fix with AI",
    "docstring": "Add documentation with AI",
    "implement": "Implement with AI",
    "rewrite": "Rewrite with AI",
}
_SEVERITY: Mapping[str, types.MessageType] = {
    "error": types.MessageType.Error,
    "warning": types.MessageType.Warning,
    "info": types.MessageType.Info,
}
_REPORT_INTERVAL_S = 0.2
_TITLE_CHARS = 60


def _value(kind: object) -> str:
    return str(kind.value) if isinstance(kind, enum.Enum) else str(kind)


def wanted(kind: str | None, only: Sequence[object] | None) -> bool:
    """Whether an action of `kind` passes the request's `only` filter (kinds are prefixes)."""
    if not only:
        return True
    if kind is None:
        return False
    prefixes = [_value(item) for item in only]
    return any(kind == p or kind.startswith(p + ".") for p in prefixes)


def explanations_dir(env: Mapping[str, str]) -> Path:
    """Where Explain writes its Markdown documents."""
    base = env.get("XDG_CACHE_HOME") or env.get("LOCALAPPDATA")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "ghostls" / "explanations"


class CodeActions:
    """The code-action feature of one server: `server` speaks LSP to the client, `services`
    holds the documents, the model client and the settings."""

    def __init__(self, server: LanguageServer, services: Services, env: Mapping[str, str]) -> None:
        self.server = server
        self.services = services
        self._explanations = explanations_dir(env)
        self._background = Background()

    # -- client capabilities ---------------------------------------------------------------

    @property
    def _caps(self) -> types.ClientCapabilities:
        return self.server.client_capabilities

    def _code_action_caps(self) -> types.CodeActionClientCapabilities | None:
        text = self._caps.text_document
        return text.code_action if text is not None else None

    def resolves_edits(self) -> bool:
        caps = self._code_action_caps()
        support = caps.resolve_support if caps is not None else None
        return support is not None and "edit" in support.properties

    def takes_code_actions(self) -> bool:
        caps = self._code_action_caps()
        return caps is not None and caps.code_action_literal_support is not None

    def takes_document_changes(self) -> bool:
        workspace = self._caps.workspace
        edit = workspace.workspace_edit if workspace is not None else None
        return bool(edit is not None and edit.document_changes)

    def shows_documents(self) -> bool:
        window = self._caps.window
        return bool(window and window.show_document and window.show_document.support)

    def shows_progress(self) -> bool:
        window = self._caps.window
        return bool(window and window.work_done_progress)

    # -- listing ---------------------------------------------------------------------------

    def list_actions(
        self, params: types.CodeActionParams
    ) -> list[types.CodeAction | types.Command]:
        doc = self.services.documents.get(params.text_document.uri)
        if doc is None or self.services.excluded(doc):
            return []
        encoding = self.services.encoding
        span = params.range
        start = doc.point(span.start.line, span.start.character, encoding)
        end = doc.point(span.end.line, span.end.character, encoding)
        if (end.line, end.col) < (start.line, start.col):
            start, end = end, start
        only = params.context.only
        listed: list[types.CodeAction | types.Command] = []
        for diagnostic in self._fixable(params.context.diagnostics):
            if wanted(_value(types.CodeActionKind.QuickFix), only):
                listed.append(self._fix_action(doc, diagnostic))
        for offer in offers(doc, start, end):
            kind = _KINDS.get(offer.kind)
            if wanted(_value(kind) if kind is not None else None, only):
                listed.append(self._offer_action(doc, offer))
        return listed

    def _fixable(self, diagnostics: Sequence[types.Diagnostic]) -> list[types.Diagnostic]:
        seen: set[tuple[str, int, int]] = set()
        chosen: list[types.Diagnostic] = []
        for diagnostic in diagnostics:
            if diagnostic.source == "ghostls" or not diagnostic.message.strip():
                continue
            key = (diagnostic.message, diagnostic.range.start.line, diagnostic.range.end.line)
            if key in seen:
                continue
            seen.add(key)
            chosen.append(diagnostic)
            if len(chosen) == MAX_FIXES:
                break
        return chosen

    def _data(self, doc: Document, kind: Any, start: Point, end: Point, **extra: Any) -> ActionData:
        encoding = self.services.encoding
        return ActionData(
            kind=kind,
            uri=doc.uri,
            version=doc.version,
            start=(start.line, doc.units(start, encoding)),
            end=(end.line, doc.units(end, encoding)),
            **extra,
        )

    def _fix_action(
        self, doc: Document, diagnostic: types.Diagnostic
    ) -> types.CodeAction | types.Command:
        encoding = self.services.encoding
        span = diagnostic.range
        first, last = fix_region(
            doc,
            doc.point(span.start.line, span.start.character, encoding),
            doc.point(span.end.line, span.end.character, encoding),
        )
        code = diagnostic.code
        data = self._data(
            doc,
            "fix",
            first,
            last,
            diagnostic=Diagnostic(
                message=diagnostic.message,
                line=span.start.line,
                source=diagnostic.source,
                code=str(code) if code is not None else None,
            ),
        )
        summary = diagnostic.message.strip().split("\n", 1)[0]
        if len(summary) > _TITLE_CHARS:
            summary = summary[: _TITLE_CHARS - 1] + "…"
        return self._action(f"Fix with AI: {summary}", data, diagnostics=[diagnostic])

    def _offer_action(self, doc: Document, offer: Offer) -> types.CodeAction | types.Command:
        data = self._data(doc, offer.kind, offer.start, offer.end, name=offer.name)
        return self._action(offer.title, data)

    def _action(
        self,
        title: str,
        data: ActionData,
        diagnostics: list[types.Diagnostic] | None = None,
    ) -> types.CodeAction | types.Command:
        payload = data.to_json()
        command_name = EXPLAIN_COMMAND if data.kind == "explain" else APPLY_COMMAND
        command = types.Command(title=title, command=command_name, arguments=[payload])
        if not self.takes_code_actions():
            return command
        kind = _KINDS.get(data.kind)
        if data.kind == "explain" or not self.resolves_edits():
            return types.CodeAction(
                title=title, kind=kind, diagnostics=diagnostics, command=command
            )
        return types.CodeAction(title=title, kind=kind, diagnostics=diagnostics, data=payload)

    # -- resolve and commands --------------------------------------------------------------

    async def resolve(self, action: types.CodeAction) -> types.CodeAction:
        data = ActionData.from_json(action.data)
        if data is None or data.kind == "explain" or action.edit is not None:
            return action
        edit = await self._edit_for(data)
        if edit is not None:
            action.edit = edit
        return action

    async def apply(self, args: Sequence[Any]) -> None:
        data = ActionData.from_json(args[0] if args else None)
        if data is None:
            self._show("error", f"{APPLY_COMMAND} needs the data of a listed action")
            return
        if data.kind == "explain":
            await self._explain(data)
            return
        edit = await self._edit_for(data)
        if edit is not None:
            await self._apply_edit(edit, data)

    async def rewrite(self, args: Sequence[Any]) -> None:
        """`ghostls.rewrite` with `{"uri", "range", "instruction"?, "version"?}` or
        `uri, range, instruction?`: rewrite a selection as told (or asked) and apply it."""
        data = self._data_from_args(args, "rewrite")
        if data is None:
            self._show("error", f"{REWRITE_COMMAND} needs a uri and a range of an open document")
            return
        edit = await self._edit_for(data)
        if edit is not None:
            await self._apply_edit(edit, data)

    def explain(self, args: Sequence[Any]) -> None:
        """`ghostls.explain` with a listed action's data or `{"uri", "range"}`: answers at once;
        the explanation arrives later as a document (or a message)."""
        data = ActionData.from_json(args[0] if args else None) or self._data_from_args(
            args, "explain"
        )
        if data is None:
            self._show("error", f"{EXPLAIN_COMMAND} needs a uri and a range of an open document")
            return
        self._background.spawn(self._explain(replace(data, kind="explain")))

    def _data_from_args(self, args: Sequence[Any], kind: Any) -> ActionData | None:
        if args and isinstance(args[0], Mapping):
            value: Mapping[str, Any] = args[0]
            uri, span = value.get("uri"), value.get("range")
            instruction, version = value.get("instruction"), value.get("version")
        elif len(args) >= 2:
            uri, span = args[0], args[1]
            instruction = args[2] if len(args) > 2 else None
            version = None
        else:
            return None
        parsed = parse_range(span)
        doc = self.services.documents.get(uri) if isinstance(uri, str) else None
        if parsed is None or doc is None:
            return None
        encoding = self.services.encoding
        start = doc.point(parsed[0][0], parsed[0][1], encoding)
        end = doc.point(parsed[1][0], parsed[1][1], encoding)
        if (end.line, end.col) < (start.line, start.col):
            start, end = end, start
        first, last = selection_region(doc, start, end)
        data = self._data(doc, kind, first, last)
        if isinstance(version, int) and not isinstance(version, bool):
            data = replace(data, version=version)
        if isinstance(instruction, str) and instruction.strip():
            data = replace(data, instruction=instruction.strip())
        return data

    async def _edit_for(self, data: ActionData) -> types.WorkspaceEdit | None:
        if data.kind == "rewrite" and data.instruction is None:
            instruction = await self._ask_instruction()
            if instruction is None:
                return None
            data = replace(data, instruction=instruction)
        outcome = await self._run(data)
        if isinstance(outcome, Refused):
            self._show(outcome.severity, outcome.message)
        elif isinstance(outcome, Rewritten):
            return workspace_edit(outcome, document_changes=self.takes_document_changes())
        return None

    async def _ask_instruction(self) -> str | None:
        params = types.ShowMessageRequestParams(
            type=types.MessageType.Info,
            message="ghostls: how should the selection be rewritten?",
            actions=[types.MessageActionItem(title=title) for title in REWRITE_CHOICES],
        )
        try:
            choice = await self.server.window_show_message_request_async(params)
        except Exception as exc:  # a client that cannot ask gets no rewrite
            log.info("window/showMessageRequest failed: %s", exc)
            return None
        return REWRITE_CHOICES.get(choice.title) if choice is not None else None

    async def _apply_edit(self, edit: types.WorkspaceEdit, data: ActionData) -> None:
        label = f"ghostls: {_EDIT_LABELS.get(data.kind, 'AI edit')}"
        try:
            result = await self.server.workspace_apply_edit_async(
                types.ApplyWorkspaceEditParams(edit=edit, label=label)
            )
        except Exception as exc:
            log.warning("workspace/applyEdit failed: %s", exc)
            self._show("error", "the editor could not apply the edit")
            return
        if not result.applied:
            reason = f": {result.failure_reason}" if result.failure_reason else ""
            self._show("warning", f"the editor did not apply the edit{reason}")

    async def _explain(self, data: ActionData) -> None:
        try:
            outcome = await self._run(data)
        except Exception as exc:  # a background task: report, never raise into the void
            log.exception("explain failed")
            self._show("error", f"Explain failed ({type(exc).__name__}; see the server log)")
            return
        if isinstance(outcome, Refused):
            self._show(outcome.severity, outcome.message)
        elif isinstance(outcome, Explained):
            await self._show_explanation(outcome)

    async def _show_explanation(self, explained: Explained) -> None:
        if self.shows_documents():
            try:
                path = await asyncio.to_thread(self._write_explanation, explained)
                result = await self.server.window_show_document_async(
                    types.ShowDocumentParams(uri=path.as_uri(), take_focus=True)
                )
                if result.success:
                    return
            except Exception as exc:  # fall back to a message
                log.info("showing the explanation as a document failed: %s", exc)
        self.server.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Info,
                message=f"ghostls: {explained.title}\n\n{explained.markdown}",
            )
        )

    def _write_explanation(self, explained: Explained) -> Path:
        folder = self._explanations
        folder.mkdir(parents=True, exist_ok=True)
        digest = sha1(explained.markdown.encode(), usedforsecurity=False).hexdigest()[:10]
        stem = Path(explained.path).stem or "code"
        path = folder / f"{stem}-{explained.first_line + 1}-{digest}.md"
        lines = f"lines {explained.first_line + 1}–{explained.last_line + 1}"
        path.write_text(
            f"# {explained.title}\n\n`{explained.path}`, {lines}\n\n{explained.markdown}\n",
            encoding="utf-8",
        )
        return path

    # -- running with progress and cancellation --------------------------------------------

    async def _run(self, data: ActionData) -> Outcome | None:
        """The action's outcome; None when the user cancelled it from the progress."""
        title = _PROGRESS_TITLES[data.kind]
        return await self._with_progress(
            title, lambda report: run_action(self.services, data, report)
        )

    async def _with_progress(
        self,
        title: str,
        work: Callable[[Callable[[int], None]], Awaitable[Outcome]],
    ) -> Outcome | None:
        progress = self.server.work_done_progress
        token: str | None = None
        if self.shows_progress():
            token = f"ghostls-action-{uuid.uuid4().hex}"
            try:
                await progress.create_async(token)
            except Exception as exc:  # no progress, but the action still runs
                log.info("window/workDoneProgress/create failed: %s", exc)
                token = None
        last_report = 0.0

        def report(received: int) -> None:
            nonlocal last_report
            now = time.monotonic()
            if token is None or now - last_report < _REPORT_INTERVAL_S:
                return
            last_report = now
            progress.report(
                token, types.WorkDoneProgressReport(message=f"{received} characters received")
            )

        task = asyncio.ensure_future(work(report))
        stopped_by_user = False

        def on_cancel(future: Future[Any]) -> None:
            nonlocal stopped_by_user
            if future.cancelled():
                stopped_by_user = True
                task.cancel()

        if token is not None:
            progress.begin(
                token,
                types.WorkDoneProgressBegin(
                    title=title, cancellable=True, message="asking the model"
                ),
            )
            registered = progress.tokens.get(token)
            if registered is not None:
                registered.add_done_callback(on_cancel)
        message = "cancelled"
        try:
            outcome = await task
            message = "done" if not isinstance(outcome, Refused) else outcome.message
            return outcome
        except asyncio.CancelledError:
            if stopped_by_user:
                return None
            raise
        finally:
            if token is not None:
                progress.end(token, types.WorkDoneProgressEnd(message=message))
                progress.tokens.pop(token, None)

    def _show(self, severity: str, message: str) -> None:
        self.server.window_show_message(
            types.ShowMessageParams(type=_SEVERITY[severity], message=f"ghostls: {message}")
        )


def register_code_actions(
    server: LanguageServer, services: Services, env: Mapping[str, str]
) -> None:
    """Register the code-action handlers and commands on `server`."""
    actions = CodeActions(server, services, env)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.RefactorRewrite],
            resolve_provider=True,
        ),
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction | types.Command]:
        return actions.list_actions(params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(params: types.CodeAction) -> types.CodeAction:
        return await actions.resolve(params)

    @server.command(APPLY_COMMAND)
    async def apply_action(*args: Any) -> None:
        await actions.apply(args)

    @server.command(REWRITE_COMMAND)
    async def rewrite(*args: Any) -> None:
        await actions.rewrite(args)

    @server.command(EXPLAIN_COMMAND)
    def explain(*args: Any) -> None:
        actions.explain(args)
