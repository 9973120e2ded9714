"""Shared pieces of the reliability tests: time budgets, status and message readers, a TLS
front for the model server, process memory."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from lsprotocol import types

from ghostls.testing import RecordedRequest
from tests.reliability.oracle import normalize
from tests.support import Session

T = TypeVar("T")

# The request timeout these tests configure, and what "answered in time" allows on top of it
# (a shared, noisy CI machine; the server's own overhead is a few milliseconds).
TIMEOUT_MS = 1000
MARGIN_S = 0.6
ANSWER_BY_S = TIMEOUT_MS / 1000 + MARGIN_S

URI = "file:///work/area.py"
SOURCE = "def area(width, height):\n    return \n"
LINE, COLUMN = 1, 11  # the cursor after "return "


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def texts(items: list[types.InlineCompletionItem]) -> list[str]:
    return [item.insert_text if isinstance(item.insert_text, str) else "" for item in items]


async def timed(awaitable: Awaitable[T], limit: float = ANSWER_BY_S) -> tuple[T, float]:
    """Await with a hard limit; the result and the seconds it took."""
    started = time.monotonic()
    result = await asyncio.wait_for(awaitable, limit + 5.0)
    took = time.monotonic() - started
    assert took < limit, f"answered after {took:.2f} s, the budget is {limit:.2f} s"
    return result, took


async def inline_in_time(
    session: Session, line: int = LINE, column: int = COLUMN, *, uri: str = URI
) -> list[str]:
    """An invoked inline request that must be answered within the timeout plus the margin."""
    items, _ = await timed(session.inline(uri, line, column, invoked=True))
    return texts(items)


def shown(session: Session) -> list[str]:
    """The window/showMessage texts the editor received."""
    return [message.message for message in session.client.messages]


def states(session: Session) -> list[str]:
    return [params["state"] for method, params in session.notifications]


async def until_answered(
    session: Session, *, timeout: float, uri: str = URI, line: int = LINE, column: int = COLUMN
) -> tuple[list[str], float]:
    """Ask every 100 ms until a request gets a suggestion; the suggestion and the wait."""
    started = time.monotonic()
    while True:
        found = await inline_in_time(session, line, column, uri=uri)
        waited = time.monotonic() - started
        if found or waited > timeout:
            return found, waited
        await asyncio.sleep(0.1)


def rss_mb(pid: int) -> float:
    """The resident memory of a process, from /proc/PID/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


def cpu_s(pid: int) -> float:
    """The CPU time (user + system) a process has used, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(session: Session) -> int:
    process: Any = session.client._server
    return int(process.pid)


# -- prompts -------------------------------------------------------------------------------------


def prompt_and_suffix(call: RecordedRequest) -> tuple[str, str]:
    return str(call.body["prompt"]), str(call.body.get("suffix", ""))


def assert_prompt_is(call: RecordedRequest, text: str, cursor: int, why: str = "") -> None:
    """The FIM prompt holds the text before the cursor (after any comment header of extra
    context), the suffix the text after it."""
    prompt, suffix = prompt_and_suffix(call)
    before, after = normalize(text[:cursor]), normalize(text[cursor:])
    assert prompt.endswith(before), (why, prompt[-200:], before[-200:])
    header = prompt[: len(prompt) - len(before)]
    assert all(line.startswith("#") for line in header.splitlines()), (why, header)
    assert suffix == after, why


# -- TLS ------------------------------------------------------------------------------------------


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by itself, made with the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=ghostls test",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@asynccontextmanager
async def tls_front(cert: Path, key: Path, target_port: int) -> AsyncIterator[int]:
    """Serve TLS on a free port of 127.0.0.1 and pass the plain bytes to `target_port`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    pipes: set[asyncio.Task[None]] = set()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(Exception):
            writer.close()

    async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", target_port
            )
        except OSError:
            writer.close()
            return
        for task in (pipe(reader, upstream_writer), pipe(upstream_reader, writer)):
            running = asyncio.ensure_future(task)
            pipes.add(running)
            running.add_done_callback(pipes.discard)

    server = await asyncio.start_server(connected, "127.0.0.1", 0, ssl=context)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        server.close()
        for task in list(pipes):
            task.cancel()
        await asyncio.gather(*pipes, return_exceptions=True)
