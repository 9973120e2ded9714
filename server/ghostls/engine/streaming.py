"""What the engine uses of a model client: a streamed call, and what it learnt of the
endpoint. `ghostls.model.ModelClient` is the real one; tests give the engine a fake."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Protocol

from ghostls.model import ModelRequest, RateLimitInfo, StreamTiming


class StreamingModel(Protocol):
    # Whether the endpoint streams several answers at once (the engine sets it when it sees
    # two streams overlap).
    parallel: bool

    @property
    def rate_limit(self) -> RateLimitInfo | None:
        """The provider's tightest budget, as last reported."""
        ...

    def stream(self, request: ModelRequest, timing: StreamTiming) -> AsyncGenerator[str, None]:
        """The answer's text as it streams (timed into `timing`); closing the generator
        ends the call. Failures raise `ModelError`."""
        ...

    async def ready(self) -> None:
        """Return once a call can start at once (the client library is loaded: the first
        request after start may wait for it, and its flight's clock starts after)."""
        ...

    async def warm(self) -> None:
        """Open a connection ahead of need; never raises."""
        ...
