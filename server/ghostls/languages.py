"""Language ids (as LSP names them) by file extension."""

from __future__ import annotations

from pathlib import Path

LANGUAGES = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".tsx": "typescriptreact",
    ".jsx": "javascriptreact",
    ".go": "go",
    ".rs": "rust",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".hpp": "cpp",
    ".java": "java",
    ".rb": "ruby",
    ".lua": "lua",
    ".sh": "shellscript",
    ".md": "markdown",
    ".json": "json",
    ".toml": "toml",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".el": "emacs-lisp",
    ".cs": "csharp",
    ".kt": "kotlin",
    ".swift": "swift",
    ".php": "php",
    ".pl": "perl",
}

# Source code, not data or prose: what the benchmarks' corpora are made of.
CODE_LANGUAGES = {
    suffix: language
    for suffix, language in LANGUAGES.items()
    if suffix not in {".cjs", ".md", ".json", ".toml", ".yaml", ".yml", ".el", ".pl"}
}


def language_of(path: str) -> str:
    return LANGUAGES.get(Path(path).suffix.lower(), "plaintext")
