"""Turn a cursor snapshot into a model request for the configured prompt mode."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ghostls.model import ModelRequest
from ghostls.presets import FimTemplate
from ghostls.prompts.chat import chat_messages
from ghostls.snapshot import Snapshot

PromptMode = Literal["chat", "fim", "fim-tokens"]


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


def build_request(snapshot: Snapshot, options: PromptOptions) -> ModelRequest:
    ctx = snapshot.ctx
    max_tokens = options.max_tokens_multiline if ctx.multiline else options.max_tokens
    if options.mode == "chat":
        return ModelRequest(
            endpoint="chat",
            model=options.model,
            max_tokens=max_tokens,
            temperature=options.temperature,
            messages=chat_messages(
                path=snapshot.path,
                language_id=ctx.language_id,
                prefix=ctx.prefix,
                suffix=ctx.suffix,
                multiline=ctx.multiline,
            ),
        )
    if options.mode == "fim":
        return ModelRequest(
            endpoint="completions",
            model=options.model,
            max_tokens=max_tokens,
            temperature=options.temperature,
            prompt=ctx.prefix,
            suffix=ctx.suffix,
            path=options.fim_path,
        )
    # Suffix text rarely changes while typing: templates that put it first keep the prompt's
    # start stable for provider-side prompt caches.
    return ModelRequest(
        endpoint="completions",
        model=options.model,
        max_tokens=max_tokens,
        temperature=options.temperature,
        prompt=FimTemplate("custom", options.fim_template).render(ctx.prefix, ctx.suffix),
        stop=options.fim_stops,
    )
