"""Prompts: what is sent to the model for a cursor snapshot, in each prompt mode."""

from ghostls.prompts.builder import (
    PromptOptions,
    build_request,
    estimate_prompt_chars,
    prompt_chars,
)
from ghostls.prompts.redact import PLACEHOLDER, has_placeholder
from ghostls.prompts.sizing import PromptSizer, estimate_tokens

__all__ = [
    "PLACEHOLDER",
    "PromptOptions",
    "PromptSizer",
    "build_request",
    "estimate_prompt_chars",
    "estimate_tokens",
    "has_placeholder",
    "prompt_chars",
]
