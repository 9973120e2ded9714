"""Stage: drop the prompt's cursor markers and the model's special tokens.

A chat prompt marks the cursor ("<CURSOR>", "<|cursor|>", "<FILL>", "█"...) and the model may
echo the marker; a fill-in-the-middle model may leak its template tokens ("<|fim_middle|>")
or an end-of-text token ("[SUFFIX]" of Mistral's models where no constant of that name is in
sight). Markers are removed wherever they are; a special token at the start
is dropped, and anywhere else ends the text.
"""

from __future__ import annotations

import re

from ghostls.cursor import Cursor, Insertion

_CURSOR_MARKER = re.compile(
    r"<\|?[ \t]*(?:cursor|fill(?:[_ -]?(?:here|me|in))?|insert[_ -]?here)[ \t]*\|?>"
    r"|\{\{[ \t]*(?:FILL_HERE|CURSOR)[ \t]*\}\}|\[CURSOR\]|█",
    re.I,
)
_SPECIAL_TOKEN = re.compile(
    r"<\|[a-z_]+(?:\|>|>)|<\|[A-Z]+\|>|<｜[^｜\n]{1,30}｜>|<(?:fim|FIM)[_-][a-z]+>"
    r"|<(?:SUF|MID|EOT)>|<end_of_turn>|<file_sep>|<eos>"
)
# Mistral's fill-in-the-middle tokens (Codestral) read like an index by a constant: they count
# as tokens only where the document names no such constant.
_BRACKET_TOKEN = re.compile(r"\[(PREFIX|SUFFIX|MIDDLE)\]")
_MARKUP = frozenset({"html", "xml", "markdown", "mdx", "vue", "svelte"})
_END_OF_SEQUENCE = "</s>"


def strip_markers(insertion: Insertion, ctx: Cursor) -> Insertion:
    text = _CURSOR_MARKER.sub("", insertion.text)
    while True:
        leading = _SPECIAL_TOKEN.match(text)
        if leading is None:
            break
        text = text[leading.end() :]
    token = _SPECIAL_TOKEN.search(text)
    if token is not None:
        text = text[: token.start()]
    text = _cut_bracket_token(text, ctx)
    if ctx.language_id not in _MARKUP and _END_OF_SEQUENCE in text:
        text = text[: text.index(_END_OF_SEQUENCE)]
    return Insertion(text, insertion.replace_suffix)


def _cut_bracket_token(text: str, ctx: Cursor) -> str:
    document = ctx.prefix + ctx.suffix
    for token in _BRACKET_TOKEN.finditer(text):
        if re.search(rf"\b{token.group(1)}\b", document) is not None:
            continue
        if not text[: token.start()].strip():
            return _cut_bracket_token(text[token.end() :], ctx)
        return text[: token.start()]
    return text
