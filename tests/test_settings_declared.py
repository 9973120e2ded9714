"""Each setting is declared once (server/ghostls/settings.py); what documents or sends the settings
elsewhere must agree with that declaration: the README's table, the VS Code extension's schema
(package.json) and the keys it sends (settings.ts)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from ghostls.settings import KEYS, Key

ROOT = Path(__file__).resolve().parent.parent

EXTENSION_ONLY = {"server.command", "server.python", "allowUntrustedWorkspace", "trace.server"}
"""Keys of the extension itself, never sent to the server."""

NOT_IN_THE_EDITOR = {"apiKey"}
"""Keys the extension never sends: the API key goes by environment (VS Code's secret storage)."""


def shown_default(key: Key) -> str:
    if key.default_doc is not None:
        return key.default_doc
    value = key.default
    if value is None or isinstance(value, bool):
        text = json.dumps(value)
    elif isinstance(value, str):
        text = f"`{json.dumps(value)}`"
    elif isinstance(value, Mapping):
        text = json.dumps(dict(value))
    elif isinstance(value, tuple):
        text = json.dumps(list(value))
    else:
        text = str(value)
    return f"preset's, else {text}" if key.preset else text


def readme_rows() -> list[str]:
    rows = [
        f"| `{key.name}` | {key.doc} | {f'`{key.env}`' if key.env else ''} | {shown_default(key)} |"
        for key in KEYS
    ]
    return ["| key | values | environment | default |", "|---|---|---|---|", *rows]


def test_the_readme_table_is_the_declaration() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("|")]
    expected = readme_rows()
    assert table == expected, "README.md's configuration table should read:\n" + "\n".join(expected)


def sent_keys() -> list[str]:
    return [key.name for key in KEYS if key.name not in NOT_IN_THE_EDITOR]


def test_the_vscode_client_sends_every_declared_key_in_order() -> None:
    source = (ROOT / "client-vscode" / "src" / "settings.ts").read_text(encoding="utf-8")
    found = re.search(r"export const SERVER_KEYS = \[(.*?)\] as const;", source, re.DOTALL)
    assert found is not None
    assert re.findall(r"'([^']+)'", found.group(1)) == sent_keys()


def schema() -> dict[str, dict[str, Any]]:
    package = json.loads((ROOT / "client-vscode" / "package.json").read_text(encoding="utf-8"))
    properties: dict[str, dict[str, Any]] = package["contributes"]["configuration"]["properties"]
    return {
        name.removeprefix("ghostls."): entry
        for name, entry in properties.items()
        if name.removeprefix("ghostls.") not in EXTENSION_ONLY
    }


def test_the_vscode_schema_has_every_declared_key() -> None:
    assert sorted(schema()) == sorted(sent_keys())


def branches(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return list(entry.get("anyOf", [entry]))


def types(entry: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for branch in branches(entry):
        kind = branch.get("type", [])
        found.update([kind] if isinstance(kind, str) else kind)
    return found


@pytest.mark.parametrize(
    "key", [key for key in KEYS if key.name not in NOT_IN_THE_EDITOR], ids=lambda key: key.name
)
def test_the_vscode_schema_accepts_what_the_server_does(key: Key) -> None:
    entry = schema()[key.name]
    parser = key.parser
    named = [
        value for branch in branches(entry) for value in branch.get("enum", []) if value is not None
    ]
    if parser.choices and not parser.open:
        assert named == list(parser.choices)
    elif parser.choices:
        assert (named or entry.get("examples")) == list(parser.choices)
    if parser.low is not None:
        [numeric] = [b for b in branches(entry) if {"integer", "number"} & types(b)]
        assert (numeric.get("minimum"), numeric.get("maximum")) == (parser.low, parser.high)
    if isinstance(key.default, bool):
        assert types(entry) == {"boolean"}
        assert entry["default"] == key.default
    if isinstance(key.default, tuple):
        assert types(entry) == {"array"}
    if isinstance(key.default, Mapping):
        assert types(entry) == {"object"}
