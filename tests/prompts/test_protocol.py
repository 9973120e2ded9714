"""Context, exclusion and redaction through the protocol: what the model server received."""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types

from ghostls.prompts.chat import CURSOR
from ghostls.testing import ModelServer, RecordedRequest
from tests.prompts.helpers import CURRENT, PAYMENTS
from tests.support import Session, base_settings, lsp_session, model_calls

SECRET = "sk-" + "Live9Key8Value7Sample6" * 2


def _prompt(request: RecordedRequest) -> str:
    """Everything a request shows the model."""
    return json.dumps(request.body)


def _texts(items: list[types.InlineCompletionItem]) -> list[str]:
    return [item.insert_text if isinstance(item.insert_text, str) else "" for item in items]


def _void_line() -> int:
    return CURRENT.split("\n").index("def void_payment(payment):") + 1


async def test_similar_code_from_another_open_document_is_in_the_prompt(
    model: ModelServer,
) -> None:
    model.add_rule("ledger = payment.ledger", contains="def void_payment")
    async with lsp_session(base_settings(model.base_url, promptMode="fim")) as session:
        session.open("file:///ws/billing/refunds.py", PAYMENTS)
        session.open("file:///ws/billing/capture.py", CURRENT)
        items = await session.inline("file:///ws/billing/capture.py", _void_line(), 4)
        assert _texts(items) == ["ledger = payment.ledger"]
    prompt = model_calls(model)[-1].body["prompt"]
    assert "# Compare this snippet from refunds.py:\n" in prompt
    assert "# def refund_payment(payment, amount, reason):\n" in prompt
    assert prompt.index("refund_payment") < prompt.index("def capture_payment")


async def test_excluded_documents_are_neither_completed_nor_context(model: ModelServer) -> None:
    env_text = f"OPENAI_API_KEY={SECRET}\nledger = payment.ledger  # refund_payment notify\n"
    model.add_rule("ledger = payment.ledger")
    async with lsp_session(base_settings(model.base_url, promptMode="chat")) as session:
        session.open("file:///ws/.env", env_text, language="python")
        session.open("file:///ws/refunds.pem", PAYMENTS, language="python")
        session.open("file:///ws/capture.py", CURRENT)
        assert await session.inline("file:///ws/.env", 1, 5, invoked=True) == []
        assert await session.inline("file:///ws/refunds.pem", 4, 4, invoked=True) == []
        assert len(model_calls(model)) == 0  # no model call for an excluded document
        await session.inline("file:///ws/capture.py", _void_line(), 4, invoked=True)
    calls = model_calls(model)
    assert len(calls) == 1
    prompt = _prompt(calls[0])
    assert "refund_payment" not in prompt and SECRET not in prompt
    assert ".env" not in prompt and "refunds.pem" not in prompt


async def test_ghostlsignore_excludes_files_and_folders(model: ModelServer, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "private").mkdir(parents=True)
    (root / ".ghostlsignore").write_text("# keep these away from the model\nprivate/\n*.gen.py\n")
    base = root.as_uri()
    model.add_rule("ledger = payment.ledger")
    async with lsp_session(base_settings(model.base_url, promptMode="fim")) as session:
        session.open(f"{base}/private/refunds.py", PAYMENTS)
        session.open(f"{base}/refunds.gen.py", PAYMENTS)
        session.open(f"{base}/capture.py", CURRENT)
        assert await session.inline(f"{base}/private/refunds.py", 4, 4, invoked=True) == []
        assert await session.inline(f"{base}/refunds.gen.py", 4, 4, invoked=True) == []
        assert len(model_calls(model)) == 0
        await session.inline(f"{base}/capture.py", _void_line(), 4, invoked=True)
    calls = model_calls(model)
    assert len(calls) == 1
    assert "refund_payment" not in _prompt(calls[0])


def _report(session: Session, *changes: tuple[Path, types.FileChangeType]) -> None:
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=path.as_uri(), type=kind) for path, kind in changes]
        )
    )


async def test_the_server_asks_the_editor_to_report_ignore_file_changes(
    model: ModelServer,
) -> None:
    async with lsp_session(base_settings(model.base_url)) as session:
        await session.stats()  # a round trip: the registration, sent at initialized, has come
        registrations = list(session.registrations)
    assert [r.method for r in registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert registrations[0].register_options == {"watchers": [{"globPattern": "**/.ghostlsignore"}]}


async def test_an_ignore_file_created_on_disk_counts_once_the_editor_reports_it(
    model: ModelServer, tmp_path: Path
) -> None:
    ignore = tmp_path / ".ghostlsignore"
    uri = (tmp_path / "refunds.py").as_uri()
    model.add_rule("ledger = payment.ledger")
    expected = ["ledger = payment.ledger"]
    async with lsp_session(base_settings(model.base_url, promptMode="fim")) as session:
        session.open(uri, CURRENT)
        assert _texts(await session.inline(uri, _void_line(), 4, invoked=True)) == expected
        ignore.write_text("refunds.py\n")
        session.type_text(uri, 0, 0, " ")
        assert _texts(await session.inline(uri, _void_line(), 4, invoked=True)) == expected
        _report(session, (ignore, types.FileChangeType.Created))
        session.type_text(uri, 0, 0, " ")
        assert await session.inline(uri, _void_line(), 4, invoked=True) == []


async def test_typing_reads_no_ignore_file(model: ModelServer, tmp_path: Path) -> None:
    ignore = tmp_path / ".ghostlsignore"
    ignore.write_text("*.py\n")
    uri = (tmp_path / "capture.py").as_uri()
    model.add_rule("ledger = payment.ledger")
    async with lsp_session(base_settings(model.base_url, promptMode="fim")) as session:
        session.open(uri, CURRENT)
        assert await session.inline(uri, _void_line(), 4, invoked=True) == []
        ignore.unlink()  # the editor does not say so: the rules read at open still hold
        session.type_text(uri, 0, 0, " ")
        assert await session.inline(uri, _void_line(), 4, invoked=True) == []
        assert len(model_calls(model)) == 0
        _report(session, (ignore, types.FileChangeType.Deleted))
        session.type_text(uri, 0, 0, " ")
        assert _texts(await session.inline(uri, _void_line(), 4, invoked=True)) == [
            "ledger = payment.ledger"
        ]
    assert len(model_calls(model)) == 1


async def test_an_ignore_file_edited_in_the_editor_counts_with_its_text(
    model: ModelServer, tmp_path: Path
) -> None:
    ignore = tmp_path / ".ghostlsignore"
    ignore.write_text("")
    uri = (tmp_path / "capture.py").as_uri()
    model.add_rule("ledger = payment.ledger")
    async with lsp_session(base_settings(model.base_url, promptMode="fim")) as session:
        session.open(uri, CURRENT)
        session.open(ignore.as_uri(), "", language="ignore")
        session.type_text(ignore.as_uri(), 0, 0, "capture.py\n")
        assert await session.inline(uri, _void_line(), 4, invoked=True) == []
        assert len(model_calls(model)) == 0
        session.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(ignore.as_uri()))
        )  # unsaved: the file on disk, empty, holds again
        assert _texts(await session.inline(uri, _void_line(), 4, invoked=True)) == [
            "ledger = payment.ledger"
        ]
    assert len(model_calls(model)) == 1


async def test_a_secret_in_the_file_is_redacted(model: ModelServer) -> None:
    source = (
        f'API_KEY = "{SECRET}"\nDB_PASSWORD = "hunter2hunter2"\n\ndef connect():\n    return \n'
    )
    model.add_rule("open_connection(API_KEY)")
    for mode in ("chat", "fim", "fim-tokens"):
        async with lsp_session(base_settings(model.base_url, promptMode=mode)) as session:
            session.open("file:///ws/client.py", source)
            items = await session.inline("file:///ws/client.py", 4, 11, invoked=True)
            assert _texts(items) == ["open_connection(API_KEY)"]
    calls = model_calls(model)
    assert len(calls) == 3
    for call in calls:
        prompt = _prompt(call)
        assert SECRET not in prompt and "hunter2" not in prompt
        assert 'API_KEY = \\"<redacted>\\"' in prompt


async def test_a_suggestion_echoing_the_placeholder_is_dropped(model: ModelServer) -> None:
    source = f'API_KEY = "{SECRET}"\nclient = Client(api_key=)\n'
    model.add_rule('"<redacted>")', contains="client = Client")
    model.add_rule('"abc")', contains="other = Other")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open("file:///ws/client.py", source)
        session.open("file:///ws/other.py", "other = Other(name=)\n")
        assert await session.inline("file:///ws/client.py", 1, 24, invoked=True) == []
        assert _texts(await session.inline("file:///ws/other.py", 0, 19, invoked=True)) == [
            '"abc")'
        ]
    assert len(model_calls(model)) == 2


async def test_chat_prompt_layout(model: ModelServer) -> None:
    model.add_rule("a + b")
    settings = base_settings(model.base_url, promptMode="chat")
    async with lsp_session(settings) as session:
        session.open("file:///ws/billing/refunds.py", PAYMENTS)
        session.open("file:///ws/billing/capture.py", CURRENT)
        await session.inline("file:///ws/billing/capture.py", _void_line(), 4, invoked=True)
    messages = model_calls(model)[-1].body["messages"]
    assert [message["role"] for message in messages] == ["system", "user"]
    system, user = messages[0]["content"], messages[1]["content"]
    assert "Reply with the insertion only" in system
    assert user.startswith("File: capture.py (python)\n")
    snippet = user.index("From refunds.py:")
    after = user.index("The lines after the cursor's line")
    before = user.index("The code before the cursor")
    assert snippet < after < before
    assert f"def void_payment(payment):\n    {CURSOR}\n" in user
    assert user.endswith(
        f"Insert a block at {CURSOR}: finish the current statement or block "
        "(several lines if needed), then stop."
    )


async def test_prompts_show_paths_in_the_workspace_folders_as_they_change(
    model: ModelServer,
) -> None:
    source = "def first():\n    \n\ndef second():\n    \n"
    model.add_rule("return 1")
    async with lsp_session(base_settings(model.base_url, promptMode="chat")) as session:
        session.open("file:///ws/billing/capture.py", source)
        await session.inline("file:///ws/billing/capture.py", 1, 4, invoked=True)
        added = types.WorkspaceFoldersChangeEvent(
            added=[types.WorkspaceFolder(uri="file:///ws", name="ws")], removed=[]
        )
        session.client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(event=added)
        )
        await session.inline("file:///ws/billing/capture.py", 4, 4, invoked=True)
    before, after = (_prompt(call) for call in model_calls(model))
    assert "File: capture.py (python)" in before
    assert "File: billing/capture.py (python)" in after
