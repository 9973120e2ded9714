"""Stage: line ends as "\\n" only (a model may answer with "\\r\\n" or a lone "\\r")."""

from __future__ import annotations

from ghostls.cursor import Cursor, Insertion


def normalize_newlines(insertion: Insertion, ctx: Cursor) -> Insertion:
    text = insertion.text
    if "\r" not in text:
        return insertion
    return Insertion(text.replace("\r\n", "\n").replace("\r", "\n"), insertion.replace_suffix)
