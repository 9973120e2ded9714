"""Provider presets and fill-in-the-middle (FIM) token templates.

A preset names an OpenAI-compatible endpoint and how to prompt it well; `settings.py` applies it
under anything the client or the environment sets. A FIM template turns a prefix and suffix into a
raw prompt for servers that take no `suffix` parameter (prompt mode "fim-tokens").

Everything here is immutable data: importing this module does no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

PromptMode = Literal["chat", "fim", "fim-tokens"]
"""How the model is asked for a completion.

- "chat": a chat request that marks the cursor and asks for the insertion only (any chat model);
- "fim": a completions request with `prompt` (prefix) and `suffix` parameters;
- "fim-tokens": a completions request whose prompt is a FIM template with the model's own tokens.
"""

PROMPT_MODES: tuple[PromptMode, ...] = ("chat", "fim", "fim-tokens")
# The prompt formats of next-edit suggestions (ghostls.nextedit.prompts).
NextEditPrompt = Literal["chat", "zeta", "sweep"]
NEXT_EDIT_PROMPTS: tuple[NextEditPrompt, ...] = ("chat", "zeta", "sweep")

_PLACEHOLDER = re.compile(r"\{(prefix|suffix)\}")


@dataclass(frozen=True)
class FimTemplate:
    """A raw FIM prompt layout: `template` holds `{prefix}` and `{suffix}` placeholders.

    `stop` lists the special tokens that end a fill, most important first (some APIs accept only
    a few stop sequences: a caller may keep the first ones).
    """

    name: str
    template: str
    stop: tuple[str, ...] = ()

    def render(self, prefix: str, suffix: str) -> str:
        """The prompt for this prefix and suffix.

        One pass over the template, so braces in the code, or a `{suffix}` in the prefix, are
        inserted literally.
        """
        parts = {"prefix": prefix, "suffix": suffix}
        return _PLACEHOLDER.sub(lambda match: parts[match.group(1)], self.template)


FIM_TEMPLATES: Mapping[str, FimTemplate] = MappingProxyType(
    {
        template.name: template
        for template in (
            # Qwen2.5-Coder (also what llama.cpp's own infill uses for Qwen models).
            FimTemplate(
                "qwen",
                "<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>",
                (
                    "<|endoftext|>",
                    "<|file_sep|>",
                    "<|fim_pad|>",
                    "<|fim_prefix|>",
                    "<|fim_suffix|>",
                    "<|fim_middle|>",
                    "<|repo_name|>",
                    "<|im_start|>",
                    "<|im_end|>",
                ),
            ),
            # StarCoder / StarCoder2 (and stable-code).
            FimTemplate(
                "starcoder",
                "<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>",
                (
                    "<|endoftext|>",
                    "<file_sep>",
                    "<fim_pad>",
                    "<fim_prefix>",
                    "<fim_suffix>",
                    "<fim_middle>",
                    "<repo_name>",
                ),
            ),
            # DeepSeek-Coder (fullwidth bars and the "▁" lower block are part of the tokens).
            FimTemplate(
                "deepseek",
                "<｜fim▁begin｜>{prefix}<｜fim▁hole｜>{suffix}<｜fim▁end｜>",
                (
                    "<｜end▁of▁sentence｜>",
                    "<|EOT|>",
                    "<｜fim▁begin｜>",
                    "<｜fim▁hole｜>",
                    "<｜fim▁end｜>",
                ),
            ),
            # Code Llama: the spaces around the markers are part of the format.
            FimTemplate(
                "codellama",
                "<PRE> {prefix} <SUF>{suffix} <MID>",
                ("<EOT>", "</s>", "<PRE>", "<SUF>", "<MID>"),
            ),
            # Codestral puts the suffix first.
            FimTemplate(
                "codestral",
                "[SUFFIX]{suffix}[PREFIX]{prefix}",
                ("</s>", "[PREFIX]", "[SUFFIX]", "[MIDDLE]"),
            ),
        )
    }
)


def fim_template(value: str) -> FimTemplate:
    """The FIM template a `fimTemplate` setting names: a known name, or a custom template.

    A custom template (the settings layer checks it holds both placeholders) gets the name
    "custom" and no stop tokens.
    """
    known = FIM_TEMPLATES.get(value)
    return known if known is not None else FimTemplate("custom", value)


@dataclass(frozen=True)
class Preset:
    """Known-good values for one provider.

    `api_key_env` names the environment variable holding its key (None: the server needs none).
    `fim_path` is the path under the base URL for "fim" requests (Mistral serves FIM on its own
    endpoint). No preset sets a request budget (see `rateLimitPerMinute` in settings.py).
    """

    name: str
    base_url: str
    api_key_env: str | None
    model: str
    prompt_mode: PromptMode
    fim_template: str | None = None
    fim_path: str = "/completions"


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        preset.name: preset
        for preset in (
            # Fastest hosted option; no `suffix` parameter, so chat prompting. gpt-oss-120b is the
            # model Cerebras recommends in place of its retired Llama and Qwen ids.
            Preset(
                "cerebras",
                "https://api.cerebras.ai/v1",
                "CEREBRAS_API_KEY",
                "gpt-oss-120b",
                "chat",
            ),
            # Chat only (400 on n>1, logprobs, logit_bias).
            Preset(
                "groq",
                "https://api.groq.com/openai/v1",
                "GROQ_API_KEY",
                "llama-3.3-70b-versatile",
                "chat",
            ),
            # `suffix` works only with gpt-3.5-turbo-instruct: chat for current models.
            Preset("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-4.1-mini", "chat"),
            # Completions with `suffix` at /beta.
            Preset(
                "deepseek",
                "https://api.deepseek.com/beta",
                "DEEPSEEK_API_KEY",
                "deepseek-chat",
                "fim",
            ),
            # La Plateforme key on the main API; FIM at /v1/fim/completions.
            Preset(
                "mistral",
                "https://api.mistral.ai/v1",
                "MISTRAL_API_KEY",
                "codestral-latest",
                "fim",
                fim_path="/fim/completions",
            ),
            # The Codestral endpoint meant for IDE tools takes its own key, not a Mistral one.
            Preset(
                "codestral",
                "https://codestral.mistral.ai/v1",
                "CODESTRAL_API_KEY",
                "codestral-latest",
                "fim",
                fim_path="/fim/completions",
            ),
            # Local servers: no key.
            Preset("ollama", "http://localhost:11434/v1", None, "qwen2.5-coder:1.5b", "fim"),
            # llama-server serves the model it loaded, whatever the request names; its `suffix`
            # handling varies between builds, raw FIM tokens always work.
            Preset("llamacpp", "http://127.0.0.1:8080/v1", None, "", "fim-tokens", "qwen"),
            # vLLM rejects `suffix` (400) and checks the model name: the default served name is
            # the Hugging Face id.
            Preset(
                "vllm",
                "http://127.0.0.1:8000/v1",
                None,
                "Qwen/Qwen2.5-Coder-1.5B",
                "fim-tokens",
                "qwen",
            ),
        )
    }
)
