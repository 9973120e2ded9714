"""Bad input from the editor: positions that don't exist, edits that overlap, split a
surrogate pair or name a document that isn't open, and documents far larger than usual.

Each gets a clear JSON-RPC error or a sane clamp, never a crash, and the document model stays
exact: afterwards the prompt the model server receives is built from the text the client
holds (checked against an independent model of that text, `oracle.py`)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ghostls.testing import ModelServer, RecordedRequest
from tests.reliability.helpers import assert_prompt_is, prompt_and_suffix
from tests.reliability.oracle import ClientText, change, offset, position
from tests.reliability.raw import RawServer, raw_server
from tests.support import base_settings, model_calls, wait_for_calls

URI = "file:///work/unicode.py"
MAX_UINT = 2**31 - 1


@pytest.fixture
async def server(model: ModelServer) -> AsyncIterator[RawServer]:
    model.default_reply = "pass"
    settings = base_settings(model.base_url, timeoutMs=2000)
    async with raw_server(settings, reuse="none") as connection:
        yield connection


async def _prompt_at(
    server: RawServer, model: ModelServer, uri: str, line: Any, character: Any
) -> tuple[dict[str, Any], RecordedRequest]:
    """Ask at a position; the response and the model call it made."""
    calls = len(model_calls(model))
    response = await server.inline(uri, line, character)
    assert "result" in response, response
    [*_, call] = await wait_for_calls(model, calls + 1)
    return response, call


async def test_positions_out_of_range_clamp_or_get_an_error(
    server: RawServer, model: ModelServer
) -> None:
    text = "def f(😀):\n    return \n"
    await server.open(URI, text)
    clamped = {
        (0, 7): "inside the surrogate pair of 😀",
        (0, 1000): "past the end of the line",
        (7, 0): "past the last line",
        (MAX_UINT, MAX_UINT): "the largest position LSP allows",
        (1, MAX_UINT): "the largest column",
    }
    for (line, character), why in clamped.items():
        _, call = await _prompt_at(server, model, URI, line, character)
        assert_prompt_is(call, text, offset(text, line, character), why)
    calls = len(model_calls(model))
    invalid: list[tuple[object, object]] = [
        (-1, 0),
        (0, -1),
        (2**31, 0),
        (2**53, 2**53),
        ("a", 0),
        (None, 0),
    ]
    for bad_line, bad_character in invalid:
        response = await server.inline(URI, bad_line, bad_character, timeout=3.0)
        assert response.get("error", {}).get("code") == -32602, (bad_line, response)
    assert len(model_calls(model)) == calls
    # Still sane: an ordinary request after the abuse.
    _, call = await _prompt_at(server, model, URI, 1, 11)
    assert_prompt_is(call, text, len("def f(😀):\n    return "))


async def test_overlapping_splitting_and_stray_edits_keep_the_text_exact(
    server: RawServer, model: ModelServer
) -> None:
    client = ClientText("héllo 😀 wörld\r\nline two 中文\nthird 🎉🎉\na\rb")
    await server.open(URI, client.text)
    changes = [
        change((0, 1), (0, 4), "ey"),  # "heyo 😀 wörld"
        change((0, 0), (0, 3), "Wh"),  # overlaps the edit before it: "Who 😀 wörld"
        change((0, 5), (0, 7), "X"),  # starts inside the surrogate pair of 😀: "Who Xwörld"
        change((1, 5), (1, 2), "R"),  # an end before its start: "line Rtwo 中文"
        change((1, 100), (2, 3), " + "),  # from past a line's end across a break
        change((1, 21), (1, 21), "!"),  # an insertion inside the second 🎉: before it
        change((1, 19), (1, 23), ""),  # from inside the first 🎉 to past the line's end
        change((2, 0), (2, 1), "x\ry"),  # a lone "\r" inside a line
        change((4, 0), (4, 0), "\n"),  # right after a lone "\r": one "\r\n" break now
        change((1, 100), (1, 100), "\r"),  # right before a "\n": one "\r\n" break now
        change((40, 0), (50, 9), "\nend 🐍"),  # wholly past the end
    ]
    for item in changes:
        client.apply(item)
    await server.change(URI, 2, changes)
    # An edit to a document that was never opened, and one after it was closed.
    await server.change("file:///work/never-opened.py", 2, [change((0, 0), (0, 0), "x")])
    await server.open("file:///work/closed.py", "gone")
    await server.notify(
        "textDocument/didClose", {"textDocument": {"uri": "file:///work/closed.py"}}
    )
    await server.change("file:///work/closed.py", 2, [change((0, 0), (0, 4), "back")])
    response = await server.inline("file:///work/closed.py", 0, 0)
    assert response["result"]["items"] == []

    assert client.text == "Who Xwörld\r\nline Rtwo 中文 + rd \r\nx\ry\r\nb\nend 🐍"
    for cursor in (len(client.text), client.text.index("X"), client.text.index("中")):
        line, character = position(client.text, cursor)
        _, call = await _prompt_at(server, model, URI, line, character)
        assert_prompt_is(call, client.text, cursor)
    # Whole-text replacement after all that.
    client.apply({"text": "x = 1\ny = "})
    await server.change(URI, 3, [{"text": client.text}])
    _, call = await _prompt_at(server, model, URI, 1, 4)
    assert_prompt_is(call, client.text, len(client.text))
    assert server.alive


def _code_lines(count: int) -> list[str]:
    return [
        f"    total_{n} = compute(values[{n}], weight={n % 97}) + offset  # step {n}\n"
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("10 MB document", _code_lines(140_000)),
        ("100k-line file", ["x = 1\n"] * 100_000),
    ],
)
async def test_huge_documents_answer_promptly(
    model: ModelServer, name: str, lines: list[str]
) -> None:
    model.default_reply = "pass"
    settings = base_settings(model.base_url, timeoutMs=5000)
    text = "".join(lines)
    figures: list[str] = []
    async with raw_server(settings, log_level="WARNING", reuse="none") as server:
        started = time.monotonic()
        await server.open(URI, text)
        await server.stats()  # the didOpen has been handled
        figures.append(f"open {1000 * (time.monotonic() - started):.0f} ms")
        for where, line in (("end", len(lines)), ("middle", len(lines) // 2)):
            started = time.monotonic()
            _, call = await _prompt_at(server, model, URI, line, 0)
            figures.append(f"inline at the {where} {1000 * (time.monotonic() - started):.0f} ms")
            cursor = len("".join(lines[:line]))
            prompt, suffix = prompt_and_suffix(call)
            assert prompt.endswith(text[max(0, cursor - 1000) : cursor])
            assert len(prompt) + len(suffix) < 64_000
        # A keystroke in the middle, then a request right after it.
        started = time.monotonic()
        await server.change(URI, 2, [change((len(lines) // 2, 0), (len(lines) // 2, 0), "z")])
        _, call = await _prompt_at(server, model, URI, len(lines) // 2, 1)
        figures.append(f"keystroke + inline {1000 * (time.monotonic() - started):.0f} ms")
        assert prompt_and_suffix(call)[0].endswith(lines[len(lines) // 2 - 1] + "z")
        # A whole-text change of the same size.
        started = time.monotonic()
        await server.change(URI, 3, [{"text": text}])
        await server.stats()
        figures.append(f"whole-text change {1000 * (time.monotonic() - started):.0f} ms")
    print(f"{name} ({len(text) / 1e6:.1f} MB, {len(lines)} lines): " + ", ".join(figures))


@pytest.mark.parametrize("head", ["var a=[", "var é=["], ids=["ascii", "non-ascii"])
async def test_a_huge_single_line_document(model: ModelServer, head: str) -> None:
    """A minified file: one 10 MB line (positions in a line with a non-ASCII character are
    counted character by character: measured, not asserted)."""
    model.default_reply = "0"
    settings = base_settings(model.base_url, timeoutMs=5000)
    text = head + "1," * 5_000_000 + "];"
    async with raw_server(settings, log_level="WARNING", reuse="none") as server:
        await server.open(URI, text)
        figures = []
        for column in (len(text), len(text) // 2):
            started = time.monotonic()
            _, call = await _prompt_at(server, model, URI, 0, column)
            figures.append(f"{1000 * (time.monotonic() - started):.0f} ms")
            prompt, suffix = prompt_and_suffix(call)
            assert prompt.endswith(text[column - 100 : column])
            assert len(prompt) + len(suffix) < 64_000
        started = time.monotonic()
        await server.change(URI, 2, [change((0, len(text) // 2), (0, len(text) // 2), "9")])
        _, call = await _prompt_at(server, model, URI, 0, len(text) // 2 + 1)
        figures.append(f"keystroke + inline {1000 * (time.monotonic() - started):.0f} ms")
        assert prompt_and_suffix(call)[0].endswith(text[len(text) // 2 - 50 : len(text) // 2] + "9")
    print(f"one 10 MB line ({head[4]!r}): inline at the end, the middle: " + ", ".join(figures))
