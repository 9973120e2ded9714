"""Prompts: what is sent to the model for a cursor snapshot, in each prompt mode."""

from ghostls.prompts.builder import PromptOptions, build_request

__all__ = ["PromptOptions", "build_request"]
