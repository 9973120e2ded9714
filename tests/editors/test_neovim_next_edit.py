"""Next-edit suggestions in Neovim 0.11 with client-nvim's next_edit module and the
editors/neovim/next-edit.lua snippet, typed into for real."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from ghostls.testing import ModelServer
from tests.editors.support import (
    EDITORS,
    NVIM_MODULE,
    Neovim,
    editor_env,
    eventually,
    nvim_binary,
    snippet,
    write,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

SOURCE = (
    "def total(values):\n"
    "    result = 0\n"
    "    for value in values:\n"
    "        result += value\n"
    "    return result\n"
)
RENAMED = SOURCE.replace("result", "acc")
NAMESPACE = "ghostls_next_edit"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def model() -> AsyncIterator[ModelServer]:
    async with ModelServer(profile="instant") as server:
        yield server


@pytest_asyncio.fixture(loop_scope="module")
async def nvim(model: ModelServer, tmp_path: Path) -> AsyncIterator[Neovim]:
    model.reset()
    init = snippet(EDITORS / "neovim" / "init-0.11.lua", model.base_url)
    init += "\n" + (EDITORS / "neovim" / "next-edit.lua").read_text(encoding="utf-8")
    home = tmp_path / "home"
    file = write(tmp_path / "totals.py", SOURCE)
    nvim = await Neovim.start(
        nvim_binary(),
        write(home / "init.lua", init),
        file,
        editor_env(home),
        "--cmd",
        f"set rtp+={NVIM_MODULE}",
    )
    await nvim.wait_for_client()
    yield nvim
    await nvim.close()


async def marks(nvim: Neovim) -> list[dict[str, Any]]:
    found = await nvim.lua(
        f"vim.api.nvim_buf_get_extmarks(0, vim.api.nvim_create_namespace('{NAMESPACE}'),"
        " 0, -1, { details = true })"
    )
    return [
        {
            "row": row,
            "col": col,
            "end": (details.get("end_row"), details.get("end_col")),
            "hl": details.get("hl_group"),
            "text": "".join(chunk[0] for chunk in details.get("virt_text", [])),
            "lines": ["".join(c[0] for c in line) for line in details.get("virt_lines", [])],
        }
        for _, row, col, details in found
    ]


async def counters(nvim: Neovim) -> dict[str, int]:
    return dict((await nvim.request("ghostls/stats"))["counters"])


async def rename_first(nvim: Neovim) -> list[dict[str, Any]]:
    """Rename the first `result` as a person would (cw, type, Esc); the edit is then shown."""
    await nvim.send("2G^cwacc<Esc>")
    return await eventually(lambda: marks(nvim), bool, what="a next edit shown")


async def test_the_rest_of_a_rename_shown_then_tab_applies(
    nvim: Neovim, model: ModelServer
) -> None:
    model.add_rule(f"```python\n{RENAMED}```", contains="Editable window")
    shown = await rename_first(nvim)
    # `result` on line 4 to `result` on line 5 is replaced: struck, the new text after it.
    deleted = [mark for mark in shown if mark["hl"] == "GhostlsNextEditDelete"]
    added = [mark for mark in shown if mark["text"] or mark["lines"]]
    assert [(m["row"], m["col"], m["end"]) for m in deleted] == [(3, 8, (4, 17))]
    assert [(m["row"], m["col"], m["text"], m["lines"]) for m in added] == [
        (4, 17, "acc += value", ["    return acc"])
    ]
    assert await nvim.lines() == SOURCE.replace("result = 0", "acc = 0").splitlines()
    stats = await eventually(
        lambda: counters(nvim), lambda c: c["nextEditShown"] == 1, what="didShowInlineEdit"
    )
    assert stats["nextEditOffered"] == 1

    await nvim.send("<Tab>")
    await nvim.wait_for_lines(RENAMED.splitlines())
    assert await nvim.lua("vim.api.nvim_win_get_cursor(0)") == [5, 13]
    await eventually(
        lambda: counters(nvim), lambda c: c["nextEditAccepted"] == 1, what="the accept command"
    )


async def test_escape_dismisses_then_tab_is_tab(nvim: Neovim, model: ModelServer) -> None:
    model.add_rule(f"```python\n{RENAMED}```", contains="Editable window")
    await rename_first(nvim)
    await nvim.send("<Esc>")
    await eventually(lambda: marks(nvim), lambda found: found == [], what="the edit dismissed")
    assert await nvim.lines() == SOURCE.replace("result = 0", "acc = 0").splitlines()
    # Tab with nothing shown is Tab (jump forward): the buffer is unchanged.
    await nvim.send("<Tab>")
    assert await nvim.lines() == SOURCE.replace("result = 0", "acc = 0").splitlines()


# sidekick.nvim and copilot-lsp are GitHub-only Lua plugins (nothing here can fetch them): their
# snippets run with a stand-in module that records what the snippet asks of the plugin, and the
# request the plugin would send goes through the snippet's client as the plugin sends it.
STAND_INS = {
    "sidekick.lua": (
        "sidekick",
        "return { setup = function(opts) vim.g.plugin_setup = opts end,"
        " nes_jump_or_apply = function() return false end }",
    ),
    "copilot-lsp.lua": (
        "copilot-lsp/nes",
        "return { lsp_on_init = function(client) vim.g.plugin_setup = client.name end }",
    ),
}


@pytest.mark.parametrize("name", sorted(STAND_INS))
async def test_plugin_snippet_client_answers_copilot_inline_edit(
    name: str, model: ModelServer, tmp_path: Path
) -> None:
    model.reset()
    model.add_rule(f"```python\n{RENAMED}```", contains="Editable window")
    module, stand_in = STAND_INS[name]
    plugin = tmp_path / "plugin"
    write(plugin / "lua" / f"{module}.lua", stand_in)
    home = tmp_path / "home"
    init = write(home / "init.lua", snippet(EDITORS / "neovim" / name, model.base_url))
    file = write(tmp_path / "totals.py", SOURCE)
    nvim = await Neovim.start(
        nvim_binary(), init, file, editor_env(home), "--cmd", f"set rtp+={plugin}"
    )
    try:
        attached = (
            "(function() local c = vim.lsp.get_clients({ bufnr = 0 })[1]"
            " return c and c.initialized and c.name end)()"
        )
        client = await eventually(lambda: nvim.lua(attached), bool, what="the snippet's client")
        assert "copilot" in client.lower()  # how sidekick finds it
        assert await nvim.lua("vim.g.plugin_setup") is not None
        await nvim.send("2G^cwacc<Esc>")
        await nvim.wait_for_lines(SOURCE.replace("result = 0", "acc = 0").splitlines())
        # What the plugins send: UTF-16 positions and the buffer's LSP version.
        request = (
            "(function() local buf = vim.api.nvim_get_current_buf()"
            " local c = vim.lsp.get_clients({ bufnr = buf })[1]"
            " local p = vim.lsp.util.make_position_params(0, 'utf-16')"
            " p.textDocument.version = vim.lsp.util.buf_versions[buf]"
            " local r = c:request_sync('textDocument/copilotInlineEdit', p, 5000, buf)"
            " return { r.result, vim.lsp.util.buf_versions[buf], c.offset_encoding } end)()"
        )
        result, version, encoding = await nvim.lua(request)
    finally:
        await nvim.close()
    [edit] = result["edits"]
    assert edit["textDocument"]["version"] == version
    assert edit["text"] == "acc += value\n    return acc"
    assert edit["range"]["start"] == {"line": 3, "character": 8}
    if name == "copilot-lsp.lua":
        assert encoding == "utf-16"
