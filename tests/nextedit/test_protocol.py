"""Next-edit suggestions through the protocol (`textDocument/copilotInlineEdit`), against the
local model server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pygls.exceptions import JsonRpcException

from ghostls.testing import Fault, ModelServer, Profile, Reply
from ghostls.testing.lsp import apply_inline_edit, plain
from tests.support import Session, base_settings, lsp_session, model_calls, wait_for_calls

URI = "file:///work/totals.py"
SOURCE = """\
def total(values):
    result = 0
    for value in values:
        result += value
    return result
"""
RENAMED = SOURCE.replace("result", "acc")
# The user renamed the first `result`: the rest of the rename is the next edit.
AFTER_FIRST = SOURCE.replace("result = 0", "acc = 0")
FENCED_RENAMED = f"```python\n{RENAMED}```"


def on(base_url: str, **overrides: Any) -> dict[str, Any]:
    return base_settings(base_url, promptMode="chat", nextEdit="on", **overrides)


async def inline_edit(
    session: Session, uri: str, line: int, character: int, version: int | None = None
) -> list[dict[str, Any]]:
    document: dict[str, Any] = {"uri": uri}
    document["version"] = session.docs[uri].version if version is None else version
    result = await session.client.protocol.send_request_async(
        "textDocument/copilotInlineEdit",
        {"textDocument": document, "position": {"line": line, "character": character}},
    )
    return list(plain(result)["edits"])


def applied(text: str, edit: dict[str, Any]) -> str:
    return apply_inline_edit(text, edit)[0]


def rename_first(session: Session) -> None:
    session.open(URI, SOURCE)
    session.replace(URI, (1, 4), (1, 10), "acc")


async def test_capability_advertised_and_off_by_default(model: ModelServer) -> None:
    async with lsp_session(base_settings(model.base_url)) as session:
        assert plain(session.init.capabilities.experimental) == {"copilotInlineEdit": True}
        rename_first(session)
        assert await inline_edit(session, URI, 1, 7) == []
        stats = await session.stats()
    assert model_calls(model) == []
    assert stats["counters"]["nextEditRequests"] == 1


async def test_rest_of_a_rename_offered_as_one_edit(model: ModelServer) -> None:
    model.add_rule(FENCED_RENAMED, contains="Editable window")
    async with lsp_session(on(model.base_url)) as session:
        rename_first(session)
        [edit] = await inline_edit(session, URI, 1, 7)
        stats = await session.stats()
    assert edit["textDocument"] == {"uri": URI, "version": 2}
    assert applied(AFTER_FIRST, edit) == RENAMED
    # One edit from the first change to the last, not the whole window.
    assert edit["range"]["start"] == {"line": 3, "character": 8}
    assert edit["range"]["end"] == {"line": 4, "character": 17}
    assert edit["command"]["command"] == "ghostls.nextEditAccepted"
    [call] = model_calls(model)
    prompt = "\n".join(message["content"] for message in call.body["messages"])
    assert "-    result = 0\n+    acc = 0" in prompt  # the recent edit, as a diff
    assert "    acc<|cursor|> = 0" in prompt
    assert call.body["model"] == "ghost-coder"
    assert stats["counters"]["nextEditOffered"] == 1
    assert stats["latencyMs"]["nextEdit"]["count"] == 1


async def test_own_model_for_next_edits(model: ModelServer) -> None:
    model.add_rule(FENCED_RENAMED)
    async with lsp_session(on(model.base_url, nextEditModel="edit-predictor")) as session:
        rename_first(session)
        assert len(await inline_edit(session, URI, 1, 7)) == 1
    assert [call.body["model"] for call in model_calls(model)] == ["edit-predictor"]


async def test_no_call_without_a_recent_edit(model: ModelServer) -> None:
    async with lsp_session(on(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert await inline_edit(session, URI, 1, 7) == []
        stats = await session.stats()
    assert model_calls(model) == []
    assert stats["counters"]["nextEditNoHistory"] == 1


async def test_stale_version_is_never_answered(model: ModelServer) -> None:
    model.add_rule(FENCED_RENAMED)
    async with lsp_session(on(model.base_url)) as session:
        rename_first(session)
        assert await inline_edit(session, URI, 1, 7, version=1) == []
        stats = await session.stats()
    assert model_calls(model) == []
    assert stats["counters"]["nextEditStale"] == 1


async def test_no_change_answer(model: ModelServer) -> None:
    model.add_rule("NO_CHANGE")
    async with lsp_session(on(model.base_url)) as session:
        rename_first(session)
        assert await inline_edit(session, URI, 1, 7) == []
        stats = await session.stats()
    assert stats["counters"]["nextEditNoChange"] == 1


async def test_a_rewrite_unlike_the_window_is_dropped(model: ModelServer) -> None:
    model.add_rule("```python\nimport os\n\nprint(os.getcwd())\n```")
    async with lsp_session(on(model.base_url)) as session:
        rename_first(session)
        assert await inline_edit(session, URI, 1, 7) == []
        stats = await session.stats()
    assert stats["counters"]["nextEditDropped"] == 1


async def test_shown_accepted_and_the_next_edit_fetched_ahead(model: ModelServer) -> None:
    source = "a = f(1)\nb = f(2)\nc = f(3)\n"
    first = "a = g(1)\nb = f(2)\nc = f(3)\n"
    second = "a = g(1)\nb = g(2)\nc = f(3)\n"
    third = "a = g(1)\nb = g(2)\nc = g(3)\n"
    model.add_rule(f"```python\n{second}```", contains="b = f(2)\nc = f(3)\n```")
    model.add_rule(f"```python\n{third}```", contains="b = g(2)\nc = f(3)\n```")
    async with lsp_session(on(model.base_url, prefetch=True)) as session:
        session.open(URI, source)
        session.replace(URI, (0, 4), (0, 5), "g")
        [edit] = await inline_edit(session, URI, 0, 5)
        assert applied(first, edit) == second
        session.client.protocol.notify(
            "textDocument/didShowInlineEdit", {"item": {"command": edit["command"]}}
        )
        # The editor applies the edit, then runs its command.
        start, end = edit["range"]["start"], edit["range"]["end"]
        session.replace(
            URI, (start["line"], start["character"]), (end["line"], end["character"]), edit["text"]
        )
        await session.client.workspace_execute_command_async(
            _command(edit["command"]["command"], edit["command"]["arguments"])
        )
        await wait_for_calls(model, 2)
        [following] = await inline_edit(session, URI, 1, 5)
        stats = await session.stats()
    assert applied(second, following) == third
    assert len(model_calls(model)) == 2
    counters = stats["counters"]
    assert counters["nextEditShown"] == 1
    assert counters["nextEditAccepted"] == 1
    assert counters["nextEditPrefetches"] == 1
    assert counters["nextEditPrefetchHits"] == 1


def _command(name: str, arguments: list[Any]) -> Any:
    from lsprotocol import types

    return types.ExecuteCommandParams(command=name, arguments=arguments)


async def test_zeta_prompt(model: ModelServer) -> None:
    model.add_rule(
        "```totals.py\n<|start_of_file|>\n<|editable_region_start|>\n"
        + RENAMED
        + "<|editable_region_end|>\n```"
    )
    async with lsp_session(on(model.base_url, nextEditPrompt="zeta")) as session:
        rename_first(session)
        [edit] = await inline_edit(session, URI, 1, 7)
    assert applied(AFTER_FIRST, edit) == RENAMED
    [call] = model_calls(model)
    assert call.path == "/v1/completions"
    prompt = call.body["prompt"]
    assert '### User Edits:\n\nUser edited "totals.py":\n```diff\n@@ -2,1 +2,1 @@' in prompt
    assert "<|editable_region_start|>\ndef total(values):\n    acc<|user_cursor_is_here|> = 0" in (
        prompt
    )
    assert prompt.endswith("### Response:\n")


async def test_sweep_prompt(model: ModelServer) -> None:
    model.add_rule(RENAMED + "<|file_sep|>")
    async with lsp_session(on(model.base_url, nextEditPrompt="sweep")) as session:
        rename_first(session)
        [edit] = await inline_edit(session, URI, 1, 7)
    assert applied(AFTER_FIRST, edit) == RENAMED
    [call] = model_calls(model)
    prompt = call.body["prompt"]
    assert (
        "<|file_sep|>totals.py.diff\noriginal:\n    result = 0\nupdated:\n    acc = 0\n" in prompt
    )
    assert f"<|file_sep|>original/totals.py\n{SOURCE}" in prompt
    assert f"<|file_sep|>current/totals.py\n{AFTER_FIRST}" in prompt
    assert prompt.endswith("<|file_sep|>updated/totals.py\n")
    assert "<|file_sep|>" in call.body["stop"]


async def test_a_change_cancels_the_call(model: ModelServer) -> None:
    model.add_rule(Reply(FENCED_RENAMED, profile=Profile(ttft_ms=3000)))
    async with lsp_session(on(model.base_url)) as session:
        rename_first(session)
        pending = asyncio.ensure_future(inline_edit(session, URI, 1, 7))
        await wait_for_calls(model, 1)
        session.type_text(URI, 1, 7, " ")
        assert await pending == []
        stats = await session.stats()
    assert stats["counters"]["nextEditCancelled"] == 1
    assert stats["counters"]["nextEditOffered"] == 0


async def test_rate_limited_call_waits_for_retry_after(model: ModelServer) -> None:
    model.fault_next(Fault("status", status=429, retry_after=30))
    model.add_rule(FENCED_RENAMED)
    async with lsp_session(on(model.base_url)) as session:
        rename_first(session)
        assert await inline_edit(session, URI, 1, 7) == []
        await session.status_becomes("rate-limited")
        session.replace(URI, (3, 4), (3, 10), "acc")
        assert await inline_edit(session, URI, 3, 7) == []  # within Retry-After: no call
        assert await session.inline(URI, 3, 7) == []  # completions wait too
        stats = await session.stats()
    assert len(model_calls(model)) == 1
    assert stats["counters"]["rateLimited"] == 1
    messages = [n for n in session.notifications if n[0] == "window/showMessage"]
    assert len(messages) <= 1


async def test_excluded_file_and_secret_window_make_no_call(model: ModelServer) -> None:
    model.add_rule(FENCED_RENAMED)
    async with lsp_session(on(model.base_url)) as session:
        session.open("file:///work/.env", "A=1\nB=2\n", "dotenv")
        session.replace("file:///work/.env", (0, 2), (0, 3), "5")
        assert await inline_edit(session, "file:///work/.env", 0, 3) == []
        secret = 'API_KEY = "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"\nresult = 0\n'
        session.open(URI, secret)
        session.replace(URI, (1, 0), (1, 6), "acc")
        assert await inline_edit(session, URI, 1, 3) == []
    assert model_calls(model) == []


async def test_malformed_request_gets_an_error(model: ModelServer) -> None:
    async with lsp_session(on(model.base_url)) as session:
        with pytest.raises(JsonRpcException):
            await session.client.protocol.send_request_async(
                "textDocument/copilotInlineEdit", {"position": {"line": "x"}}
            )
        rename_first(session)
        model.add_rule(FENCED_RENAMED)
        assert len(await inline_edit(session, URI, 1, 7)) == 1


async def test_similar_code_of_other_open_files_in_the_prompt(model: ModelServer) -> None:
    model.add_rule(FENCED_RENAMED)
    async with lsp_session(on(model.base_url)) as session:
        session.open("file:///work/sums.py", SOURCE.replace("total", "sums"))
        session.open("file:///work/.env.py", SOURCE)  # excluded: never sent
        rename_first(session)
        assert len(await inline_edit(session, URI, 1, 7)) == 1
    [call] = model_calls(model)
    prompt = "\n".join(message["content"] for message in call.body["messages"])
    assert "From sums.py:" in prompt
    assert ".env.py" not in prompt
