"""The settings contract: the keys editors send, where values come from, and their validation.

Each key is declared once, as a field of `Settings` made with `setting(...)`: its parser (which
also says what it accepts), its environment variable, whether a provider preset sets it, and its
documentation. The resolution below, the README's configuration table, the VS Code extension's
`package.json` and `settings.ts` all follow that declaration (tests/test_settings_declared.py
fails when one of them disagrees).

Every key is optional (camelCase, as the client sends it); a null or blank-string value counts as
not given.

Sources, strongest first: the client (initializationOptions, workspace/configuration or
workspace/didChangeConfiguration, as `{...}` or `{"ghostls": {...}}`), then the environment (the
key's declared variable such as GHOSTLS_MODEL; the preset's key variable such as CEREBRAS_API_KEY;
without a provider, or with "openai", also the openai SDK's OPENAI_BASE_URL and OPENAI_API_KEY),
then the preset, then the defaults.

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

from ghostls.presets import (
    FIM_TEMPLATES,
    NEXT_EDIT_PROMPTS,
    PRESETS,
    PROMPT_MODES,
    NextEditPrompt,
    Preset,
    PromptMode,
)

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

CompletionFallback = Literal["auto", "always", "never"]
Auto = Literal["auto"]
COMPLETION_FALLBACKS: tuple[CompletionFallback, ...] = ("auto", "always", "never")
NextEdit = Literal["off", "on"]
NEXT_EDIT_MODES: tuple[NextEdit, ...] = ("off", "on")


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


# Parsers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parser:
    """How one key's value is read, and what it accepts.

    `read` returns the value or raises `_Invalid` with the problem. `choices` are the named values
    (with `open`, other values such as a custom template are accepted too); `low`-`high` is the
    range of a number. The editors' schemas are checked against them.
    """

    read: Callable[[object], object]
    choices: tuple[str, ...] = ()
    open: bool = False
    low: float | None = None
    high: float | None = None


class _Invalid(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


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


def _choice(options: Iterable[str]) -> Parser:
    allowed = tuple(options)

    def read(value: object) -> str:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        raise _Invalid(
            f"expected {_quoted(allowed)}, got {_shown(value)}{_did_you_mean(value, allowed)}"
        )

    return Parser(read, choices=allowed)


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


def _whole_in(low: int, high: int) -> Parser:
    return Parser(lambda value: _whole(value, low, high), low=low, high=high)


def _whole_or_auto(low: int, high: int) -> Parser:
    def read(value: object) -> int | Auto:
        if isinstance(value, str) and value.strip().lower() == "auto":
            return "auto"
        return _whole(value, low, high, ' or "auto"')

    return Parser(read, choices=("auto",), open=True, low=low, high=high)


def _limit_or_none(high: int) -> Parser:
    """A whole number 0-`high` where 0 means no limit (None)."""
    return Parser(lambda value: _whole(value, 0, high, " (0: no limit)") or None, low=0, high=high)


def _number_in(low: int, high: int) -> Parser:
    def read(value: object) -> float:
        number = _number(value)
        if number is None or not low <= number <= high:
            raise _Invalid(f"expected a number {low}-{high}, got {_shown(value)}")
        return number

    return Parser(read, low=low, high=high)


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


def _next_edit(value: object) -> NextEdit:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str) and value.strip().lower() in NEXT_EDIT_MODES:
        return "on" if value.strip().lower() == "on" else "off"
    raise _Invalid(
        f"expected {_quoted(NEXT_EDIT_MODES)}, got {_shown(value)}"
        f"{_did_you_mean(value, NEXT_EDIT_MODES)}"
    )


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


# The declarations ------------------------------------------------------------------------------

_DECLARATION = "ghostls.setting"


@dataclass(frozen=True)
class _Declaration:
    parser: Parser
    doc: str
    env: str | None
    preset: bool
    default_doc: str | None


def setting(
    default: object,
    parse: Parser | Callable[[object], object],
    doc: str,
    *,
    env: str | None = None,
    preset: bool = False,
    default_doc: str | None = None,
    factory: Callable[[], object] | None = None,
) -> Any:
    """A field of `Settings` that is a key editors send, declared once.

    `parse` reads the client's or the environment's value; `env` names the environment variable
    (GHOSTLS_*) that sets it; `preset` says the provider preset's field of the same name sets it;
    `doc` says what it takes and `default_doc` how its default reads in the documentation (the
    default itself, when not given). A mutable default comes from `factory`.
    """
    parser = parse if isinstance(parse, Parser) else Parser(parse)
    metadata = {_DECLARATION: _Declaration(parser, doc, env, preset, default_doc)}
    if factory is not None:
        return field(default_factory=factory, hash=False, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, repr=False)
class Settings:
    """The effective settings; `Settings()` holds the defaults.

    `sources` maps a camelCase key to where its value came from ("client", "environment: NAME",
    "preset NAME"); a key missing from it is a default. `repr()` and `describe()` mask the key.
    """

    provider: str | None = setting(
        None, _choice(PRESETS), "a preset name above, or null", env="GHOSTLS_PROVIDER"
    )
    base_url: str = setting(
        DEFAULT_BASE_URL,
        _base_url,
        "URL of an OpenAI-compatible API; a trailing `/` is dropped, nothing is appended",
        env="GHOSTLS_BASE_URL",
        preset=True,
    )
    api_key: str = setting(
        "",
        _secret,
        "secret; prefer the environment (also the provider's key variable); never logged; never "
        "sent over plain http to another machine unless `allowInsecureKey`",
        env="GHOSTLS_API_KEY",
        default_doc="—",
    )
    model: str = setting(
        "",
        _string,
        'model name; `""` lets a single-model server use its own',
        env="GHOSTLS_MODEL",
        preset=True,
    )
    prompt_mode: PromptMode = setting(
        "chat",
        _choice(PROMPT_MODES),
        "`chat`, `fim` (prompt + suffix), `fim-tokens` (the model's own FIM tokens)",
        env="GHOSTLS_PROMPT_MODE",
        preset=True,
    )
    fim_template: str = setting(
        "qwen",
        Parser(_fim_template, choices=tuple(FIM_TEMPLATES), open=True),
        "`qwen`, `starcoder`, `deepseek`, `codellama`, `codestral`, or a template with "
        "`{prefix}` and `{suffix}`",
        preset=True,
    )
    debounce_ms: int | Auto = setting(
        "auto", _whole_or_auto(0, 5_000), '`"auto"` (adaptive) or 0-5000 ms'
    )
    max_tokens: int = setting(64, _whole_in(1, 32_768), "tokens for a single-line suggestion")
    max_tokens_multiline: int = setting(
        256, _whole_in(1, 32_768), "tokens for a multi-line suggestion"
    )
    temperature: float = setting(0.1, _number_in(0, 2), "0-2")
    timeout_ms: int = setting(10_000, _whole_in(100, 120_000), "100-120000 ms per model request")
    completion_fallback: CompletionFallback = setting(
        "auto",
        _choice(COMPLETION_FALLBACKS),
        "`auto` (a completion item for clients without inline completion), `always`, `never`",
    )
    enabled: bool = setting(True, _flag, "turn suggestions off everywhere")
    disabled_languages: tuple[str, ...] = setting(
        (), _string_list, "language ids with no suggestions"
    )
    exclude: tuple[str, ...] = setting(
        DEFAULT_EXCLUDE,
        _exclude,
        "globs of files never completed nor sent; added to the defaults (`.env*`, `*.pem`, "
        '`*.key`, `id_rsa*`, credentials…); `"!glob"` drops a default. A `.ghostlsignore` file '
        "(gitignore syntax) in the project excludes more",
        default_doc="defaults",
    )
    code_action_model: str | None = setting(
        None, _string, "a separate (larger) model for code actions", default_doc="`model`"
    )
    next_edit: NextEdit = setting(
        "off",
        Parser(_next_edit, choices=NEXT_EDIT_MODES),
        "`on` serves next-edit suggestions (`textDocument/copilotInlineEdit`): the edit the "
        "recent ones imply, anywhere near the cursor",
    )
    next_edit_model: str | None = setting(
        None, _string, "a separate model for next edits", default_doc="`model`"
    )
    next_edit_prompt: NextEditPrompt = setting(
        "chat",
        _choice(NEXT_EDIT_PROMPTS),
        "`chat` (any chat model), `zeta` (Zed's Zeta), `sweep` (Sweep's next-edit models)",
    )
    next_edit_window_lines: int = setting(
        5, _whole_in(1, 50), "lines each side of the cursor a next edit may rewrite (1-50)"
    )
    context_tokens: int | Auto = setting(
        "auto", _whole_or_auto(256, 1_000_000), 'prompt budget (256-1000000), or `"auto"`'
    )
    extra_headers: Mapping[str, str] = setting(
        None, _headers, "headers added to every request", factory=_empty
    )
    ca_bundle: str | None = setting(
        None, _string, "PEM file of extra trusted CAs (corporate proxies)"
    )
    allow_insecure_key: bool = setting(
        False, _flag, "allow the key over plain http to a non-loopback host"
    )
    prefetch: bool = setting(
        True,
        _flag,
        "fetch the next suggestion ahead: when one is accepted, and while it is shown where "
        "the model is slow",
    )
    rate_limit_per_minute: int | None = setting(
        None,
        _limit_or_none(100_000),
        "a request budget per minute to stay under (0: none); no preset sets one: a budget "
        "comes from the plan you pay for, the provider's rate-limit headers or its 429s",
    )
    tokens_per_minute: int | None = setting(
        None,
        _limit_or_none(100_000_000),
        "a token budget per minute (prompt plus max_tokens, as providers count it; 0: none)",
    )
    tokens_per_day: int | None = setting(
        None,
        _limit_or_none(10_000_000_000),
        "a token budget per day for plans metered that way, spread over eight hours of "
        "typing (0: none)",
    )
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
            for key in KEYS
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

    Raises SettingsError for the first invalid key (in the order of the declarations in
    `Settings`), else the first likely-misspelt key, else an API key that would go out over plain
    http.
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
    for key in KEYS:
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


# Resolution ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One declared key: its camelCase `name`, the `Settings` attribute and the declaration."""

    name: str
    attr: str
    default: object
    parser: Parser
    doc: str
    env: str | None
    preset: bool
    default_doc: str | None

    def parse(self, value: object) -> object:
        return self.parser.read(value)


def _camel(attr: str) -> str:
    head, *rest = attr.split("_")
    return head + "".join(part.capitalize() for part in rest)


_DEFAULTS = Settings()

KEYS: tuple[Key, ...] = tuple(
    Key(
        _camel(item.name),
        item.name,
        getattr(_DEFAULTS, item.name),
        declared.parser,
        declared.doc,
        declared.env,
        declared.preset,
        declared.default_doc,
    )
    for item in fields(Settings)
    if isinstance(declared := item.metadata.get(_DECLARATION), _Declaration)
)
"""Every key, in declaration order (the order of `ghostls check` and of strict errors)."""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _env_vars(key: Key, provider: str | None) -> tuple[str, ...]:
    """The environment variables for a key, strongest first."""
    own = (key.env,) if key.env is not None else ()
    openai_style = provider in (None, "openai")
    if key.name == "baseUrl" and openai_style:
        return (*own, "OPENAI_BASE_URL")
    if key.name == "apiKey":
        key_env = PRESETS[provider].api_key_env if provider is not None else "OPENAI_API_KEY"
        return (*own, key_env) if key_env is not None else own
    return own


def _resolve_key(
    key: Key,
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
        for var in _env_vars(key, provider)
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
    if provider is not None and key.preset:
        preset = PRESETS[provider]
        value = getattr(preset, key.attr)
        if value is not None:
            return value, f"preset {preset.name}"
    return key.default, "default"


def _fold(name: str) -> str:
    return re.sub(r"[\W_]", "", name).lower()


_FOLDED_KEYS: Mapping[str, str] = MappingProxyType({_fold(key.name): key.name for key in KEYS})


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
