"""The architecture invariants of ARCHITECTURE.md, checked on the imports of every module.

Each rule names the modules it covers and the imports they must not make; an import inside a
function counts as well, except for the lab rule (the command line loads the lab lazily)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import ghostls

ROOT = Path(ghostls.__file__).parent
LSP = ("lsprotocol", "pygls")
HTTP = ("openai", "httpx", "aiohttp")


@dataclass(frozen=True)
class Rule:
    says: str
    covers: tuple[str, ...]  # module paths relative to the package, folders ending in "/"
    forbidden: tuple[str, ...]
    except_for: tuple[str, ...] = ()
    module_level_only: bool = False


RULES = [
    Rule(
        "the language layer, the cursor model and post-processing are pure: no LSP, no HTTP, "
        "no engine",
        ("lang/", "cursor.py", "postprocess/"),
        (*LSP, *HTTP, "ghostls.engine", "ghostls.server", "ghostls.completion", "ghostls.model"),
    ),
    Rule(
        "prompt building knows no LSP, no HTTP client and no engine",
        ("prompts/",),
        (*LSP, *HTTP, "ghostls.engine", "ghostls.server", "ghostls.completion", "ghostls.related"),
    ),
    Rule(
        "related code reads the document store only: no LSP, no HTTP, no engine",
        ("related/",),
        (*LSP, *HTTP, "ghostls.engine", "ghostls.server", "ghostls.completion"),
    ),
    Rule(
        "the engine knows neither LSP nor HTTP, nor the settings or the server",
        ("engine/",),
        (*LSP, *HTTP, "ghostls.server", "ghostls.completion", "ghostls.settings"),
    ),
    Rule(
        "the code actions depend on the narrow Services interface, never on the server module",
        ("actions/",),
        ("ghostls.server", "ghostls.completion"),
    ),
    Rule(
        "next edits speak neither LSP nor HTTP and never reach into the server module",
        ("nextedit/",),
        (*LSP, *HTTP, "ghostls.server"),
    ),
    Rule(
        "only model.py talks HTTP (the lab's raw baseline and test server apart)",
        ("",),
        HTTP,
        except_for=("model.py", "replay/", "testing/"),
    ),
    Rule(
        "only the handlers, the LSP items and the code actions' LSP side speak LSP (and the "
        "lab's clients)",
        ("",),
        LSP,
        except_for=(
            "server.py",
            "lsp_items.py",
            "actions/lsp.py",
            "actions/run.py",
            "replay/",
            "testing/",
        ),
    ),
    Rule(
        "the product does not load the lab when it starts",
        ("",),
        ("ghostls.replay", "ghostls.testing", "aiohttp"),
        except_for=("replay/", "testing/"),
        module_level_only=True,
    ),
]


def _modules(prefix: str) -> Iterator[tuple[str, Path]]:
    for path in sorted(ROOT.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == prefix or ((prefix.endswith("/") or not prefix) and name.startswith(prefix)):
            yield name, path


def _imports(path: Path, module_level_only: bool) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes: list[ast.AST] = [tree]
    while nodes:
        node = nodes.pop()
        for child in ast.iter_child_nodes(node):
            if module_level_only and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if isinstance(child, ast.Import):
                yield from (alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                yield child.module
            nodes.append(child)


def _breaks(imported: str, forbidden: tuple[str, ...]) -> bool:
    return any(imported == name or imported.startswith(name + ".") for name in forbidden)


@pytest.mark.parametrize("rule", RULES, ids=[rule.says for rule in RULES])
def test_invariant(rule: Rule) -> None:
    covered = [
        (name, path)
        for prefix in rule.covers
        for name, path in _modules(prefix)
        if not any(name == x or (x.endswith("/") and name.startswith(x)) for x in rule.except_for)
    ]
    assert covered, "the rule covers no module"
    broken = sorted(
        f"{name} imports {imported}"
        for name, path in covered
        for imported in _imports(path, rule.module_level_only)
        if _breaks(imported, rule.forbidden)
    )
    assert not broken, broken


def test_a_broken_rule_is_seen() -> None:
    # The checker itself: server.py speaks LSP, so a rule forbidding it there must fail.
    assert any(_breaks(name, LSP) for name in _imports(ROOT / "server.py", False))


def test_the_server_starts_without_the_sdk_or_the_lab() -> None:
    # What loads before the editor's `initialize` can be answered, transitive imports included:
    # the SDK comes on first use (off the event loop), the lab only with its commands.
    late = ("openai", "aiohttp", "ghostls.replay", "ghostls.testing")
    probe = (
        f"import sys, ghostls.cli, ghostls.server; print([m for m in {late!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
