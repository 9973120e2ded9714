"""OpenAI wire format: SSE framing, stream chunks, whole answers and error bodies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

DONE = b"data: [DONE]\n\n"
# An event whose data is cut off in the middle of a JSON string.
MALFORMED = b'data: {"id":"chatcmpl-broken","choices":[{"index":0,"delta":{"content":"unterm\n\n'

_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "not_found"),
    429: ("requests", "rate_limit_exceeded"),
}


def event(payload: Mapping[str, Any]) -> bytes:
    """One SSE event carrying `payload` as compact JSON."""
    return b"data: " + orjson.dumps(payload) + b"\n\n"


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    """An OpenAI usage object."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def error_body(
    message: str,
    *,
    type: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """An OpenAI-style error body."""
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


def status_error_body(status: int) -> dict[str, Any]:
    """The error body an OpenAI-compatible server sends along with `status`."""
    type_, code = _ERROR_TYPES.get(status, ("server_error", None))
    if status == 429:
        return error_body("Rate limit reached for requests", type=type_, code=code)
    return error_body(f"The server answered with status {status}", type=type_, code=code)


@dataclass(frozen=True)
class Framer:
    """Builds the chunks and answers of one chat or text completion."""

    chat: bool
    id: str
    model: str
    created: int
    include_usage: bool = False

    def _chunk(self, choices: list[dict[str, Any]]) -> dict[str, Any]:
        chunk: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk" if self.chat else "text_completion",
            "created": self.created,
            "model": self.model,
        }
        if self.chat:
            chunk["system_fingerprint"] = None
        chunk["choices"] = choices
        if self.include_usage:
            chunk["usage"] = None
        return chunk

    def _choice(self, content: str | None, finish_reason: str | None) -> dict[str, Any]:
        if self.chat:
            delta = {} if content is None else {"content": content}
            return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return {"text": content or "", "index": 0, "logprobs": None, "finish_reason": finish_reason}

    def opening(self) -> bytes:
        """The chat stream's first event (role, empty content); nothing for text completions."""
        if not self.chat:
            return b""
        choice = self._choice(None, None) | {"delta": {"role": "assistant", "content": ""}}
        return event(self._chunk([choice]))

    def content(self, token: str) -> bytes:
        """One content event."""
        return event(self._chunk([self._choice(token, None)]))

    def finish(self, finish_reason: str) -> bytes:
        """The event that ends the choice."""
        return event(self._chunk([self._choice(None, finish_reason)]))

    def usage(self, counts: dict[str, int]) -> bytes:
        """The final usage event (sent when stream_options.include_usage is set)."""
        return event(self._chunk([]) | {"usage": counts})

    def answer(self, text: str, finish_reason: str, counts: dict[str, int]) -> dict[str, Any]:
        """A whole non-streamed answer."""
        if self.chat:
            message = {"role": "assistant", "content": text, "refusal": None}
            choice = {"index": 0, "message": message, "logprobs": None}
        else:
            choice = {"text": text, "index": 0, "logprobs": None}
        body: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion" if self.chat else "text_completion",
            "created": self.created,
            "model": self.model,
        }
        if self.chat:
            body["system_fingerprint"] = None
        return body | {"choices": [choice | {"finish_reason": finish_reason}], "usage": counts}
