"""What ghostls knows about each language: one `Language` entry per language.

Looked up by LSP language id (`language`, case-insensitive, aliases included) or by file
extension (`language_of`). An id the registry does not know gets the defaults: the C-like
lexer, `//` comments, no code-action rules, a context family of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ghostls.lang.lexer import (
    C_LIKE,
    CSS,
    GO,
    HASH_COMMENTS,
    JAVASCRIPT,
    LISP,
    LUA,
    PHP,
    PLAIN,
    PYTHON,
    RUST,
    SQL,
    Syntax,
)

Definitions = Literal["python", "js", "go", "rust", "c"]

# Lines that start a statement outside any string or bracket, where a scan can safely begin.
_PYTHON_ANCHOR = re.compile(
    r"^[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\("
    r"|^[ \t]*class[ \t]+\w+[ \t]*[(:]"
    r"|^import[ \t]+[\w.]+[ \t]*(?:,|\bas\b|#|$)"
    r"|^from[ \t]+[\w.]+[ \t]+import\b"
    r"|^[ \t]*@[\w.]+[ \t]*(?:\(|$)"
    r"|^if __name__\b",
    re.M,
)
_TOP_LEVEL_ANCHOR = re.compile(r"^[A-Za-z_](?![^\n]*:[ \t]*$)", re.M)
_TRAILING_HASH_COMMENT = re.compile(r"[ \t]+#[^'\"\n]*$")
_BRACKETS = ("{", "(", "[")

_HASH = ("# ", "")
_SLASHES = ("// ", "")
_DASHES = ("-- ", "")
_SEMICOLONS = (";; ", "")
_PERCENT = ("% ", "")
_MARKUP = ("<!-- ", " -->")

_JSDOC = "a JSDoc comment (/** ... */ with @param and @returns) directly above it"
_TSDOC = "a TSDoc comment (/** ... */ with @param and @returns) directly above it"
_DOXYGEN = "a Doxygen comment (/** ... */ with @param and @return) directly above it"
_ANY_DOCS = "a documentation comment in the language's usual convention"


@dataclass(frozen=True)
class BlockWords:
    """Keywords that open and close blocks, for languages whose blocks are words (Lua)."""

    opens: re.Pattern[str]
    closes: re.Pattern[str]
    comment: re.Pattern[str]  # a line comment, taken out before the words are counted


@dataclass(frozen=True)
class Language:
    id: str  # the LSP language id
    syntax: Syntax = C_LIKE  # the lexer's family: strings, comments, brackets
    extensions: tuple[str, ...] = ()  # file extensions, lower case, with the dot
    aliases: tuple[str, ...] = ()  # other ids editors use for the same language
    # The extensions of source code the benchmarks' corpora read (not data or prose); None: all.
    corpus: tuple[str, ...] | None = None
    comment: tuple[str, str] | None = _SLASHES  # (opening, closing) of a comment ghostls writes
    family: str = ""  # files of one family are context for each other ("": its own id)
    definitions: Definitions | None = None  # the code actions' rules for definitions
    offside: bool = False  # blocks are made by indentation alone (Python)
    openers: tuple[str, ...] = _BRACKETS  # line ends that open an indented block
    trailing_comment: re.Pattern[str] | None = None  # stripped before `openers` are looked for
    anchor: re.Pattern[str] = _TOP_LEVEL_ANCHOR  # a line where a scan can safely begin
    block_words: BlockWords | None = None
    backticks: bool = False  # backticks mean something in code (a chat's `x` stays as it is)
    fenced: bool = False  # documents hold markdown code fences of their own
    docs: str = _ANY_DOCS  # how a definition is documented, as the code actions ask for it

    @property
    def context_family(self) -> str:
        return self.family or self.id

    def opens_block(self, line: str) -> bool:
        """The line ends where an indented block or a bracketed continuation begins."""
        code = line.rstrip()
        if self.trailing_comment is not None:
            code = self.trailing_comment.sub("", code)
        return code.endswith(self.openers)


def _js(
    id: str,
    extensions: tuple[str, ...],
    docs: str,
    aliases: tuple[str, ...] = (),
    corpus: tuple[str, ...] | None = None,
) -> Language:
    return Language(
        id,
        JAVASCRIPT,
        extensions,
        aliases,
        corpus,
        family="js",
        definitions="js",
        backticks=True,
        docs=docs,
    )


def _c(id: str, extensions: tuple[str, ...] = (), docs: str = _ANY_DOCS) -> Language:
    return Language(id, C_LIKE, extensions, family="c", definitions="c", docs=docs)


def _hash(
    id: str,
    extensions: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    corpus: tuple[str, ...] | None = None,
    *,
    backticks: bool = False,
) -> Language:
    return Language(
        id, HASH_COMMENTS, extensions, aliases, corpus, comment=_HASH, backticks=backticks
    )


def _lisp(
    id: str,
    extensions: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    corpus: tuple[str, ...] | None = None,
) -> Language:
    return Language(id, LISP, extensions, aliases, corpus, comment=_SEMICOLONS)


def _comment(comment: tuple[str, str] | None, *ids: str, backticks: bool = False) -> list[Language]:
    """Languages the lexer has no family of their own for (the C-like guess), known for how
    their comments are written."""
    return [Language(id, comment=comment, backticks=backticks) for id in ids]


LANGUAGES: tuple[Language, ...] = (
    Language(
        "python",
        PYTHON,
        (".py", ".pyi"),
        comment=_HASH,
        definitions="python",
        offside=True,
        openers=(":", "(", "[", "{", "\\"),
        trailing_comment=_TRAILING_HASH_COMMENT,
        anchor=_PYTHON_ANCHOR,
        docs=(
            "a docstring (PEP 257: triple double quotes, the first statement of the body, "
            "indented like the body; a one-line summary, then the arguments, the return value "
            "and the exceptions raised where useful)"
        ),
    ),
    _js("javascript", (".js", ".mjs", ".cjs"), _JSDOC, corpus=(".js", ".mjs")),
    _js("javascriptreact", (".jsx",), _JSDOC, ("jsx",)),
    _js("typescript", (".ts",), _TSDOC),
    _js("typescriptreact", (".tsx",), _TSDOC, ("tsx",)),
    Language("vue", JAVASCRIPT, comment=_MARKUP, backticks=True),
    Language("svelte", JAVASCRIPT, comment=_MARKUP, backticks=True),
    Language("json", JAVASCRIPT, (".json",), corpus=(), comment=None),
    Language("jsonc", JAVASCRIPT),
    Language("dart", JAVASCRIPT, definitions="c", docs="a `///` doc comment directly above it"),
    _c("c", (".c", ".h"), _DOXYGEN),
    _c("cpp", (".cc", ".cpp", ".hpp"), _DOXYGEN),
    _c("cuda-cpp"),
    _c("objective-c"),
    _c("objective-cpp"),
    Language(
        "java",
        C_LIKE,
        (".java",),
        definitions="c",
        docs="a Javadoc comment (/** ... */ with @param and @return) directly above it",
    ),
    Language(
        "csharp",
        C_LIKE,
        (".cs",),
        definitions="c",
        docs="an XML doc comment (/// <summary>, <param>, <returns>) directly above it",
    ),
    Language(
        "kotlin",
        C_LIKE,
        (".kt",),
        definitions="c",
        backticks=True,
        docs="a KDoc comment (/** ... */) directly above it",
    ),
    Language(
        "scala",
        C_LIKE,
        definitions="c",
        backticks=True,
        docs="a Scaladoc comment (/** ... */) directly above it",
    ),
    Language(
        "swift",
        C_LIKE,
        (".swift",),
        definitions="c",
        docs="a `///` documentation comment directly above it",
    ),
    Language("groovy", C_LIKE, definitions="c"),
    Language("zig"),
    Language("glsl"),
    Language("hlsl"),
    Language(
        "go",
        GO,
        (".go",),
        definitions="go",
        backticks=True,
        docs="a Go doc comment (// lines directly above it, starting with its name)",
    ),
    Language(
        "rust",
        RUST,
        (".rs",),
        definitions="rust",
        docs="a `///` doc comment directly above it (and above its attributes)",
    ),
    Language(
        "php",
        PHP,
        (".php",),
        definitions="c",
        docs="a PHPDoc comment (/** ... */ with @param and @return) directly above it",
    ),
    _hash("shellscript", (".sh",), ("bash", "sh", "zsh"), backticks=True),
    _hash("fish", backticks=True),
    _hash("ruby", (".rb",), backticks=True),
    _hash("perl", (".pl",), corpus=(), backticks=True),
    _hash("powershell", backticks=True),
    _hash("r"),
    _hash("yaml", (".yaml", ".yml"), corpus=()),
    _hash("toml", (".toml",), corpus=()),
    _hash("makefile"),
    _hash("cmake"),
    _hash("dockerfile"),
    _hash("elixir"),
    _hash("julia"),
    _hash("nim"),
    _hash("coffeescript"),
    *_comment(_HASH, "crystal", "gdscript", "terraform", "hcl"),
    Language(
        "lua",
        LUA,
        (".lua",),
        comment=_DASHES,
        block_words=BlockWords(
            re.compile(r"\b(?:function|then|do|repeat)\b"),
            re.compile(r"\b(?:end|until|elseif)\b"),  # "elseif ... then" opens no block
            re.compile(r"--.*"),
        ),
    ),
    Language("sql", SQL, comment=_DASHES, backticks=True),
    *_comment(_DASHES, "elm", "ada", "vhdl", "purescript", "plsql"),
    *_comment(_DASHES, "haskell", backticks=True),
    _lisp("clojure"),
    _lisp("scheme"),
    _lisp("racket"),
    _lisp("commonlisp", (), ("lisp",)),
    _lisp("emacs-lisp", (".el",), corpus=()),
    _lisp("fennel"),
    *_comment(_SEMICOLONS, "ini"),
    Language("css", CSS, comment=("/* ", " */")),
    Language("scss", CSS, comment=("/* ", " */")),
    Language("less", CSS, comment=("/* ", " */")),
    Language("markdown", PLAIN, (".md",), corpus=(), comment=_MARKUP, fenced=True),
    Language("mdx", PLAIN, comment=_MARKUP, fenced=True),
    Language("html", PLAIN, comment=_MARKUP),
    Language("xml", PLAIN, comment=_MARKUP),
    *_comment(_MARKUP, "svg", "xsl"),
    Language("plaintext", PLAIN, aliases=("text",), comment=None),
    Language("restructuredtext", PLAIN),
    Language("latex", PLAIN, comment=_PERCENT),
    *_comment(_PERCENT, "tex", "erlang", "matlab", "octave", "prolog"),
    *_comment(None, "csv", "diff"),
)

_BY_ID: dict[str, Language] = {
    name: entry for entry in LANGUAGES for name in (entry.id, *entry.aliases)
}
_BY_EXTENSION: dict[str, Language] = {
    extension: entry for entry in LANGUAGES for extension in entry.extensions
}
PLAINTEXT = _BY_ID["plaintext"]

EXTENSIONS: Mapping[str, str] = {ext: entry.id for ext, entry in _BY_EXTENSION.items()}
"""Language ids by file extension."""
CODE_EXTENSIONS: Mapping[str, str] = {
    ext: entry.id
    for ext, entry in _BY_EXTENSION.items()
    if entry.corpus is None or ext in entry.corpus
}
"""Language ids by file extension, for source code only: what the benchmarks' corpora read."""


def lookup(language_id: str) -> Language | None:
    """The registry's entry for an id or alias, None when it has none."""
    return _BY_ID.get(language_id.lower())


@lru_cache(maxsize=256)
def language(language_id: str) -> Language:
    """The entry for an id, or the defaults under that id when the registry has none."""
    return lookup(language_id) or Language(language_id.lower())


def language_of(path: str) -> Language:
    """The language of a file by its extension, plain text when it is not known."""
    return _BY_EXTENSION.get(Path(path).suffix.lower(), PLAINTEXT)
