"""Rate limiting and the control endpoints that tests in other processes use."""

from __future__ import annotations

from typing import Any

import aiohttp
import openai
import pytest
from openai import AsyncOpenAI

from ghostls.testing import PROFILES, ModelServer, Profile
from ghostls.testing.ratelimit import SlidingWindow


async def test_rate_limit_headers_and_refusal(client: AsyncOpenAI) -> None:
    async with ModelServer(rate_limit_per_minute=2) as limited:
        c = client.with_options(base_url=limited.base_url)
        remaining = []
        for _ in range(2):
            raw = await c.completions.with_raw_response.create(model="m", prompt="p")
            assert raw.headers["x-ratelimit-limit-requests"] == "2"
            assert raw.headers["x-ratelimit-reset-requests"].endswith("s")
            remaining.append(raw.headers["x-ratelimit-remaining-requests"])
        with pytest.raises(openai.RateLimitError) as raised:
            await c.completions.create(model="m", prompt="p")
        models = await c.models.with_raw_response.list()

        limited.reset()
        await c.completions.create(model="m", prompt="p")

    assert remaining == ["1", "0"]
    headers = raised.value.response.headers
    assert 0 < int(headers["retry-after"]) <= 60
    assert headers["x-ratelimit-remaining-requests"] == "0"
    assert models.headers["x-ratelimit-remaining-requests"] == "0"


def test_sliding_window_frees_slots_as_time_passes() -> None:
    now = [0.0]
    window = SlidingWindow(2, window_s=60, clock=lambda: now[0])
    assert window.admit().allowed
    now[0] = 30
    assert window.admit().allowed
    refused = window.admit()
    assert not refused.allowed and refused.retry_after_s == 30
    assert refused.headers["x-ratelimit-reset-requests"] == "60.0s"
    now[0] = 60
    assert window.admit().allowed


async def post(http: aiohttp.ClientSession, url: str, payload: Any) -> tuple[int, Any]:
    async with http.post(url, json=payload) as response:
        return response.status, await response.json()


async def test_control_endpoints(
    server: ModelServer, client: AsyncOpenAI, http: aiohttp.ClientSession
) -> None:
    control = server.base_url.removesuffix("/v1") + "/_control"
    rules = {
        "rules": [{"contains": "alpha", "text": "from rule", "times": 1}],
        "default": {"text": "from default", "finish_reason": "length"},
        "fault": {"kind": "status", "status": 503, "times": 1},
    }
    assert await post(http, f"{control}/rules", rules) == (200, {"ok": True})

    with pytest.raises(openai.InternalServerError):
        await client.completions.create(model="m", prompt="alpha")
    first = await client.completions.create(model="m", prompt="alpha")
    second = await client.completions.create(model="m", prompt="alpha")
    assert first.choices[0].text == "from rule"
    assert (second.choices[0].text, second.choices[0].finish_reason) == ("from default", "length")

    async with http.get(f"{control}/requests") as response:
        recorded = await response.json()
    assert [r["status"] for r in recorded] == [503, 200, 200]
    assert recorded[1]["prompt_text"] == "alpha" and recorded[1]["stream"] is False
    assert recorded[1]["text_sent"] == "from rule" and recorded[1]["completed"] is True

    assert (await post(http, f"{control}/profile", {"name": "groq"}))[0] == 200
    assert server.profile == PROFILES["groq"]
    assert (await post(http, f"{control}/profile", {"ttft_ms": 5}))[0] == 200
    assert server.profile == Profile(ttft_ms=5)

    assert await post(http, f"{control}/reset", {}) == (200, {"ok": True})
    assert server.requests == []
    assert (await client.completions.create(model="m", prompt="alpha")).choices[0].text == (
        "from default"
    )


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("rules", {"rules": [{"txt": "typo"}]}),
        ("rules", {"fault": {"kind": "explode"}}),
        ("rules", ["not", "an", "object"]),
        ("profile", {"name": "nope"}),
    ],
)
async def test_control_refuses_bad_documents(
    server: ModelServer, http: aiohttp.ClientSession, path: str, payload: Any
) -> None:
    url = server.base_url.removesuffix("/v1") + f"/_control/{path}"
    status, body = await post(http, url, payload)
    assert status == 400
    assert body["error"]["message"]


async def test_load_rules_with_reply_faults_and_profiles(
    server: ModelServer, client: AsyncOpenAI
) -> None:
    server.load_rules(
        {
            "rules": [
                {"text": "cut one", "fault": {"kind": "cut"}, "times": 1},
                {"text": "own profile", "profile": {"ttft_ms": 1}},
                "never reached",
            ],
            "profile": "cerebras",
        }
    )
    assert server.profile == PROFILES["cerebras"]
    with pytest.raises(openai.APIConnectionError):
        await client.completions.create(model="m", prompt="p")
    server.profile = "instant"
    answer = await client.completions.create(model="m", prompt="p")
    assert answer.choices[0].text == "own profile"
