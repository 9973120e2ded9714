"""From settings to the objects that act on them: the model client's and the engine's options."""

from __future__ import annotations

from ghostls.engine import EngineOptions
from ghostls.engine.engine import Reuse
from ghostls.model import ModelConfig
from ghostls.presets import fim_template
from ghostls.prompts import PromptOptions
from ghostls.settings import Settings


def model_config(settings: Settings) -> ModelConfig:
    return ModelConfig(
        base_url=settings.base_url,
        api_key=settings.api_key or None,
        timeout_s=settings.timeout_ms / 1000,
        extra_headers=dict(settings.extra_headers),
        ca_bundle=settings.ca_bundle,
    )


def prompt_options(settings: Settings, *, model: str | None = None) -> PromptOptions:
    template = fim_template(settings.fim_template)
    return PromptOptions(
        mode=settings.prompt_mode,
        model=model or settings.model,
        max_tokens=settings.max_tokens,
        max_tokens_multiline=settings.max_tokens_multiline,
        temperature=settings.temperature,
        fim_template=template.template,
        fim_stops=template.stop,
        fim_path=settings.preset.fim_path if settings.preset else None,
    )


def engine_options(settings: Settings, reuse: Reuse = "full") -> EngineOptions:
    return EngineOptions(
        prompt=prompt_options(settings),
        debounce_ms=None if settings.debounce_ms == "auto" else settings.debounce_ms,
        timeout_s=settings.timeout_ms / 1000,
        prefetch=settings.prefetch,
        rate_limit_per_minute=settings.rate_limit_per_minute,
        tokens_per_minute=settings.tokens_per_minute,
        tokens_per_day=settings.tokens_per_day,
        reuse=reuse,
    )
