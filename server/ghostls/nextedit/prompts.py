"""Next-edit prompts and the reading of their answers, in three formats. Pure.

- `chat`: for any chat model. Similar code from other open files, the recent edits as unified
  diffs, the code around the editable window, the window with a cursor marker; the model
  answers with the rewritten window in one fenced block, or `NO_CHANGE`.
- `zeta`: the prompt layout of Zed's open edit-prediction model (Zeta), a completions prompt:
  "### User Edits:" with the edits as diffs, "### User Excerpt:" with the window between
  `<|editable_region_start|>` and `<|editable_region_end|>` and the cursor as
  `<|user_cursor_is_here|>`; the model writes the excerpt again, edited.
- `sweep`: the layout of Sweep's open next-edit models, a completions prompt of
  `<|file_sep|>` chunks: similar code from other open files, each recent edit as
  `original:`/`updated:` text, then the window as it
  was before the edits (`original/PATH`), as it is (`current/PATH`), and `updated/PATH`, after
  which the model writes the window as it will be.

Every text shown is redacted like completion prompts; the window itself is sent only when it
holds no secret (the service checks), since the answer rewrites it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ghostls.model import ModelRequest
from ghostls.nextedit.window import Window
from ghostls.postprocess.fences import is_fence
from ghostls.presets import NextEditPrompt
from ghostls.prompts.chat import CURSOR, code_block
from ghostls.prompts.redact import redact
from ghostls.prompts.sizing import estimate_tokens
from ghostls.snapshot import RecentEdit, Snippet

NO_CHANGE = "NO_CHANGE"
CHAT_CURSOR = "<|cursor|>"
ZETA_CURSOR = "<|user_cursor_is_here|>"
ZETA_START = "<|editable_region_start|>"
ZETA_END = "<|editable_region_end|>"
ZETA_FILE_START = "<|start_of_file|>"
SWEEP_SEP = "<|file_sep|>"
SWEEP_STOPS = (SWEEP_SEP, "<|endoftext|>")
CONTEXT_LINES_ZETA = 12  # lines of the excerpt outside the editable region, each side
MIN_MAX_TOKENS = 128
MAX_MAX_TOKENS = 4096

SYSTEM = (
    "You predict the next edit a programmer makes. You see their latest edits as diffs and "
    "the code around their cursor, with an editable window. Answer with the editable window "
    "as it will read after their next edit: carry on what the recent edits began, such as "
    "the remaining uses of a renamed name, the call sites of a changed signature, or the "
    "lines that follow the same pattern as a changed one. Change only what the edits imply "
    "and keep every other line exactly as it is, indentation included. Do not write the "
    "cursor marker. Answer with the whole window in one fenced code block and nothing else, "
    f"or with {NO_CHANGE} alone when no edit follows from the recent ones."
)
ZETA_INSTRUCTION = (
    "You are a code completion assistant. Study the user's edits, then rewrite the excerpt "
    "the user provides with the edits that should follow, taking the cursor location into "
    "account."
)


@dataclass(frozen=True)
class EditContext:
    """What a next-edit prompt shows."""

    path: str
    language_id: str
    window: Window
    original: str  # the window's text before the recent edits inside it
    edits: tuple[RecentEdit, ...]  # oldest first
    snippets: tuple[Snippet, ...] = ()  # similar code in other open files (chat and sweep)


def unified_hunk(edit: RecentEdit) -> str:
    """A recent edit as one unified-diff hunk (without file headers), "\\n"-terminated."""
    removed = len(edit.removed)
    added = len(edit.added)
    old_start = edit.line if removed else edit.line - 1
    new_start = edit.line if added else edit.line - 1
    lines = [f"@@ -{old_start},{removed} +{new_start},{added} @@"]
    lines.extend(f"-{line}" for line in edit.removed)
    lines.extend(f"+{line}" for line in edit.added)
    return redact("\n".join(lines)) + "\n"


def _diffs(edits: tuple[RecentEdit, ...]) -> str:
    """The edits as unified diffs, one file header per run of edits to the same file."""
    parts: list[str] = []
    path: str | None = None
    for edit in edits:
        if edit.path != path:
            path = edit.path
            parts.append(f"--- a/{path}\n+++ b/{path}\n")
        parts.append(unified_hunk(edit))
    return "".join(parts)


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _with_cursor(window: Window, marker: str) -> str:
    return window.text[: window.cursor] + marker + window.text[window.cursor :]


def max_tokens_for(window: Window) -> int:
    """Room for the whole window rewritten, with some to spare for what it may add."""
    return max(MIN_MAX_TOKENS, min(MAX_MAX_TOKENS, 2 * estimate_tokens(window.text) + 96))


def build_request(
    ctx: EditContext, prompt_format: NextEditPrompt, *, model: str, temperature: float
) -> ModelRequest:
    max_tokens = max_tokens_for(ctx.window)
    if prompt_format == "chat":
        return ModelRequest(
            endpoint="chat",
            model=model,
            max_tokens=max_tokens,
            temperature=temperature,
            messages=(
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": chat_user_message(ctx)},
            ),
        )
    prompt = zeta_prompt(ctx) if prompt_format == "zeta" else sweep_prompt(ctx)
    return ModelRequest(
        endpoint="completions",
        model=model,
        max_tokens=max_tokens,
        temperature=temperature,
        prompt=prompt,
        stop=SWEEP_STOPS if prompt_format == "sweep" else (),
    )


def chat_user_message(ctx: EditContext) -> str:
    window = ctx.window
    parts = [f"File: {ctx.path} ({ctx.language_id})\n"]
    if ctx.snippets:
        parts.append("\nSimilar code in other open files, for reference:\n")
        parts.extend(
            f"From {snippet.path}:\n" + code_block(ctx.language_id, redact(snippet.text))
            for snippet in ctx.snippets
        )
    if ctx.edits:
        parts.append("\nRecent edits, oldest first:\n" + code_block("diff", _diffs(ctx.edits)))
    if window.before:
        parts.append(
            "\nCode above the window:\n"
            + code_block(ctx.language_id, redact(window.before).removesuffix("\n"))
        )
    parts.append(
        f"\nEditable window ({CHAT_CURSOR} marks the cursor):\n"
        + code_block(ctx.language_id, _with_cursor(window, CHAT_CURSOR).removesuffix("\n"))
    )
    if window.after:
        parts.append(
            "\nCode below the window:\n"
            + code_block(ctx.language_id, redact(window.after).removesuffix("\n"))
        )
    parts.append(f"\nRewrite the editable window after the next edit, or answer {NO_CHANGE}.")
    return "".join(parts)


def zeta_prompt(ctx: EditContext) -> str:
    window = ctx.window
    before = _lines(window.before)
    above = before[-CONTEXT_LINES_ZETA:]
    below = _lines(window.after)[:CONTEXT_LINES_ZETA]
    starts_file = window.starts_file and len(before) <= CONTEXT_LINES_ZETA
    edits = "".join(
        f'User edited "{edit.path}":\n```diff\n{unified_hunk(edit)}```\n\n' for edit in ctx.edits
    )
    excerpt = [f"```{ctx.path}"]
    if starts_file:
        excerpt.append(ZETA_FILE_START)
    excerpt.extend(redact(line) for line in above)
    excerpt.append(ZETA_START)
    excerpt.append(_with_cursor(window, ZETA_CURSOR).removesuffix("\n"))
    excerpt.append(ZETA_END)
    excerpt.extend(redact(line) for line in below)
    excerpt.append("```")
    return (
        f"### Instruction:\n{ZETA_INSTRUCTION}\n\n### User Edits:\n\n{edits}"
        "### User Excerpt:\n\n" + "\n".join(excerpt) + "\n\n### Response:\n"
    )


def sweep_prompt(ctx: EditContext) -> str:
    window = ctx.window
    parts = [f"{SWEEP_SEP}{snippet.path}\n{redact(snippet.text)}\n" for snippet in ctx.snippets]
    for edit in ctx.edits:
        original = redact("\n".join(edit.removed))
        updated = redact("\n".join(edit.added))
        parts.append(f"{SWEEP_SEP}{edit.path}.diff\noriginal:\n{original}\nupdated:\n{updated}\n")
    current = window.text if window.text.endswith("\n") else window.text + "\n"
    original = ctx.original if ctx.original.endswith("\n") else ctx.original + "\n"
    parts.append(f"{SWEEP_SEP}original/{ctx.path}\n{original}")
    parts.append(f"{SWEEP_SEP}current/{ctx.path}\n{current}")
    parts.append(f"{SWEEP_SEP}updated/{ctx.path}\n")
    return "".join(parts)


# -- answers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What an answer says: `window` rewritten, no change (`window` None, `complete`), or
    not (yet) a usable answer (`complete` False)."""

    window: str | None
    complete: bool


UNUSABLE = Reading(None, False)
NOTHING = Reading(None, True)

# The cursor markers a model may copy into its answer (the completions' chat marker too).
_MARKERS = re.compile("|".join(re.escape(m) for m in (CHAT_CURSOR, ZETA_CURSOR, CURSOR)))


def _clean(text: str) -> str:
    return _MARKERS.sub("", text)


def read_answer(prompt_format: NextEditPrompt, text: str, *, ended: bool) -> Reading:
    """The answer so far (`ended`: the stream is over). A reading that is `complete` needs
    no more of the stream (the service stops it early)."""
    text = text.replace("\r\n", "\n")
    if prompt_format == "chat":
        return _read_chat(text, ended=ended)
    if prompt_format == "zeta":
        return _read_zeta(text)
    return _read_sweep(text, ended=ended)


def _read_chat(text: str, *, ended: bool) -> Reading:
    stripped = text.strip()
    if stripped.startswith(NO_CHANGE) or (ended and NO_CHANGE in stripped and "```" not in text):
        return NOTHING
    lines = text.split("\n")
    fences = [index for index, line in enumerate(lines) if is_fence(line)]
    if len(fences) >= 2:
        body = lines[fences[0] + 1 : fences[1]]
        return Reading(_clean("\n".join(body) + "\n"), True)
    if ended and not fences and stripped:
        return Reading(_clean(text.strip("\n") + "\n"), True)
    return UNUSABLE


def _read_zeta(text: str) -> Reading:
    end = text.find(ZETA_END)
    if end < 0:
        return UNUSABLE
    start = text.rfind(ZETA_START, 0, end)
    body = text[start + len(ZETA_START) : end] if start >= 0 else text[:end]
    if start < 0:  # the model left out the start marker: drop the excerpt's head it wrote
        body_lines = body.split("\n")
        while body_lines and (is_fence(body_lines[0]) or body_lines[0].strip() == ZETA_FILE_START):
            body_lines.pop(0)
        body = "\n".join(body_lines)
    body = body.removeprefix("\n")
    return Reading(_clean(body.rstrip("\n") + "\n"), True)


def _read_sweep(text: str, *, ended: bool) -> Reading:
    cut = min((i for i in (text.find(stop) for stop in SWEEP_STOPS) if i >= 0), default=-1)
    if cut >= 0:
        return Reading(_clean(text[:cut]), True)
    if ended:
        return Reading(_clean(text), True)
    return UNUSABLE
