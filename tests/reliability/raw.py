"""A raw LSP connection to `python -m ghostls`: bytes on stdin and stdout, no client library.

For the tests that must send what no well-behaved client would (broken frames, wrong types),
and for the ones that want the server's process id."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from ghostls.testing.lsp import server_env

INIT_CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {"inlineCompletion": {}, "synchronization": {"didSave": False}},
    "workspace": {"configuration": False},
}


def frame(body: bytes | str) -> bytes:
    """One LSP frame around `body`."""
    data = body.encode() if isinstance(body, str) else body
    return b"Content-Length: %d\r\n\r\n" % len(data) + data


def message(payload: Mapping[str, Any]) -> bytes:
    return frame(json.dumps({"jsonrpc": "2.0", **payload}))


class RawServer:
    """The server process with a byte-level LSP connection."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.messages: list[dict[str, Any]] = []  # everything the server sent, in order
        self._responses: dict[Any, asyncio.Future[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = None
            while True:
                line = await stdout.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            assert length is not None, "a frame from the server without Content-Length"
            payload = json.loads(await stdout.readexactly(length))
            self.messages.append(payload)
            if "method" in payload and "id" in payload:
                # A request from the server (window/workDoneProgress/create...): accept it.
                await self.write(message({"id": payload["id"], "result": None}))
            elif "method" not in payload:
                future = self._responses.pop(payload.get("id"), None)
                if future is not None and not future.done():
                    future.set_result(payload)

    async def write(self, data: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(data)
        await stdin.drain()

    def expect(self, msg_id: Any, future: asyncio.Future[dict[str, Any]]) -> None:
        """Resolve `future` with the response to `msg_id` (a request written raw)."""
        self._responses[msg_id] = future

    def send(
        self, method: str, params: Any, *, msg_id: Any = None
    ) -> asyncio.Future[dict[str, Any]]:
        """Send a request; the future resolves to the whole response message."""
        if msg_id is None:
            msg_id = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._responses[msg_id] = future
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(message({"id": msg_id, "method": method, "params": params}))
        return future

    async def request(self, method: str, params: Any, *, timeout: float = 10.0) -> dict[str, Any]:
        return await asyncio.wait_for(self.send(method, params), timeout)

    async def notify(self, method: str, params: Any) -> None:
        await self.write(message({"method": method, "params": params}))

    def shown(self) -> list[str]:
        """The texts of the window/showMessage notifications received."""
        return [
            str(m["params"]["message"])
            for m in self.messages
            if m.get("method") == "window/showMessage"
        ]

    def statuses(self) -> list[dict[str, Any]]:
        return [m["params"] for m in self.messages if m.get("method") == "ghostls/status"]

    # -- the usual conversation ---------------------------------------------------------------

    async def initialize(self, settings: Mapping[str, Any] | None) -> dict[str, Any]:
        response = await self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": None,
                "capabilities": INIT_CAPABILITIES,
                "trace": "verbose",
                "initializationOptions": dict(settings) if settings is not None else None,
            },
        )
        await self.notify("initialized", {})
        return response

    async def open(self, uri: str, text: str, language: str = "python", version: int = 1) -> None:
        await self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": language,
                    "version": version,
                    "text": text,
                }
            },
        )

    async def change(self, uri: str, version: int, changes: list[dict[str, Any]]) -> None:
        await self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes},
        )

    async def inline(
        self, uri: str, line: Any, character: Any, *, invoked: bool = True, timeout: float = 10.0
    ) -> dict[str, Any]:
        return await self.request(
            "textDocument/inlineCompletion",
            inline_params(uri, line, character, invoked=invoked),
            timeout=timeout,
        )

    async def stats(self) -> dict[str, Any]:
        response = await self.request("ghostls/stats", {})
        result: dict[str, Any] = response["result"]
        return result

    async def shutdown(self) -> None:
        with contextlib.suppress(Exception):
            await self.request("shutdown", None, timeout=5.0)
            await self.notify("exit", None)
            await asyncio.wait_for(self.process.wait(), 5.0)

    async def close(self) -> None:
        if self.alive:
            self.process.kill()
            await self.process.wait()
        self._reader.cancel()
        with contextlib.suppress(BaseException):
            await self._reader


def inline_params(uri: str, line: Any, character: Any, *, invoked: bool = True) -> dict[str, Any]:
    return {
        "textDocument": {"uri": uri},
        "position": {"line": line, "character": character},
        "context": {"triggerKind": 1 if invoked else 2},
    }


@asynccontextmanager
async def raw_server(
    settings: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    log_file: Path | None = None,
    log_level: str = "DEBUG",
    stderr_file: Path | None = None,
    initialize: bool = True,
    reuse: str = "full",
) -> AsyncIterator[RawServer]:
    """Start `python -m ghostls` on stdio (initialized with `settings` unless told not to);
    `reuse="none"` makes every request a model call (the benchmark's `--lab-reuse`)."""
    args = ["-m", "ghostls", "--log-level", log_level, "--lab-reuse", reuse]
    if log_file is not None:
        args += ["--log-file", str(log_file)]
    with contextlib.ExitStack() as files:
        stderr: Any = asyncio.subprocess.DEVNULL
        if stderr_file is not None:
            stderr = files.enter_context(stderr_file.open("wb"))
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            env=server_env(env),
            limit=64 * 1024 * 1024,
        )
    server = RawServer(process)
    try:
        if initialize:
            await server.initialize(settings)
        yield server
        if server.alive:
            await server.shutdown()
    finally:
        await server.close()
