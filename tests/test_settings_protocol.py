"""Settings from initializationOptions, didChangeConfiguration and workspace/configuration."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from ghostls.testing import ModelServer
from tests.support import MODEL, Session, base_settings, lsp_session, model_calls

URI = "file:///work/demo.py"
SOURCE = "x = \n"


async def _ask(session: Session) -> None:
    await session.inline(URI, 0, 4, invoked=True)


async def test_initialization_options(model: ModelServer) -> None:
    model.add_rule("1")
    async with lsp_session(base_settings(model.base_url, model="from-init")) as session:
        session.open(URI, SOURCE)
        await _ask(session)
    assert model_calls(model)[-1].body["model"] == "from-init"


async def test_did_change_configuration_both_shapes(model: ModelServer) -> None:
    model.add_rule("1")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"ghostls": {"model": "wrapped"}})
        )
        await _ask(session)
        assert model_calls(model)[-1].body["model"] == "wrapped"
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"model": "bare", "maxTokens": 17})
        )
        session.type_text(URI, 0, 4, " ")
        await session.inline(URI, 0, 5, invoked=True)
        assert model_calls(model)[-1].body["model"] == "bare"
        assert model_calls(model)[-1].body["max_tokens"] == 17


async def test_pulled_configuration(model: ModelServer) -> None:
    model.add_rule("1")
    configuration = {"baseUrl": model.base_url, "model": "pulled", "promptMode": "chat"}
    async with lsp_session(None, configuration=configuration) as session:
        session.open(URI, SOURCE)
        for _ in range(50):
            await _ask(session)
            if model_calls(model):
                break
            await asyncio.sleep(0.05)
    assert model_calls(model)[-1].body["model"] == "pulled"
    assert model_calls(model)[-1].path == "/v1/chat/completions"


async def test_environment_fills_what_the_client_does_not_send(model: ModelServer) -> None:
    model.add_rule("1")
    env = {"GHOSTLS_BASE_URL": model.base_url, "GHOSTLS_MODEL": "from-env"}
    async with lsp_session({"promptMode": "fim", "debounceMs": 0}, env=env) as session:
        session.open(URI, SOURCE)
        await _ask(session)
    assert model_calls(model)[-1].body["model"] == "from-env"


async def test_invalid_setting_one_message_and_last_valid_kept(model: ModelServer) -> None:
    model.add_rule("1")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(
                settings={"ghostls": {"debounceMs": "soon", "model": "still-valid"}}
            )
        )
        await _ask(session)
        errors = [m for m in session.client.messages if m.type == types.MessageType.Error]
        assert len(errors) == 1
        assert "debounceMs" in errors[0].message
        assert model_calls(model)[-1].body["model"] == "still-valid"
        session.type_text(URI, 0, 4, "2")
        assert await session.inline(URI, 0, 5, invoked=True) is not None
    assert model_calls(model)[0].body["model"] in {MODEL, "still-valid"}
