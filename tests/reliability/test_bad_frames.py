"""Malformed JSON-RPC written raw to the server's stdin: broken headers, wrong lengths,
invalid JSON, wrong param types, unknown methods, and seeded random garbage. The server never
crashes, answers every request it can read (a result or a JSON-RPC error), and afterwards
still completes a real request from the right text."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ghostls.testing import ModelServer
from tests.reliability.raw import RawServer, frame, message, raw_server
from tests.support import base_settings, model_calls, wait_for_calls

URI = "file:///work/real.py"
TEXT = "def area(width, height):\n    return \n"
RESYNC = b"\r\n\r\n"


@pytest.fixture
async def server(model: ModelServer) -> AsyncIterator[RawServer]:
    model.add_rule("width * height", contains="def area")
    async with raw_server(base_settings(model.base_url, timeoutMs=2000)) as connection:
        yield connection


async def _still_completes(server: RawServer, model: ModelServer) -> None:
    """A real request after the abuse: answered from the text the client sent."""
    assert server.alive
    await server.open(URI, TEXT)
    calls = len(model_calls(model))
    response = await server.inline(URI, 1, 11)
    [item] = response["result"]["items"]
    assert item["insertText"] == "width * height"
    [*_, call] = await wait_for_calls(model, calls + 1)
    assert call.body["prompt"].endswith("def area(width, height):\n    return ")
    assert call.body["suffix"] == "\n"


async def test_malformed_frames(server: RawServer, model: ModelServer) -> None:
    dropped = [
        b"Content-Lenght: 7\r\n\r\n{oops!}",  # a misspelt header: no frame at all
        b"Content-Length: seven\r\n\r\n{oops!}",
        b"Content-Length: -7\r\n\r\n{oops!}",
        b"Content-Length: 0\r\n\r\n",
        b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}",  # no length
        b"Content-Length: 7\n\n{oops!}",  # bare line feeds
        b"no header at all, just words",
        frame(b'{"jsonrpc": "2.0", "id": 900, "method": '),  # cut-off JSON
        frame(b"\xff\xfe\x00garbage"),  # not UTF-8
        frame(b"[1, 2, 3]"),
        frame(b'"a string"'),
        frame(b"null"),
        frame(b'{"id": 901, "method": "ghostls/stats"}'),  # no "jsonrpc"
        frame(b'{"jsonrpc": "1.0", "id": 902, "method": "ghostls/stats"}'),
        frame(b'{"jsonrpc": "2.0", "id": {"an": "object"}, "method": "ghostls/stats"}'),
        # A length shorter than the body: the rest is read as header lines and skipped.
        b'Content-Length: 10\r\n\r\n{"jsonrpc": "2.0", "id": 903, "method": "ghostls/stats"}',
        # A length longer than the body: the next bytes complete it (here, padding).
        b'Content-Length: 60\r\n\r\n{"jsonrpc": "2.0"}' + b" " * 42,
    ]
    for garbage in dropped:
        await server.write(garbage + RESYNC)
        response = await server.request("ghostls/stats", {}, timeout=5.0)
        assert "result" in response, garbage
    # Requests that can be read get an answer: the right JSON-RPC error.
    wrong_types: list[Any] = [
        {"textDocument": {"uri": URI}, "position": {"line": "one", "character": 0}},
        {"textDocument": {"uri": URI}, "position": {"line": -1, "character": 0}},
        {"textDocument": {"uri": 42}, "position": {"line": 0, "character": 0}},
        {"textDocument": {"uri": URI}},
        "not an object",
        [1, 2],
        None,
    ]
    for params in wrong_types:
        response = await server.request("textDocument/inlineCompletion", params, timeout=5.0)
        assert response["error"]["code"] == -32602, (params, response)
    response = await server.request("ghostls/noSuchMethod", {}, timeout=5.0)
    assert response["error"]["code"] == -32601
    response = await server.request("textDocument/hover", {"textDocument": {"uri": URI}})
    assert "error" in response
    # Notifications nobody knows, or with wrong params: ignored.
    await server.notify("ghostls/noSuchNotification", {"x": 1})
    await server.notify("textDocument/didChange", {"textDocument": "nope"})
    await server.notify("textDocument/didOpen", {"textDocument": {"uri": URI}})
    await server.notify("$/cancelRequest", {"id": 123456})
    await server.notify("$/cancelRequest", {"id": {"not": "an id"}})
    await _still_completes(server, model)


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 1, 2**31, -(2**63), 2**64, 7])
    if kind == 3:
        return rng.choice([0.5, -1e308, 1e308, 3.0])
    if kind in (4, 5):
        size = rng.randrange(12)
        return "".join(rng.choice("ab/:\\\"'{}[]\n\r😀é\u0000 ") for _ in range(size))
    if kind in (6, 7):
        keys = ["uri", "line", "character", "position", "textDocument", "range", "text", "x"]
        return {rng.choice(keys): _random_json(rng, depth + 1) for _ in range(rng.randrange(4))}
    return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]


def _mutate(rng: random.Random, value: Any) -> Any:
    """A valid params object with one part replaced by random JSON."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        return {**value, key: _mutate(rng, value[key])}
    if isinstance(value, list) and value and rng.random() < 0.8:
        index = rng.randrange(len(value))
        return [*value[:index], _mutate(rng, value[index]), *value[index + 1 :]]
    return _random_json(rng)


FUZZ_URI = "file:///work/fuzz.py"
VALID: dict[str, Any] = {
    "textDocument/inlineCompletion": {
        "textDocument": {"uri": FUZZ_URI},
        "position": {"line": 0, "character": 3},
        "context": {"triggerKind": 1},
    },
    "textDocument/completion": {
        "textDocument": {"uri": FUZZ_URI},
        "position": {"line": 0, "character": 3},
    },
    "textDocument/didChange": {
        "textDocument": {"uri": FUZZ_URI, "version": 2},
        "contentChanges": [
            {
                "range": {"start": {"line": 0, "character": 1}, "end": {"line": 0, "character": 2}},
                "text": "é",
            }
        ],
    },
    "textDocument/didOpen": {
        "textDocument": {"uri": FUZZ_URI, "languageId": "python", "version": 1, "text": "x = 1\n"}
    },
    "textDocument/didClose": {"textDocument": {"uri": FUZZ_URI}},
    "textDocument/codeAction": {
        "textDocument": {"uri": FUZZ_URI},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}},
        "context": {"diagnostics": []},
    },
    "workspace/executeCommand": {"command": "ghostls.accepted", "arguments": [1]},
    "ghostls/stats": {},
    "$/cancelRequest": {"id": 1},
    "ghostls/fuzz": {},
}


NOTIFICATIONS = {
    "textDocument/didChange",
    "textDocument/didOpen",
    "textDocument/didClose",
    "$/cancelRequest",
}


def _garbage(rng: random.Random, msg_id: int) -> tuple[bytes, bool]:
    """One seeded piece of garbage, and whether it is a readable request with id `msg_id`
    (which must be answered)."""
    kind = rng.randrange(6)
    if kind == 0:  # random bytes in a correct frame
        return frame(bytes(rng.randrange(256) for _ in range(rng.randrange(64)))), False
    if kind == 1:  # random JSON in a correct frame
        return frame(json.dumps(_random_json(rng))), False
    if kind == 2:  # random header lines
        lines = [
            rng.choice([b"Content-Length: x", b"Content-Length:", b"X: y", b":", b"\x00\xff"])
            for _ in range(rng.randrange(1, 4))
        ]
        return b"\r\n".join(lines), False
    method = rng.choice(list(VALID))
    params = _mutate(rng, VALID[method]) if rng.random() < 0.9 else VALID[method]
    if kind == 3 or method in NOTIFICATIONS:
        # (A notification method sent with an id is read as a notification: no answer.)
        return message({"method": method, "params": params}), False
    return message({"id": msg_id, "method": method, "params": params}), True


async def test_seeded_garbage_then_a_real_request(server: RawServer, model: ModelServer) -> None:
    rng = random.Random(20_251_128)
    await server.open(FUZZ_URI, "abc = 1\n")
    answers: list[asyncio.Future[dict[str, Any]]] = []
    for number in range(400):
        msg_id = 50_000 + number
        data, is_request = _garbage(rng, msg_id)
        if is_request:
            future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
            server.expect(msg_id, future)
            answers.append(future)
        await server.write(data + RESYNC)
    done, pending = await asyncio.wait(answers, timeout=20)
    print(f"fuzz: 400 pieces of garbage, {len(answers)} readable requests, {len(done)} answered")
    assert not pending, f"{len(pending)} requests never answered"
    assert server.alive
    await _still_completes(server, model)
