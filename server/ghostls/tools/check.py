"""`ghostls check`: where each setting came from, whether the endpoint answers, how fast."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, TextIO

from ghostls.engine.stats import percentile
from ghostls.model import EndpointRejected, ModelClient, ModelError, StreamTiming
from ghostls.postprocess import Cursor
from ghostls.prompts import build_request
from ghostls.runtime import model_config, prompt_options
from ghostls.settings import Settings, resolve_settings_lenient
from ghostls.snapshot import Snapshot

_SAMPLE_PREFIX = "def fibonacci(n):\n    if n < 2:\n        return n\n    return "
_SAMPLE_SUFFIX = "\n\n\nprint(fibonacci(10))\n"
_TRIES = 3


def _sample() -> Snapshot:
    ctx = Cursor(
        prefix=_SAMPLE_PREFIX, suffix=_SAMPLE_SUFFIX, language_id="python", multiline=False
    )
    return Snapshot(uri="file:///check/fib.py", path="fib.py", version=0, cursor=ctx)


def _hint_for(error: ModelError, settings: Settings) -> str | None:
    text = error.message.lower()
    if isinstance(error, EndpointRejected) and "suffix" in text:
        return "this endpoint rejects suffix: use promptMode chat or fim-tokens"
    if isinstance(error, EndpointRejected) and error.status in (401, 403):
        return "set the API key (apiKey, GHOSTLS_API_KEY or the provider's key variable)"
    if isinstance(error, EndpointRejected) and error.status == 404:
        if settings.prompt_mode != "chat":
            return "the completions endpoint may be missing here: try promptMode chat"
        return "check baseUrl (most servers end it in /v1) and model"
    if "refused" in text or "cannot reach" in text or "resolve" in text:
        return "start the model server or fix baseUrl"
    return None


async def run_check(config: Mapping[str, Any] | None, env: Mapping[str, str], out: TextIO) -> int:
    settings, errors = resolve_settings_lenient(config, env)
    print("ghostls configuration", file=out)
    width = max(len(item.key) for item in settings.describe())
    for item in settings.describe():
        print(f"  {item.key:<{width}}  {item.value}  ({item.source})", file=out)
    for error in errors:
        print(f"  problem: {error}", file=out)
    print(file=out)
    problems = [str(error) for error in errors]
    hints: list[str] = []
    client = ModelClient(model_config(settings))
    try:
        started = time.monotonic()
        try:
            models = await client.list_models()
            print(
                f"endpoint {settings.base_url}: reachable "
                f"({(time.monotonic() - started) * 1000:.0f} ms, {len(models)} models)",
                file=out,
            )
            if settings.model and models and settings.model not in models:
                problems.append(f"model '{settings.model}' is not listed by the endpoint")
                hints.append("available models: " + ", ".join(models[:10]))
            if not settings.model:
                problems.append("no model is set")
                if models:
                    hints.append("set model to one of: " + ", ".join(models[:10]))
        except ModelError as exc:
            print(f"endpoint {settings.base_url}: model list failed: {exc.message}", file=out)
        ttfts: list[float] = []
        rates: list[float] = []
        for _ in range(_TRIES):
            timing = StreamTiming()
            request = build_request(_sample(), prompt_options(settings))
            text = ""
            try:
                async for piece in client.stream(request, timing):
                    text += piece
            except ModelError as exc:
                problems.append(f"completion request failed: {exc.message}")
                hint = _hint_for(exc, settings)
                if hint:
                    hints.append(hint)
                break
            if timing.first_token_at is not None:
                ttfts.append((timing.first_token_at - timing.started_at) * 1000)
                stream_s = (timing.finished_at or timing.first_token_at) - timing.first_token_at
                if timing.chunks > 1 and stream_s > 0:
                    rates.append((timing.chunks - 1) / stream_s)
        if ttfts:
            p50 = percentile(ttfts, 50) or 0.0
            print(f"time to first token: p50 {p50:.0f} ms over {len(ttfts)} requests", file=out)
            if rates:
                print(f"streaming: ~{percentile(rates, 50) or 0:.0f} chunks/s", file=out)
            if p50 > 600:
                hints.append(
                    "first tokens take long: a smaller or faster model (or provider) will "
                    "make ghost text feel instant"
                )
    finally:
        await client.aclose()
    print(file=out)
    if problems:
        print("verdict: NOT READY", file=out)
        for problem in dict.fromkeys(problems):
            print(f"  - {problem}", file=out)
    else:
        print("verdict: READY", file=out)
    for hint in dict.fromkeys(hints):
        print(f"  hint: {hint}", file=out)
    return 1 if problems else 0
