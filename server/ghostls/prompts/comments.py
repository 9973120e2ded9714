"""Comments in the document's language, to label context inside a completion prompt."""

from __future__ import annotations

from collections.abc import Iterable

_HASH = frozenset(
    {
        "python",
        "ruby",
        "shellscript",
        "sh",
        "bash",
        "zsh",
        "fish",
        "perl",
        "r",
        "yaml",
        "toml",
        "makefile",
        "dockerfile",
        "elixir",
        "julia",
        "powershell",
        "nim",
        "crystal",
        "cmake",
        "coffeescript",
        "gdscript",
        "terraform",
        "hcl",
    }
)
_DASHES = frozenset({"lua", "sql", "haskell", "elm", "ada", "vhdl", "purescript", "plsql"})
_SEMICOLON = frozenset({"clojure", "lisp", "commonlisp", "scheme", "racket", "fennel", "ini"})
_PERCENT = frozenset({"latex", "tex", "erlang", "matlab", "octave", "prolog"})
_MARKUP = frozenset({"html", "xml", "markdown", "mdx", "vue", "svelte", "svg", "xsl"})
_NO_COMMENTS = frozenset({"json", "plaintext", "text", "csv", "diff"})


def line_comment(language_id: str) -> tuple[str, str] | None:
    """(opening, closing) of a one-line comment in the language; None when it has none."""
    language = language_id.lower()
    if language in _NO_COMMENTS:
        return None
    if language in _HASH:
        return "# ", ""
    if language in _DASHES:
        return "-- ", ""
    if language in _SEMICOLON:
        return ";; ", ""
    if language in _PERCENT:
        return "% ", ""
    if language in _MARKUP:
        return "<!-- ", " -->"
    if language in ("css", "scss", "less"):
        return "/* ", " */"
    return "// ", ""  # C, C++, Java, JS/TS, Go, Rust, C#, Kotlin, Swift, Dart, PHP, Zig...


def commented(lines: Iterable[str], language_id: str) -> str | None:
    """Lines turned into comments, each ending with "\\n"; None when the language has none."""
    style = line_comment(language_id)
    if style is None:
        return None
    opening, closing = style
    bare = opening.rstrip()
    return "".join(
        f"{opening}{line}{closing}\n" if line.strip() else f"{bare}{closing}\n" for line in lines
    )
