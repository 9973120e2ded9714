from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from ghostls.testing import ModelServer


@pytest.fixture
async def model() -> AsyncIterator[ModelServer]:
    """The local OpenAI-compatible model server, answering at once by default."""
    async with ModelServer(profile="instant") as server:
        yield server
