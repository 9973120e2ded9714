"""LSP items for a suggestion: ghost text (inline completion) and a completion-menu entry.

Ranges are computed from the position the request came with, in the negotiated encoding, so
they are exact with emoji, CJK and CRLF documents.
"""

from __future__ import annotations

from lsprotocol import types

from ghostls.documents import Encoding, denormalize_eol, text_units
from ghostls.engine import Answer

_LABEL_CHARS = 60


def _replace_end(answer: Answer, position: types.Position, encoding: Encoding) -> types.Position:
    replaced = answer.snapshot.suffix[: answer.insertion.replace_suffix]
    return types.Position(position.line, position.character + text_units(replaced, encoding))


def inline_item(
    answer: Answer, position: types.Position, eol: str, encoding: Encoding, command: str
) -> types.InlineCompletionItem:
    return types.InlineCompletionItem(
        insert_text=denormalize_eol(answer.insertion.text, eol),
        range=types.Range(start=position, end=_replace_end(answer, position, encoding)),
        command=types.Command(title="ghostls: accepted", command=command, arguments=[answer.id]),
    )


def _word_before(prefix: str) -> str:
    """The identifier characters right before the cursor (what clients filter items by)."""
    end = len(prefix)
    start = end
    while start > 0 and (prefix[start - 1].isalnum() or prefix[start - 1] == "_"):
        start -= 1
    return prefix[start:end]


def completion_item(
    answer: Answer, position: types.Position, eol: str, encoding: Encoding, command: str
) -> types.CompletionItem:
    """The suggestion as a completion item: its edit starts at the word being typed, so
    clients that filter by that word keep it, and replaces what the insertion replaces."""
    text = answer.insertion.text
    word = _word_before(answer.snapshot.prefix)
    start = types.Position(position.line, position.character - text_units(word, encoding))
    end = _replace_end(answer, position, encoding)
    first_line = text.split("\n", 1)[0].strip() or text.strip().split("\n", 1)[0]
    label = (word + text).split("\n", 1)[0].strip() or first_line
    if len(label) > _LABEL_CHARS:
        label = label[: _LABEL_CHARS - 1] + "…"
    more = text.count("\n")
    detail = "ghostls AI suggestion" + (f" (+{more} lines)" if more else "")
    return types.CompletionItem(
        label=label,
        label_details=types.CompletionItemLabelDetails(description="✨ ghostls"),
        kind=types.CompletionItemKind.Snippet,
        detail=detail,
        documentation=types.MarkupContent(
            kind=types.MarkupKind.Markdown,
            value=f"```{answer.snapshot.language_id}\n{word}{text}\n```",
        ),
        sort_text="\u0000",
        filter_text=word + text.split("\n", 1)[0],
        preselect=True,
        insert_text_format=types.InsertTextFormat.PlainText,
        text_edit=types.TextEdit(
            range=types.Range(start=start, end=end),
            new_text=denormalize_eol(word + text, eol),
        ),
        command=types.Command(title="ghostls: accepted", command=command, arguments=[answer.id]),
    )
