"""AI code actions through the protocol, against the local model server."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from lsprotocol import types

from ghostls.documents import text_units
from ghostls.testing import Fault, ModelServer, Profile, RecordedRequest, Reply
from tests.actions.client import action_kind, editor
from tests.support import base_settings

URI = "file:///work/shapes.py"
SOURCE = """\
import math


def area(r):
    return math.pi * r * rr


def perimeter(r):
    raise NotImplementedError


print(area(2))
"""
FIXED = SOURCE.replace("r * rr", "r * r")


def _calls(model: ModelServer) -> list[RecordedRequest]:
    """The model calls (the server's warm-up lists models, which is not one)."""
    return [request for request in model.requests if request.path.endswith("completions")]


async def _first_call(model: ModelServer, timeout: float = 5.0) -> RecordedRequest:
    deadline = time.monotonic() + timeout
    while not _calls(model):
        assert time.monotonic() < deadline, "the model was never called"
        await asyncio.sleep(0.02)
    return _calls(model)[0]


def _only_edit(action: types.CodeAction) -> tuple[types.TextDocumentEdit, list[types.TextEdit]]:
    assert action.edit is not None and action.edit.document_changes is not None
    [change] = action.edit.document_changes
    assert isinstance(change, types.TextDocumentEdit)
    edits = [edit for edit in change.edits if isinstance(edit, types.TextEdit)]
    return change, edits


RR = SOURCE.split("\n")[4].index("rr")


def _diagnostic() -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(start=types.Position(4, RR), end=types.Position(4, RR + 2)),
        message="undefined name 'rr'",
        source="pyflakes",
        code="F821",
        severity=types.DiagnosticSeverity.Error,
    )


async def test_listing_is_instant_and_calls_no_model(model: ModelServer) -> None:
    async with editor(base_settings(model.base_url)) as ed:
        provider = ed.session.init.capabilities.code_action_provider
        assert isinstance(provider, types.CodeActionOptions)
        assert provider.resolve_provider is True
        commands = ed.session.init.capabilities.execute_command_provider
        assert commands is not None
        assert {"ghostls.applyAction", "ghostls.rewrite", "ghostls.explain"} <= set(
            commands.commands
        )
        ed.open(URI, SOURCE)
        started = time.monotonic()
        at_header = await ed.actions(URI, (3, 4), diagnostics=[_diagnostic()])
        at_stub = await ed.actions(URI, (7, 0))
        selected = await ed.actions(URI, (3, 0), (5, 0))
        nowhere = await ed.actions(URI, (0, 0))
        assert time.monotonic() - started < 1.0
    assert [(a.title, a.kind) for a in at_header if isinstance(a, types.CodeAction)] == [
        ("Fix with AI: undefined name 'rr'", types.CodeActionKind.QuickFix),
        ("Add docstring with AI", types.CodeActionKind.RefactorRewrite),
        ("Explain with AI", None),
    ]
    assert [action_kind(a) for a in at_stub] == ["docstring", "implement", "explain"]
    assert [action_kind(a) for a in selected] == ["docstring", "rewrite", "explain"]
    assert nowhere == []
    # Resolve-capable clients get data and no edit; Explain is a command.
    fix = at_header[0]
    assert isinstance(fix, types.CodeAction)
    assert fix.edit is None and fix.command is None
    assert list(fix.diagnostics or []) == [_diagnostic()]
    assert fix.data == {
        "kind": "fix",
        "uri": URI,
        "version": 1,
        "range": {"start": {"line": 2, "character": 0}, "end": {"line": 6, "character": 0}},
        "diagnostic": {
            "message": "undefined name 'rr'",
            "line": 4,
            "source": "pyflakes",
            "code": "F821",
        },
    }
    explain = at_header[2]
    assert isinstance(explain, types.CodeAction) and explain.command is not None
    assert explain.command.command == "ghostls.explain"
    assert _calls(model) == []


async def test_only_filter(model: ModelServer) -> None:
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        fixes = await ed.actions(
            URI, (3, 4), diagnostics=[_diagnostic()], only=[types.CodeActionKind.QuickFix]
        )
        refactors = await ed.actions(
            URI, (3, 4), diagnostics=[_diagnostic()], only=[types.CodeActionKind.Refactor]
        )
    assert [action_kind(a) for a in fixes] == ["fix"]
    assert [action_kind(a) for a in refactors] == ["docstring"]


async def test_add_docstring_resolves_to_a_minimal_versioned_edit(model: ModelServer) -> None:
    model.add_rule(
        'Here is the updated code:\n```python\ndef area(r):\n    """Area of a circle of '
        'radius r."""\n```\nThis adds a docstring.',
        contains="document `area`",
    )
    settings = base_settings(model.base_url, codeActionModel="big-coder")
    async with editor(settings) as ed:
        ed.open(URI, SOURCE)
        action = await ed.action(URI, "docstring", (3, 6))
        resolved = await ed.resolve(action)
    change, edits = _only_edit(resolved)
    assert change.text_document.version == 1
    assert change.text_document.uri == URI
    assert edits == [
        types.TextEdit(
            range=types.Range(start=types.Position(3, 12), end=types.Position(3, 12)),
            new_text='\n    """Area of a circle of radius r."""',
        )
    ]
    [call] = _calls(model)
    assert call.path == "/v1/chat/completions"
    assert call.body["model"] == "big-coder"
    assert "<REGION>\ndef area(r):\n</REGION>" in call.prompt_text


async def test_doc_comment_goes_above_a_typescript_function(model: ModelServer) -> None:
    uri = "file:///work/clamp.ts"
    text = (
        "import { x } from './x';\n\n"
        "export function clamp(value: number, low: number, high: number): number {\n"
        "  return Math.min(Math.max(value, low), high);\n}\n"
    )
    header = "export function clamp(value: number, low: number, high: number): number {"
    doc = "/**\n * Clamps a value between two bounds.\n * @param value - The value.\n */"
    model.add_rule(
        f"```typescript\n{doc}\n{header}\n  return Math.min(Math.max(value, low), high);\n}}\n```",
        contains="TSDoc comment",
    )
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(uri, text, "typescript")
        resolved = await ed.resolve(await ed.action(uri, "docstring", (2, 10)))
        assert resolved.edit is not None
        ed.apply(resolved.edit)
        # The echo of the body is dropped: only the comment is added.
        assert ed.text(uri) == text.replace(header, f"{doc}\n{header}")


async def test_implement_replaces_only_the_stub(model: ModelServer) -> None:
    model.add_rule(
        "def perimeter(r):\n    return 2 * math.pi * r", contains="implement `perimeter`"
    )
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        resolved = await ed.resolve(await ed.action(URI, "implement", (7, 0)))
        assert resolved.edit is not None
        ed.apply(resolved.edit)
        assert ed.text(URI) == SOURCE.replace("raise NotImplementedError", "return 2 * math.pi * r")
    _, edits = _only_edit(resolved)
    assert all(edit.range.start.line == 8 and edit.range.end.line == 8 for edit in edits)
    assert _calls(model)[0].body["model"] == "ghost-coder"


async def test_fix_with_ai_uses_the_diagnostic(model: ModelServer) -> None:
    model.add_rule(
        "def area(r):\n    return math.pi * r * r", contains="undefined name 'rr' (pyflakes F821)"
    )
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        action = await ed.action(URI, "fix", (4, RR), diagnostics=[_diagnostic()])
        resolved = await ed.resolve(action)
        assert resolved.edit is not None
        ed.apply(resolved.edit)
        assert ed.text(URI) == FIXED
    _, edits = _only_edit(resolved)
    assert len(edits) == 1 and edits[0].range.start.line == 4
    prompt = _calls(model)[0].prompt_text
    assert "reported at line 5" in prompt
    assert "```python" in prompt


async def test_a_stale_action_is_refused(model: ModelServer) -> None:
    model.add_rule("def area(r):\n    '''Doc.'''")
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        action = await ed.action(URI, "docstring", (3, 0))
        ed.change(URI, 11, 0, "# more\n")
        resolved = await ed.resolve(action)
        assert resolved.edit is None
        await ed.wait_for(lambda: ed.messages())
        assert "changed since the action was offered" in ed.messages()[0]
    assert _calls(model) == []


async def test_a_change_during_the_model_call_is_refused(model: ModelServer) -> None:
    model.add_rule(Reply(text="def area(r):\n    '''Doc.'''", profile=Profile(ttft_ms=600)))
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        action = await ed.action(URI, "docstring", (3, 0))
        _, answer = ed.send_resolve(action)
        await _first_call(model)
        ed.change(URI, 0, 0, "# header\n")
        resolved = await asyncio.wait_for(answer, 5.0)
        assert resolved.edit is None
        await ed.wait_for(lambda: ed.messages())
        assert "changed since" in ed.messages()[0]


async def test_clients_without_resolve_get_a_command_that_applies_the_edit(
    model: ModelServer,
) -> None:
    model.add_rule("def perimeter(r):\n    return 2 * math.pi * r", contains="implement")
    async with editor(base_settings(model.base_url), resolve=False) as ed:
        ed.open(URI, SOURCE)
        action = await ed.action(URI, "implement", (7, 0))
        assert action.data is None and action.edit is None
        assert action.command is not None
        assert action.command.command == "ghostls.applyAction"
        assert _calls(model) == []
        await ed.execute(action.command)
        [applied] = ed.applied
        ed.apply(applied.edit)
        assert ed.text(URI) == SOURCE.replace("raise NotImplementedError", "return 2 * math.pi * r")
        assert ed.progress() and isinstance(ed.progress()[0][0], types.WorkDoneProgressBegin)


async def test_clients_without_code_action_literals_get_commands(model: ModelServer) -> None:
    async with editor(base_settings(model.base_url), literals=False) as ed:
        ed.open(URI, SOURCE)
        listed = await ed.actions(URI, (7, 0))
    assert listed and all(isinstance(item, types.Command) for item in listed)
    assert [action_kind(item) for item in listed] == ["docstring", "implement", "explain"]


async def test_clients_without_document_changes_get_plain_changes(model: ModelServer) -> None:
    model.add_rule("def perimeter(r):\n    return 2 * math.pi * r", contains="implement")
    async with editor(base_settings(model.base_url), document_changes=False) as ed:
        ed.open(URI, SOURCE)
        resolved = await ed.resolve(await ed.action(URI, "implement", (7, 0)))
    assert resolved.edit is not None and resolved.edit.document_changes is None
    assert resolved.edit.changes is not None and list(resolved.edit.changes) == [URI]


async def test_progress_is_reported(model: ModelServer) -> None:
    model.add_rule("def perimeter(r):\n    return 2 * math.pi * r")
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        await ed.resolve(await ed.action(URI, "implement", (7, 0)))
        [reports] = ed.progress()
    begin, end = reports[0], reports[-1]
    assert isinstance(begin, types.WorkDoneProgressBegin)
    assert begin.title == "Implementing with AI" and begin.cancellable
    assert isinstance(end, types.WorkDoneProgressEnd)


async def test_no_progress_for_clients_without_it(model: ModelServer) -> None:
    model.add_rule("def perimeter(r):\n    return 2 * math.pi * r")
    async with editor(base_settings(model.base_url), progress=False) as ed:
        ed.open(URI, SOURCE)
        resolved = await ed.resolve(await ed.action(URI, "implement", (7, 0)))
        assert resolved.edit is not None
        assert ed.progress() == []


async def test_cancelling_resolve_closes_the_model_stream(model: ModelServer) -> None:
    model.add_rule(Reply(fault=Fault(kind="hang")))
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        msg_id, answer = ed.send_resolve(await ed.action(URI, "implement", (7, 0)))
        call = await _first_call(model)
        ed.session.cancel(msg_id)
        assert await model.wait_for_disconnect(call.id, timeout=3.0)
        with pytest.raises(Exception, match="cancel"):
            await asyncio.wait_for(answer, 3.0)
        await ed.wait_for(
            lambda: any(isinstance(r[-1], types.WorkDoneProgressEnd) for r in ed.progress())
        )


async def test_cancelling_the_progress_closes_the_model_stream(model: ModelServer) -> None:
    model.add_rule(Reply(fault=Fault(kind="hang")))
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        _, answer = ed.send_resolve(await ed.action(URI, "implement", (7, 0)))
        call = await _first_call(model)
        await ed.wait_for(lambda: bool(ed.client.progress_reports))
        [token] = list(ed.client.progress_reports)
        ed.client.protocol.notify(
            types.WINDOW_WORK_DONE_PROGRESS_CANCEL, types.WorkDoneProgressCancelParams(token=token)
        )
        assert await model.wait_for_disconnect(call.id, timeout=3.0)
        resolved = await asyncio.wait_for(answer, 3.0)
        assert resolved.edit is None
        reports = ed.client.progress_reports[token]
        assert isinstance(reports[-1], types.WorkDoneProgressEnd)
        assert reports[-1].message == "cancelled"


async def test_explain_arrives_as_a_document(model: ModelServer, tmp_path: Path) -> None:
    explanation = "`area` returns the area of a circle of radius `r`."
    model.add_rule(Reply(text=explanation, profile=Profile(ttft_ms=400)), contains="explain")
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    async with editor(base_settings(model.base_url), env=env) as ed:
        ed.open(URI, SOURCE)
        action = await ed.action(URI, "explain", (3, 0))
        assert action.command is not None
        started = time.monotonic()
        await ed.execute(action.command)
        assert time.monotonic() - started < 0.35  # the command does not wait for the model
        await ed.wait_for(lambda: bool(ed.client.shown_documents))
        [shown] = ed.client.shown_documents
    assert shown.take_focus
    path = Path(shown.uri.removeprefix("file://"))
    assert path.suffix == ".md" and tmp_path in path.parents
    content = await asyncio.to_thread(path.read_text, encoding="utf-8")
    assert content.startswith("# Explanation of area\n")
    assert explanation in content
    assert "explain the code in the region" in _calls(model)[0].prompt_text


async def test_explain_falls_back_to_a_message(model: ModelServer) -> None:
    model.add_rule("It adds things up.", contains="explain")
    async with editor(base_settings(model.base_url), show_document=False) as ed:
        ed.open(URI, SOURCE)
        action = await ed.action(URI, "explain", (3, 0), (4, 10))
        assert action.command is not None
        await ed.execute(action.command)
        await ed.wait_for(lambda: bool(ed.messages()))
        assert ed.client.shown_documents == []
        [message] = ed.client.messages
    assert message.type == types.MessageType.Info
    assert "It adds things up." in message.message


async def test_rewrite_asks_how_with_choices(model: ModelServer) -> None:
    model.add_rule("def area(r):\n    return math.pi * r ** 2", contains="Simplify it")
    async with editor(base_settings(model.base_url), choice="Simplify") as ed:
        ed.open(URI, FIXED)
        action = await ed.action(URI, "rewrite", (3, 0), (5, 0))
        resolved = await ed.resolve(action)
        [asked] = ed.asked
        assert resolved.edit is not None
        ed.apply(resolved.edit)
        assert ed.text(URI) == FIXED.replace("r * r\n", "r ** 2\n")
    assert [item.title for item in asked.actions or []] == [
        "Simplify",
        "Add error handling",
        "Add types",
        "Optimise",
    ]


async def test_rewrite_dismissed_calls_no_model(model: ModelServer) -> None:
    async with editor(base_settings(model.base_url), choice=None) as ed:
        ed.open(URI, FIXED)
        resolved = await ed.resolve(await ed.action(URI, "rewrite", (3, 0), (5, 0)))
        assert resolved.edit is None
        assert len(ed.asked) == 1
    assert _calls(model) == []


async def test_rewrite_command_takes_free_text(model: ModelServer) -> None:
    model.add_rule("def area(r):\n    return math.pi * r**2", contains="Use the power operator")
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, FIXED)
        await ed.execute(
            types.Command(
                title="rewrite",
                command="ghostls.rewrite",
                arguments=[
                    {
                        "uri": URI,
                        "range": {
                            "start": {"line": 3, "character": 0},
                            "end": {"line": 4, "character": 31},
                        },
                        "instruction": "Use the power operator.",
                    }
                ],
            )
        )
        [applied] = ed.applied
        ed.apply(applied.edit)
        assert ed.text(URI) == FIXED.replace("r * r\n", "r**2\n")
        assert ed.asked == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_edits_are_exact_after_emoji_and_cjk(model: ModelServer, encoding: str) -> None:
    text = 'label = "😀 数据"; total = count + 1\nprint(total)\n'
    model.add_rule("counter + 1", contains="Rename count")
    start = text.index("count")
    end = text.index("\n")
    async with editor(base_settings(model.base_url), encodings=[encoding]) as ed:
        assert ed.encoding == encoding
        ed.open(URI, text)
        units = text_units(text[:start], encoding)  # type: ignore[arg-type]
        end_units = text_units(text[:end], encoding)  # type: ignore[arg-type]
        action = await ed.action(URI, "rewrite", (0, units), (0, end_units))
        assert action.data is not None
        action.data["instruction"] = "Rename count to counter."
        resolved = await ed.resolve(action)
        assert resolved.edit is not None
        _, edits = _only_edit(resolved)
        assert edits == [
            types.TextEdit(
                range=types.Range(
                    start=types.Position(0, end_units - 4), end=types.Position(0, end_units - 4)
                ),
                new_text="er",
            )
        ]
        ed.apply(resolved.edit)
        assert ed.text(URI) == text.replace("count +", "counter +")
    assert ed.asked == []


async def test_crlf_and_tabs_are_kept(model: ModelServer) -> None:
    uri = "file:///work/server.go"
    text = 'package main\r\n\r\nfunc Start() error {\r\n\tpanic("not implemented")\r\n}\r\n'
    model.add_rule(
        "```go\nfunc Start() error {\n    if err := listen(); err != nil {\n"
        "        return err\n    }\n    return nil\n}\n```",
        contains="implement `Start`",
    )
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(uri, text, "go")
        resolved = await ed.resolve(await ed.action(uri, "implement", (2, 0)))
        assert resolved.edit is not None
        ed.apply(resolved.edit)
        assert ed.text(uri) == (
            "package main\r\n\r\nfunc Start() error {\r\n\tif err := listen(); err != nil {\r\n"
            "\t\treturn err\r\n\t}\r\n\treturn nil\r\n}\r\n"
        )


async def test_excluded_files_get_no_actions(model: ModelServer) -> None:
    settings = base_settings(model.base_url, exclude=["secret_*.py"])
    async with editor(settings) as ed:
        ed.open("file:///work/secret_shapes.py", SOURCE)
        assert await ed.actions("file:///work/secret_shapes.py", (7, 0)) == []
        ed.open("file:///work/.env", "def f():\n    pass\n")
        assert await ed.actions("file:///work/.env", (0, 0)) == []
        ed.open(URI, SOURCE)
        assert await ed.actions(URI, (7, 0)) != []


async def test_a_failing_model_is_reported(model: ModelServer) -> None:
    model.add_rule(Reply(fault=Fault(kind="status", status=500)))
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        resolved = await ed.resolve(await ed.action(URI, "implement", (7, 0)))
        assert resolved.edit is None
        await ed.wait_for(lambda: bool(ed.messages()))
        [message] = ed.client.messages
    assert message.type == types.MessageType.Error
    assert message.message.startswith("ghostls: the model call failed: the endpoint failed (500")


async def test_an_unchanged_answer_is_reported(model: ModelServer) -> None:
    model.add_rule("def perimeter(r):\n    raise NotImplementedError")
    async with editor(base_settings(model.base_url)) as ed:
        ed.open(URI, SOURCE)
        resolved = await ed.resolve(await ed.action(URI, "implement", (7, 0)))
        assert resolved.edit is None
        await ed.wait_for(lambda: bool(ed.messages()))
        assert "suggested no change" in ed.messages()[0]
