"""The chat prompt for each action: the file around a marked region, and the task.

Edit actions ask for the new text of the region only, so the answer can be diffed against the
region into minimal edits. Explain asks for Markdown. Pure: strings in, messages out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ghostls.actions.detect import ActionKind
from ghostls.lang import language

REGION_OPEN = "<REGION>"
REGION_CLOSE = "</REGION>"

EDIT_SYSTEM = (
    "You are an expert programmer editing code inside a code editor. You receive part of a "
    f"source file in which one region is marked between {REGION_OPEN} and {REGION_CLOSE}, and "
    "a task. Reply with the complete new text of the region only: no markdown code fences, no "
    "explanation before or after, no marker tags, and none of the code outside the region. Keep "
    "the file's style, naming and indentation, and change only what the task needs."
)

EXPLAIN_SYSTEM = (
    "You explain code to a developer inside a code editor. You receive part of a source file in "
    f"which one region is marked between {REGION_OPEN} and {REGION_CLOSE}. Reply in concise "
    "Markdown: a short summary first, then what matters (inputs, outputs, side effects, edge "
    "cases, pitfalls). Quote code only where it helps; never repeat the whole region."
)

REWRITE_CHOICES: Mapping[str, str] = {
    "Simplify": "Simplify it: make it shorter and clearer without changing its behaviour.",
    "Add error handling": (
        "Add error handling that fits the language and the surrounding code (check inputs and "
        "failures, and report them the way this code already does)."
    ),
    "Add types": "Add type annotations or explicit types wherever they are missing.",
    "Optimise": "Make it faster or lighter on resources without changing its behaviour.",
}
"""The instructions offered by `window/showMessageRequest`, by button title."""


def doc_convention(language_id: str) -> str:
    return language(language_id).docs


@dataclass(frozen=True)
class ActionPrompt:
    """What one action's prompt is built from; line ends are "\\n"."""

    kind: ActionKind
    path: str
    language_id: str
    before: str
    """The code before the region (ending with "\\n" when the region starts a line)."""
    region: str
    after: str
    """The code after the region (starting with "\\n" when the region ends a line)."""
    name: str | None = None
    diagnostic: str | None = None
    """The diagnostic's message, with its source and code, for a Fix."""
    diagnostic_line: int | None = None
    """The diagnostic's first line, 1-based, for a Fix."""
    instruction: str | None = None
    """What to do to the region, for a Rewrite."""


def messages(prompt: ActionPrompt) -> list[dict[str, str]]:
    """The system and user messages for an action."""
    system = EXPLAIN_SYSTEM if prompt.kind == "explain" else EDIT_SYSTEM
    user = f"File: {prompt.path} ({prompt.language_id})\n{_marked(prompt)}\n{_task(prompt)}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _marked(prompt: ActionPrompt) -> str:
    """The code with the region between markers: on lines of their own for whole lines."""
    before, after = prompt.before, prompt.after
    whole = (not before or before.endswith("\n")) and (not after or after.startswith("\n"))
    if whole:
        opening = f"{REGION_OPEN}\n"
        closing = f"\n{REGION_CLOSE}"
    else:
        opening, closing = REGION_OPEN, REGION_CLOSE
    fence = "````" if "```" in prompt.before + prompt.region + prompt.after else "```"
    return f"{fence}{prompt.language_id}\n{before}{opening}{prompt.region}{closing}{after}\n{fence}"


def _task(prompt: ActionPrompt) -> str:
    name = f"`{prompt.name}`" if prompt.name else "the definition"
    reply = "Reply with the new text of the region only."
    if prompt.kind == "fix":
        where = f" at line {prompt.diagnostic_line}" if prompt.diagnostic_line else ""
        return (
            f"Task: fix this problem reported{where}: {prompt.diagnostic}\n"
            "Fix it inside the region with the smallest change that is correct. " + reply
        )
    if prompt.kind == "docstring":
        return (
            f"Task: document {name} with {doc_convention(prompt.language_id)}. The region holds "
            "its header only: reply with the header unchanged plus the documentation, and do "
            "not repeat the body that follows the region. Describe what it does, not how. " + reply
        )
    if prompt.kind == "implement":
        return (
            f"Task: implement {name}; its body is a stub. Infer the behaviour from its name, "
            "signature, documentation and the surrounding code. Keep the signature and the "
            "documentation unchanged and replace the stub (and any TODO about it) with a "
            "complete, working body. " + reply
        )
    if prompt.kind == "rewrite":
        instruction = prompt.instruction or "Improve it."
        return (
            f"Task: rewrite the region. {instruction} Keep its behaviour unless the task says "
            "otherwise. " + reply
        )
    return "Task: explain the code in the region."
