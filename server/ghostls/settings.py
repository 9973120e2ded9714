"""The settings contract: the keys editors send, where values come from, and their validation.

Every key is optional (camelCase, as the client sends it); a null or blank-string value counts as
not given.

    provider            preset name (see presets.py) or null                       null
    baseUrl             http(s) URL of an OpenAI-compatible API; trailing "/" dropped,
                        nothing appended                                            see below
    apiKey              secret; never logged, never sent over plain http to
                        another machine unless allowInsecureKey                    see below
    model               model name; "" lets a single-model server use its own      ""
    promptMode          "chat" | "fim" (prompt + suffix) | "fim-tokens" (raw)      "chat"
    fimTemplate         "qwen" | "starcoder" | "deepseek" | "codellama" |
                        "codestral" | a template with {prefix} and {suffix}        "qwen"
    debounceMs          0-5000 or "auto" (adaptive)                                "auto"
    maxTokens           1-32768, for a single-line suggestion                      64
    maxTokensMultiline  1-32768, for a multi-line suggestion                       256
    temperature         0-2                                                        0.1
    timeoutMs           100-120000                                                 10000
    completionFallback  "auto" (clients without inline completion) | "always" |
                        "never": offer the suggestion as a completion item         "auto"
    enabled             true | false                                               true
    disabledLanguages   language ids                                               []
    exclude             globs of files never sent to the model; they extend the
                        defaults (.env, keys, credentials...); "!glob" drops a
                        default                                                    DEFAULT_EXCLUDE
    codeActionModel     model for code actions; null: `model`                      null
    contextTokens       256-1000000 or "auto": prompt budget                       "auto"
    extraHeaders        {"Header-Name": "value"} added to every request            {}
    caBundle            path to a PEM file of extra trusted CAs                    null
    allowInsecureKey    send apiKey over plain http to a non-loopback host         false
    prefetch            request the next suggestion while one is shown             true
    reuse               "full": typed-ahead, cache and in-flight reuse; "exact":
                        a cache of exact positions only; "none": a model call per
                        request (for comparisons and debugging)                    "full"
    rateLimitPerMinute  requests per minute to stay under; 0: no limit             null

Sources, strongest first: the client (initializationOptions, workspace/configuration or
workspace/didChangeConfiguration, as `{...}` or `{"ghostls": {...}}`), then the environment
(GHOSTLS_PROVIDER, GHOSTLS_BASE_URL, GHOSTLS_API_KEY, GHOSTLS_MODEL, GHOSTLS_PROMPT_MODE; the
preset's key variable such as CEREBRAS_API_KEY; without a provider, or with "openai", also the
openai SDK's OPENAI_BASE_URL and OPENAI_API_KEY), then the preset, then the defaults.

With nothing configured ghostls talks to a local server at http://127.0.0.1:8080/v1 (llama.cpp's
default port; LM Studio, vLLM and others take one baseUrl): nothing leaves the machine until a
provider or a baseUrl says so.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal
from urllib.parse import urlsplit

from ghostls.presets import FIM_TEMPLATES, PRESETS, PROMPT_MODES, Preset, PromptMode

SECTION = "ghostls"
"""The configuration section: `workspace/configuration` item and `{"ghostls": {...}}` wrapper."""

DEFAULT_BASE_URL = "http://127.0.0.1:8080/v1"

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "id_rsa*",
    "id_ed25519*",
    "*.p12",
    "*.pfx",
    "secrets.*",
    "*secret*.json",
    "credentials*",
    ".netrc",
    ".npmrc",
    ".pypirc",
)

Reuse = Literal["full", "exact", "none"]
CompletionFallback = Literal["auto", "always", "never"]
Auto = Literal["auto"]


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, repr=False)
class Settings:
    """The effective settings; `Settings()` holds the defaults.

    `sources` maps a camelCase key to where its value came from ("client", "environment: NAME",
    "preset NAME"); a key missing from it is a default. `repr()` and `describe()` mask the key.
    """

    provider: str | None = None
    base_url: str = DEFAULT_BASE_URL
    api_key: str = ""
    model: str = ""
    prompt_mode: PromptMode = "chat"
    fim_template: str = "qwen"
    debounce_ms: int | Auto = "auto"
    max_tokens: int = 64
    max_tokens_multiline: int = 256
    temperature: float = 0.1
    timeout_ms: int = 10_000
    completion_fallback: CompletionFallback = "auto"
    enabled: bool = True
    disabled_languages: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    code_action_model: str | None = None
    context_tokens: int | Auto = "auto"
    extra_headers: Mapping[str, str] = field(default_factory=_empty, hash=False)
    ca_bundle: str | None = None
    allow_insecure_key: bool = False
    prefetch: bool = True
    reuse: Reuse = "full"
    rate_limit_per_minute: int | None = None
    sources: Mapping[str, str] = field(
        default_factory=_empty, compare=False, hash=False, repr=False
    )

    @property
    def preset(self) -> Preset | None:
        """The provider's preset, for its quirks (such as `fim_path`); None without a provider."""
        return PRESETS[self.provider] if self.provider is not None else None

    def describe(self) -> list[SettingSource]:
        """Every key with its effective value (as JSON, the key masked) and its source."""
        return [
            SettingSource(
                key.name,
                _display(key.attr, getattr(self, key.attr)),
                self.sources.get(key.name, "default"),
            )
            for key in _KEYS
        ]

    def __repr__(self) -> str:
        shown = (
            f"{item.name}={_shown_attr(item.name, getattr(self, item.name))}"
            for item in fields(self)
            if item.repr
        )
        return f"Settings({', '.join(shown)})"


@dataclass(frozen=True)
class SettingSource:
    """One line of `ghostls check`: a key, its value as shown to people, and its source."""

    key: str
    value: str
    source: str


class SettingsError(ValueError):
    """An invalid setting: `key` (camelCase, as sent), what is wrong, and where it came from.

    `source` is None for a client value, else e.g. "environment: GHOSTLS_PROMPT_MODE".
    """

    def __init__(self, key: str, problem: str, source: str | None = None) -> None:
        where = f" ({source})" if source else ""
        super().__init__(f"ghostls setting '{key}'{where}: {problem}")
        self.key = key
        self.problem = problem
        self.source = source


def unwrap_client_settings(payload: object) -> dict[str, Any] | None:
    """The ghostls settings in a client payload: the object itself or `{"ghostls": {...}}`.

    None when there are none: a null, empty or non-object payload (for didChangeConfiguration,
    the cue to pull with workspace/configuration).
    """
    if not isinstance(payload, Mapping):
        return None
    inner = payload.get(SECTION, payload)
    if not isinstance(inner, Mapping):
        return None
    settings = {key: value for key, value in inner.items() if isinstance(key, str)}
    return settings or None


def merge_client_settings(*layers: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Client settings from several messages, later layers winning key by key.

    A null value in a later layer does not erase an earlier one (clients send null for "unset").
    None when no layer holds anything.
    """
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update((key, value) for key, value in (layer or {}).items() if value is not None)
    return merged or None


def resolve_settings(client: Mapping[str, Any] | None, env: Mapping[str, str]) -> Settings:
    """The settings from client values over `env` over the preset over the defaults.

    Raises SettingsError for the first invalid key (in the order of the table at the top of this
    module), else the first likely-misspelt key, else an API key that would go out over plain http.
    """
    settings, errors = resolve_settings_lenient(client, env)
    if errors:
        raise errors[0]
    return settings


def resolve_settings_lenient(
    client: Mapping[str, Any] | None,
    env: Mapping[str, str],
    previous: Settings | None = None,
) -> tuple[Settings, list[SettingsError]]:
    """Like `resolve_settings`, but every problem is reported and none stops the rest.

    An invalid client value keeps the client's previous valid value for that key (when the
    previous settings took it from the client); otherwise the key falls back to the environment,
    the preset and the default, as if the bad value were not there. An invalid environment value
    falls back likewise. A misspelt key (close to a known one) is reported; other unknown keys are
    ignored, as clients send other things. An API key that would go out over plain http to another
    machine is reported and left out.
    """
    given = {key: value for key, value in (client or {}).items() if not _blank(value)}
    errors: list[SettingsError] = []
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key in _KEYS:
        value, source = _resolve_key(key, given, env, values.get("provider"), previous, errors)
        values[key.attr] = value
        if source != "default":
            sources[key.name] = source
    for name in client or {}:
        suggestion = _suggest_key(name)
        if suggestion is not None:
            errors.append(SettingsError(name, f"unknown setting; did you mean '{suggestion}'?"))
    if values["api_key"] and not values["allow_insecure_key"]:
        host = _insecure_host(values["base_url"])
        if host is not None:
            errors.append(
                SettingsError(
                    "apiKey",
                    f"not sent: baseUrl is plain http to {host}, which would expose it; "
                    "use https, or set allowInsecureKey to true",
                )
            )
            values["api_key"] = ""
            sources["apiKey"] = f"{sources['apiKey']}; withheld over plain http"
    return Settings(**values, sources=MappingProxyType(sources)), errors


def mask_secret(secret: str) -> str:
    """A secret as people may see it: "csk-…3f9a", or "(not set)"."""
    if not secret:
        return "(not set)"
    if len(secret) < 16:
        return f"({len(secret)} characters, hidden)"
    return f"{secret[:4]}…{secret[-4:]}"


# The key table ---------------------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class _Key:
    name: str
    parse: Callable[[object], object]

    @property
    def attr(self) -> str:
        return re.sub(r"(?=[A-Z])", "_", self.name).lower()


def _shown(value: object) -> str:
    """A value as the client wrote it, short, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, (int, float)):
        return repr(value)
    return _kind(value)


def _kind(value: object) -> str:
    """What a value is, without showing it (for secrets)."""
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


def _quoted(options: Iterable[str]) -> str:
    names = [f'"{option}"' for option in options]
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def _did_you_mean(value: object, options: Iterable[str]) -> str:
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value.strip().lower(), list(options), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected a string, got {_shown(value)}")
    return value.strip()


def _secret(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected a string, got {_kind(value)}")
    return value.strip()


def _choice(options: Iterable[str]) -> Callable[[object], str]:
    allowed = tuple(options)

    def parse(value: object) -> str:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        raise _Invalid(
            f"expected {_quoted(allowed)}, got {_shown(value)}{_did_you_mean(value, allowed)}"
        )

    return parse


_NUMERIC = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _number(value: object) -> float | None:
    """A finite number from a JSON number or a numeric string; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not _NUMERIC.fullmatch(value):
            return None
    elif not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _whole(value: object, low: int, high: int, note: str = "") -> int:
    number = _number(value)
    if number is None or not number.is_integer() or not low <= number <= high:
        raise _Invalid(f"expected a whole number {low}-{high}{note}, got {_shown(value)}")
    return int(number)


def _whole_or_auto(low: int, high: int) -> Callable[[object], int | Auto]:
    def parse(value: object) -> int | Auto:
        if isinstance(value, str) and value.strip().lower() == "auto":
            return "auto"
        return _whole(value, low, high, ' or "auto"')

    return parse


def _tokens(value: object) -> int:
    return _whole(value, 1, 32_768)


def _timeout(value: object) -> int:
    return _whole(value, 100, 120_000)


def _rate_limit(value: object) -> int | None:
    return _whole(value, 0, 100_000, " (0: no limit)") or None


def _temperature(value: object) -> float:
    number = _number(value)
    if number is None or not 0 <= number <= 2:
        raise _Invalid(f"expected a number 0-2, got {_shown(value)}")
    return number


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"expected true or false, got {_shown(value)}")
    return value


def _string_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise _Invalid(f"expected a list of strings, got {_shown(value)}")
    for position, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise _Invalid(
                f"expected a list of non-empty strings, got {_shown(item)} at position {position}"
            )
    return tuple(dict.fromkeys(item.strip() for item in value))


def _exclude(value: object) -> tuple[str, ...]:
    patterns = _string_list(value)
    dropped = {pattern[1:] for pattern in patterns if pattern.startswith("!")}
    added = (pattern for pattern in patterns if not pattern.startswith("!"))
    kept = (pattern for pattern in DEFAULT_EXCLUDE if pattern not in dropped)
    return tuple(dict.fromkeys((*kept, *added)))


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _headers(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise _Invalid(f"expected an object of header names to strings, got {_shown(value)}")
    headers: dict[str, str] = {}
    for name, text in value.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise _Invalid(f"expected header names of letters, digits and '-', got {_shown(name)}")
        if not isinstance(text, str) or "\r" in text or "\n" in text:
            what = "a string with a line break" if isinstance(text, str) else _kind(text)
            raise _Invalid(f"expected a one-line string for header '{name}', got {what}")
        headers[name] = text.strip()
    return MappingProxyType(headers)


def _base_url(value: object) -> str:
    text = _string(value)
    try:
        parts = urlsplit(text)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a bad port or IPv6 literal
        valid = False
    if not valid or any(char.isspace() for char in text):
        raise _Invalid(
            f'expected an http(s) URL such as "https://api.example.com/v1", got {_shown(value)}'
        )
    return text.rstrip("/")


def _fim_template(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected a string, got {_shown(value)}")
    name = value.strip().lower()
    if name in FIM_TEMPLATES:
        return name
    missing = [part for part in ("{prefix}", "{suffix}") if part not in value]
    if not missing:
        return value  # a custom template, spaces and all
    if "{" in value:
        raise _Invalid(
            f"a custom FIM template needs {{prefix}} and {{suffix}}; {missing[0]} is missing"
        )
    raise _Invalid(
        f"expected {_quoted(FIM_TEMPLATES)} or a template with {{prefix}} and {{suffix}}, "
        f"got {_shown(value)}{_did_you_mean(value, FIM_TEMPLATES)}"
    )


_KEYS: tuple[_Key, ...] = (
    _Key("provider", _choice(PRESETS)),
    _Key("baseUrl", _base_url),
    _Key("apiKey", _secret),
    _Key("model", _string),
    _Key("promptMode", _choice(PROMPT_MODES)),
    _Key("fimTemplate", _fim_template),
    _Key("debounceMs", _whole_or_auto(0, 5_000)),
    _Key("maxTokens", _tokens),
    _Key("maxTokensMultiline", _tokens),
    _Key("temperature", _temperature),
    _Key("timeoutMs", _timeout),
    _Key("completionFallback", _choice(("auto", "always", "never"))),
    _Key("enabled", _flag),
    _Key("disabledLanguages", _string_list),
    _Key("exclude", _exclude),
    _Key("codeActionModel", _string),
    _Key("contextTokens", _whole_or_auto(256, 1_000_000)),
    _Key("extraHeaders", _headers),
    _Key("caBundle", _string),
    _Key("allowInsecureKey", _flag),
    _Key("prefetch", _flag),
    _Key("reuse", _choice(("full", "exact", "none"))),
    _Key("rateLimitPerMinute", _rate_limit),
)

_DEFAULTS = Settings()

_GHOSTLS_ENV: Mapping[str, str] = MappingProxyType(
    {
        "provider": "GHOSTLS_PROVIDER",
        "baseUrl": "GHOSTLS_BASE_URL",
        "apiKey": "GHOSTLS_API_KEY",
        "model": "GHOSTLS_MODEL",
        "promptMode": "GHOSTLS_PROMPT_MODE",
    }
)


# Resolution ------------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _env_vars(key: str, provider: str | None) -> tuple[str, ...]:
    """The environment variables for a key, strongest first."""
    own = (_GHOSTLS_ENV[key],) if key in _GHOSTLS_ENV else ()
    openai_style = provider in (None, "openai")
    if key == "baseUrl" and openai_style:
        return (*own, "OPENAI_BASE_URL")
    if key == "apiKey":
        key_env = PRESETS[provider].api_key_env if provider is not None else "OPENAI_API_KEY"
        return (*own, key_env) if key_env is not None else own
    return own


def _preset_value(key: str, preset: Preset) -> object:
    """The preset's value for a key; None when the preset leaves it to the default."""
    by_key: dict[str, object] = {
        "baseUrl": preset.base_url,
        "model": preset.model,
        "promptMode": preset.prompt_mode,
        "fimTemplate": preset.fim_template,
        "rateLimitPerMinute": preset.rate_limit_per_minute,
    }
    return by_key.get(key)


def _resolve_key(
    key: _Key,
    given: Mapping[str, Any],
    env: Mapping[str, str],
    provider: str | None,
    previous: Settings | None,
    errors: list[SettingsError],
) -> tuple[object, str]:
    candidates: list[tuple[object, str]] = []
    if key.name in given:
        candidates.append((given[key.name], "client"))
    candidates.extend(
        (env[var], f"environment: {var}")
        for var in _env_vars(key.name, provider)
        if not _blank(env.get(var))
    )
    for raw, source in candidates:
        try:
            return key.parse(raw), source
        except _Invalid as invalid:
            from_client = source == "client"
            errors.append(SettingsError(key.name, invalid.problem, None if from_client else source))
            if from_client and previous is not None and previous.sources.get(key.name) == "client":
                return getattr(previous, key.attr), "client"
    if provider is not None:
        preset = PRESETS[provider]
        value = _preset_value(key.name, preset)
        if value is not None:
            return value, f"preset {preset.name}"
    return getattr(_DEFAULTS, key.attr), "default"


def _fold(name: str) -> str:
    return re.sub(r"[\W_]", "", name).lower()


_FOLDED_KEYS: Mapping[str, str] = MappingProxyType({_fold(key.name): key.name for key in _KEYS})


def _suggest_key(name: str) -> str | None:
    """The known key an unknown `name` was probably meant to be; None for known or foreign keys."""
    if name in _FOLDED_KEYS.values():
        return None
    folded = _fold(name)
    close = difflib.get_close_matches(folded, list(_FOLDED_KEYS), n=1, cutoff=0.8)
    return _FOLDED_KEYS[close[0]] if close else None


def _insecure_host(base_url: str) -> str | None:
    """The host when `base_url` is plain http to another machine; None when it is safe."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if parts.scheme != "http" or host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return None if loopback else host


# Display ---------------------------------------------------------------------------------------

_SECRET_HEADER = re.compile(r"auth|key|token|secret|cookie|pass|session", re.IGNORECASE)


def _masked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        name: mask_secret(value) if _SECRET_HEADER.search(name) else value
        for name, value in headers.items()
    }


def _display(attr: str, value: Any) -> str:
    if attr == "api_key":
        return mask_secret(value)
    if attr == "extra_headers":
        value = _masked_headers(value)
    return json.dumps(value, ensure_ascii=False)


def _shown_attr(attr: str, value: Any) -> str:
    if attr == "api_key":
        return repr(mask_secret(value))
    if attr == "extra_headers":
        return repr(_masked_headers(value))
    return repr(value)
