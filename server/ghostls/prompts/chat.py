"""The chat prompt: a file with a cursor marker, asking for the insertion only.

The system message never changes and the user message starts with what changes least (the
file's name and the code far from the cursor), so consecutive keystrokes share the longest
possible prompt prefix and provider-side prompt caches hit.
"""

from __future__ import annotations

CURSOR = "<CURSOR>"

SYSTEM = (
    "You are a code completion engine inside a code editor. The user sends a source file "
    f"with the marker {CURSOR} at the cursor. Reply with exactly the text to insert at "
    f"{CURSOR} and nothing else: no explanation, no markdown code fences, no repetition of the "
    "code before or after the cursor. Continue the code as its author would, in the same "
    "style and indentation. When asked for one line, complete only the current line. When "
    "asked for a block, complete the current block or statement and stop. If nothing should be "
    "inserted, reply with an empty message."
)


def chat_messages(
    *, path: str, language_id: str, prefix: str, suffix: str, multiline: bool
) -> list[dict[str, str]]:
    scope = "a block" if multiline else "one line"
    user = (
        f"File: {path} ({language_id})\n"
        f"```{language_id}\n{prefix}{CURSOR}{suffix}\n```\n"
        f"Insert {scope} at {CURSOR}."
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
