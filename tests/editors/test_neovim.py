"""Neovim 0.11 with the client-nvim module and the editors/neovim snippets, typed into for real.

Most tests share one Neovim (and so one ghostls) and open a file of their own in it: starting the
server is what takes the time. That Neovim offers ghostls UTF-16 positions only (Neovim prefers
UTF-8), so ranges are converted; the screen test runs with Neovim's default.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from ghostls.testing import ModelServer, Profile, Reply
from tests.editors.support import (
    EDITORS,
    NVIM_MODULE,
    Neovim,
    completion_requests,
    editor_env,
    eventually,
    missing,
    nvim_binary,
    require_binary,
    run,
    screen_shows_ghost,
    snippet,
    write,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ADD = "def add(a, b):\n    return a\n"
RTP = ("--cmd", f"set rtp+={NVIM_MODULE}")
UTF16_ONLY = (
    "--cmd",
    "lua vim.lsp.config('ghostls', { capabilities = { general ="
    " { positionEncodings = { 'utf-16' } } } })",
)


async def start_nvim(home: Path, base_url: str, source: str, *args: str) -> Neovim:
    """Neovim configured by editors/neovim/init-0.11.lua, editing demo.py in `home`."""
    init = write(home / "init.lua", snippet(EDITORS / "neovim" / "init-0.11.lua", base_url))
    file = write(home / "demo.py", source)
    nvim = await Neovim.start(nvim_binary(), init, file, editor_env(home), *RTP, *args)
    await nvim.wait_for_client()
    return nvim


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared_model() -> AsyncIterator[ModelServer]:
    async with ModelServer(profile="instant") as server:
        yield server


@pytest.fixture
def model(shared_model: ModelServer) -> ModelServer:
    shared_model.reset()
    return shared_model


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared_nvim(
    shared_model: ModelServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Neovim]:
    home = tmp_path_factory.mktemp("nvim")
    shared_model.add_rule(" + b", contains="def add")
    nvim = await start_nvim(home, shared_model.base_url, ADD, *UTF16_ONLY)
    yield nvim
    await nvim.close()


@pytest_asyncio.fixture(loop_scope="module")
async def nvim(shared_nvim: Neovim) -> AsyncIterator[Neovim]:
    yield shared_nvim
    await shared_nvim.send("<C-\\><C-N>")


async def test_first_suggestion_right_after_start(shared_nvim: Neovim) -> None:
    """The first thing typed once ghostls is attached (its settings pull on the way) gets its
    suggestion: the server waits for the pulled settings instead of losing the request."""
    await shared_nvim.send("2GA")
    ghost = await shared_nvim.wait_for_ghost(lambda g: g is not None)
    assert ghost is not None and (ghost.row, ghost.col, ghost.text) == (1, 12, " + b")
    await shared_nvim.send("<Esc>")
    await shared_nvim.wait_for_ghost(lambda g: g is None)


async def _counters(nvim: Neovim) -> dict[str, int]:
    stats = await nvim.request("ghostls/stats")
    return dict(stats["counters"])


async def _accepted_once(nvim: Neovim, before: dict[str, int]) -> None:
    """The item's command reached the server, which counts the acceptance."""
    await eventually(
        lambda: _counters(nvim),
        lambda after: after["accepted"] == before["accepted"] + 1,
        what="one more acceptance",
    )


def _tab_typed(lines: list[str]) -> bool:
    """ADD's last line with a tab typed at its end (a tab or spaces, as the ftplugin says)."""
    return lines[-1] != "    return a" and lines[-1].rstrip() == "    return a"


async def test_ghost_text_as_you_type_then_tab_accepts(
    nvim: Neovim, model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule(" + b", contains="def add")
    await nvim.edit(tmp_path / "add.py", ADD)
    before = await _counters(nvim)
    await nvim.send("2GA")
    ghost = await nvim.wait_for_ghost(lambda g: g is not None)
    assert ghost is not None
    assert (ghost.row, ghost.col, ghost.text, ghost.position) == (1, 12, " + b", "inline")
    assert ghost.lines == []
    assert await nvim.lines() == ["def add(a, b):", "    return a"]  # ghost text only

    await nvim.send("<Tab>")
    await nvim.wait_for_lines(["def add(a, b):", "    return a + b"])
    assert await nvim.lua("vim.api.nvim_win_get_cursor(0)") == [2, 16]
    await _accepted_once(nvim, before)


async def test_dismiss_then_tab_is_a_plain_tab(
    nvim: Neovim, model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule(" + b", contains="def add")
    await nvim.edit(tmp_path / "add.py", ADD)
    await nvim.send("2GA")
    await nvim.wait_for_ghost(lambda g: g is not None and g.text == " + b")
    await nvim.send("<C-]>")
    await nvim.wait_for_ghost(lambda g: g is None)
    await nvim.send("<Tab>")
    await nvim.wait_for_lines(_tab_typed)
    await nvim.send("<Esc>")  # leaving insert mode clears whatever the tab brought
    await nvim.wait_for_ghost(lambda g: g is None)


async def test_typing_through_keeps_it_moving_away_drops_it(
    nvim: Neovim, model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule(" + b", contains="def add")
    await nvim.edit(tmp_path / "through.py", ADD)
    await nvim.send("2GA")
    await nvim.wait_for_ghost(lambda g: g is not None and (g.col, g.text) == (12, " + b"))
    await nvim.send(" +")  # what the suggestion says: the rest stays shown
    ghost = await nvim.wait_for_ghost(lambda g: g is not None and g.col == 14)
    assert ghost is not None and ghost.text == " b"
    await nvim.send("<Left><Left><Left>")  # away from it
    await nvim.wait_for_ghost(lambda g: g is None or g.col != 14)


async def test_multiline_ghost_then_word_and_line_accepts(
    nvim: Neovim, model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule("result = msg.upper()\n    return result", contains="def greet")
    await nvim.edit(tmp_path / "greet.py", 'def greet(name):\n    msg = "hi " + name\n    \n')
    before = await _counters(nvim)
    head = ["def greet(name):", '    msg = "hi " + name']
    await nvim.send("3GA")
    ghost = await nvim.wait_for_ghost(lambda g: g is not None)
    assert ghost is not None
    assert (ghost.row, ghost.col, ghost.position) == (2, 4, "inline")
    assert (ghost.text, ghost.lines) == ("result = msg.upper()", ["    return result"])

    await nvim.send("<M-Right>")  # a word
    await nvim.wait_for_lines([*head, "    result"])
    ghost = await nvim.wait_for_ghost(lambda g: g is not None and g.col == 10)
    assert ghost is not None
    assert (ghost.text, ghost.lines) == (" = msg.upper()", ["    return result"])

    await nvim.send("<M-Down>")  # the rest of the line
    await nvim.wait_for_lines([*head, "    result = msg.upper()"])
    ghost = await nvim.wait_for_ghost(lambda g: g is not None and g.text == "")
    assert ghost is not None and ghost.lines == ["    return result"]

    await nvim.send("<M-Down>")  # the next line, the last of the suggestion
    await nvim.wait_for_lines([*head, "    result = msg.upper()", "    return result"])
    await _accepted_once(nvim, before)


async def test_superseded_request_is_cancelled(
    nvim: Neovim, model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule(Reply(text=" + b", profile=Profile(ttft_ms=1000)), times=1)
    model.add_rule(" * b")
    await nvim.edit(tmp_path / "slow.py", ADD)
    before = await _counters(nvim)
    await nvim.send("2GA")
    await eventually(
        lambda: asyncio.sleep(0, completion_requests(model)), bool, what="a model request"
    )
    # A keystroke the coming suggestion disagrees with: the module cancels its request.
    await nvim.send("x")
    ghost = await nvim.wait_for_ghost(lambda g: g is not None)
    assert ghost is not None and (ghost.col, ghost.text) == (13, " * b")
    # The server saw the $/cancelRequest of the first request (and no other).
    assert (await _counters(nvim))["cancelled"] == before["cancelled"] + 1


async def test_completion_fallback_item(nvim: Neovim, model: ModelServer, tmp_path: Path) -> None:
    model.add_rule(" + b", contains="def add")
    await nvim.edit(tmp_path / "menu.py", ADD)
    # The settings of the snippet, plus completionFallback "always": this client shows ghost
    # text, so ghostls offers the completion item only when asked to.
    settings = "vim.lsp.get_clients({ name = 'ghostls' })[1].config.init_options"
    always = f"vim.tbl_extend('force', {settings}, {{ completionFallback = 'always' }})"
    await nvim.notify_settings(always)
    try:
        params = (
            "{ textDocument = { uri = vim.uri_from_bufnr(0) },"
            " position = { line = 1, character = 12 }, context = { triggerKind = 1 } }"
        )
        result = await nvim.request("textDocument/completion", params)
        [item] = result["items"]
        assert item["label"] == "a + b"
        assert item["labelDetails"]["description"] == "✨ ghostls"
        assert item["detail"] == "ghostls AI suggestion"
        assert item["textEdit"]["range"]["start"] == {"line": 1, "character": 11}
        assert item["textEdit"]["newText"] == "a + b"
        assert item["preselect"] is True

        # Neovim's own LSP omni completion (<C-x><C-o>) lists it.
        await nvim.send("2GA<C-x><C-o>")
        menu = await eventually(
            lambda: nvim.lua("vim.fn.complete_info({ 'items' }).items"), bool, what="a menu"
        )
        assert [(entry["abbr"], entry["menu"]) for entry in menu] == [
            ("a + b", "ghostls AI suggestion")
        ]
    finally:
        await nvim.notify_settings(settings)


async def test_ranges_in_utf16(nvim: Neovim, model: ModelServer, tmp_path: Path) -> None:
    """The item's range, in UTF-16 units, is converted to bytes right."""
    model.add_rule("name)", contains="def greet")
    line = '    print("héllo 😀", '
    await nvim.edit(tmp_path / "hello.py", f"def greet(name):\n{line})\n")
    encoding = "vim.lsp.get_clients({ name = 'ghostls' })[1].offset_encoding"
    assert await nvim.lua(encoding) == "utf-16"
    await nvim.send("2G$i")  # the cursor before ")"
    ghost = await nvim.wait_for_ghost(lambda g: g is not None)
    assert ghost is not None
    # The item replaces the ")" after the cursor: only the new text shows before it.
    assert (ghost.col, ghost.text, ghost.position) == (len(line.encode()), "name", "inline")
    await nvim.send("<Tab>")
    await nvim.wait_for_lines(["def greet(name):", f"{line}name)"])


async def test_screen_shows_ghost_text(model: ModelServer, tmp_path: Path) -> None:
    """What a person sees: Neovim's terminal UI in tmux, ghost text after the cursor."""
    binary = nvim_binary()
    tmux = require_binary("tmux", "Debian's tmux")
    model.add_rule(" + b", contains="def add")
    init = tmp_path / "init.lua"
    init.write_text(snippet(EDITORS / "neovim" / "init-0.11.lua", model.base_url))
    await screen_shows_ghost(Neovim, binary, tmux, tmp_path, "-u", str(init), *RTP)


async def test_the_012_snippet(tmp_path: Path) -> None:
    """editors/neovim/init.lua loads in Neovim 0.11 too, with a stand-in of 0.12's
    vim.lsp.inline_completion recording the calls (test_neovim_012.py runs it in the real 0.12)."""
    script = tmp_path / "check.lua"
    script.write_text(
        """
        local calls = {}
        vim.lsp.inline_completion = {
          enable = function(...) table.insert(calls, { 'enable', select('#', ...) }) end,
          get = function() table.insert(calls, { 'get' }) return false end,
        }
        dofile(_G.arg[1])
        local tab = vim.fn.maparg('<Tab>', 'i', false, true)
        local accept = tab.callback()
        io.stdout:write(vim.json.encode({
          config = vim.lsp.config.ghostls,
          enabled = vim.lsp.is_enabled('ghostls'),
          accept = accept,
          expr = tab.expr,
          calls = calls,
        }))
        """,
        encoding="utf-8",
    )
    config = tmp_path / "init.lua"
    config.write_text(snippet(EDITORS / "neovim" / "init.lua", "http://127.0.0.1:9/v1"))
    binary = nvim_binary()
    out = await run(binary, "--headless", "--clean", "-l", script, config, env=editor_env(tmp_path))
    seen: dict[str, Any] = json.loads(out)
    assert seen["enabled"] is True
    assert seen["config"]["cmd"] == ["ghostls"]
    assert seen["config"]["init_options"]["baseUrl"] == "http://127.0.0.1:9/v1"
    assert "python" in seen["config"]["filetypes"]
    # <Tab> asks inline_completion.get() to accept, and is a plain <Tab> when it can't.
    assert (seen["expr"], seen["accept"]) == (1, "<Tab>")
    assert seen["calls"] == [["enable", 0], ["get"]]


async def test_lua_is_clean() -> None:
    """luacheck: no globals set, no unused variables, lines of at most 100 characters."""
    luacheck = shutil.which("luacheck")
    if luacheck is None:
        missing("luacheck is not installed: run tests/editors/install.sh (Debian's lua-check)")
    await run(luacheck, "--config", NVIM_MODULE / ".luacheckrc", NVIM_MODULE, EDITORS / "neovim")
