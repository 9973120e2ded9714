"""The code actions depend on the narrow `Services` interface, never on the server module
(not even for type checking): no import circle between `actions/` and `server.py`."""

from __future__ import annotations

import ast
from pathlib import Path

import ghostls.actions


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_code_action_module_imports_the_server() -> None:
    folder = Path(ghostls.actions.__file__).parent
    modules = sorted(folder.glob("*.py"))
    assert any(path.name == "lsp.py" for path in modules)
    for path in modules:
        imported = _imported(path)
        assert "ghostls.server" not in imported, path.name
        assert "ghostls.server.GhostServer" not in imported, path.name
