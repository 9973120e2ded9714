"""Emacs 30 with eglot, configured by editors/emacs/init.el, in batch mode: the completion
fallback and the AI code actions, driven by tests/editors/emacs/scenario.el. Its first step asks
for the suggestion as soon as eglot manages the first file: the first request of the session."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from ghostls.testing import ModelServer
from tests.editors.support import (
    EDITORS,
    editor_env,
    missing,
    require_binary,
    run,
    snippet,
    write,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

SCENARIO = Path(__file__).parent / "emacs" / "scenario.el"
ADD = "def add(a, b):\n    return a\n"
SHAPES = """\
import math


def area(r):
    return math.pi * r * rr


def perimeter(r):
    raise NotImplementedError


print(area(2))
"""


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def seen(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    """What scenario.el saw, from one Emacs (and so one ghostls) for all the tests here."""
    emacs = require_binary("emacs", "Emacs 30 from bookworm-backports")
    version = await run(emacs, "--version")
    found = re.match(r"GNU Emacs (\d+)", version)
    assert found is not None, version
    major = int(found.group(1))
    if major < 30:
        missing(f"Emacs {major} is too old (eglot of Emacs 30 is tested): run install.sh")
    home = tmp_path_factory.mktemp("emacs")
    async with ModelServer(profile="instant") as model:
        model.add_rule(" + b", contains="def add")
        model.add_rule(
            "def area(r):\n    return math.pi * r * r", contains="undefined name 'rr' (pyflakes"
        )
        model.add_rule(
            "def perimeter(r):\n    return 2 * math.pi * r", contains="implement `perimeter`"
        )
        init = write(home / "init.el", snippet(EDITORS / "emacs" / "init.el", model.base_url))
        write(home / "add.py", ADD)
        write(home / "shapes.py", SHAPES)
        env = editor_env(home) | {"EDITOR_TEST_DIR": str(home)}
        out = await run(emacs, "--batch", "-Q", "-l", init, "-l", SCENARIO, env=env, timeout=60)
    yield json.loads(out)


async def test_completion_fallback(seen: dict[str, Any]) -> None:
    # eglot declares no inline completion: ghostls offers its suggestion as a candidate.
    assert seen["completion"] == {
        "typed": "a",
        "candidates": ["a + b"],
        "annotations": [" ghostls AI suggestion"],
    }
    # completion-at-point inserts the single candidate, and eglot applies its textEdit.
    assert seen["completed"] == ["def add(a, b):", "    return a + b", ""]


async def test_quickfix_code_action(seen: dict[str, Any]) -> None:
    assert "quickfix-error" not in seen, seen["quickfix-error"]
    assert seen["quickfix"] == SHAPES.replace("r * rr", "r * r").split("\n")


async def test_implement_code_action_picked_from_the_menu(seen: dict[str, Any]) -> None:
    assert "implement-error" not in seen, seen["implement-error"]
    assert seen["implement"]["offered"] == [
        "Add docstring with AI",
        "Implement 'perimeter' with AI",
    ]
    expected = SHAPES.replace("r * rr", "r * r").replace(
        "raise NotImplementedError", "return 2 * math.pi * r"
    )
    assert seen["implement"]["lines"] == expected.split("\n")
