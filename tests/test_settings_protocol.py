"""Settings from initializationOptions, didChangeConfiguration and workspace/configuration."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from ghostls.testing import Fault, ModelServer, Profile, Reply
from tests.support import (
    MODEL,
    Session,
    base_settings,
    lsp_session,
    model_calls,
    wait_for_calls,
)

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
    configuration = {
        "baseUrl": model.base_url,
        "model": "pulled",
        "promptMode": "chat",
        "prefetch": False,
    }
    async with lsp_session(None, configuration=configuration) as session:
        session.open(URI, SOURCE)
        assert await session.inline(URI, 0, 4)
    assert len(model_calls(model)) == 1
    assert model_calls(model)[-1].body["model"] == "pulled"
    assert model_calls(model)[-1].path == "/v1/chat/completions"


async def test_first_request_waits_for_settings_pulled_after_it(model: ModelServer) -> None:
    """The usual order when an editor opens a file and asks at once: its first inline
    request goes out before it answers `workspace/configuration`. That request is answered
    with the pulled settings, not lost to them."""
    model.add_rule("1")
    configuration = {"baseUrl": model.base_url, "model": "pulled"}
    sent = {"debounceMs": 0, "prefetch": False}  # no endpoint yet: the pull names it
    hold = asyncio.Event()
    async with lsp_session(sent, configuration=configuration, hold_configuration=hold) as session:
        session.open(URI, SOURCE)
        _, first = session.send_inline(URI, 0, 4)
        await asyncio.sleep(0.05)  # the request is waiting at the server
        hold.set()
        result = await first
        assert [item.insert_text for item in result.items] == ["1"]
        assert not [m for m in session.client.messages if m.type == types.MessageType.Error]
    assert [call.body["model"] for call in model_calls(model)] == ["pulled"]


async def test_unchanged_settings_keep_the_request_in_flight(model: ModelServer) -> None:
    """A `didChangeConfiguration` with the values in force, sent while a suggestion streams,
    changes nothing: the stream goes on and its suggestion is the answer."""
    settings = base_settings(model.base_url)
    model.add_rule(Reply("1 + 2", profile=Profile(ttft_ms=300)))
    async with lsp_session(settings) as session:
        session.open(URI, SOURCE)
        _, pending = session.send_inline(URI, 0, 4)
        await wait_for_calls(model, 1)
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"ghostls": dict(settings)})
        )
        result = await pending
        assert [item.insert_text for item in result.items] == ["1 + 2"]
        counters = (await session.stats())["counters"]
    assert len(model_calls(model)) == 1
    assert not model_calls(model)[0].disconnected
    assert "rerunForSettings" not in counters


async def test_a_new_model_reruns_the_request_in_flight(model: ModelServer) -> None:
    """A real change of model while a suggestion streams: the request asks again with the
    new settings instead of answering empty."""
    settings = base_settings(model.base_url)
    model.add_rule(Reply("old", profile=Profile(ttft_ms=1000)), times=1)
    model.add_rule("new")
    async with lsp_session(settings) as session:
        session.open(URI, SOURCE)
        _, pending = session.send_inline(URI, 0, 4)
        await wait_for_calls(model, 1)
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"ghostls": {"model": "other"}})
        )
        result = await pending
        assert [item.insert_text for item in result.items] == ["new"]
    assert [call.body["model"] for call in model_calls(model)] == [MODEL, "other"]
    assert await model.wait_for_disconnect(model_calls(model)[0].id)


async def test_unchanged_settings_keep_a_retry_after(model: ModelServer) -> None:
    """After a 429 with Retry-After, settings that change nothing don't lift the wait."""
    settings = base_settings(model.base_url)
    model.fault_next(Fault(kind="status", status=429, retry_after=30))
    async with lsp_session(settings) as session:
        session.open(URI, SOURCE)
        assert await session.inline(URI, 0, 4, invoked=True) == []
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"ghostls": dict(settings)})
        )
        session.type_text(URI, 0, 4, "1")
        assert await session.inline(URI, 0, 5, invoked=True) == []
        counters = (await session.stats())["counters"]
    assert len(model_calls(model)) == 1
    assert counters["rateLimited"] == 1


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
