"""Comments in the document's language, to label context inside a completion prompt."""

from __future__ import annotations

from collections.abc import Iterable

from ghostls.lang import language


def line_comment(language_id: str) -> tuple[str, str] | None:
    """(opening, closing) of a one-line comment in the language; None when it has none."""
    return language(language_id).comment


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
