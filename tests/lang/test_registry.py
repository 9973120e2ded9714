"""The language registry: one entry per language, found by id, alias or file extension."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from ghostls.lang import (
    CODE_EXTENSIONS,
    EXTENSIONS,
    LANGUAGES,
    PYTHON,
    language,
    language_of,
    lookup,
)
from ghostls.lang.lexer import C_LIKE, GO, HASH_COMMENTS, JAVASCRIPT, LISP, PLAIN, RUST

SERVER = Path(__file__).resolve().parents[2] / "server" / "ghostls"


def test_ids_aliases_and_extensions_are_each_claimed_once() -> None:
    names = [name for entry in LANGUAGES for name in (entry.id, *entry.aliases)]
    assert len(names) == len(set(names))
    assert all(name == name.lower() for name in names)
    extensions = [ext for entry in LANGUAGES for ext in entry.extensions]
    assert len(extensions) == len(set(extensions))
    assert all(ext.startswith(".") and ext == ext.lower() for ext in extensions)


def test_corpus_extensions_are_extensions_of_their_language() -> None:
    for entry in LANGUAGES:
        assert set(entry.corpus or ()) <= set(entry.extensions)


@pytest.mark.parametrize(
    ("language_id", "syntax"),
    [
        ("python", PYTHON),
        ("typescriptreact", JAVASCRIPT),
        ("cpp", C_LIKE),
        ("go", GO),
        ("rust", RUST),
        ("zsh", HASH_COMMENTS),
        ("emacs-lisp", LISP),
        ("markdown", PLAIN),
        ("some-new-language", C_LIKE),
    ],
)
def test_languages_map_to_lexer_families(language_id: str, syntax: object) -> None:
    assert language(language_id).syntax is syntax


def test_lookup_by_id_is_case_insensitive_and_knows_aliases() -> None:
    assert language("Python") is language("python")
    assert language("bash").id == "shellscript"
    assert language("tsx") is language("typescriptreact")
    assert lookup("some-new-language") is None


def test_an_unknown_id_gets_the_defaults_under_its_own_name() -> None:
    entry = language("Some-New-Language")
    assert entry.id == "some-new-language"
    assert entry.context_family == "some-new-language"
    assert entry.comment == ("// ", "")
    assert entry.definitions is None


def test_lookup_by_file_extension() -> None:
    assert language_of("src/app.TSX").id == "typescriptreact"
    assert language_of("a/b.pyi").id == "python"
    assert language_of("Makefile").id == "plaintext"
    assert language_of("notes.unknown").id == "plaintext"
    assert EXTENSIONS[".h"] == "c"


def test_the_corpora_read_source_code_only() -> None:
    assert CODE_EXTENSIONS[".py"] == "python"
    assert CODE_EXTENSIONS[".mjs"] == "javascript"
    for data_or_prose in (".json", ".md", ".yaml", ".toml", ".cjs", ".el", ".pl"):
        assert data_or_prose in EXTENSIONS
        assert data_or_prose not in CODE_EXTENSIONS


@pytest.mark.parametrize(
    ("language_id", "comment"),
    [
        ("python", ("# ", "")),
        ("lua", ("-- ", "")),
        ("clojure", (";; ", "")),
        ("emacs-lisp", (";; ", "")),
        ("latex", ("% ", "")),
        ("html", ("<!-- ", " -->")),
        ("css", ("/* ", " */")),
        ("json", None),
        ("rust", ("// ", "")),
    ],
)
def test_comments_as_ghostls_writes_them(language_id: str, comment: tuple[str, str] | None) -> None:
    assert language(language_id).comment == comment


def test_families_group_languages_that_are_context_for_each_other() -> None:
    assert language("javascriptreact").context_family == language("typescript").context_family
    assert language("objective-cpp").context_family == language("c").context_family
    assert language("python").context_family != language("ruby").context_family


def test_block_openers_follow_the_language() -> None:
    python, js = language("python"), language("javascript")
    assert python.opens_block("if x:  # why")
    assert python.opens_block("x = 1 + \\")
    assert not js.opens_block("case 1:")
    assert js.opens_block("if (x) {")
    assert language("lua").block_words is not None


def _strings(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for element in node.elts:
            yield from _strings(element)


def _names_a_language(node: ast.AST) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return "language" in name.lower()


def mentioned_language_ids() -> Iterator[tuple[str, str]]:
    """(file, id) for each language id the server's other modules write down: compared with a
    language id, passed as one, or a key of a table with entries for Python and JavaScript."""
    for path in sorted(SERVER.rglob("*.py")):
        if path.relative_to(SERVER).parts[0] == "lang":
            continue
        where = str(path.relative_to(SERVER))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(_names_a_language(side) for side in sides):
                    for side in sides:
                        yield from ((where, text) for text in _strings(side))
            elif isinstance(node, ast.keyword) and "language" in (node.arg or ""):
                yield from ((where, text) for text in _strings(node.value))
            elif isinstance(node, ast.Dict):
                keys = [key.value for key in node.keys if isinstance(key, ast.Constant)]
                if {"python", "javascript"} <= set(keys):
                    yield from ((where, key) for key in keys if isinstance(key, str))


def test_every_language_id_other_modules_mention_is_in_the_registry() -> None:
    mentioned = list(mentioned_language_ids())
    assert {"python", "lua", "javascript", "typescript"} <= {name for _, name in mentioned}
    assert [(where, name) for where, name in mentioned if lookup(name) is None] == []
