"""Each way an endpoint can fail, injected by the local model server.

For every fault: the request is answered within timeoutMs plus a small margin, the server
stays up and a later request works, the editor gets one clear message and the status says
what happened, and text that arrived before a stream went wrong is kept (cleaned)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from lsprotocol import types

from ghostls.testing import Fault, ModelServer, Reply
from tests.reliability.helpers import (
    ANSWER_BY_S,
    COLUMN,
    LINE,
    SOURCE,
    TIMEOUT_MS,
    URI,
    free_port,
    inline_in_time,
    self_signed_cert,
    shown,
    states,
    texts,
    timed,
    tls_front,
    until_answered,
)
from tests.support import Session, base_settings, lsp_session, model_calls

ANSWER = "width * height"


def _settings(base_url: str) -> dict[str, object]:
    return base_settings(base_url, timeoutMs=TIMEOUT_MS)


async def _works_again(session: Session, model: ModelServer, column: int = COLUMN) -> None:
    """After the fault, a new request (at a position never asked before) gets the answer."""
    session.type_text(URI, LINE, column, " ")
    found, _ = await until_answered(session, column=column + 1, timeout=2.0)
    assert found == [ANSWER]
    await session.status_becomes("ready")


async def test_rate_limited_with_retry_after(model: ModelServer) -> None:
    model.add_rule(ANSWER)
    model.fault_next(Fault(kind="status", status=429, retry_after=0.8))
    async with lsp_session(_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert await inline_in_time(session) == []
        assert "rate-limited" in states(session)
        [message] = shown(session)
        assert "rate limited" in message and "429" in message
        # Retry-After is honoured: keystrokes meanwhile make no call.
        column = COLUMN
        for char in "wid":
            session.type_text(URI, LINE, column, char)
            column += 1
            assert await inline_in_time(session, LINE, column) == []
        assert len(model_calls(model)) == 1
        await asyncio.sleep(0.8)
        found, _ = await until_answered(session, column=column, timeout=2.0)
        assert found == ["th * height"]  # the model's "width * height" after the typed "wid"
        assert len(model_calls(model)) == 2
        assert len(shown(session)) == 1


async def test_rate_limited_without_retry_after_backs_off(model: ModelServer) -> None:
    model.add_rule(ANSWER)
    model.fault_next(Fault(kind="status", status=429))
    async with lsp_session(_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert await inline_in_time(session) == []
        assert "rate-limited" in states(session)
        # No Retry-After: the server waits by itself instead of storming the endpoint.
        column = COLUMN
        for char in "width":
            session.type_text(URI, LINE, column, char)
            column += 1
            assert await inline_in_time(session, LINE, column) == []
            await asyncio.sleep(0.1)
        assert len(model_calls(model)) == 1
        found, waited = await until_answered(session, column=column, timeout=8.0)
        print(f"429 without Retry-After: calls resumed after {waited:.1f} s more")
        assert found == [" * height"]  # the model's "width * height" after the typed "width"
        assert len(shown(session)) == 1
        assert states(session)[-1] == "ready"


async def test_server_errors_500_502_503(model: ModelServer) -> None:
    model.add_rule(ANSWER)
    async with lsp_session(_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        column = COLUMN
        for number, status in enumerate((500, 502, 503), start=1):
            session.type_text(URI, LINE, column, "x")  # a position never asked before
            column += 1
            model.fault_next(Fault(kind="status", status=status))
            assert await inline_in_time(session, LINE, column) == []
            assert states(session)[-1] == "error"
            # One message per failure episode; each new episode (after "ready") gets its own.
            assert len(shown(session)) == number
            assert str(status) in shown(session)[-1]
            await _works_again(session, model, column)
            column += 1  # the space _works_again typed


async def test_connection_refused_then_the_endpoint_comes_up() -> None:
    port = free_port()
    async with lsp_session(_settings(f"http://127.0.0.1:{port}/v1")) as session:
        session.open(URI, SOURCE)
        for column in range(COLUMN, COLUMN + 3):
            assert await inline_in_time(session, LINE, column) == []
        [message] = shown(session)
        assert "refused" in message and str(port) in message
        assert states(session)[-1] == "error"
        async with ModelServer(port=port) as model:
            model.add_rule(ANSWER)
            found, waited = await until_answered(session, timeout=5.0)
            print(f"connection refused: answers again {waited:.1f} s after the endpoint came up")
            assert found == [ANSWER]
            assert states(session)[-1] == "ready"


async def test_dns_failure() -> None:
    async with lsp_session(_settings("http://ghostls-test.invalid/v1")) as session:
        session.open(URI, SOURCE)
        for column in range(COLUMN, COLUMN + 3):
            assert await inline_in_time(session, LINE, column) == []
        [message] = shown(session)
        assert "resolve" in message and "ghostls-test.invalid" in message
        assert states(session)[-1] == "error"
        assert (await session.stats())["pendingTasks"] == 0


async def test_tls_verification_fails_clearly_and_ca_bundle_fixes_it(
    model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule(ANSWER)
    cert, key = self_signed_cert(tmp_path)
    async with tls_front(cert, key, model.port) as port:
        url = f"https://127.0.0.1:{port}/v1"
        async with lsp_session(_settings(url)) as session:
            session.open(URI, SOURCE)
            assert await inline_in_time(session) == []
            [message] = shown(session)
            assert "TLS verification failed" in message and "caBundle" in message
            assert states(session)[-1] == "error"
            assert model_calls(model) == []  # nothing went out over the untrusted connection
            trusted = base_settings(url, timeoutMs=TIMEOUT_MS, caBundle=str(cert))
            session.client.workspace_did_change_configuration(
                types.DidChangeConfigurationParams(settings={"ghostls": trusted})
            )
            found, _ = await until_answered(session, timeout=3.0)
            assert found == [ANSWER]
            assert states(session)[-1] == "ready"
    assert len(model_calls(model)) >= 1


async def test_an_unreadable_ca_bundle_is_one_clear_message(
    model: ModelServer, tmp_path: Path
) -> None:
    model.add_rule(ANSWER)
    cert, _ = self_signed_cert(tmp_path)
    not_pem = tmp_path / "not-a-certificate.pem"
    not_pem.write_text("hello\n")
    for bundle in (tmp_path / "missing.pem", not_pem):
        settings = base_settings(model.base_url, timeoutMs=TIMEOUT_MS, caBundle=str(bundle))
        async with lsp_session(settings) as session:  # initialize succeeds
            session.open(URI, SOURCE)
            for column in range(COLUMN, COLUMN + 3):
                assert await inline_in_time(session, LINE, column) == []
            [message] = shown(session)
            assert "caBundle" in message and str(bundle) in message
            assert states(session)[-1] == "error"
            # A readable bundle: the other settings held, calls go out again.
            fixed = base_settings(model.base_url, timeoutMs=TIMEOUT_MS, caBundle=str(cert))
            session.client.workspace_did_change_configuration(
                types.DidChangeConfigurationParams(settings={"ghostls": fixed})
            )
            found, _ = await until_answered(session, timeout=3.0)
            assert found == [ANSWER]


async def test_hang_answers_by_the_timeout_and_says_so(model: ModelServer) -> None:
    model.add_rule(ANSWER)
    model.fault_next(Fault(kind="hang"))
    async with lsp_session(_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        _, took = await timed(session.inline(URI, LINE, COLUMN, invoked=True))
        print(f"hang: answered after {took * 1000:.0f} ms (timeoutMs {TIMEOUT_MS})")
        [hung] = model_calls(model)
        assert await model.wait_for_disconnect(hung.id, timeout=2.0)
        assert "error" in states(session)
        [message] = shown(session)
        assert "in time" in message
        await _works_again(session, model)


async def test_cut_stream_keeps_what_arrived(model: ModelServer) -> None:
    # Tokens: "widt" "h" " " "*" ...: the connection drops after "width ".
    model.add_rule(Reply(text=ANSWER, fault=Fault(kind="cut", after_chunks=3)), times=1)
    model.add_rule(ANSWER)
    async with lsp_session(_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert await inline_in_time(session) == ["width"]
        assert "error" in states(session)
        [message] = shown(session)
        assert "broke off" in message
        await _works_again(session, model)


async def test_malformed_chunk(model: ModelServer) -> None:
    model.add_rule(Reply(text=ANSWER, fault=Fault(kind="malformed", after_chunks=3)), times=1)
    model.add_rule(ANSWER)
    async with lsp_session(_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert await inline_in_time(session) == ["width"]
        assert "error" in states(session)
        [message] = shown(session)
        assert "malformed" in message
        await _works_again(session, model)


async def test_slow_drip_shows_what_arrived_by_the_timeout(model: ModelServer) -> None:
    # One token a second ("widt" at 1 s, "h" at 2 s) against a 2.5 s budget, once the
    # server's one-time start (the client library, the first connection) is behind it.
    model.add_rule("1", contains="# warm-up", times=1)
    model.add_rule(Reply(text=ANSWER, fault=Fault(kind="drip", interval_s=1.0)), times=1)
    model.add_rule(ANSWER)
    settings = base_settings(model.base_url, timeoutMs=2500)
    async with lsp_session(settings) as session:
        session.open("file:///work/warm.py", "# warm-up\nx = ")
        assert texts(await session.inline("file:///work/warm.py", 1, 4, invoked=True)) == ["1"]
        session.open(URI, SOURCE)
        items, took = await timed(
            session.inline(URI, LINE, COLUMN, invoked=True), 2.5 + ANSWER_BY_S - 1
        )
        print(f"slow drip: {took * 1000:.0f} ms, shown {[i.insert_text for i in items]}")
        assert [item.insert_text for item in items] == ["width"]
        _, dripping = model_calls(model)
        assert await model.wait_for_disconnect(dripping.id, timeout=2.0)
        assert states(session)[-1] != "thinking"
        await _works_again(session, model)


async def _settles(session: Session) -> bool:
    """Whether the server's pending tasks come back to 0 within a second."""
    for _ in range(50):
        if (await session.stats())["pendingTasks"] == 0:
            return True
        await asyncio.sleep(0.02)
    return False


async def _ping_while(session: Session, busy: asyncio.Future[Any]) -> list[float]:
    """Round trips of ghostls/stats requests sent every 20 ms until `busy` is done."""
    trips: list[float] = []
    while not busy.done():
        started = time.monotonic()
        await session.stats()
        trips.append((time.monotonic() - started) * 1000)
        await asyncio.sleep(0.02)
    return trips


async def test_huge_answer(model: ModelServer) -> None:
    model.add_rule(Reply(text="", fault=Fault(kind="huge", size_bytes=10_000_000)), times=1)
    model.add_rule(ANSWER)
    async with lsp_session(_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        started = time.monotonic()
        request = asyncio.ensure_future(session.inline(URI, LINE, COLUMN, invoked=True))
        trips = await _ping_while(session, request)
        items = await request
        took = time.monotonic() - started
        [flood] = model_calls(model)
        print(
            f"10 MB answer: answered in {took * 1000:.0f} ms after {flood.chunks_sent} chunks "
            f"were sent; stats round trips max {max(trips, default=0):.0f} ms"
        )
        assert took < ANSWER_BY_S
        assert all(len(str(item.insert_text)) < 4096 for item in items)
        assert max(trips, default=0) < 500
        await _works_again(session, model)


async def test_endless_answer(model: ModelServer) -> None:
    model.add_rule(Reply(text="", fault=Fault(kind="endless")), times=1)
    model.add_rule(ANSWER)
    async with lsp_session(_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        started = time.monotonic()
        request = asyncio.ensure_future(session.inline(URI, LINE, COLUMN, invoked=True))
        trips = await _ping_while(session, request)
        items = await request
        took = time.monotonic() - started
        [flood] = model_calls(model)
        assert await model.wait_for_disconnect(flood.id, timeout=2.0)
        print(
            f"endless answer: answered in {took * 1000:.0f} ms, stream closed after "
            f"{flood.chunks_sent} chunks; stats round trips max {max(trips, default=0):.0f} ms"
        )
        assert took < ANSWER_BY_S
        assert all(len(str(item.insert_text)) < 4096 for item in items)
        assert max(trips, default=0) < 500
        assert await _settles(session)
        await _works_again(session, model)
