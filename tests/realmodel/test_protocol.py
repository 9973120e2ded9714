"""Inline completions against a real code model: the answer must be non-empty, clean and
leave the file parsing."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from ghostls.documents import Document
from ghostls.replay.real_scoring import has_junk
from tests.actions.client import editor
from tests.support import lsp_session

pytestmark = pytest.mark.timeout(600)

MODES: dict[str, dict[str, Any]] = {
    "fim-tokens": {"promptMode": "fim-tokens", "fimTemplate": "qwen"},
    "chat": {"promptMode": "chat"},
}
URI = "file:///work/geometry.py"
SOURCE = '''\
import math


def circle_area(radius):
    """The area of a circle of this radius."""
    return


def perimeter(radius):
    raise NotImplementedError


print(circle_area(2), perimeter(2))
'''
CURSOR = (5, len("    return"))


def _settings(url: str, mode: str) -> dict[str, Any]:
    # A real model on a shared CI machine: generous timeouts, deterministic answers.
    return {
        "baseUrl": url,
        "model": "qwen-coder",
        "temperature": 0,
        "timeoutMs": 120_000,
        "debounceMs": 0,
        "prefetch": False,
        **MODES[mode],
    }


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


@pytest.mark.parametrize("mode", list(MODES))
async def test_completion_is_clean_and_parses(real_model_url: str, mode: str) -> None:
    async with lsp_session(_settings(real_model_url, mode)) as session:
        session.open(URI, SOURCE)
        items = await session.inline(URI, *CURSOR, invoked=True)
    assert items, "no suggestion"
    text = items[0].insert_text
    assert isinstance(text, str) and text.strip()
    assert not has_junk(text), text
    doc = Document.from_text(URI, "python", 1, SOURCE)
    doc.replace(doc.point(*CURSOR, "utf-16"), doc.point(*CURSOR, "utf-16"), text)
    assert _parses(doc.text), doc.text


STUB = '''\
def celsius_to_fahrenheit(celsius):
    """Degrees Celsius in degrees Fahrenheit."""
    raise NotImplementedError


print(celsius_to_fahrenheit(100))
'''


async def test_implement_action_edit_parses(real_model_url: str) -> None:
    uri = "file:///work/temperature.py"
    async with editor(_settings(real_model_url, "chat")) as ed:
        ed.open(uri, STUB)
        resolved = await ed.resolve(await ed.action(uri, "implement", (0, 4)))
        assert resolved.edit is not None, "no edit"
        ed.apply(resolved.edit)
        text = ed.text(uri)
    assert "raise NotImplementedError" not in text, text
    assert _parses(text), text
    assert text.startswith("def celsius_to_fahrenheit(celsius):\n"), text
    assert text.endswith("\n\n\nprint(celsius_to_fahrenheit(100))\n"), text
