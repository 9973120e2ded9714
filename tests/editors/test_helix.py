"""Helix: no build of it can be installed here (no Debian, PyPI or npm package ships `hx`), so
editors/helix/languages.toml is checked as TOML and its server settings are sent, the way Helix
sends a server's `config`, by a client that lacks inline completion as Helix does."""

from __future__ import annotations

from typing import Any

import pytest
from lsprotocol import types

from ghostls.settings import resolve_settings
from ghostls.testing import ModelServer
from tests.editors.support import EDITORS, SNIPPET_BASE_URL, SNIPPET_MODEL, snippet
from tests.support import lsp_session

tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python 3.11 and later")

LANGUAGES = EDITORS / "helix" / "languages.toml"


def _languages(base_url: str = SNIPPET_BASE_URL) -> dict[str, Any]:
    parsed: dict[str, Any] = tomllib.loads(snippet(LANGUAGES, base_url))
    return parsed


def test_languages_toml_defines_ghostls_and_adds_it_to_languages() -> None:
    languages = _languages()
    server = languages["language-server"]["ghostls"]
    assert server["command"] == "ghostls"
    settings = resolve_settings(server["config"], {})
    assert (settings.base_url, settings.model, settings.prompt_mode) == (
        SNIPPET_BASE_URL,
        SNIPPET_MODEL,
        "fim",
    )
    for language in languages["language"]:
        servers = language["language-servers"]
        # Each language keeps a usual server first, and adds ghostls once.
        assert servers.count("ghostls") == 1 and servers[0] != "ghostls", language


async def test_helix_like_client_gets_the_suggestion_as_a_completion_item(
    model: ModelServer,
) -> None:
    model.add_rule(" + b", contains="def add")
    config = _languages(model.base_url)["language-server"]["ghostls"]["config"]
    uri = "file:///work/add.py"
    async with lsp_session(config, inline=False) as session:
        session.open(uri, "def add(a, b):\n    return a\n")
        result = await session.client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(1, 12),
            )
        )
    assert isinstance(result, types.CompletionList)
    assert [(item.label, item.detail) for item in result.items] == [
        ("a + b", "ghostls AI suggestion")
    ]
