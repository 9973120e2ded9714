"""A soak: 20,000 keystrokes, each with an inline request, across 50 open documents against
the instant model, with cancellations, acceptances and prefetches on.

Printed: the server's memory before and after (VmRSS), the event loop's lag (the server's
own `loopLagMs` monitor) and the round trips of `ghostls/stats` pings sent at a fixed rate
meanwhile, the engine's counters. Asserted, generously (shared, noisy machines): memory
growth under 50 MB, pending tasks back to 0, caches within their bounds, the loop never held
for long, and the documents still exact afterwards."""

from __future__ import annotations

import asyncio
import collections
import os
import random
import re
import time
import zlib
from typing import Any

import pytest

from ghostls.engine.stats import percentile
from ghostls.testing import ModelServer, RecordedRequest
from tests.reliability.helpers import assert_prompt_is, cpu_s, rss_mb
from tests.reliability.oracle import ClientText, position
from tests.reliability.raw import RawServer, inline_params, raw_server
from tests.support import base_settings, model_calls

DOCUMENTS = 50
KEYSTROKES = int(os.environ.get("GHOSTLS_SOAK_KEYSTROKES", "20000"))
WARM_UP = 1_000
IN_FLIGHT = 6  # inline requests outstanding at once, as an editor typing fast has
CACHE_MAX_ENTRIES, CACHE_MAX_BYTES = 512, 4_000_000

_SCRIPT_LINE = re.compile(r"^( *)total_(\d+) = ")


def script_line(number: int) -> str:
    return f"    total_{number} = compute(values[{number}], weight={number % 7}) + offset\n"


def answer(request: RecordedRequest) -> str:
    """The rest of the line being typed (or the next line), right for its first few
    characters only, as a real model is right for a while."""
    prompt = str(request.body.get("prompt", ""))
    lines = prompt.split("\n")
    line = lines[-1]
    match = _SCRIPT_LINE.match(line) or _SCRIPT_LINE.match(lines[-2] if len(lines) > 1 else "")
    if match is None:
        return "pass  # not this"
    number = int(match.group(2)) + (0 if _SCRIPT_LINE.match(line) else 1)
    full = script_line(number).rstrip("\n")
    if not full.startswith(line):
        return "pass  # not this"
    right = 1 + zlib.crc32(prompt.encode()) % 12
    return full[len(line) : len(line) + right] + "_wrong(1)"


class Typist:
    """Types the script into the documents, a burst in one then a switch to another."""

    def __init__(self, server: RawServer, rng: random.Random) -> None:
        self.server = server
        self.rng = rng
        self.docs = [
            ClientText(
                "import math\n\n\ndef run(values, weight, offset):\n"
                + "".join(script_line(1000 * n + k) for k in range(40))
            )
            for n in range(DOCUMENTS)
        ]
        self.uris = [f"file:///work/soak/module_{n}.py" for n in range(DOCUMENTS)]
        self.versions = [1] * DOCUMENTS
        self.lines = [1000 * n + 40 for n in range(DOCUMENTS)]  # the next script line
        self.typed = [""] * DOCUMENTS  # of that line
        self.current = 0
        self.pending: collections.deque[tuple[Any, asyncio.Future[dict[str, Any]]]] = (
            collections.deque()
        )
        self.ids = 1_000_000
        self.latencies: list[float] = []
        self.accepted = 0

    async def open_all(self) -> None:
        for uri, doc in zip(self.uris, self.docs, strict=True):
            await self.server.open(uri, doc.text)

    async def keystroke(self) -> None:
        if self.rng.random() < 0.03:
            self.current = self.rng.randrange(DOCUMENTS)
        n = self.current
        doc = self.docs[n]
        line = script_line(self.lines[n])
        char = line[len(self.typed[n])]
        at = len(doc.text)
        start = position(doc.text, at)
        change = {
            "range": {
                "start": {"line": start[0], "character": start[1]},
                "end": {"line": start[0], "character": start[1]},
            },
            "text": char,
        }
        doc.apply(change)
        self.versions[n] += 1
        await self.server.change(self.uris[n], self.versions[n], [change])
        self.typed[n] += char
        if char == "\n":
            self.lines[n] += 1
            self.typed[n] = ""
        cursor = position(doc.text, len(doc.text))
        if self.pending and self.rng.random() < 0.3:
            # The editor cancels the previous request as the next key arrives.
            await self.server.notify("$/cancelRequest", {"id": self.pending[-1][0]})
        self.ids += 1
        sent = time.monotonic()
        future = self.server.send(
            "textDocument/inlineCompletion",
            inline_params(self.uris[n], *cursor, invoked=False),
            msg_id=self.ids,
        )
        future.add_done_callback(lambda _: self.latencies.append(time.monotonic() - sent))
        self.pending.append((self.ids, future))
        while len(self.pending) > IN_FLIGHT:
            await self.settle_one()

    async def settle_one(self) -> None:
        _, future = self.pending.popleft()
        response = await asyncio.wait_for(future, 10)
        result = response.get("result")
        items = result.get("items", []) if isinstance(result, dict) else []
        if items and self.rng.random() < 0.05:
            command = items[0]["command"]
            await self.server.request(
                "workspace/executeCommand",
                {"command": command["command"], "arguments": command["arguments"]},
            )
            self.accepted += 1

    async def drain(self) -> None:
        while self.pending:
            await self.settle_one()


async def _ping(server: RawServer, trips: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        started = time.monotonic()
        await server.stats()
        trips.append((time.monotonic() - started) * 1000)
        await asyncio.sleep(0.05)


def _figures(values: list[float]) -> str:
    p50, p99 = percentile(values, 50) or 0, percentile(values, 99) or 0
    return f"p50 {p50:.1f} / p99 {p99:.1f} / max {max(values, default=0):.1f} ms"


@pytest.mark.timeout(150)
async def test_soak() -> None:
    async with ModelServer(responder=answer) as model:
        settings = base_settings(model.base_url, timeoutMs=2000, prefetch=True)
        async with raw_server(settings, log_level="WARNING") as server:
            typist = Typist(server, random.Random(7))
            await typist.open_all()
            await server.stats()  # starts the loop-lag monitor
            for _ in range(WARM_UP):
                await typist.keystroke()
            await typist.drain()
            rss_before = rss_mb(server.pid)
            cpu_before = cpu_s(server.pid)
            lag_before = (await server.stats())["loopLagMs"]
            trips: list[float] = []
            stop = asyncio.Event()
            pinger = asyncio.ensure_future(_ping(server, trips, stop))
            started = time.monotonic()
            for _ in range(KEYSTROKES):
                await typist.keystroke()
            await typist.drain()
            took = time.monotonic() - started
            stop.set()
            await pinger
            for _ in range(100):
                stats = await server.stats()
                if stats["pendingTasks"] == 0:
                    break
                await asyncio.sleep(0.02)
            rss_after = rss_mb(server.pid)
            cpu = cpu_s(server.pid) - cpu_before
            lag = stats["loopLagMs"]
            counters = stats["counters"]
            print(
                f"\nsoak: {KEYSTROKES} keystrokes in {took:.1f} s "
                f"({KEYSTROKES / took:.0f}/s) over {DOCUMENTS} documents, server CPU "
                f"{cpu:.1f} s ({1000 * cpu / KEYSTROKES:.2f} ms a keystroke); "
                f"{len(model_calls(model))} model calls, {typist.accepted} accepted\n"
                f"soak: RSS {rss_before:.1f} MB -> {rss_after:.1f} MB "
                f"({rss_after - rss_before:+.1f} MB)\n"
                f"soak: loop lag (server) p50 {lag['p50']} / p99 {lag['p99']} / max "
                f"{lag['max']} ms (max {lag_before['max']} ms during the warm-up)\n"
                f"soak: ghostls/stats round trips {_figures(trips)} over {len(trips)} pings\n"
                f"soak: inline round trips {_figures([t * 1000 for t in typist.latencies])}\n"
                f"soak: cache {stats['cache']}, pending tasks {stats['pendingTasks']}\n"
                f"soak: counters {counters}\n"
                f"soak: messages {server.shown()}"
            )
            assert server.shown() == []  # a healthy endpoint: nothing to tell the user
            assert stats["pendingTasks"] == 0
            assert stats["documents"] == DOCUMENTS
            assert stats["cache"]["entries"] <= CACHE_MAX_ENTRIES
            assert stats["cache"]["bytes"] <= CACHE_MAX_BYTES
            assert rss_after - rss_before < 50
            assert lag["p99"] < 100 and lag["max"] < 1000
            # Still exact: a request in each of a few documents sees the text typed.
            for n in (0, DOCUMENTS // 2, DOCUMENTS - 1):
                doc = typist.docs[n]
                end = position(doc.text, len(doc.text))
                change = {"range": {"start": _pos(end), "end": _pos(end)}, "text": f"# {n}\n"}
                doc.apply(change)
                await server.change(typist.uris[n], typist.versions[n] + 1, [change])
                calls = len(model_calls(model))
                await server.inline(typist.uris[n], *position(doc.text, len(doc.text)))
                # The request's call (prefetches of earlier answers may come too).
                [call] = [
                    call
                    for call in model_calls(model)[calls:]
                    if str(call.body["prompt"]).endswith(f"# {n}\n")
                ]
                assert_prompt_is(call, doc.text, len(doc.text))


def _pos(at: tuple[int, int]) -> dict[str, int]:
    return {"line": at[0], "character": at[1]}
