"""The only module that talks to models: the `openai` package over one kept-alive pool.

Streams are read on the SDK's raw streaming-response path and each SSE line is parsed with
orjson, which costs a fraction of the SDK's typed chunk models per token (see the
benchmark). Errors are turned into a small set of `ModelError`s that the engine acts on; no
error text that could hold the API key is passed on.

The SDK is imported on first use, not with the server: it takes more than half of the
server's start, and the editor's `initialize` need not wait for it (`warm` imports it off
the event loop as soon as the editor is connected).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import ssl
import time
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import httpx2
import orjson

from ghostls.logs import SECRETS

if TYPE_CHECKING:
    import openai

_sdk_import: asyncio.Future[ModuleType] | None = None


async def load_sdk() -> ModuleType:
    """The openai package, imported once in a worker thread (the event loop keeps serving
    the editor meanwhile); every caller awaits the same import."""
    global _sdk_import
    if _sdk_import is not None and _sdk_import.done():
        return _sdk_import.result()
    if _sdk_import is None or _sdk_import.get_loop() is not asyncio.get_running_loop():
        _sdk_import = asyncio.ensure_future(asyncio.to_thread(importlib.import_module, "openai"))
    return await asyncio.shield(_sdk_import)


log = logging.getLogger(__name__)

Endpoint = Literal["chat", "completions"]


@dataclass(frozen=True)
class ModelRequest:
    """One call to a model, independent of the provider."""

    endpoint: Endpoint
    model: str
    max_tokens: int
    temperature: float
    messages: Sequence[Mapping[str, str]] = ()
    prompt: str = ""
    suffix: str | None = None
    stop: Sequence[str] = ()
    path: str | None = None  # a provider's own completions path (Mistral: /fim/completions)

    @property
    def url_path(self) -> str:
        if self.path:
            return self.path
        return "/chat/completions" if self.endpoint == "chat" else "/completions"

    def body(self) -> dict[str, Any]:
        """The request body (no secrets in here: the key travels in a header)."""
        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stream": True,
        }
        if self.endpoint == "chat":
            body["messages"] = [dict(m) for m in self.messages]
        else:
            body["prompt"] = self.prompt
            if self.suffix is not None:
                body["suffix"] = self.suffix
        if self.stop:
            body["stop"] = list(self.stop)[:4]
        return body


class ModelError(Exception):
    """A model call failed; `message` is safe to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RateLimited(ModelError):
    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EndpointRejected(ModelError):
    """The endpoint refused the request itself (4xx other than 429): retrying won't help."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class RateLimitInfo:
    """What the provider said about its tightest budget, from `x-ratelimit-*` headers."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None  # time.monotonic() when the budget refills
    updated_at: float = 0.0
    kind: str = "requests"  # "requests", "requests a day", "tokens" or "tokens a day"


@dataclass
class StreamTiming:
    started_at: float = 0.0
    first_token_at: float | None = None
    finished_at: float | None = None
    chunks: int = 0


@dataclass
class ModelConfig:
    base_url: str
    api_key: str | None
    timeout_s: float
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    ca_bundle: str | None = None


def parse_duration(value: str) -> float | None:
    """Seconds from a rate-limit duration: "12", "1.5s", "250ms", "1m30s", "2h"."""
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    total = 0.0
    number = ""
    index = 0
    while index < len(value):
        char = value[index]
        if char.isdigit() or char == ".":
            number += char
            index += 1
            continue
        unit = char
        if value.startswith("ms", index):
            unit = "ms"
        if not number:
            return None
        try:
            amount = float(number)
        except ValueError:
            return None
        factor = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}.get(unit)
        if factor is None:
            return None
        total += amount * factor
        number = ""
        index += len(unit)
    if number:
        return None
    return total


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from `Retry-After` / `retry-after-ms` (number or HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = parse_duration(value)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# The budgets providers report, each as (limit, remaining, reset) header suffixes: requests a
# minute (OpenAI and Groq without a suffix, Cerebras with `-minute`), requests a day (Cerebras,
# Groq), tokens a minute and tokens a day. Whichever has the smallest share left steers calls.
_METERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("requests", ("requests", "requests-minute")),
    ("requests a day", ("requests-day",)),
    ("tokens", ("tokens", "tokens-minute")),
    ("tokens a day", ("tokens-day",)),
)


def read_rate_limit(headers: Mapping[str, str], now: float) -> RateLimitInfo | None:
    """The tightest budget the provider reports in its `x-ratelimit-*` headers: requests or
    tokens, a minute or a day."""
    tightest: RateLimitInfo | None = None
    for kind, suffixes in _METERS:
        info = _read_meter(headers, now, kind, suffixes)
        if info is not None and (tightest is None or _share(info) < _share(tightest)):
            tightest = info
    return tightest


def _share(info: RateLimitInfo) -> float:
    if info.remaining is None:
        return 1.0
    if info.remaining <= 0:
        return 0.0
    return info.remaining / info.limit if info.limit else 1.0


def _read_meter(
    headers: Mapping[str, str], now: float, kind: str, suffixes: tuple[str, ...]
) -> RateLimitInfo | None:
    def first(field: str) -> str | None:
        for suffix in suffixes:
            value = headers.get(f"x-ratelimit-{field}-{suffix}")
            if value is not None:
                return value
        return None

    limit, remaining, reset = first("limit"), first("remaining"), first("reset")
    if limit is None and remaining is None:
        return None
    info = RateLimitInfo(updated_at=now, kind=kind)
    try:
        info.limit = int(float(limit)) if limit is not None else None
        info.remaining = int(float(remaining)) if remaining is not None else None
    except ValueError:
        return None
    if reset is not None:
        seconds = parse_duration(reset)
        if seconds is not None:
            info.reset_at = now + seconds
    return info


def is_loopback(base_url: str) -> bool:
    host = (urlsplit(base_url).hostname or "").lower()
    return host in {"localhost", "::1"} or host.startswith("127.")


class ModelClient:
    """One AsyncOpenAI client and its connection pool, for one endpoint configuration."""

    def __init__(self, config: ModelConfig) -> None:
        self.config = config
        self.rate_limit: RateLimitInfo | None = None
        # Whether the endpoint streams several answers at once. Local servers (llama.cpp,
        # Ollama, LM Studio) usually answer one request at a time: assumed so on loopback
        # until two streams are seen overlapping; hosted APIs are assumed parallel.
        self.parallel = not is_loopback(config.base_url)
        SECRETS.add([config.api_key or ""])  # masked in the endpoint's error texts too
        verify: ssl.SSLContext | bool = True
        self._broken: ModelError | None = None  # a setting that makes every call fail
        if config.ca_bundle:
            try:
                # Extra trusted CAs, on top of the system's.
                context = ssl.create_default_context()
                context.load_verify_locations(cafile=config.ca_bundle)
                verify = context
            except OSError as exc:  # missing, unreadable, not PEM: said by each call
                reason = exc.strerror or str(exc)
                self._broken = ModelError(f"caBundle {config.ca_bundle} cannot be loaded: {reason}")
        self._http = httpx2.AsyncClient(
            timeout=httpx2.Timeout(config.timeout_s, connect=min(config.timeout_s, 5.0)),
            limits=httpx2.Limits(
                max_connections=16, max_keepalive_connections=8, keepalive_expiry=120.0
            ),
            verify=verify,
            # Over TLS, HTTP/2 lets an early-stopped stream be reset without losing the
            # connection: the next request skips the handshake.
            http2=config.base_url.startswith("https://"),
        )
        self._sdk_client: openai.AsyncOpenAI | None = None
        self._clients_at: dict[str, openai.AsyncOpenAI] = {}

    async def _sdk(self) -> ModuleType:
        """The SDK, with this endpoint's client made on first use."""
        sdk = await load_sdk()
        if self._sdk_client is None:
            self._sdk_client = sdk.AsyncOpenAI(
                base_url=self.config.base_url,
                # Keyless local servers (Ollama, llama.cpp) accept any value; the SDK insists.
                api_key=self.config.api_key or "not-needed",
                max_retries=0,
                timeout=self.config.timeout_s,
                default_headers=dict(self.config.extra_headers),
                http_client=self._http,
            )
        return sdk

    @property
    def _client(self) -> openai.AsyncOpenAI:
        assert self._sdk_client is not None, "the SDK is loaded first (`_sdk`)"
        return self._sdk_client

    async def aclose(self) -> None:
        await self._http.aclose()

    async def ready(self) -> None:
        await self._sdk()

    async def warm(self) -> None:
        """Import the SDK off the event loop and open a connection before the first
        keystroke needs one (errors are ignored)."""
        await self._sdk()
        try:
            await self._client.models.list(timeout=min(self.config.timeout_s, 5.0))
        except Exception as exc:  # the first real request reports any problem properly
            log.debug("warm-up request failed: %s", type(exc).__name__)

    async def list_models(self) -> list[str]:
        openai = await self._sdk()
        if self._broken is not None:
            raise self._broken
        try:
            page = await self._client.models.list()
        except openai.APIStatusError as exc:
            raise self._status_error(exc.status_code, exc.response.headers, exc.body) from None
        except openai.APITimeoutError:
            raise ModelError("the endpoint did not answer in time") from None
        except openai.APIConnectionError as exc:
            raise ModelError(_connection_problem(exc, self.config.base_url)) from None
        return [model.id for model in page.data]

    async def stream(
        self, request: ModelRequest, timing: StreamTiming | None = None
    ) -> AsyncGenerator[str, None]:
        """Yield the text of the model's answer as it streams; closing the iterator closes
        the HTTP stream at once."""
        openai = await self._sdk()
        timing = timing or StreamTiming()
        timing.started_at = time.monotonic()
        if self._broken is not None:
            raise self._broken
        try:
            async with self._streamed(request) as response:
                lines = response.iter_lines()
                self._note_headers(response.headers)
                async for text in _sse_texts(lines, request.endpoint):
                    if timing.first_token_at is None:
                        timing.first_token_at = time.monotonic()
                    timing.chunks += 1
                    yield text
                # Read the body's end so an HTTP/1.1 connection goes back to the pool.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(_drain(lines), _DRAIN_TIMEOUT_S)
        except openai.APIStatusError as exc:
            self._note_headers(exc.response.headers)
            raise self._status_error(exc.status_code, exc.response.headers, exc.body) from None
        except openai.APITimeoutError:
            raise ModelError("the model did not answer in time (timeoutMs)") from None
        except openai.APIConnectionError as exc:
            raise ModelError(_connection_problem(exc, self.config.base_url)) from None
        except (httpx2.TransportError, httpx2.StreamError) as exc:
            raise ModelError(f"the stream broke off ({type(exc).__name__})") from None
        finally:
            timing.finished_at = time.monotonic()

    def _streamed(self, request: ModelRequest) -> contextlib.AbstractAsyncContextManager[Any]:
        """The SDK's streamed-response call for the request: the response comes back unread
        and each SSE line is parsed here (`_sse_texts`), a fraction of the cost of the SDK's
        typed chunks. A provider's own path (Mistral's /fim/completions) is a client whose
        base URL carries the path's head."""
        body = request.body()
        model, _ = body.pop("model"), body.pop("stream")
        client = self._client
        head = request.url_path.removesuffix(
            "/chat/completions" if request.endpoint == "chat" else "/completions"
        )
        if head:
            client = self._clients_at.get(head) or self._client_at(head)
        if request.endpoint == "chat":
            messages = body.pop("messages")
            return client.chat.completions.with_streaming_response.create(
                model=model, messages=messages, stream=True, extra_body=body
            )
        prompt = body.pop("prompt")
        return client.completions.with_streaming_response.create(
            model=model, prompt=prompt, stream=True, extra_body=body
        )

    def _client_at(self, head: str) -> openai.AsyncOpenAI:
        """A client (sharing the connection pool) whose base URL ends with `head`."""
        client = self._client.with_options(base_url=self.config.base_url.rstrip("/") + head)
        self._clients_at[head] = client
        return client

    def _note_headers(self, headers: Mapping[str, str]) -> None:
        info = read_rate_limit(headers, time.monotonic())
        if info is not None:
            self.rate_limit = info

    def _status_error(self, status: int, headers: Mapping[str, str], body: object) -> ModelError:
        detail = _error_detail(body)
        if status == 429:
            wait = retry_after_seconds(headers)
            hint = ""
            if wait is not None:
                hint = (
                    f"; retrying after {wait:.0f} s"
                    if wait >= 1
                    else f"; retrying after {wait:.1f} s"
                )
            return RateLimited(f"rate limited by the endpoint (429{hint})", wait)
        if status in (401, 403):
            return EndpointRejected(
                f"the endpoint refused the API key ({status}): check apiKey", status
            )
        if status == 404:
            return EndpointRejected(f"not found (404){detail}: check baseUrl and model", status)
        if 400 <= status < 500:
            return EndpointRejected(f"the endpoint rejected the request ({status}){detail}", status)
        return ModelError(f"the endpoint failed ({status}){detail}")


_DRAIN_TIMEOUT_S = 0.05


async def _drain(lines: AsyncIterator[str]) -> None:
    async for _ in lines:
        pass


async def _sse_texts(lines: AsyncIterator[str], endpoint: Endpoint) -> AsyncIterator[str]:
    """Text deltas from SSE lines; raises ModelError on an error event or a broken chunk."""
    async for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        if not data:
            continue
        try:
            chunk = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise ModelError("the endpoint sent a malformed stream chunk") from None
        if not isinstance(chunk, dict):
            raise ModelError("the endpoint sent a malformed stream chunk")
        if "error" in chunk:
            raise ModelError(f"the endpoint reported an error{_error_detail(chunk)}")
        text = _chunk_text(chunk, endpoint)
        if text:
            yield text


def _chunk_text(chunk: dict[str, Any], endpoint: Endpoint) -> str:
    choices = chunk.get("choices")
    if not isinstance(choices, list) or not choices:
        return ""
    choice = choices[0]
    if not isinstance(choice, dict):
        raise ModelError("the endpoint sent a malformed stream chunk")
    if endpoint == "chat" or "delta" in choice:
        delta = choice.get("delta")
        if isinstance(delta, dict):
            content = delta.get("content")
            return content if isinstance(content, str) else ""
        return ""
    text = choice.get("text")
    return text if isinstance(text, str) else ""


def _error_detail(body: object) -> str:
    message: object = None
    if isinstance(body, dict):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, dict) else error
    if isinstance(message, str) and message:
        # Some gateways quote the key they were sent: masked before it is shown or logged.
        return ": " + SECRETS.redact(message)[:200]
    return ""


def _connection_problem(exc: BaseException, base_url: str) -> str:
    cause: BaseException | None = exc
    names: list[str] = []
    while cause is not None and len(names) < 6:
        names.append(f"{type(cause).__name__} {cause}")
        cause = cause.__cause__ or cause.__context__
    text = " ".join(names).lower()
    parts = urlsplit(base_url)
    # Never the netloc: it may carry user:password@.
    host = (parts.hostname or base_url) + (f":{parts.port}" if parts.port else "")
    if "certificate" in text or "ssl" in text:
        return f"TLS verification failed for {host} (set caBundle for a corporate proxy)"
    if "name or service not known" in text or "nodename" in text or "getaddrinfo" in text:
        return f"cannot resolve the host of baseUrl ({host})"
    if "refused" in text:
        return f"cannot connect to {host}: connection refused (is the model server running?)"
    return f"cannot reach {host}"
