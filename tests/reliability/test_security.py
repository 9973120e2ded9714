"""Security: the API key never shows up anywhere but the Authorization header, excluded files
and obvious secrets never reach the model, the key never goes out over plain http to
another machine unless allowed, and nothing the model writes is ever run."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from ghostls.settings import mask_secret
from ghostls.testing import Fault, ModelServer, Reply
from ghostls.testing.lsp import server_env
from tests.reliability.raw import RawServer, raw_server
from tests.support import base_settings, model_calls

KEY = "sk-test-S3CRET-0a1b2c3d4e5f6a7b8c9d"
PLAIN_KEY = "S3CRET-plain-key-without-a-known-shape-91x7"  # no "sk-" shape to spot it by
MARK = "S3CRET"  # in both keys; in no masked form ("sk-t…8c9d")
URI = "file:///work/app.py"
TEXT = "import os\n\n\ndef main():\n    return \n"


@asynccontextmanager
async def echoing_gateway(status: int = 400) -> AsyncIterator[str]:
    """An endpoint that fails every call with an error message quoting the key it was sent,
    as some gateways do."""

    async def refuse(request: web.Request) -> web.Response:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
        body = {"error": {"message": f"Invalid API key provided: {sent}", "type": "auth"}}
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_route("*", "/v1/{tail:.*}", refuse)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    finally:
        await runner.cleanup()


async def ghostls_check(config: dict[str, Any], tmp_path: Path, env: dict[str, str]) -> str:
    """`ghostls check --config` output (stdout and stderr)."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(config))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ghostls",
        "check",
        "--config",
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=server_env(env),
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return output.decode()


async def _leak_everything(
    server: RawServer, model: ModelServer, gateway: str, settings: dict[str, Any]
) -> None:
    """Drive every path the key could leak by: a normal call, a 401, an echoing gateway, bad
    settings, a refused insecure key, stats."""
    await server.open(URI, TEXT)
    response = await server.inline(URI, 4, 11)
    assert response["result"]["items"]
    model.fault_next(Fault(kind="status", status=401))
    await server.change(URI, 2, [_insert(4, 11, "x")])
    await server.inline(URI, 4, 12)
    for change in (
        {"baseUrl": gateway},  # quotes the key back in its error message
        {"timeoutMs": "soon", "apiKye": "misspelt"},  # invalid settings, one clear message each
        {"baseUrl": "http://203.0.113.9/v1"},  # plain http to another machine: key refused
        {"baseUrl": model.base_url},
    ):
        await server.notify("workspace/didChangeConfiguration", {"settings": settings | change})
        await server.change(URI, 3, [_insert(4, 11, "y")])
        await server.inline(URI, 4, 12, timeout=5.0)
    await server.stats()


def _at(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


def _insert(line: int, character: int, text: str) -> dict[str, Any]:
    return {"range": {"start": _at(line, character), "end": _at(line, character)}, "text": text}


def _assert_nowhere(secret_mark: str, *places: tuple[str, str]) -> None:
    for name, text in places:
        assert secret_mark not in text, f"the key appears in {name}"


@pytest.mark.parametrize("key", [KEY, PLAIN_KEY], ids=["key-shaped", "plain"])
async def test_key_from_initialization_options_never_leaks(
    model: ModelServer, tmp_path: Path, key: str
) -> None:
    model.default_reply = "os.getcwd()"
    log, stderr = tmp_path / "ghostls.log", tmp_path / "stderr.txt"
    settings = base_settings(model.base_url, apiKey=key, timeoutMs=2000)
    async with echoing_gateway() as gateway:
        async with raw_server(settings, log_file=log, stderr_file=stderr) as server:
            await _leak_everything(server, model, gateway, settings)
            messages = server.shown()
            wire = json.dumps(server.messages)
        check = await ghostls_check(base_settings(model.base_url, apiKey=key), tmp_path, {})
        check_failing = await ghostls_check(base_settings(gateway, apiKey=key), tmp_path, {})
    # The key was used: it went to the model in the Authorization header, and only there.
    assert any(call.headers.get("authorization") == f"Bearer {key}" for call in model_calls(model))
    assert any("401" in message for message in messages)
    assert any("timeoutMs" in message for message in messages)
    assert any("allowInsecureKey" in message for message in messages)
    assert mask_secret(key) in check  # shown masked
    _assert_nowhere(
        MARK,
        ("the log file", log.read_text()),
        ("stderr", stderr.read_text()),
        ("window/showMessage", "\n".join(messages)),
        ("what the server wrote to the editor (status, stats, traces)", wire),
        ("ghostls check", check),
        ("ghostls check against a failing endpoint", check_failing),
    )
    assert "DEBUG" in log.read_text()  # the log was at its most verbose


async def test_key_from_the_environment_never_leaks(model: ModelServer, tmp_path: Path) -> None:
    model.default_reply = "os.getcwd()"
    log, stderr = tmp_path / "ghostls.log", tmp_path / "stderr.txt"
    env = {"GHOSTLS_API_KEY": KEY}
    settings = base_settings(model.base_url, timeoutMs=2000)
    async with echoing_gateway() as gateway:
        async with raw_server(settings, env=env, log_file=log, stderr_file=stderr) as server:
            await _leak_everything(server, model, gateway, settings)
            messages = server.shown()
            wire = json.dumps(server.messages)
        check = await ghostls_check(base_settings(model.base_url), tmp_path, env)
        check_failing = await ghostls_check(base_settings(gateway), tmp_path, env)
    assert any(call.headers.get("authorization") == f"Bearer {KEY}" for call in model_calls(model))
    assert "environment: GHOSTLS_API_KEY" in check
    _assert_nowhere(
        MARK,
        ("the log file", log.read_text()),
        ("stderr", stderr.read_text()),
        ("window/showMessage", "\n".join(messages)),
        ("what the server wrote to the editor (status, stats, traces)", wire),
        ("ghostls check", check),
        ("ghostls check against a failing endpoint", check_failing),
    )


EXCLUDED = {
    "file:///work/.env": "OPENAI_API_KEY=sk-envSECRETenvSECRETenv0123456789\nDEBUG=1\n",
    "file:///work/.ssh/id_rsa": (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktSSHSECRETdjEAAAAABG5vbmUAAAAEbm9u\n"
        "-----END OPENSSH PRIVATE KEY-----\n"
    ),
    "file:///work/config/credentials.json": '{"token": "CREDSECRET-0a9b8c7d6e5f4a3b2c1d"}\n',
    "file:///work/certs/server.pem": "-----BEGIN CERTIFICATE-----\nPEMSECRETPEMSECRET\n",
}
EXCLUDED_MARKS = ("envSECRET", "SSHSECRET", "CREDSECRET", "PEMSECRET")
NORMAL = {
    "file:///work/settings.py": (
        "import os\n\nOPENAI_API_KEY = os.environ['OPENAI_API_KEY']\nDEBUG = int(os.environ"
    ),
    "file:///work/deploy.sh": "#!/bin/sh\nssh -i ~/.ssh/id_rsa deploy@host \n",
    "file:///work/client.py": "import json\n\ndef token():\n    return json.load(open('config/",
}


async def test_excluded_files_never_reach_the_model(model: ModelServer) -> None:
    model.default_reply = "x"
    async with raw_server(base_settings(model.base_url, timeoutMs=2000), reuse="none") as server:
        for uri, text in {**EXCLUDED, **NORMAL}.items():
            await server.open(uri, text, "python" if uri.endswith(".py") else "plaintext")
            await server.change(uri, 2, [_insert(99, 0, "\n")])  # recent edits, as context
            await server.change(uri, 3, [_insert(99, 0, " ")])
        for rounds in range(2):
            for uri, text in {**EXCLUDED, **NORMAL}.items():
                calls = len(model_calls(model))
                lines = text.split("\n")
                response = await server.inline(uri, len(lines) - 1, len(lines[-1]) + rounds)
                everything = {"start": _at(0, 0), "end": _at(len(lines), 0)}
                action = await server.request(
                    "textDocument/codeAction",
                    {
                        "textDocument": {"uri": uri},
                        "range": everything,
                        "context": {"diagnostics": []},
                    },
                )
                if uri in EXCLUDED:
                    assert response["result"]["items"] == []
                    assert not action.get("result"), action
                    await asyncio.sleep(0.05)
                    assert len(model_calls(model)) == calls, f"{uri} made a model call"
                else:
                    assert len(model_calls(model)) > calls
    prompts = json.dumps([call.body for call in model_calls(model)])
    assert len(model_calls(model)) >= 2 * len(NORMAL)
    for mark in EXCLUDED_MARKS:
        assert mark not in prompts, f"{mark} reached the model"


async def test_secrets_in_ordinary_files_are_redacted(model: ModelServer) -> None:
    model.default_reply = "x"
    text = (
        "import boto3\n\n"
        'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'
        'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"\n'
        'OPENAI_KEY = "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"\n'
        'PRIVATE = """-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n'
        '-----END PRIVATE KEY-----"""\n\n'
        "client = boto3.client('s3', aws_access_key_id=AWS_ACCESS_KEY_ID, \n"
    )
    secrets = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "4f9a8b7c6d5e4f3a", "MIIEvQIBADAN")
    for mode in ("fim", "chat"):
        settings = base_settings(model.base_url, promptMode=mode, timeoutMs=2000)
        async with raw_server(settings) as server:
            await server.open("file:///work/aws.py", text)
            response = await server.inline("file:///work/aws.py", 9, 72)
            assert "result" in response
    [*_, chat] = model_calls(model)
    assert chat.path == "/v1/chat/completions"
    prompts = json.dumps([call.body for call in model_calls(model)])
    assert "boto3.client" in prompts  # the code itself is there
    for secret in secrets:
        assert secret not in prompts, f"{secret} reached the model"


def _lan_address() -> str | None:
    """A non-loopback address of this machine, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


@pytest.fixture
async def lan_model() -> AsyncIterator[tuple[ModelServer, str]]:
    address = _lan_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    async with ModelServer(host="0.0.0.0") as model:
        model.default_reply = "os.getcwd()"
        yield model, f"http://{address}:{model.port}/v1"


async def test_the_key_never_goes_over_plain_http_to_another_machine(
    lan_model: tuple[ModelServer, str], tmp_path: Path
) -> None:
    model, url = lan_model
    for allow in (False, True):
        model.reset()
        settings = base_settings(url, apiKey=KEY, allowInsecureKey=allow, timeoutMs=2000)
        async with raw_server(settings) as server:
            await server.open(URI, TEXT)
            response = await server.inline(URI, 4, 11)
            assert response["result"]["items"]
            refused = [m for m in server.shown() if "allowInsecureKey" in m]
        [call] = model_calls(model)
        sent = call.headers.get("authorization", "")
        if allow:
            assert sent == f"Bearer {KEY}" and refused == []
        else:
            assert MARK not in sent and len(refused) == 1
    check = await ghostls_check(base_settings(url, apiKey=KEY), tmp_path, {})
    assert "allowInsecureKey" in check and MARK not in check


async def test_a_keyless_server_on_the_lan_works_as_is(
    lan_model: tuple[ModelServer, str],
) -> None:
    _, url = lan_model
    async with raw_server(base_settings(url, timeoutMs=2000)) as server:
        await server.open(URI, TEXT)
        response = await server.inline(URI, 4, 11)
        assert [item["insertText"] for item in response["result"]["items"]] == ["os.getcwd()"]
        assert server.shown() == []


async def test_model_output_is_never_run(model: ModelServer, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {marker}')"
    model.add_rule(Reply(text=payload))
    settings = base_settings(model.base_url, timeoutMs=2000, prefetch=True)
    async with raw_server(settings) as server:
        await server.open(URI, TEXT)
        response = await server.inline(URI, 4, 11)
        [item] = response["result"]["items"]
        assert "system(" in item["insertText"]  # returned as text, for the editor to show
        command = item["command"]
        await server.request(
            "workspace/executeCommand",
            {"command": command["command"], "arguments": command["arguments"]},
        )
        await server.request(
            "textDocument/completion",
            {"textDocument": {"uri": URI}, "position": {"line": 4, "character": 11}},
        )
        await asyncio.sleep(0.5)  # a prefetch, had anything run
    assert not marker.exists()
    assert not any(m.get("method") == "workspace/applyEdit" for m in server.messages)
