"""Turn a cursor snapshot into a model request for the configured prompt mode.

Every piece of text a prompt shows is redacted here (`redact.py`), never in the snapshot, so
the cursor, the engine's cache keys and post-processing keep seeing the real document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ghostls.model import ModelRequest
from ghostls.presets import PromptMode
from ghostls.prompts.chat import SYSTEM, chat_messages
from ghostls.prompts.fim import comment_header, render_fim_tokens
from ghostls.prompts.redact import redact
from ghostls.snapshot import RecentEdit, Snapshot, Snippet


@dataclass(frozen=True)
class PromptOptions:
    mode: PromptMode
    model: str
    max_tokens: int = 64
    max_tokens_multiline: int = 256
    temperature: float = 0.0
    fim_template: str = "<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>"
    fim_stops: tuple[str, ...] = ()
    fim_path: str | None = None  # where a provider serves prompt + suffix completions


@dataclass(frozen=True)
class _Parts:
    """The redacted text of a snapshot, as prompts show it."""

    path: str
    project: str
    language_id: str
    prefix: str
    suffix: str
    snippets: tuple[Snippet, ...]
    edits: tuple[RecentEdit, ...]


def _parts(snapshot: Snapshot) -> _Parts:
    ctx = snapshot.cursor
    context = snapshot.related
    return _Parts(
        path=context.path or snapshot.path,
        project=context.project,
        language_id=ctx.language_id,
        prefix=redact(ctx.prefix),
        suffix=redact(ctx.suffix),
        snippets=tuple(replace(s, text=redact(s.text)) for s in context.snippets),
        edits=tuple(
            replace(
                e,
                removed=tuple(redact("\n".join(e.removed)).split("\n")),
                added=tuple(redact("\n".join(e.added)).split("\n")),
            )
            for e in context.edits
        ),
    )


def build_request(snapshot: Snapshot, options: PromptOptions) -> ModelRequest:
    ctx = snapshot.cursor
    parts = _parts(snapshot)
    max_tokens = options.max_tokens_multiline if ctx.multiline else options.max_tokens
    if options.mode == "chat":
        return ModelRequest(
            endpoint="chat",
            model=options.model,
            max_tokens=max_tokens,
            temperature=options.temperature,
            messages=chat_messages(
                path=parts.path,
                language_id=parts.language_id,
                prefix=parts.prefix,
                suffix=parts.suffix,
                multiline=ctx.multiline,
                snippets=parts.snippets,
                edits=parts.edits,
            ),
        )
    if options.mode == "fim":
        header = comment_header(parts.path, parts.language_id, parts.snippets, parts.edits)
        return ModelRequest(
            endpoint="completions",
            model=options.model,
            max_tokens=max_tokens,
            temperature=options.temperature,
            prompt=header + parts.prefix,
            suffix=parts.suffix,
            path=options.fim_path,
        )
    # Suffix text rarely changes while typing: templates that put it first (Codestral's)
    # keep even more of the prompt's start stable for provider-side prompt caches.
    return ModelRequest(
        endpoint="completions",
        model=options.model,
        max_tokens=max_tokens,
        temperature=options.temperature,
        prompt=render_fim_tokens(
            options.fim_template,
            path=parts.path,
            project=parts.project,
            language_id=parts.language_id,
            prefix=parts.prefix,
            suffix=parts.suffix,
            snippets=parts.snippets,
            edits=parts.edits,
        ),
        stop=options.fim_stops,
    )


def estimate_prompt_chars(snapshot: Snapshot, options: PromptOptions) -> int:
    """About how many characters `build_request` sends for this snapshot, without building
    it (for the token budget, on the answer's path)."""
    ctx = snapshot.cursor
    context = snapshot.related
    chars = len(ctx.prefix) + len(ctx.suffix) + len(context.path) + 40
    chars += sum(len(snippet.text) + len(snippet.path) + 40 for snippet in context.snippets)
    chars += sum(
        sum(len(line) + 2 for line in (*edit.removed, *edit.added)) + len(edit.path) + 12
        for edit in context.edits
    )
    if options.mode == "chat":
        chars += len(SYSTEM) + 400
    elif options.mode == "fim-tokens":
        chars += len(options.fim_template)
    return chars


def prompt_chars(request: ModelRequest) -> int:
    """The characters of a request's prompt (messages, or prompt and suffix)."""
    if request.endpoint == "chat":
        return sum(len(message.get("content", "")) for message in request.messages)
    return len(request.prompt) + len(request.suffix or "")
