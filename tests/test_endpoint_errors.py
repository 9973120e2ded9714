"""A broken endpoint: empty results, one clear message, the server alive."""

from __future__ import annotations

import socket

from lsprotocol import types

from ghostls.testing import Fault, ModelServer
from tests.support import base_settings, lsp_session

URI = "file:///work/demo.py"
SOURCE = "x = \n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_endpoint_down_one_message_and_alive() -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    async with lsp_session(base_settings(url)) as session:
        session.open(URI, SOURCE)
        for column in range(4):
            session.type_text(URI, 0, 4 + column, "1")
            assert await session.inline(URI, 0, 5 + column, invoked=True) == []
        errors = [m for m in session.client.messages if m.type == types.MessageType.Error]
        assert len(errors) == 1
        assert "refused" in errors[0].message or "reach" in errors[0].message
        stats = await session.stats()
        assert stats["counters"]["modelErrors"] >= 1
        statuses = [params for method, params in session.notifications]
        assert any(status["state"] == "error" for status in statuses)


async def test_server_error_then_recovery(model: ModelServer) -> None:
    model.fault_next(Fault(kind="status", status=500), times=1)
    model.add_rule("42")
    async with lsp_session(base_settings(model.base_url)) as session:
        session.open(URI, SOURCE)
        assert await session.inline(URI, 0, 4, invoked=True) == []
        session.type_text(URI, 0, 4, " ")
        items = await session.inline(URI, 0, 5, invoked=True)
        assert [item.insert_text for item in items] == ["42"]
        errors = [m for m in session.client.messages if m.type == types.MessageType.Error]
        assert len(errors) == 1
        assert "500" in errors[0].message
