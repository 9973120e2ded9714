"""Answering one completion request: planning the tokens, pacing them, injecting faults."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, NoReturn

import orjson
from aiohttp import web

from .ratelimit import retry_after_headers
from .replies import RecordedRequest, Reply
from .tokens import PROSE, cut_at_stop, filler, pace, pieces, tokenize
from .wire import DONE, MALFORMED, Framer, status_error_body, usage

# Characters of a "huge" answer per content chunk.
HUGE_PIECE_CHARS = 8192


async def send_json(
    request: web.Request,
    record: RecordedRequest,
    status: int,
    payload: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
) -> web.StreamResponse:
    """Send a whole JSON response and note it in the record."""
    record.status = status
    response = web.Response(
        status=status, body=orjson.dumps(payload), content_type="application/json", headers=headers
    )
    await response.prepare(request)
    record.first_byte_at = time.monotonic()
    await response.write_eof()
    record.completed = True
    return response


async def _hang() -> NoReturn:
    """Wait until cancelled: by the client going away or the server stopping."""
    await asyncio.get_running_loop().create_future()
    raise AssertionError("a future nobody completes has completed")


def _max_tokens(body: Mapping[str, Any]) -> int | None:
    limit = body.get("max_tokens", body.get("max_completion_tokens"))
    return limit if isinstance(limit, int) and not isinstance(limit, bool) else None


class Exchange:
    """One completion request and the answer the server streams or sends for it."""

    def __init__(
        self,
        request: web.Request,
        record: RecordedRequest,
        reply: Reply,
        *,
        chat: bool,
        model: str,
        ttft_s: float,
        interval_s: float,
        headers: Mapping[str, str],
    ) -> None:
        self._request = request
        self._record = record
        self._reply = reply
        self._fault = reply.fault
        self._ttft_s = ttft_s
        self._interval_s = interval_s
        self._headers = {**headers, **(reply.fault.headers if reply.fault else {})}
        options = record.body.get("stream_options")
        self._framer = Framer(
            chat=chat,
            id=f"{'chatcmpl' if chat else 'cmpl'}-ghost{record.id}",
            model=model,
            created=int(time.time()),
            include_usage=isinstance(options, dict) and options.get("include_usage") is True,
        )
        self._response: web.StreamResponse | None = None
        self._sent: list[str] = []
        self._fault_injected = False

    async def respond(self) -> web.StreamResponse:
        """Answer the request; a client that went away is noted in the record."""
        try:
            return await self._respond()
        except ConnectionError:
            self._record.disconnected = True
            return self._response or web.Response(status=499)
        finally:
            self._record.text_sent = "".join(self._sent)

    async def _respond(self) -> web.StreamResponse:
        fault = self._fault
        kind = fault.kind if fault else None
        if fault is not None and kind == "status":
            return await self._send_error(fault.status, fault.retry_after)
        if kind == "hang" or (kind == "endless" and not self._record.stream):
            await _hang()
        tokens, finish_reason = self._plan()
        paced = pace(tokens, *self._timing())
        if self._record.stream:
            return await self._stream(paced, finish_reason)
        return await self._answer(paced, finish_reason)

    def _plan(self) -> tuple[Iterable[str], str]:
        """The tokens to send and the finish reason."""
        kind = self._fault.kind if self._fault else None
        size = self._fault.size_bytes if self._fault else 0
        text, reason = self._reply.text, self._reply.finish_reason
        if kind == "huge":
            return pieces(filler(text, size), HUGE_PIECE_CHARS), reason
        if kind == "endless":
            return itertools.cycle(tokenize(text or PROSE)), reason
        text, stopped = cut_at_stop(text, self._record.body.get("stop"))
        tokens = tokenize(text)
        limit = _max_tokens(self._record.body)
        if limit is not None and len(tokens) > limit:
            return tokens[:limit], "length"
        return tokens, "stop" if stopped else reason

    def _timing(self) -> tuple[float, float]:
        """Seconds until the first token and between tokens."""
        if self._fault is not None and self._fault.kind == "drip":
            return self._fault.interval_s, self._fault.interval_s
        if self._fault is not None and self._fault.kind == "huge":
            return self._ttft_s, 0.0
        return self._ttft_s, self._interval_s

    def _usage(self) -> dict[str, int]:
        return usage(len(tokenize(self._record.prompt_text)), len(self._sent))

    async def _send_error(self, status: int, retry_after: float | None) -> web.StreamResponse:
        headers = dict(self._headers)
        if retry_after is not None:
            headers |= retry_after_headers(retry_after)
        return await send_json(
            self._request, self._record, status, status_error_body(status), headers
        )

    # Streamed answers

    async def _stream(self, tokens: AsyncIterator[str], finish_reason: str) -> web.StreamResponse:
        if await self._inject_fault():
            return await self._open_stream()
        async for token in tokens:
            await self._send_content(token)
            if await self._inject_fault():
                return await self._open_stream()
        if await self._inject_fault(at_end=True):
            return await self._open_stream()
        response = await self._open_stream()
        await response.write(self._framer.finish(finish_reason))
        if self._framer.include_usage:
            await response.write(self._framer.usage(self._usage()))
        await response.write(DONE)
        await response.write_eof()
        self._record.completed = True
        return response

    async def _open_stream(self) -> web.StreamResponse:
        """Send the headers and the opening event, once."""
        if self._response is None:
            self._response = web.StreamResponse(
                headers={
                    **self._headers,
                    "Content-Type": "text/event-stream",
                    "Cache-Control": "no-cache",
                }
            )
            await self._response.prepare(self._request)
            self._record.first_byte_at = time.monotonic()
            await self._response.write(self._framer.opening())
        return self._response

    async def _send_content(self, token: str) -> None:
        response = await self._open_stream()
        await response.write(self._framer.content(token))
        self._sent.append(token)
        self._record.chunks_sent += 1

    async def _inject_fault(self, *, at_end: bool = False) -> bool:
        """Send a malformed event or cut the connection once it is due.

        The fault is due after `after_chunks` content chunks, or at the end of a shorter
        answer. Returns True when the connection was cut.
        """
        fault = self._fault
        if fault is None or fault.kind not in ("cut", "malformed") or self._fault_injected:
            return False
        if not at_end and self._record.chunks_sent < fault.after_chunks:
            return False
        self._fault_injected = True
        response = await self._open_stream()
        if fault.kind == "malformed":
            await response.write(MALFORMED)
            return False
        self._cut()
        return True

    def _cut(self) -> None:
        """Close the connection without ending the response properly."""
        if self._request.transport is not None:
            self._request.transport.close()

    # Whole answers

    async def _answer(self, tokens: AsyncIterator[str], finish_reason: str) -> web.StreamResponse:
        parts = [token async for token in tokens]
        self._sent = parts
        body = orjson.dumps(self._framer.answer("".join(parts), finish_reason, self._usage()))
        kind = self._fault.kind if self._fault else None
        if kind == "malformed":
            body = body[: len(body) // 2]
        response = self._response = web.StreamResponse(headers=self._headers)
        response.content_type = "application/json"
        response.content_length = len(body)
        await response.prepare(self._request)
        self._record.first_byte_at = time.monotonic()
        if kind == "cut":
            self._sent = []
            await response.write(body[: len(body) // 2])
            self._cut()
            return response
        await response.write(body)
        await response.write_eof()
        self._record.completed = True
        return response
