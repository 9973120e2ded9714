"""The chat prompt: the code around a cursor marker, asking for the insertion only.

Written for code-tuned and general chat models alike: the system message states the rules
and shows one worked example in exactly the layout of the real request; the user message
says whether one line or a block is wanted and shows the text after the cursor as text that is
already in the file.

Layout, from what changes least to what changes most, so consecutive keystrokes share the
longest possible prompt prefix (provider-side prompt caches hit up to the cursor):
1. the system message (never changes);
2. the file's path and language;
3. recent changes elsewhere, then snippets of similar code from other open files;
4. the lines after the cursor's line (they change only when the cursor moves to another line);
5. the code before the cursor, ending with the cursor marker and the rest of its line;
6. the one-line or block request.
"""

from __future__ import annotations

import re

from ghostls.cursor import line_after
from ghostls.prompts.fim import edit_lines
from ghostls.prompts.redact import PLACEHOLDER
from ghostls.snapshot import RecentEdit, Snippet

CURSOR = "<CURSOR>"

_BACKTICKS = re.compile(r"`{3,}")


def _fence(text: str) -> str:
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=2)
    return "`" * max(3, longest + 1)


def code_block(language_id: str, text: str) -> str:
    """`text` in a fenced block longer than any run of backticks inside it."""
    fence = _fence(text)
    return f"{fence}{language_id}\n{text}\n{fence}\n"


def _scope(multiline: bool) -> str:
    if multiline:
        return (
            f"Insert a block at {CURSOR}: finish the current statement or block "
            "(several lines if needed), then stop."
        )
    return f"Insert one line at {CURSOR}: complete the current line only."


def user_message(
    *,
    path: str,
    language_id: str,
    prefix: str,
    suffix: str,
    multiline: bool,
    snippets: tuple[Snippet, ...] = (),
    edits: tuple[RecentEdit, ...] = (),
) -> str:
    parts = [f"File: {path} ({language_id})\n"]
    if edits:
        parts.append(
            "\nRecent changes the user made elsewhere:\n"
            + code_block("diff", "\n".join(edit_lines(edits)))
        )
    if snippets:
        parts.append("\nSimilar code in other open files, for reference:\n")
        parts.extend(
            f"From {snippet.path}:\n" + code_block(language_id, snippet.text)
            for snippet in snippets
        )
    rest_of_line = line_after(suffix)
    after = suffix[len(rest_of_line) + 1 :].rstrip("\n")
    if after.strip():
        parts.append(
            "\nThe lines after the cursor's line (already in the file; do not repeat them):\n"
            + code_block(language_id, after)
        )
    else:
        parts.append("\nThe lines after the cursor's line: none (the file ends there).\n")
    parts.append(
        f"\nThe code before the cursor, to the end of the cursor's line ({CURSOR} marks the "
        "cursor):\n" + code_block(language_id, prefix + CURSOR + rest_of_line)
    )
    parts.append(f"\n{_scope(multiline)}")
    return "".join(parts)


_EXAMPLE_USER = user_message(
    path="shapes.py",
    language_id="python",
    prefix="def area(rect):\n    return ",
    suffix="\n\n\ndef perimeter(rect):\n    return 2 * (rect.width + rect.height)",
    multiline=False,
)
_EXAMPLE_REPLY = "rect.width * rect.height"

SYSTEM = (
    "You are a code completion engine inside a code editor. You are shown the code around the "
    f"user's cursor, marked {CURSOR}, and you reply with exactly the text to insert at "
    f"{CURSOR}.\n"
    "\n"
    "Rules:\n"
    "1. Reply with the insertion only: no explanation, no markdown code fences, no quotes.\n"
    f"2. Start exactly at {CURSOR}: in the middle of a word or a line, continue that word or "
    f"line; never repeat what comes before {CURSOR}.\n"
    "3. The code after the cursor is already in the file: never write it again; stop where "
    "your insertion meets it.\n"
    "4. Follow the file's language, style, names and indentation; indent each line you write "
    "exactly as it must appear in the file.\n"
    "5. Asked for one line, write at most the rest of the current line. Asked for a block, "
    "finish the current statement or block, then stop.\n"
    "6. If nothing should be inserted, reply with an empty message.\n"
    f"7. {PLACEHOLDER} marks hidden text: never write it.\n"
    "\n"
    "Example. The user sends:\n"
    f"{_EXAMPLE_USER}\n"
    "\n"
    "You reply:\n"
    f"{_EXAMPLE_REPLY}"
)


def chat_messages(
    *,
    path: str,
    language_id: str,
    prefix: str,
    suffix: str,
    multiline: bool,
    snippets: tuple[Snippet, ...] = (),
    edits: tuple[RecentEdit, ...] = (),
) -> list[dict[str, str]]:
    user = user_message(
        path=path,
        language_id=language_id,
        prefix=prefix,
        suffix=suffix,
        multiline=multiline,
        snippets=snippets,
        edits=edits,
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
