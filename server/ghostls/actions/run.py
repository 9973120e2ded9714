"""Running one action: the model call, the cleaning of its answer, and the resulting edit.

`run_action` checks the document (open, not excluded, still the version the action was offered
for), asks the model for the region's new text (or an explanation), cleans it like a completion
(fences, prose), fits it to the region's indentation and turns it into minimal edits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from lsprotocol import types

from ghostls.actions.detect import ActionKind
from ghostls.actions.diff import Edit, minimal_edits, region_text
from ghostls.actions.fit import fit_answer, leading
from ghostls.actions.prompts import ActionPrompt, messages
from ghostls.cursor import Cursor, Insertion
from ghostls.documents import Document, DocumentStore, Encoding, normalize_eol
from ghostls.model import ModelClient, ModelError, ModelRequest
from ghostls.postprocess.fences import strip_fences
from ghostls.postprocess.prose import strip_prose
from ghostls.settings import Settings
from ghostls.snapshot import detect_indent_unit, uri_to_path

KINDS: tuple[ActionKind, ...] = ("fix", "docstring", "implement", "rewrite", "explain")
CONTEXT_BEFORE_CHARS = 6000
CONTEXT_AFTER_CHARS = 3000
MAX_REGION_CHARS = 60_000
EXPLAIN_MAX_TOKENS = 1024

STALE = "the document changed since the action was offered; ask for the action again"

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Diagnostic:
    """What a Fix knows about the diagnostic it fixes."""

    message: str
    line: int
    source: str | None = None
    code: str | None = None

    def describe(self) -> str:
        origin = " ".join(part for part in (self.source, self.code) if part)
        return f"{self.message} ({origin})" if origin else self.message


@dataclass(frozen=True)
class ActionData:
    """The `data` an action carries from listing to resolve (or to its command), as JSON:

    {"kind": "fix" | "docstring" | "implement" | "rewrite" | "explain",
     "uri": str, "version": int,
     "range": LSP Range of the region rewritten (or explained), in the negotiated encoding,
     "name"?: str (the definition's name),
     "diagnostic"?: {"message": str, "line": int, "source"?: str, "code"?: str} (fix),
     "instruction"?: str (rewrite)}
    """

    kind: ActionKind
    uri: str
    version: int
    start: tuple[int, int]
    end: tuple[int, int]
    name: str | None = None
    diagnostic: Diagnostic | None = None
    instruction: str | None = None

    def to_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {
            "kind": self.kind,
            "uri": self.uri,
            "version": self.version,
            "range": {
                "start": {"line": self.start[0], "character": self.start[1]},
                "end": {"line": self.end[0], "character": self.end[1]},
            },
        }
        if self.name is not None:
            value["name"] = self.name
        if self.diagnostic is not None:
            diagnostic: dict[str, Any] = {
                "message": self.diagnostic.message,
                "line": self.diagnostic.line,
            }
            if self.diagnostic.source:
                diagnostic["source"] = self.diagnostic.source
            if self.diagnostic.code:
                diagnostic["code"] = self.diagnostic.code
            value["diagnostic"] = diagnostic
        if self.instruction is not None:
            value["instruction"] = self.instruction
        return value

    @classmethod
    def from_json(cls, value: object) -> ActionData | None:
        """The data, or None when `value` is not an action's data."""
        if not isinstance(value, Mapping):
            return None
        kind = value.get("kind")
        uri = value.get("uri")
        version = value.get("version")
        span = parse_range(value.get("range"))
        if kind not in KINDS or not isinstance(uri, str) or span is None:
            return None
        if not isinstance(version, int) or isinstance(version, bool):
            return None
        name = value.get("name")
        instruction = value.get("instruction")
        return cls(
            kind=kind,
            uri=uri,
            version=version,
            start=span[0],
            end=span[1],
            name=name if isinstance(name, str) else None,
            diagnostic=_parse_diagnostic(value.get("diagnostic")),
            instruction=instruction if isinstance(instruction, str) and instruction else None,
        )


def parse_range(value: object) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((line, character), (line, character)) from an LSP Range as JSON."""
    if not isinstance(value, Mapping):
        return None
    ends = []
    for key in ("start", "end"):
        position = value.get(key)
        if not isinstance(position, Mapping):
            return None
        line, character = position.get("line"), position.get("character")
        if not isinstance(line, int) or not isinstance(character, int):
            return None
        ends.append((max(0, line), max(0, character)))
    return ends[0], ends[1]


def _parse_diagnostic(value: object) -> Diagnostic | None:
    if not isinstance(value, Mapping):
        return None
    message, line = value.get("message"), value.get("line")
    if not isinstance(message, str) or not isinstance(line, int):
        return None
    source, code = value.get("source"), value.get("code")
    return Diagnostic(
        message,
        line,
        source if isinstance(source, str) else None,
        str(code) if isinstance(code, (str, int)) and not isinstance(code, bool) else None,
    )


# -- outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """Nothing to apply; `message` tells the user why."""

    message: str
    severity: Severity = "warning"


@dataclass(frozen=True)
class Rewritten:
    uri: str
    version: int
    edits: list[Edit] = field(default_factory=list)


@dataclass(frozen=True)
class Explained:
    title: str
    path: str
    first_line: int
    last_line: int
    markdown: str


Outcome = Refused | Rewritten | Explained


class Services(Protocol):
    """What the code actions need from the server, read as each action runs (the model client,
    the settings and the encoding change over a session)."""

    @property
    def documents(self) -> DocumentStore: ...

    @property
    def client(self) -> ModelClient: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def encoding(self) -> Encoding: ...

    def excluded(self, doc: Document) -> bool: ...


def workspace_edit(result: Rewritten, *, document_changes: bool) -> types.WorkspaceEdit:
    """A versioned edit of one document (or plain `changes` for clients without them)."""
    edits = [
        types.TextEdit(
            range=types.Range(
                start=types.Position(edit.start_line, edit.start_character),
                end=types.Position(edit.end_line, edit.end_character),
            ),
            new_text=edit.new_text,
        )
        for edit in result.edits
    ]
    if not document_changes:
        return types.WorkspaceEdit(changes={result.uri: edits})
    identifier = types.OptionalVersionedTextDocumentIdentifier(
        uri=result.uri, version=result.version
    )
    document_edit = types.TextDocumentEdit(text_document=identifier, edits=list(edits))
    return types.WorkspaceEdit(document_changes=[document_edit])


# -- running ------------------------------------------------------------------------------


def _check(services: Services, data: ActionData) -> Document | Refused:
    doc = services.documents.get(data.uri)
    if doc is None:
        return Refused("the document is not open")
    if services.excluded(doc):
        return Refused("AI actions are off for this file (exclude, disabledLanguages)", "info")
    if doc.version != data.version:
        return Refused(STALE)
    return doc


async def run_action(
    services: Services,
    data: ActionData,
    on_progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Ask the model for the action's result; `on_progress` gets the characters received."""
    checked = _check(services, data)
    if isinstance(checked, Refused):
        return checked
    doc = checked
    start = doc.point(data.start[0], data.start[1], services.encoding)
    end = doc.point(data.end[0], data.end[1], services.encoding)
    if (end.line, end.col) < (start.line, start.col):
        start, end = end, start
    original = normalize_eol(region_text(doc, start, end))
    if len(original) > MAX_REGION_CHARS:
        return Refused("the region is too large for an AI action")
    if data.kind != "explain" and not original.strip() and data.kind != "implement":
        return Refused("there is no code to work on here", "info")
    before = normalize_eol(doc.window_before(start, CONTEXT_BEFORE_CHARS)[1])
    after = normalize_eol(doc.window_after(end, CONTEXT_AFTER_CHARS)[1])
    prompt = ActionPrompt(
        kind=data.kind,
        path=uri_to_path(doc.uri),
        language_id=doc.language_id,
        before=before,
        region=original,
        after=after,
        name=data.name,
        diagnostic=data.diagnostic.describe() if data.diagnostic else None,
        diagnostic_line=data.diagnostic.line + 1 if data.diagnostic else None,
        instruction=data.instruction,
    )
    settings = services.settings
    request = ModelRequest(
        endpoint="chat",
        model=settings.code_action_model or settings.model,
        max_tokens=_max_tokens(data.kind, original),
        temperature=settings.temperature,
        messages=messages(prompt),
    )
    try:
        raw = await _collect(services.client, request, on_progress)
    except ModelError as error:
        return Refused(f"the model call failed: {error.message}", "error")
    checked = _check(services, data)
    if isinstance(checked, Refused):
        return checked
    if data.kind == "explain":
        text = _unwrap_markdown(raw)
        if not text.strip():
            return Refused("the model returned no explanation")
        return Explained(_explain_title(data), prompt.path, start.line, end.line, text)
    indent_unit = detect_indent_unit(doc, start.line)
    code = clean_code(raw, doc.language_id, indent_unit, before, after)
    if not code.strip():
        return Refused("the model returned no code")
    whole_lines = start.col == 0 and end.col == len(doc.body(end.line))
    fitted = fit_answer(
        code,
        original,
        whole_lines=whole_lines,
        indent_unit=indent_unit,
        line_indent=leading(doc.body(start.line)),
        before=before.split("\n")[:-1] if whole_lines else (),
        after=after.split("\n")[1:] if whole_lines else (),
    )
    if not fitted.strip():
        return Refused("the model returned no code")
    edits = minimal_edits(doc, start, end, fitted, services.encoding)
    if not edits:
        return Refused("the model suggested no change", "info")
    return Rewritten(doc.uri, doc.version, edits)


async def _collect(
    client: ModelClient, request: ModelRequest, on_progress: Callable[[int], None] | None
) -> str:
    """The whole answer; the stream is closed on any exit, cancellation included."""
    parts: list[str] = []
    received = 0
    stream = client.stream(request)
    try:
        async for piece in stream:
            parts.append(piece)
            received += len(piece)
            if on_progress is not None:
                on_progress(received)
    finally:
        close = getattr(stream, "aclose", None)
        if close is not None:
            await close()
    return "".join(parts)


def _max_tokens(kind: ActionKind, region: str) -> int:
    if kind == "explain":
        return EXPLAIN_MAX_TOKENS
    return min(8192, max(1024, len(region) // 2 + 512))


def clean_code(raw: str, language_id: str, indent_unit: str, before: str, after: str) -> str:
    """A chat answer without fences and prose, as completions are cleaned."""
    ctx = Cursor(
        prefix=before[: before.rfind("\n") + 1],
        suffix=after,
        language_id=language_id,
        multiline=True,
        indent_unit=indent_unit,
        from_chat=True,
    )
    insertion = Insertion(normalize_eol(raw))
    for stage in (strip_fences, strip_prose):
        insertion = stage(insertion, ctx)
    return insertion.text


_MARKDOWN_FENCE = re.compile(r"\A\s*```(?:markdown|md)?[ \t]*\n(.*)\n```\s*\Z", re.DOTALL)


def _unwrap_markdown(raw: str) -> str:
    text = normalize_eol(raw).strip()
    match = _MARKDOWN_FENCE.match(text)
    return match.group(1).strip() if match else text


def _explain_title(data: ActionData) -> str:
    if data.name:
        return f"Explanation of {data.name}"
    return f"Explanation of lines {data.start[0] + 1}–{data.end[0] + 1}"
