"""The language layer: what ghostls knows about each language, and the one lexer.

`registry` holds one `Language` entry per language (extensions, aliases, comment syntax, the
lexer family, block and indentation habits, the code actions' rules); `lexer` tells code from
strings and comments and pairs brackets; `blocks` reads what a line says about blocks in any
language. Pure: no I/O, no LSP.
"""

from ghostls.lang.blocks import BLOCK_HEADER, BLOCK_OPENER, is_comment, is_dedent_line
from ghostls.lang.lexer import (
    CLOSERS,
    PARTNER,
    PLAIN,
    PYTHON,
    LineStart,
    Opener,
    Scan,
    ScanState,
    Syntax,
    code_ranges,
    continuation_depth,
    scan,
)
from ghostls.lang.registry import (
    CODE_EXTENSIONS,
    EXTENSIONS,
    LANGUAGES,
    Definitions,
    Language,
    language,
    language_of,
    lookup,
)

__all__ = [
    "BLOCK_HEADER",
    "BLOCK_OPENER",
    "CLOSERS",
    "CODE_EXTENSIONS",
    "EXTENSIONS",
    "LANGUAGES",
    "PARTNER",
    "PLAIN",
    "PYTHON",
    "Definitions",
    "Language",
    "LineStart",
    "Opener",
    "Scan",
    "ScanState",
    "Syntax",
    "code_ranges",
    "continuation_depth",
    "is_comment",
    "is_dedent_line",
    "language",
    "language_of",
    "lookup",
    "scan",
]
