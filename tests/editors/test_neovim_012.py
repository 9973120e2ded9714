"""Neovim 0.12's native ghost text (vim.lsp.inline_completion) with editors/neovim/init.lua as
the user's whole configuration, typed into for real against ghostls and the local model server.

The binary is the Neovim 0.12.4 build beside the repository (../shared/tools/nvim-0.12) or
$GHOSTLS_NVIM_012. One Neovim (and so one ghostls) serves the tests that open a file of their
own; the first test asks for a suggestion as soon as Neovim has opened its file.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from ghostls.testing import ModelServer, Profile, Reply
from tests.editors.support import (
    EDITORS,
    REPO,
    Neovim,
    completion_requests,
    editor_env,
    eventually,
    require_binary,
    screen_shows_ghost,
    snippet,
    write,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ADD = "def add(a, b):\n    return a\n"
NAMESPACE = "nvim.lsp.inline_completion"


def nvim_012() -> Path:
    """Neovim 0.12: $GHOSTLS_NVIM_012, or the build beside the repository (or beside the
    folder holding it, for a second checkout)."""
    if os.environ.get("GHOSTLS_NVIM_012"):
        candidates = [Path(os.environ["GHOSTLS_NVIM_012"])]
    else:
        candidates = [up / "shared/tools/nvim-0.12/bin/nvim" for up in REPO.parents[:2]]
    for binary in candidates:
        if binary.is_file():
            return binary
    # Not one of the editors tests/editors/install.sh installs: a checkout away from the build
    # skips, in CI too, and says where it looked.
    pytest.skip(f"Neovim 0.12 is not at {candidates[0]} (set GHOSTLS_NVIM_012 to its nvim)")


class Neovim012(Neovim):
    """The ghost text is what Neovim 0.12 draws in its own namespace."""

    namespace = NAMESPACE


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
) -> AsyncIterator[Neovim012]:
    binary = nvim_012()
    home = tmp_path_factory.mktemp("nvim012")
    init = write(home / "init.lua", snippet(EDITORS / "neovim" / "init.lua", shared_model.base_url))
    file = write(home / "first.py", ADD)
    shared_model.add_rule(" + b", contains="def add")
    nvim = await Neovim012.start(binary, init, file, editor_env(home), "-n")
    yield nvim
    await nvim.close()


@pytest_asyncio.fixture(loop_scope="module")
async def nvim(shared_nvim: Neovim012) -> AsyncIterator[Neovim012]:
    yield shared_nvim
    await shared_nvim.send("<C-\\><C-N>")


async def _counters(nvim: Neovim) -> dict[str, int]:
    stats = await nvim.request("ghostls/stats")
    return dict(stats["counters"])


async def test_first_suggestion_right_after_the_file_opens(shared_nvim: Neovim012) -> None:
    """Insert mode as soon as ghostls is attached (its settings pull still on the way): the
    first answer shows. (A request Neovim would make before the client attaches is not made.)"""
    await shared_nvim.wait_for_client()
    await shared_nvim.send("2GA")
    ghost = await shared_nvim.wait_for_ghost(lambda g: g is not None)
    assert ghost is not None
    assert (ghost.row, ghost.col, ghost.text, ghost.position) == (1, 12, " + b", "inline")
    assert await shared_nvim.lines() == ["def add(a, b):", "    return a"]
    await shared_nvim.send("<Esc>")
    await shared_nvim.wait_for_ghost(lambda g: g is None)


async def test_tab_accepts_runs_the_command_and_the_next_one_shows(
    nvim: Neovim012, model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule("  # the sum", contains="return a + b")
    model.add_rule(" + b", contains="def add")
    await nvim.edit(tmp_path / "add.py", ADD)
    before = await _counters(nvim)
    await nvim.send("2GA")
    await nvim.wait_for_ghost(lambda g: g is not None and g.text == " + b")
    await nvim.send("<Tab>")
    await nvim.wait_for_lines(["def add(a, b):", "    return a + b"])
    assert await nvim.lua("vim.api.nvim_win_get_cursor(0)") == [2, 16]
    await eventually(
        lambda: _counters(nvim),
        lambda after: after["accepted"] == before["accepted"] + 1,
        what="the ghostls.accepted command",
    )
    # Still in insert mode after the accept: the next suggestion shows where it ended.
    ghost = await nvim.wait_for_ghost(lambda g: g is not None and g.col == 16)
    assert ghost is not None and (ghost.text, ghost.lines) == ("  # the sum", [])


async def test_typing_through_keeps_the_rest_then_tab_accepts_it(
    nvim: Neovim012, model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule("a + b", contains="def add")
    await nvim.edit(tmp_path / "through.py", "def add(a, b):\n    return \n")
    await nvim.send("2GA")
    await nvim.wait_for_ghost(lambda g: g is not None and (g.col, g.text) == (11, "a + b"))
    # <Tab> right after the typed "a", before Neovim asks again: the item of column 11.
    await nvim.send("a<Tab>")
    await nvim.wait_for_lines(["def add(a, b):", "    return a + b"])
    assert await nvim.lua("vim.api.nvim_win_get_cursor(0)") == [2, 16]


async def test_typing_a_character_of_it_keeps_the_rest_shown(
    nvim: Neovim012, model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule(" + b", contains="def add")
    await nvim.edit(tmp_path / "keep.py", ADD)
    await nvim.send("2GA")
    await nvim.wait_for_ghost(lambda g: g is not None and (g.col, g.text) == (12, " + b"))
    await nvim.send(" ")
    ghost = await nvim.wait_for_ghost(lambda g: g is not None and g.col == 13)
    assert ghost is not None and ghost.text == "+ b"


async def test_a_different_character_drops_it(
    nvim: Neovim012, model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule(Reply(text=" * b", profile=Profile(ttft_ms=300)), contains="return ax")
    model.add_rule(" + b", contains="def add")
    await nvim.edit(tmp_path / "drop.py", ADD)
    await nvim.send("2GA")
    await nvim.wait_for_ghost(lambda g: g is not None and (g.col, g.text) == (12, " + b"))
    await nvim.send("x")
    # Until the answer for "ax" comes, nothing is shown; then that answer.
    seen = await nvim.lua(
        f"(function() local ns = vim.api.nvim_create_namespace('{NAMESPACE}')"
        " local shown = {} vim.wait(5000, function()"
        " local m = vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })[1]"
        " if m then table.insert(shown, { m[3], m[4].virt_text[1][1] }) end"
        " return m ~= nil end, 5) return shown end)()"
    )
    assert seen and seen[0] == [13, " * b"], seen


async def test_select_with_the_one_item_ghostls_sends(
    nvim: Neovim012, model: ModelServer, tmp_path: Path
) -> None:
    """ghostls answers one item: select() wraps around to it and marks it (1/1)."""
    model.add_rule(" + b", contains="def add")
    await nvim.edit(tmp_path / "select.py", ADD)
    await nvim.send("2GA")
    await nvim.wait_for_ghost(lambda g: g is not None and g.text == " + b")
    await nvim.lua("vim.lsp.inline_completion.select({ count = 1 })")
    ghost = await nvim.wait_for_ghost(lambda g: g is not None and g.text != " + b")
    assert ghost is not None and ghost.text == " + b (1/1)"
    await nvim.lua("vim.lsp.inline_completion.select({ count = -1 })")
    ghost = await nvim.ghost()
    assert ghost is not None and ghost.text == " + b (1/1)"
    await nvim.send("<Tab>")
    await nvim.wait_for_lines(["def add(a, b):", "    return a + b"])


async def test_a_stale_answer_never_shows(
    nvim: Neovim012, model: ModelServer, tmp_path: Path
) -> None:
    """The answer for "return a" comes after "x" was typed: it is not drawn after "ax"."""
    model.add_rule(" * b", contains="return ax")
    model.add_rule(Reply(text=" + b", profile=Profile(ttft_ms=1500)), contains="def mul")
    await nvim.edit(tmp_path / "stale.py", ADD.replace("add", "mul"))
    await nvim.send("2GA")
    await eventually(
        lambda: asyncio.sleep(0, completion_requests(model)), bool, what="a model request"
    )
    await nvim.send("x")
    seen = await nvim.lua(
        f"(function() local ns = vim.api.nvim_create_namespace('{NAMESPACE}')"
        " local shown = {} vim.wait(8000, function()"
        " local m = vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })[1]"
        " if m then table.insert(shown, { m[3], m[4].virt_text[1][1] }) end"
        " return m ~= nil and m[4].virt_text[1][1] == ' * b' end, 5) return shown end)()"
    )
    assert seen and all(mark == [13, " * b"] for mark in seen), seen


async def test_screen_shows_ghost_text(model: ModelServer, tmp_path: Path) -> None:
    """What a person sees: Neovim 0.12's terminal UI in tmux, ghost text after the cursor."""
    binary = nvim_012()
    tmux = require_binary("tmux", "Debian's tmux")
    model.add_rule(" + b", contains="def add")
    init = write(tmp_path / "init.lua", snippet(EDITORS / "neovim" / "init.lua", model.base_url))
    await screen_shows_ghost(Neovim012, binary, tmux, tmp_path, "-n", "-u", str(init))
