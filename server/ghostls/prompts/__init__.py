"""Prompts: what is sent to the model for a cursor snapshot, in each prompt mode."""

from ghostls.prompts.budget import Budget, estimate_tokens
from ghostls.prompts.builder import (
    PromptOptions,
    build_request,
    estimate_prompt_chars,
    prompt_chars,
)
from ghostls.prompts.redact import PLACEHOLDER, has_placeholder

__all__ = [
    "PLACEHOLDER",
    "Budget",
    "PromptOptions",
    "build_request",
    "estimate_prompt_chars",
    "estimate_tokens",
    "has_placeholder",
    "prompt_chars",
]
