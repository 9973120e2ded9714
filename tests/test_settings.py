"""The settings contract: sources and precedence, presets, validation, masking, lenient merging."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ghostls.presets import FIM_TEMPLATES, PRESETS, PROMPT_MODES, FimTemplate, fim_template
from ghostls.settings import (
    DEFAULT_BASE_URL,
    DEFAULT_EXCLUDE,
    Settings,
    SettingsError,
    SettingSource,
    mask_secret,
    merge_client_settings,
    resolve_settings,
    resolve_settings_lenient,
    unwrap_client_settings,
)

CEREBRAS_KEY = "csk-0123456789abcdefghij3f9a"


def sources(settings: Settings) -> dict[str, str]:
    return {line.key: line.source for line in settings.describe()}


def shown(settings: Settings) -> dict[str, str]:
    return {line.key: line.value for line in settings.describe()}


def error_messages(client: dict[str, Any], env: dict[str, str] | None = None) -> list[str]:
    return [str(error) for error in resolve_settings_lenient(client, env or {})[1]]


# Defaults ------------------------------------------------------------------------------------


def test_nothing_configured_gives_the_defaults() -> None:
    settings = resolve_settings(None, {})
    assert settings == Settings()
    assert settings.provider is None
    assert settings.base_url == DEFAULT_BASE_URL == "http://127.0.0.1:8080/v1"
    assert settings.api_key == ""
    assert settings.prompt_mode == "chat"
    assert settings.debounce_ms == "auto"
    assert settings.context_tokens == "auto"
    assert settings.completion_fallback == "auto"
    assert settings.enabled and settings.prefetch and not settings.allow_insecure_key
    assert settings.rate_limit_per_minute is None
    assert settings.preset is None
    assert set(sources(settings).values()) == {"default"}


def test_default_exclude_covers_secret_files() -> None:
    for pattern in (".env", ".env.*", "*.pem", "*.key", "id_rsa*", "id_ed25519*", "*.p12", "*.pfx"):
        assert pattern in DEFAULT_EXCLUDE
    for pattern in ("secrets.*", "*secret*.json", "credentials*", ".netrc", ".npmrc", ".pypirc"):
        assert pattern in DEFAULT_EXCLUDE
    assert Settings().exclude == DEFAULT_EXCLUDE


def test_every_key_maps_to_one_attribute() -> None:
    keys = [line.key for line in Settings().describe()]
    attributes = [item.name for item in dataclasses.fields(Settings) if item.name != "sources"]
    assert len(keys) == len(attributes) == 28
    snake = ["".join(f"_{c.lower()}" if c.isupper() else c for c in key) for key in keys]
    assert snake == attributes


def test_settings_are_frozen_hashable_and_compare_without_sources() -> None:
    settings = resolve_settings({"model": "m"}, {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.model = "other"  # type: ignore[misc]
    assert settings == Settings(model="m")
    assert hash(settings) == hash(Settings(model="m"))


# Client payloads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"model": "m"}, {"model": "m"}),
        ({"ghostls": {"model": "m"}, "python": {}}, {"model": "m"}),
        (None, None),
        ({}, None),
        ({"ghostls": None}, None),
        ({"ghostls": {}}, None),
        ({"ghostls": "model"}, None),
        ([{"model": "m"}], None),
        ("model", None),
    ],
)
def test_unwrap_client_settings(payload: object, expected: dict[str, Any] | None) -> None:
    assert unwrap_client_settings(payload) == expected


def test_merge_client_settings_later_layers_win_and_null_does_not_erase() -> None:
    merged = merge_client_settings(
        {"model": "a", "baseUrl": "https://a.example/v1"},
        None,
        {"model": "b", "baseUrl": None, "extraHeaders": {"X-A": "1"}},
        {"extraHeaders": {"X-B": "2"}},
    )
    assert merged == {
        "model": "b",
        "baseUrl": "https://a.example/v1",
        "extraHeaders": {"X-B": "2"},
    }
    assert merge_client_settings(None, {}, {"model": None}) is None


def test_null_and_blank_client_values_count_as_not_given() -> None:
    env = {"GHOSTLS_MODEL": "from-env", "OPENAI_API_KEY": "sk-env-0123456789abcdef"}
    settings = resolve_settings({"model": "  ", "apiKey": "", "caBundle": None}, env)
    assert settings.model == "from-env"
    assert settings.api_key == "sk-env-0123456789abcdef"
    assert settings.ca_bundle is None


# Precedence ----------------------------------------------------------------------------------


def test_client_beats_environment_beats_preset_beats_default() -> None:
    env = {"GHOSTLS_PROVIDER": "cerebras", "GHOSTLS_MODEL": "env-model"}
    client = {"promptMode": "fim-tokens"}
    settings = resolve_settings(client, env)
    assert settings.provider == "cerebras"
    assert settings.prompt_mode == "fim-tokens"
    assert settings.model == "env-model"
    assert settings.base_url == "https://api.cerebras.ai/v1"
    assert settings.max_tokens == 64
    got = sources(settings)
    assert got["provider"] == "environment: GHOSTLS_PROVIDER"
    assert got["promptMode"] == "client"
    assert got["model"] == "environment: GHOSTLS_MODEL"
    assert got["baseUrl"] == "preset cerebras"
    assert got["maxTokens"] == "default"


def test_client_values_beat_every_environment_variable() -> None:
    env = {
        "GHOSTLS_PROVIDER": "groq",
        "GHOSTLS_BASE_URL": "https://env.example/v1",
        "GHOSTLS_API_KEY": "env-key-0123456789abcdef",
        "GHOSTLS_MODEL": "env-model",
        "GHOSTLS_PROMPT_MODE": "fim",
    }
    client = {
        "provider": "openai",
        "baseUrl": "https://client.example/v1",
        "apiKey": "client-key-0123456789abcdef",
        "model": "client-model",
        "promptMode": "chat",
    }
    settings = resolve_settings(client, env)
    assert (settings.provider, settings.base_url, settings.model) == (
        "openai",
        "https://client.example/v1",
        "client-model",
    )
    assert settings.api_key == "client-key-0123456789abcdef"
    assert settings.prompt_mode == "chat"
    assert {sources(settings)[key] for key in client} == {"client"}


def test_environment_beats_the_preset() -> None:
    env = {
        "GHOSTLS_BASE_URL": "https://proxy.example/cerebras/",
        "GHOSTLS_PROMPT_MODE": "FIM-TOKENS",
        "CEREBRAS_API_KEY": CEREBRAS_KEY,
    }
    settings = resolve_settings({"provider": "cerebras"}, env)
    assert settings.base_url == "https://proxy.example/cerebras"
    assert settings.prompt_mode == "fim-tokens"
    assert settings.model == "gpt-oss-120b"
    assert sources(settings)["baseUrl"] == "environment: GHOSTLS_BASE_URL"


def test_client_provider_beats_environment_provider() -> None:
    settings = resolve_settings({"provider": "Ollama"}, {"GHOSTLS_PROVIDER": "groq"})
    assert settings.provider == "ollama"
    assert settings.base_url == "http://localhost:11434/v1"


# Presets -------------------------------------------------------------------------------------

PRESET_EXPECTATIONS = [
    ("cerebras", "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY", "chat", None),
    ("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", "chat", None),
    ("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "chat", None),
    ("deepseek", "https://api.deepseek.com/beta", "DEEPSEEK_API_KEY", "fim", None),
    ("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", "fim", None),
    ("codestral", "https://codestral.mistral.ai/v1", "CODESTRAL_API_KEY", "fim", None),
    ("ollama", "http://localhost:11434/v1", None, "fim", None),
    ("llamacpp", "http://127.0.0.1:8080/v1", None, "fim-tokens", None),
    ("vllm", "http://127.0.0.1:8000/v1", None, "fim-tokens", None),
]


def test_every_preset_is_covered() -> None:
    assert {row[0] for row in PRESET_EXPECTATIONS} == set(PRESETS)


@pytest.mark.parametrize(
    ("name", "base_url", "key_env", "prompt_mode", "rate_limit"), PRESET_EXPECTATIONS
)
def test_preset_fills_what_is_not_given(
    name: str, base_url: str, key_env: str | None, prompt_mode: str, rate_limit: int | None
) -> None:
    env = {key_env: "preset-key-0123456789abcdef"} if key_env else {}
    settings = resolve_settings({"provider": name}, env)
    preset = PRESETS[name]
    assert settings.preset is preset
    assert settings.base_url == base_url
    assert settings.api_key == ("preset-key-0123456789abcdef" if key_env else "")
    assert settings.model == preset.model
    assert settings.prompt_mode == prompt_mode
    assert settings.rate_limit_per_minute == rate_limit
    if key_env:
        assert sources(settings)["apiKey"] == f"environment: {key_env}"


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_hold_valid_values(name: str) -> None:
    preset = PRESETS[name]
    assert preset.prompt_mode in PROMPT_MODES
    assert preset.fim_path.startswith("/")
    client = {"baseUrl": preset.base_url, "promptMode": preset.prompt_mode}
    if preset.fim_template is not None:
        client["fimTemplate"] = preset.fim_template
    settings = resolve_settings(client, {})
    assert settings.base_url == preset.base_url
    if preset.prompt_mode == "fim-tokens":
        assert preset.fim_template in FIM_TEMPLATES


def test_mistral_presets_use_the_fim_endpoint() -> None:
    assert PRESETS["mistral"].fim_path == "/fim/completions"
    assert PRESETS["codestral"].fim_path == "/fim/completions"
    assert PRESETS["deepseek"].fim_path == "/completions"


def test_llamacpp_and_vllm_use_the_qwen_template() -> None:
    assert resolve_settings({"provider": "llamacpp"}, {}).fim_template == "qwen"
    assert resolve_settings({"provider": "vllm"}, {}).fim_template == "qwen"


def test_client_rate_limit_zero_lifts_the_preset_limit() -> None:
    settings = resolve_settings({"provider": "cerebras", "rateLimitPerMinute": 0}, {})
    assert settings.rate_limit_per_minute is None
    assert sources(settings)["rateLimitPerMinute"] == "client"
    assert resolve_settings({"rateLimitPerMinute": "120"}, {}).rate_limit_per_minute == 120
    plan = resolve_settings({"tokensPerDay": 24_000_000, "tokensPerMinute": 0}, {})
    assert (plan.tokens_per_day, plan.tokens_per_minute) == (24_000_000, None)


# Environment key lookup ----------------------------------------------------------------------


def test_openai_variables_apply_without_a_provider() -> None:
    env = {
        "OPENAI_BASE_URL": "https://gateway.example/v1/",
        "OPENAI_API_KEY": "sk-0123456789abcdef",
    }
    settings = resolve_settings(None, env)
    assert settings.base_url == "https://gateway.example/v1"
    assert settings.api_key == "sk-0123456789abcdef"
    assert sources(settings)["baseUrl"] == "environment: OPENAI_BASE_URL"
    assert sources(settings)["apiKey"] == "environment: OPENAI_API_KEY"


def test_openai_variables_apply_to_the_openai_preset() -> None:
    env = {"OPENAI_BASE_URL": "https://azure.example/v1", "OPENAI_API_KEY": "sk-0123456789abcdef"}
    settings = resolve_settings({"provider": "openai"}, env)
    assert settings.base_url == "https://azure.example/v1"
    assert settings.api_key == "sk-0123456789abcdef"


def test_other_providers_ignore_the_openai_variables() -> None:
    env = {"OPENAI_BASE_URL": "https://gateway.example/v1", "OPENAI_API_KEY": "sk-0123456789abcdef"}
    groq = resolve_settings({"provider": "groq"}, env)
    assert groq.base_url == "https://api.groq.com/openai/v1"
    assert groq.api_key == ""
    ollama = resolve_settings({"provider": "ollama"}, env)
    assert ollama.api_key == ""


def test_ghostls_api_key_beats_the_preset_variable() -> None:
    env = {"GHOSTLS_API_KEY": "gh-0123456789abcdef", "CEREBRAS_API_KEY": CEREBRAS_KEY}
    settings = resolve_settings({"provider": "cerebras"}, env)
    assert settings.api_key == "gh-0123456789abcdef"
    assert sources(settings)["apiKey"] == "environment: GHOSTLS_API_KEY"


def test_ghostls_api_key_serves_keyless_presets() -> None:
    env = {"GHOSTLS_API_KEY": "vllm-token-0123456789"}
    assert resolve_settings({"provider": "vllm"}, env).api_key == "vllm-token-0123456789"


def test_blank_environment_values_are_unset_and_keys_are_trimmed() -> None:
    env = {"GHOSTLS_API_KEY": "  ", "CEREBRAS_API_KEY": f" {CEREBRAS_KEY}\n"}
    settings = resolve_settings({"provider": "cerebras"}, env)
    assert settings.api_key == CEREBRAS_KEY


def test_provider_from_environment_picks_its_key_variable() -> None:
    env = {"GHOSTLS_PROVIDER": "deepseek", "DEEPSEEK_API_KEY": "ds-0123456789abcdef"}
    settings = resolve_settings(None, env)
    assert settings.provider == "deepseek"
    assert settings.api_key == "ds-0123456789abcdef"
    assert settings.base_url == "https://api.deepseek.com/beta"


# Masking -------------------------------------------------------------------------------------


def test_repr_and_str_mask_the_api_key() -> None:
    settings = resolve_settings({"provider": "cerebras"}, {"CEREBRAS_API_KEY": CEREBRAS_KEY})
    for text in (repr(settings), str(settings), f"{settings}", repr([settings])):
        assert CEREBRAS_KEY not in text
        assert "csk-…3f9a" in text
    assert repr(settings).startswith("Settings(provider='cerebras', base_url=")
    assert "sources" not in repr(settings)


def test_describe_masks_the_api_key() -> None:
    settings = resolve_settings({"provider": "cerebras"}, {"CEREBRAS_API_KEY": CEREBRAS_KEY})
    lines = settings.describe()
    assert SettingSource("apiKey", "csk-…3f9a", "environment: CEREBRAS_API_KEY") in lines
    assert all(CEREBRAS_KEY not in line.value for line in lines)
    assert shown(Settings())["apiKey"] == "(not set)"


def test_describe_shows_values_as_json() -> None:
    client = {"disabledLanguages": ["markdown"], "debounceMs": 120, "enabled": False}
    values = shown(resolve_settings(client, {}))
    assert values["disabledLanguages"] == '["markdown"]'
    assert values["debounceMs"] == "120"
    assert values["enabled"] == "false"
    assert values["codeActionModel"] == "null"
    assert values["baseUrl"] == '"http://127.0.0.1:8080/v1"'


@pytest.mark.parametrize(
    ("secret", "masked"),
    [
        ("", "(not set)"),
        ("short-key", "(9 characters, hidden)"),
        ("sk-proj-0123456789abcdefXYZ", "sk-p…fXYZ"),
    ],
)
def test_mask_secret(secret: str, masked: str) -> None:
    assert mask_secret(secret) == masked


def test_secret_looking_extra_headers_are_masked() -> None:
    token = "Bearer 0123456789abcdefghij"
    client = {"extraHeaders": {"Authorization": token, "X-Api-Key": "k", "X-Title": "ghostls"}}
    settings = resolve_settings(client, {})
    assert settings.extra_headers["Authorization"] == token
    for text in (repr(settings), shown(settings)["extraHeaders"]):
        assert token not in text
        assert "Bear…ghij" in text
        assert "ghostls" in text
        assert "X-Api-Key" in text


# Validation ----------------------------------------------------------------------------------

PROVIDERS_EXPECTED = (
    'expected "cerebras", "groq", "openai", "deepseek", "mistral", "codestral", "ollama", '
    '"llamacpp" or "vllm"'
)

BAD_VALUES: list[tuple[str, object, str]] = [
    ("provider", "cerebas", PROVIDERS_EXPECTED + ", got 'cerebas'; did you mean \"cerebras\"?"),
    ("provider", 3, PROVIDERS_EXPECTED + ", got 3"),
    (
        "baseUrl",
        "api.openai.com/v1",
        "expected an http(s) URL such as \"https://api.example.com/v1\", got 'api.openai.com/v1'",
    ),
    (
        "baseUrl",
        "ftp://example.com",
        "expected an http(s) URL such as \"https://api.example.com/v1\", got 'ftp://example.com'",
    ),
    (
        "baseUrl",
        "http://example.com:99999/v1",
        'expected an http(s) URL such as "https://api.example.com/v1", '
        "got 'http://example.com:99999/v1'",
    ),
    (
        "baseUrl",
        "http://exa mple.com",
        "expected an http(s) URL such as \"https://api.example.com/v1\", got 'http://exa mple.com'",
    ),
    ("baseUrl", ["x"], "expected a string, got a list"),
    ("apiKey", 1234567890, "expected a string, got a number"),
    ("model", {"name": "m"}, "expected a string, got an object"),
    (
        "promptMode",
        "fim_tokens",
        'expected "chat", "fim" or "fim-tokens", got \'fim_tokens\'; did you mean "fim-tokens"?',
    ),
    (
        "fimTemplate",
        "qwne",
        'expected "qwen", "starcoder", "deepseek", "codellama" or "codestral" or a template with '
        "{prefix} and {suffix}, got 'qwne'; did you mean \"qwen\"?",
    ),
    (
        "fimTemplate",
        "<PRE>{prefix}<MID>",
        "a custom FIM template needs {prefix} and {suffix}; {suffix} is missing",
    ),
    ("fimTemplate", 1, "expected a string, got 1"),
    ("debounceMs", "fast", "expected a whole number 0-5000 or \"auto\", got 'fast'"),
    ("debounceMs", 5001, 'expected a whole number 0-5000 or "auto", got 5001'),
    ("debounceMs", -1, 'expected a whole number 0-5000 or "auto", got -1'),
    ("debounceMs", 12.5, 'expected a whole number 0-5000 or "auto", got 12.5'),
    ("debounceMs", True, 'expected a whole number 0-5000 or "auto", got true'),
    ("maxTokens", 0, "expected a whole number 1-32768, got 0"),
    ("maxTokens", False, "expected a whole number 1-32768, got false"),
    ("maxTokensMultiline", "lots", "expected a whole number 1-32768, got 'lots'"),
    ("temperature", float("nan"), "expected a number 0-2, got nan"),
    ("temperature", float("inf"), "expected a number 0-2, got inf"),
    ("temperature", "nan", "expected a number 0-2, got 'nan'"),
    ("temperature", 2.5, "expected a number 0-2, got 2.5"),
    ("temperature", True, "expected a number 0-2, got true"),
    ("timeoutMs", 99, "expected a whole number 100-120000, got 99"),
    ("timeoutMs", "1e9", "expected a whole number 100-120000, got '1e9'"),
    (
        "completionFallback",
        "sometimes",
        'expected "auto", "always" or "never", got \'sometimes\'',
    ),
    ("enabled", "yes", "expected true or false, got 'yes'"),
    ("enabled", 1, "expected true or false, got 1"),
    ("disabledLanguages", "markdown", "expected a list of strings, got 'markdown'"),
    (
        "disabledLanguages",
        ["markdown", 3],
        "expected a list of non-empty strings, got 3 at position 2",
    ),
    ("exclude", ["*.log", ""], "expected a list of non-empty strings, got '' at position 2"),
    ("codeActionModel", False, "expected a string, got false"),
    ("nextEdit", "yes", 'expected "off" or "on", got \'yes\''),
    ("nextEditModel", 3, "expected a string, got 3"),
    (
        "nextEditPrompt",
        "sweeep",
        'expected "chat", "zeta" or "sweep", got \'sweeep\'; did you mean "sweep"?',
    ),
    ("nextEditWindowLines", 51, "expected a whole number 1-50, got 51"),
    ("contextTokens", 10, 'expected a whole number 256-1000000 or "auto", got 10'),
    (
        "extraHeaders",
        ["X-A: 1"],
        "expected an object of header names to strings, got a list",
    ),
    (
        "extraHeaders",
        {"Bad Header": "x"},
        "expected header names of letters, digits and '-', got 'Bad Header'",
    ),
    (
        "extraHeaders",
        {"X-Token": "abc\r\nX-Evil: 1"},
        "expected a one-line string for header 'X-Token', got a string with a line break",
    ),
    (
        "extraHeaders",
        {"X-Count": 3},
        "expected a one-line string for header 'X-Count', got a number",
    ),
    ("caBundle", 7, "expected a string, got 7"),
    ("allowInsecureKey", "true", "expected true or false, got 'true'"),
    ("prefetch", 0, "expected true or false, got 0"),
    (
        "rateLimitPerMinute",
        -5,
        "expected a whole number 0-100000 (0: no limit), got -5",
    ),
    ("tokensPerMinute", 1.5, "expected a whole number 0-100000000 (0: no limit), got 1.5"),
    ("tokensPerDay", "lots", "expected a whole number 0-10000000000 (0: no limit), got 'lots'"),
]


@pytest.mark.parametrize(("key", "value", "problem"), BAD_VALUES)
def test_each_invalid_value_is_named_in_the_error(key: str, value: object, problem: str) -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_settings({key: value}, {})
    error = caught.value
    assert (error.key, error.problem, error.source) == (key, problem, None)
    assert str(error) == f"ghostls setting '{key}': {problem}"
    assert isinstance(error, ValueError)


def test_every_key_has_a_validation_case() -> None:
    assert {key for key, _, _ in BAD_VALUES} == {line.key for line in Settings().describe()}


def test_error_messages_never_echo_an_api_key_and_shorten_long_values() -> None:
    [message] = error_messages({"apiKey": ["sk-secret-0123456789"]})
    assert "sk-secret" not in message
    [message] = error_messages({"model": None, "promptMode": "x" * 100})
    assert "x" * 38 not in message
    assert "'" + "x" * 37 + "...'" in message


def test_environment_errors_name_the_variable() -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_settings(None, {"GHOSTLS_PROMPT_MODE": "fast"})
    assert caught.value.source == "environment: GHOSTLS_PROMPT_MODE"
    assert str(caught.value) == (
        "ghostls setting 'promptMode' (environment: GHOSTLS_PROMPT_MODE): "
        'expected "chat", "fim" or "fim-tokens", got \'fast\''
    )


def test_strict_resolution_raises_the_first_bad_key_in_table_order() -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_settings({"prefetch": "no", "temperature": 9, "model": 1}, {})
    assert caught.value.key == "model"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("300", 300),
        (" 300 ", 300),
        (300.0, 300),
        ("auto", "auto"),
        ("AUTO", "auto"),
        (0, 0),
        (5000, 5000),
    ],
)
def test_debounce_accepts_numbers_digit_strings_and_auto(value: object, expected: object) -> None:
    assert resolve_settings({"debounceMs": value}, {}).debounce_ms == expected


@pytest.mark.parametrize(("value", "expected"), [(0, 0.0), (1, 1.0), ("0.5", 0.5), (2, 2.0)])
def test_temperature_accepts_ints_and_numeric_strings(value: object, expected: float) -> None:
    assert resolve_settings({"temperature": value}, {}).temperature == expected


def test_choices_are_case_insensitive() -> None:
    settings = resolve_settings(
        {"provider": "GROQ", "promptMode": " Chat ", "completionFallback": "Always"}, {}
    )
    assert (settings.provider, settings.prompt_mode, settings.completion_fallback) == (
        "groq",
        "chat",
        "always",
    )


def test_other_values_are_accepted_and_normalised() -> None:
    client = {
        "maxTokens": 32,
        "maxTokensMultiline": "512",
        "timeoutMs": 2500,
        "enabled": False,
        "prefetch": False,
        "allowInsecureKey": True,
        "disabledLanguages": [" markdown ", "plaintext", "markdown"],
        "codeActionModel": "big-model",
        "contextTokens": 4096,
        "caBundle": "/etc/ssl/corp.pem",
        "extraHeaders": {"X-Title": " ghostls "},
    }
    settings = resolve_settings(client, {})
    assert settings.max_tokens == 32
    assert settings.max_tokens_multiline == 512
    assert settings.timeout_ms == 2500
    assert not settings.enabled and not settings.prefetch and settings.allow_insecure_key
    assert settings.disabled_languages == ("markdown", "plaintext")
    assert settings.code_action_model == "big-model"
    assert settings.context_tokens == 4096
    assert settings.ca_bundle == "/etc/ssl/corp.pem"
    assert dict(settings.extra_headers) == {"X-Title": "ghostls"}


def test_extra_headers_cannot_be_changed_afterwards() -> None:
    client_headers = {"X-A": "1"}
    settings = resolve_settings({"extraHeaders": client_headers}, {})
    client_headers["X-B"] = "2"
    assert dict(settings.extra_headers) == {"X-A": "1"}
    with pytest.raises(TypeError):
        settings.extra_headers["X-C"] = "3"  # type: ignore[index]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://api.example.com/v1/", "https://api.example.com/v1"),
        ("https://api.example.com/v1//", "https://api.example.com/v1"),
        ("https://api.example.com", "https://api.example.com"),
        (" http://[::1]:8080/v1 ", "http://[::1]:8080/v1"),
        ("HTTP://localhost:11434/v1", "HTTP://localhost:11434/v1"),
    ],
)
def test_base_url_loses_trailing_slashes_and_gains_nothing(value: str, expected: str) -> None:
    assert resolve_settings({"baseUrl": value}, {}).base_url == expected


def test_fim_template_names_are_case_insensitive() -> None:
    assert resolve_settings({"fimTemplate": " StarCoder "}, {}).fim_template == "starcoder"


def test_custom_fim_template_is_kept_verbatim() -> None:
    template = "<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle> "
    assert resolve_settings({"fimTemplate": template}, {}).fim_template == template


def test_client_exclude_extends_the_defaults() -> None:
    settings = resolve_settings({"exclude": ["*.log", ".env", "!*.key", "!not-a-default"]}, {})
    assert settings.exclude[-1] == "*.log"
    assert ".env" in settings.exclude
    assert settings.exclude.count(".env") == 1
    assert "*.key" not in settings.exclude
    assert set(settings.exclude) == (set(DEFAULT_EXCLUDE) - {"*.key"}) | {"*.log"}
    assert resolve_settings({"exclude": []}, {}).exclude == DEFAULT_EXCLUDE


# Unknown keys --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("baseURL", "baseUrl"),
        ("base_url", "baseUrl"),
        ("api_key", "apiKey"),
        ("APIKEY", "apiKey"),
        ("debounce", "debounceMs"),
        ("modle", "model"),
        ("timeout", "timeoutMs"),
        ("enable", "enabled"),
        ("disabled-languages", "disabledLanguages"),
    ],
)
def test_a_misspelt_key_is_reported_with_a_suggestion(typo: str, meant: str) -> None:
    settings, errors = resolve_settings_lenient({typo: "x", "model": "m"}, {})
    assert settings.model == "m"
    [error] = [error for error in errors if error.key == typo]
    assert error.problem == f"unknown setting; did you mean '{meant}'?"
    assert str(error) == f"ghostls setting '{typo}': unknown setting; did you mean '{meant}'?"


def test_reuse_is_not_a_setting() -> None:
    # A benchmark strategy, not a user's choice (the server's --lab-reuse option sets it): a
    # `reuse` left in an editor's configuration is a foreign key, ignored like any other.
    settings, errors = resolve_settings_lenient({"reuse": "none", "model": "m"}, {})
    assert errors == []
    assert settings == resolve_settings_lenient({"model": "m"}, {})[0]


def test_foreign_keys_are_ignored_silently() -> None:
    client = {"python": {"x": 1}, "trace": "verbose", "settings": {}, "inlineSuggest": True}
    settings, errors = resolve_settings_lenient(client, {})
    assert errors == []
    assert settings == Settings()


def test_a_misspelt_key_fails_strict_resolution() -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_settings({"baseURL": "https://api.example.com/v1"}, {})
    assert caught.value.key == "baseURL"


# Lenient merging -----------------------------------------------------------------------------


def test_lenient_reports_every_problem_and_applies_the_valid_keys() -> None:
    client = {"debounceMs": "fast", "temperature": "hot", "model": "good", "maxTokens": 20}
    settings, errors = resolve_settings_lenient(client, {})
    assert [error.key for error in errors] == ["debounceMs", "temperature"]
    assert settings.model == "good"
    assert settings.max_tokens == 20
    assert settings.debounce_ms == "auto"
    assert settings.temperature == Settings().temperature


def test_lenient_keeps_the_previous_client_value_of_a_bad_key() -> None:
    previous, _ = resolve_settings_lenient({"debounceMs": 150, "model": "a"}, {})
    settings, errors = resolve_settings_lenient({"debounceMs": "fast", "model": "b"}, {}, previous)
    assert [error.key for error in errors] == ["debounceMs"]
    assert settings.debounce_ms == 150
    assert sources(settings)["debounceMs"] == "client"
    assert settings.model == "b"


def test_lenient_falls_back_past_a_previous_value_that_was_not_the_clients() -> None:
    env = {"GROQ_API_KEY": "gsk-0123456789abcdef"}
    previous = resolve_settings({"provider": "cerebras"}, env)
    settings, errors = resolve_settings_lenient(
        {"provider": "groq", "baseUrl": "not a url"}, env, previous
    )
    assert [error.key for error in errors] == ["baseUrl"]
    # The groq key must not go to the cerebras URL the previous settings held.
    assert settings.base_url == "https://api.groq.com/openai/v1"
    assert sources(settings)["baseUrl"] == "preset groq"


def test_lenient_bad_client_value_falls_back_to_the_environment() -> None:
    env = {"GHOSTLS_MODEL": "env-model"}
    settings, errors = resolve_settings_lenient({"model": 5}, env)
    assert [error.key for error in errors] == ["model"]
    assert settings.model == "env-model"


def test_lenient_bad_environment_value_falls_back_to_the_preset() -> None:
    env = {"GHOSTLS_BASE_URL": "nowhere", "GHOSTLS_PROVIDER": "ollama"}
    settings, errors = resolve_settings_lenient(None, env)
    assert [(error.key, error.source) for error in errors] == [
        ("baseUrl", "environment: GHOSTLS_BASE_URL")
    ]
    assert settings.base_url == "http://localhost:11434/v1"


def test_lenient_keeps_the_previous_provider_when_the_new_one_is_unknown() -> None:
    env = {"CEREBRAS_API_KEY": CEREBRAS_KEY}
    previous = resolve_settings({"provider": "cerebras"}, env)
    settings, errors = resolve_settings_lenient({"provider": "cerebrass"}, env, previous)
    assert [error.key for error in errors] == ["provider"]
    assert settings.provider == "cerebras"
    assert settings.api_key == CEREBRAS_KEY


def test_lenient_without_previous_uses_the_default_for_a_bad_provider() -> None:
    settings, errors = resolve_settings_lenient({"provider": "nope"}, {})
    assert [error.key for error in errors] == ["provider"]
    assert settings.provider is None
    assert settings.base_url == DEFAULT_BASE_URL


def test_lenient_forgets_a_previous_value_the_client_no_longer_sends() -> None:
    previous = resolve_settings({"debounceMs": 150}, {})
    settings, errors = resolve_settings_lenient({}, {}, previous)
    assert errors == []
    assert settings.debounce_ms == "auto"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@hypothesis_settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([line.key for line in Settings().describe()] + ["baseURL", "other"]),
        JSON,
        max_size=6,
    )
)
def test_lenient_resolution_never_raises(client: dict[str, Any]) -> None:
    settings, errors = resolve_settings_lenient(client, {})
    assert isinstance(settings, Settings)
    assert all(isinstance(error, SettingsError) for error in errors)
    assert resolve_settings_lenient(client, {}, settings)[0] == settings


# Sending the key safely ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    [
        "http://gpu-box.lan:8000/v1",
        "http://10.0.0.5:8000/v1",
        "http://api.example.com/v1",
    ],
)
def test_api_key_is_withheld_over_plain_http_to_another_machine(base_url: str) -> None:
    client = {"baseUrl": base_url, "apiKey": "sk-0123456789abcdef"}
    settings, errors = resolve_settings_lenient(client, {})
    assert settings.api_key == ""
    assert settings.base_url == base_url
    [error] = errors
    assert error.key == "apiKey"
    assert error.problem.startswith("not sent: baseUrl is plain http to ")
    assert error.problem.endswith("use https, or set allowInsecureKey to true")
    assert "sk-0123456789abcdef" not in str(error)
    assert sources(settings)["apiKey"] == "client; withheld over plain http"
    with pytest.raises(SettingsError):
        resolve_settings(client, {})


@pytest.mark.parametrize(
    "base_url",
    [
        "http://localhost:11434/v1",
        "http://127.0.0.1:8080/v1",
        "http://127.1.2.3:8080/v1",
        "http://[::1]:8080/v1",
        "http://ghostls.localhost/v1",
        "https://10.0.0.5/v1",
    ],
)
def test_api_key_is_sent_over_https_or_to_this_machine(base_url: str) -> None:
    client = {"baseUrl": base_url, "apiKey": "sk-0123456789abcdef"}
    assert resolve_settings(client, {}).api_key == "sk-0123456789abcdef"


def test_allow_insecure_key_sends_the_key_over_plain_http() -> None:
    client = {"baseUrl": "http://10.0.0.5/v1", "apiKey": "k-0123456789abcdef"}
    settings = resolve_settings({**client, "allowInsecureKey": True}, {})
    assert settings.api_key == "k-0123456789abcdef"


def test_no_key_no_complaint_over_plain_http() -> None:
    assert resolve_settings({"baseUrl": "http://10.0.0.5/v1"}, {}).api_key == ""


# FIM templates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rendered"),
    [
        ("qwen", "<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>"),
        ("starcoder", "<fim_prefix>P<fim_suffix>S<fim_middle>"),
        ("deepseek", "<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>"),
        ("codellama", "<PRE> P <SUF>S <MID>"),
        ("codestral", "[SUFFIX]S[PREFIX]P"),
    ],
)
def test_fim_templates_render(name: str, rendered: str) -> None:
    template = FIM_TEMPLATES[name]
    assert template.render("P", "S") == rendered
    assert template.stop
    assert all(stop not in ("P", "S") for stop in template.stop)


def test_fim_stop_tokens_start_with_the_end_of_text_token() -> None:
    assert FIM_TEMPLATES["qwen"].stop[:3] == ("<|endoftext|>", "<|file_sep|>", "<|fim_pad|>")
    assert FIM_TEMPLATES["codellama"].stop[0] == "<EOT>"


def test_render_inserts_code_literally() -> None:
    template = FIM_TEMPLATES["qwen"]
    prefix = 'f"{suffix}" + {prefix} + {0}'
    suffix = "}{prefix}"
    assert template.render(prefix, suffix) == (
        f"<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>"
    )


@given(st.text(), st.text())
def test_render_places_prefix_and_suffix_exactly(prefix: str, suffix: str) -> None:
    assert FIM_TEMPLATES["starcoder"].render(prefix, suffix) == (
        f"<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>"
    )


def test_fim_template_lookup_names_or_custom() -> None:
    assert fim_template("deepseek") is FIM_TEMPLATES["deepseek"]
    custom = fim_template("{{x}}<A>{prefix}<B>{suffix}<C>")
    assert custom == FimTemplate("custom", "{{x}}<A>{prefix}<B>{suffix}<C>")
    assert custom.render("p", "s") == "{{x}}<A>p<B>s<C>"
    assert custom.stop == ()


def test_next_edit_settings() -> None:
    assert Settings().next_edit == "off"
    assert Settings().next_edit_window_lines == 5
    on = resolve_settings(
        {"nextEdit": True, "nextEditPrompt": "Zeta", "nextEditWindowLines": 8}, {}
    )
    assert (on.next_edit, on.next_edit_prompt, on.next_edit_window_lines) == ("on", "zeta", 8)
    assert resolve_settings({"nextEdit": "off"}, {}).next_edit == "off"
    with pytest.raises(SettingsError, match=r'nextEdit.*expected "off" or "on"'):
        resolve_settings({"nextEdit": "yes"}, {})
    with pytest.raises(SettingsError, match="nextEditWindowLines"):
        resolve_settings({"nextEditWindowLines": 0}, {})
