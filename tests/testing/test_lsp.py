"""The shared LSP helpers of the tests and the benchmarks."""

from __future__ import annotations

import os

from lsprotocol import types

from ghostls.testing.lsp import apply_item, server_env


def test_apply_item_replaces_its_range_in_utf16() -> None:
    document = "s = '😀'\nf(|)\n".replace("|", "")
    item = types.InlineCompletionItem(
        insert_text="a, b)",
        range=types.Range(start=types.Position(1, 2), end=types.Position(1, 3)),
    )
    assert apply_item(document, item) == "s = '😀'\nf(a, b)\n"
    emoji = types.InlineCompletionItem(
        insert_text="!", range=types.Range(types.Position(0, 8), types.Position(0, 8))
    )
    # The emoji counts two UTF-16 units.
    assert apply_item(document, emoji) == "s = '😀'!\nf()\n"
    bare = types.InlineCompletionItem(insert_text="x")
    assert apply_item("f()", bare, cursor=(0, 2)) == "f(x)"


def test_server_env_drops_keys_and_endpoints() -> None:
    os.environ["GHOSTLS_TEST_LEAK"] = "1"
    os.environ["SOME_API_KEY"] = "secret"
    try:
        env = server_env({"GHOSTLS_MODEL": "m"})
    finally:
        del os.environ["GHOSTLS_TEST_LEAK"], os.environ["SOME_API_KEY"]
    assert "GHOSTLS_TEST_LEAK" not in env and "SOME_API_KEY" not in env
    assert env["GHOSTLS_MODEL"] == "m"
