"""Shared helpers: documents written with a caret "‸" where the cursor is."""

from __future__ import annotations

from collections.abc import Callable

from ghostls.postprocess import Cursor, Insertion, postprocess

CURSOR = "‸"

StageFunction = Callable[[Insertion, Cursor], Insertion | None]


def context(
    document: str,
    *,
    language: str = "python",
    multiline: bool = True,
    unit: str = "    ",
    chat: bool = False,
) -> Cursor:
    """The context of `document`, whose cursor is marked with CURSOR."""
    prefix, suffix = document.split(CURSOR)
    return Cursor(
        prefix=prefix,
        suffix=suffix,
        language_id=language,
        multiline=multiline,
        indent_unit=unit,
        from_chat=chat,
    )


def stage_text(stage: StageFunction, text: str, ctx: Cursor) -> str | None:
    """What one stage makes of `text`."""
    result = stage(Insertion(text), ctx)
    return None if result is None else result.text


def apply(
    document: str,
    raw: str,
    *,
    chat: bool = False,
    language: str = "python",
    multiline: bool = True,
    unit: str = "    ",
) -> str:
    """The document after the post-processed answer `raw` is inserted at its cursor, with
    the cursor (CURSOR) left where the insertion ends; without the cursor when nothing is
    inserted."""
    ctx = context(document, language=language, multiline=multiline, unit=unit, chat=chat)
    insertion = postprocess(raw, ctx, from_chat=chat)
    if insertion is None:
        return ctx.prefix + ctx.suffix
    return ctx.prefix + insertion.text + CURSOR + ctx.suffix[insertion.replace_suffix :]
