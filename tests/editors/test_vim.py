"""Vim 9 with ALE, configured by editors/vim/vimrc, in tmux: the AI suggestion in ALE's
completion menu as you type, inserted with <C-n><C-y>, and the screen a person sees. The word is
typed as soon as Vim shows the file: the suggestion is the session's first."""

from __future__ import annotations

import contextlib
import shlex
from pathlib import Path

import pytest

from ghostls.testing import ModelServer
from tests.editors.support import (
    EDITORS,
    editor_env,
    eventually,
    missing,
    require_binary,
    run,
    snippet,
    write,
)

ALE = Path("/usr/share/vim/vimfiles/pack/dist-bundle/opt/ale")


@pytest.fixture
def vim() -> Path:
    """Vim, and ALE where Debian's vim-ale puts it (`packadd ale` finds it there)."""
    found = require_binary("vim", "Debian's vim")
    if not ALE.is_dir():
        missing("ALE is not installed: run tests/editors/install.sh (Debian's vim-ale)")
    return found


async def test_suggestion_in_ales_completion_menu(
    vim: Path, model: ModelServer, tmp_path: Path
) -> None:
    tmux = require_binary("tmux", "Debian's tmux")
    model.add_rule(" + b", contains="def add")
    vimrc = write(tmp_path / "vimrc", snippet(EDITORS / "vim" / "vimrc", model.base_url))
    file = write(tmp_path / "add.py", "def add(a, b):\n    return \n")
    env = editor_env(tmp_path)
    tmux_cmd = (tmux, "-S", tmp_path / "tmux.sock")
    command = shlex.join([str(vim), "-Nu", str(vimrc), "-i", "NONE", "-n", str(file)])
    await run(*tmux_cmd, "new-session", "-d", "-x", "60", "-y", "8", command, env=env)

    async def screen() -> str:
        return await run(*tmux_cmd, "capture-pane", "-p", env=env)

    try:
        await eventually(screen, lambda s: "def add" in s, what="Vim")
        await run(*tmux_cmd, "send-keys", "2GA", env=env)
        # Typing the start of a word: ALE asks its servers for completions.
        await run(*tmux_cmd, "send-keys", "a", env=env)
        menu = await eventually(
            screen, lambda s: "ghostls AI suggestion" in s, timeout=15.0, what="ALE's menu"
        )
        [entry] = [line for line in menu.splitlines() if "ghostls AI suggestion" in line]
        assert "a + b" in entry
        await run(*tmux_cmd, "send-keys", "C-n", "C-y", "Escape", ":w", "Enter", env=env)
        await eventually(
            lambda: run("cat", file),
            lambda text: text == "def add(a, b):\n    return a + b\n",
            what="the suggestion saved",
        )
    finally:
        with contextlib.suppress(AssertionError):  # quitting Vim ends the tmux server
            await run(*tmux_cmd, "send-keys", "Escape", ":qa!", "Enter", env=env)
            await run(*tmux_cmd, "kill-server", env=env)
