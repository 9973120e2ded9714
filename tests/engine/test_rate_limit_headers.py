"""Reading the providers' budget headers: the tightest of requests and tokens, a minute or a day."""

from __future__ import annotations

from ghostls.model import read_rate_limit


def test_openai_requests_headers() -> None:
    info = read_rate_limit(
        {
            "x-ratelimit-limit-requests": "500",
            "x-ratelimit-remaining-requests": "499",
            "x-ratelimit-reset-requests": "120ms",
        },
        10.0,
    )
    assert info is not None
    assert (info.kind, info.limit, info.remaining) == ("requests", 500, 499)
    assert info.reset_at is not None and abs(info.reset_at - 10.12) < 1e-9


def test_the_tightest_budget_wins() -> None:
    headers = {
        "x-ratelimit-limit-requests": "500",
        "x-ratelimit-remaining-requests": "400",
        "x-ratelimit-limit-tokens": "30000",
        "x-ratelimit-remaining-tokens": "1500",
        "x-ratelimit-reset-tokens": "6s",
    }
    info = read_rate_limit(headers, 0.0)
    assert info is not None
    assert (info.kind, info.remaining, info.reset_at) == ("tokens", 1500, 6.0)


def test_cerebras_day_and_minute_headers() -> None:
    headers = {
        "x-ratelimit-limit-requests-day": "14400",
        "x-ratelimit-remaining-requests-day": "0",
        "x-ratelimit-reset-requests-day": "3600",
        "x-ratelimit-limit-tokens-minute": "60000",
        "x-ratelimit-remaining-tokens-minute": "59000",
    }
    info = read_rate_limit(headers, 0.0)
    assert info is not None
    assert (info.kind, info.remaining, info.reset_at) == ("requests a day", 0, 3600.0)


def test_no_budget_headers() -> None:
    assert read_rate_limit({"content-type": "text/event-stream"}, 0.0) is None
    assert read_rate_limit({"x-ratelimit-remaining-tokens": "many"}, 0.0) is None
