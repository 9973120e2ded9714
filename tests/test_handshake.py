"""The handshake: capabilities and position-encoding negotiation, over stdio."""

from __future__ import annotations

from lsprotocol import types

from ghostls.testing import ModelServer
from tests.support import base_settings, lsp_session


async def test_capabilities(model: ModelServer) -> None:
    async with lsp_session(base_settings(model.base_url)) as session:
        caps = session.init.capabilities
        assert caps.inline_completion_provider is not None
        assert caps.completion_provider is not None
        assert caps.code_action_provider is not None
        assert caps.execute_command_provider is not None
        assert "ghostls.accepted" in caps.execute_command_provider.commands
        sync = caps.text_document_sync
        assert isinstance(sync, types.TextDocumentSyncOptions)
        assert sync.change == types.TextDocumentSyncKind.Incremental
        assert caps.position_encoding == types.PositionEncodingKind.Utf16
        assert session.init.server_info is not None
        assert session.init.server_info.name == "ghostls"


async def test_utf8_is_chosen_when_offered(model: ModelServer) -> None:
    async with lsp_session(base_settings(model.base_url), encodings=["utf-8", "utf-16"]) as s:
        assert s.init.capabilities.position_encoding == types.PositionEncodingKind.Utf8


async def test_utf32_is_chosen_when_offered(model: ModelServer) -> None:
    async with lsp_session(base_settings(model.base_url), encodings=["utf-32"]) as s:
        assert s.init.capabilities.position_encoding == types.PositionEncodingKind.Utf32


async def test_stats_request_answers(model: ModelServer) -> None:
    async with lsp_session(base_settings(model.base_url)) as session:
        stats = await session.stats()
        assert stats["counters"]["requests"] == 0
        assert stats["cache"]["entries"] == 0
