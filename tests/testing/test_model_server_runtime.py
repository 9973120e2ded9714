"""Timing, disconnects, the thread wrapper and the command line of the local model server."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
from openai import AsyncOpenAI, OpenAI

from ghostls.testing import Fault, ModelServer, ModelServerThread, Profile, Reply

CHAT = {"model": "ghost-coder", "messages": [{"role": "user", "content": "hi"}], "stream": True}


async def test_profile_timing(server: ModelServer, client: AsyncOpenAI) -> None:
    server.profile = Profile(ttft_ms=100, tokens_per_s=200)
    server.default_reply = "x " * 10  # 20 tokens
    started = time.monotonic()
    stream = await client.chat.completions.create(
        model="ghost-coder", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    arrivals = [
        time.monotonic() - started
        async for chunk in stream
        if chunk.choices and chunk.choices[0].delta.content
    ]

    assert len(arrivals) == 20
    assert 0.8 * 0.1 <= arrivals[0] < 2
    assert arrivals[-1] >= 0.8 * (0.1 + 19 / 200)
    [record] = server.requests
    assert record.first_byte_at is not None
    assert record.first_byte_at - record.received_at >= 0.8 * 0.1


async def test_jitter_stays_around_the_ttft(server: ModelServer, client: AsyncOpenAI) -> None:
    server.default_reply = Reply("ok", profile=Profile(ttft_ms=60, jitter_ms=40))
    for _ in range(3):
        await client.completions.create(model="m", prompt="p")
    for record in server.requests:
        assert record.first_byte_at is not None
        assert record.first_byte_at - record.received_at >= 0.8 * 0.02


async def test_disconnect_while_waiting_for_the_first_token(
    server: ModelServer, http: aiohttp.ClientSession
) -> None:
    server.profile = Profile(ttft_ms=5000)
    request = asyncio.create_task(http.post(f"{server.base_url}/chat/completions", json=CHAT))
    [record] = await server.wait_for_requests(1)
    request.cancel()  # aborts the connection
    left = time.monotonic()

    assert await server.wait_for_disconnect(record.id, timeout=2)
    assert record.finished_at is not None and record.finished_at - left < 0.25
    assert record.first_byte_at is None


async def test_disconnect_mid_stream(server: ModelServer) -> None:
    server.profile = Profile(tokens_per_s=50)
    server.default_reply = "word " * 50
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    body = json.dumps(CHAT).encode()
    writer.write(
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    received = b""
    while received.count(b'"content":"word"') < 2:
        received += await reader.read(4096)
    writer.close()
    left = time.monotonic()

    [record] = server.requests
    assert await server.wait_for_disconnect(record.id, timeout=2)
    assert record.finished_at is not None and record.finished_at - left < 0.25
    assert 2 <= record.chunks_sent < 100 and not record.completed


async def test_wait_for_requests_times_out(server: ModelServer) -> None:
    with pytest.raises(TimeoutError):
        await server.wait_for_requests(1, timeout=0.05)


def test_thread_wrapper_serves_sync_code() -> None:
    with ModelServerThread(profile="instant") as thread:
        client = OpenAI(base_url=thread.base_url, api_key="test", max_retries=0)
        thread.add_rule("ruled", contains="alpha")
        thread.default_reply = "defaulted"
        thread.profile = "instant"
        assert thread.profile == Profile()
        assert thread.default_reply == Reply("defaulted")

        answers = [
            client.completions.create(model="m", prompt=prompt).choices[0].text
            for prompt in ("alpha", "beta")
        ]
        [first, second] = thread.wait_for_requests(2)
        thread.fault_next(Fault("status", status=500))
        with pytest.raises(openai.InternalServerError):
            client.completions.create(model="m", prompt="p")
        thread.fault_next(Fault("hang"))
        with pytest.raises(openai.APITimeoutError):
            client.with_options(timeout=0.2).completions.create(model="m", prompt="p")
        hung = thread.requests[-1]
        assert thread.wait_for_disconnect(hung.id, timeout=2)
        thread.reset()
        assert thread.requests == []
        client.close()

    assert answers == ["ruled", "defaulted"]
    assert (first.prompt_text, second.text_sent) == ("alpha", "defaulted")


def test_thread_wrapper_reports_start_failures() -> None:
    with ModelServerThread() as running:
        taken = ModelServerThread(port=running.port)
        with pytest.raises(OSError):
            taken.start()


def run_cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ghostls.testing", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def http_json(url: str, payload: Any = None) -> Any:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def test_cli_prints_its_url_and_stops_cleanly(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"rules": [{"contains": "alpha", "text": "ruled"}]}))
    process = run_cli("--answer", "hello", "--rules", str(rules), "--profile", "cerebras")
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", base_url)

        def complete(prompt: str) -> str:
            answer = http_json(f"{base_url}/completions", {"model": "m", "prompt": prompt})
            return str(answer["choices"][0]["text"])

        assert (complete("alpha"), complete("beta")) == ("ruled", "hello")
        assert http_json(f"{base_url}/models")["data"][0]["id"] == "ghost-coder"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
    finally:
        process.kill()
        rest, stderr = process.communicate()
    assert rest == ""
    assert "Traceback" not in stderr


def test_cli_rejects_a_bad_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text('{"rules": [{"text": "x", "bogus": 1}]}')
    process = run_cli("--rules", str(rules))
    stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 2
    assert stdout == "" and "bogus" in stderr
