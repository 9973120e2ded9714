"""A local OpenAI-compatible model server for tests, benchmarks and demos.

It answers /v1/chat/completions, /v1/completions and /v1/models over real HTTP, streams
like OpenAI does at a chosen latency profile, records every request, and can be told what
to answer (rules, a responder, a default) and how to misbehave (faults).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
import functools
import inspect
import itertools
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

import orjson
from aiohttp import web

from .control import ControlUpdate, parse_update, profile_from_json, record_to_json
from .exchange import Exchange, send_json
from .ratelimit import SlidingWindow, retry_after_headers
from .replies import Fault, Profile, RecordedRequest, Reply, Responder, resolve_profile
from .wire import error_body, status_error_body

log = logging.getLogger("ghostls.testing")

_T = TypeVar("_T")

# Request paths answered as completions, and whether they are chat completions.
COMPLETION_PATHS = {"/v1/chat/completions": True, "/v1/completions": False}
MAX_REQUEST_BYTES = 64 * 1024 * 1024


async def _read_json(request: web.Request) -> dict[str, Any] | None:
    """The request's JSON object body, or None when it has none."""
    raw = await request.read()
    try:
        body = orjson.loads(raw) if raw else None
    except orjson.JSONDecodeError:
        return None
    return body if isinstance(body, dict) else None


@dataclass
class _ActiveRule:
    reply: Reply
    contains: str | None
    remaining: int | None

    def take(self, prompt: str) -> Reply | None:
        """This rule's reply if it matches the prompt and has not run out."""
        if self.remaining == 0 or (self.contains is not None and self.contains not in prompt):
            return None
        if self.remaining is not None:
            self.remaining -= 1
        return self.reply


class _Changes:
    """Lets coroutines wait until something about the recorded requests becomes true."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._event.wait(), remaining)
        return True


class ModelServer:
    """The model server on the running event loop; also an async context manager."""

    def __init__(
        self,
        *,
        profile: Profile | str = "instant",
        responder: Responder | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
        models: Sequence[str] = ("ghost-coder",),
        accept_suffix: bool = True,
        rate_limit_per_minute: int | None = None,
    ) -> None:
        self._profile = resolve_profile(profile)
        self._responder = responder
        self._host = host
        self._requested_port = port
        self._rng = random.Random(seed)
        self.models = tuple(models)
        self.accept_suffix = accept_suffix
        self._rate_limit = rate_limit_per_minute
        self._limiter = SlidingWindow(rate_limit_per_minute) if rate_limit_per_minute else None
        self.requests: list[RecordedRequest] = []
        self._default_reply = Reply()
        self._rules: list[_ActiveRule] = []
        self._faults: deque[Fault] = deque()
        self._ids = itertools.count(1)
        self._changes = _Changes()
        self._handlers: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._stopping = False
        self._created = int(time.time())

    # Lifecycle

    async def start(self) -> None:
        """Listen on host:port (port 0: any free port)."""
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_post("/v1/chat/completions", self._on_completion)
        app.router.add_post("/v1/completions", self._on_completion)
        app.router.add_get("/v1/models", self._on_models)
        app.router.add_route("*", "/v1/{tail:.*}", self._on_unknown)
        app.router.add_get("/_control/requests", self._on_control_requests)
        app.router.add_post("/_control/rules", self._on_control_rules)
        app.router.add_post("/_control/reset", self._on_control_reset)
        app.router.add_post("/_control/profile", self._on_control_profile)
        # handler_cancellation: a client that goes away cancels its handler at once.
        runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        self._stopping = False
        log.info("model server listening on %s", self.base_url)

    async def stop(self) -> None:
        """Stop answering: requests in progress end (hung ones too) and connections close."""
        if self._runner is None:
            return
        self._stopping = True
        handlers = list(self._handlers)
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> ModelServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The port listened on (valid after start)."""
        if self._port is None:
            raise RuntimeError("the model server has not been started")
        return self._port

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, like http://127.0.0.1:PORT/v1 (valid after start)."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}/v1"

    # What to answer

    @property
    def profile(self) -> Profile:
        """The latency profile of replies that bring none of their own."""
        return self._profile

    @profile.setter
    def profile(self, profile: Profile | str) -> None:
        self._profile = resolve_profile(profile)

    @property
    def default_reply(self) -> Reply:
        """The reply when no fault, rule or responder decides."""
        return self._default_reply

    @default_reply.setter
    def default_reply(self, reply: Reply | str) -> None:
        self._default_reply = Reply(text=reply) if isinstance(reply, str) else reply

    def add_rule(
        self, reply: Reply | str, *, contains: str | None = None, times: int | None = None
    ) -> None:
        """Answer `reply` to prompts containing `contains` (any prompt if None), `times` times.

        Rules are tried in the order they were added.
        """
        reply = Reply(text=reply) if isinstance(reply, str) else reply
        self._rules.append(_ActiveRule(reply, contains, times))

    def fault_next(self, fault: Fault, times: int = 1) -> None:
        """Inflict `fault` on the next `times` completion requests.

        "status" and "hang" faults replace the reply; the others damage the text the rules,
        the responder or the default reply would have sent.
        """
        self._faults.extend([fault] * times)

    def load_rules(self, document: Any) -> None:
        """Apply a rules document (see ghostls.testing.control), as POST /_control/rules does.

        `document` is the parsed JSON, or a ControlUpdate already read from it.
        """
        update = document if isinstance(document, ControlUpdate) else parse_update(document)
        for rule in update.rules:
            self.add_rule(rule.reply, contains=rule.contains, times=rule.times)
        if update.default is not None:
            self.default_reply = update.default
        if update.fault is not None:
            self.fault_next(update.fault, update.fault_times)
        if update.profile is not None:
            self.profile = update.profile

    def reset(self) -> None:
        """Forget rules, pending faults, recorded requests and the rate limit window."""
        self._rules.clear()
        self._faults.clear()
        self.requests.clear()
        if self._rate_limit:
            self._limiter = SlidingWindow(self._rate_limit)

    # Waiting for the client's side

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Wait until `condition` (about the recorded requests) holds, looking again at each
        request that comes in; False when `timeout` passes first."""
        return await self._changes.wait_until(condition, timeout)

    async def wait_for_requests(self, n: int, timeout: float = 5.0) -> list[RecordedRequest]:
        """Wait until at least n requests were recorded and return them all.

        Raises TimeoutError when they don't come in time.
        """
        if not await self._changes.wait_until(lambda: len(self.requests) >= n, timeout):
            raise TimeoutError(f"{len(self.requests)} of {n} requests came in {timeout} s")
        return list(self.requests)

    async def wait_for_disconnect(self, request_id: int, timeout: float = 5.0) -> bool:
        """Wait until request `request_id` is over; True if its client went away first."""

        def over() -> bool:
            record = self._find(request_id)
            return record is not None and record.finished_at is not None

        await self._changes.wait_until(over, timeout)
        record = self._find(request_id)
        return record is not None and record.disconnected

    def _find(self, request_id: int) -> RecordedRequest | None:
        return next((r for r in self.requests if r.id == request_id), None)

    # Recording

    def _record(self, request: web.Request, body: dict[str, Any]) -> RecordedRequest:
        record = RecordedRequest(
            id=next(self._ids),
            path=request.path,
            body=body,
            headers={name.lower(): value for name, value in request.headers.items()},
            received_at=time.monotonic(),
        )
        self.requests.append(record)
        self._changes.notify()
        return record

    @contextlib.contextmanager
    def _handling(self, record: RecordedRequest) -> Iterator[None]:
        """Track a handler; note when it ends and whether its client went away."""
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        try:
            yield
        except asyncio.CancelledError:
            record.disconnected = record.disconnected or not self._stopping
            raise
        finally:
            if task is not None:
                self._handlers.discard(task)
            record.finished_at = time.monotonic()
            self._changes.notify()
            log.info(
                "#%d %s -> %d, %d chunks%s",
                record.id,
                record.path,
                record.status,
                record.chunks_sent,
                ", client went away" if record.disconnected else "",
            )

    # Model endpoints

    async def _on_completion(self, request: web.Request) -> web.StreamResponse:
        body = await _read_json(request)
        record = self._record(request, body or {})
        with self._handling(record):
            return await self._complete(request, record, valid=body is not None)

    async def _complete(
        self, request: web.Request, record: RecordedRequest, *, valid: bool
    ) -> web.StreamResponse:
        headers: dict[str, str] = {}
        if self._limiter is not None:
            admission = self._limiter.admit()
            headers = admission.headers
            if not admission.allowed:
                headers |= retry_after_headers(admission.retry_after_s)
                return await send_json(request, record, 429, status_error_body(429), headers)
        problem = self._invalid(record, valid=valid)
        if problem is not None:
            return await send_json(request, record, 400, problem, headers)
        reply = await self._choose_reply(record)
        profile = reply.profile or self._profile
        exchange = Exchange(
            request,
            record,
            reply,
            chat=COMPLETION_PATHS[request.path],
            model=str(record.body.get("model") or self.models[0]),
            ttft_s=self._ttft_s(profile),
            interval_s=profile.token_interval_s,
            headers=headers,
        )
        return await exchange.respond()

    def _invalid(self, record: RecordedRequest, *, valid: bool) -> dict[str, Any] | None:
        """The error body for a request the server refuses, else None."""
        if not valid:
            return error_body("The request body must be a JSON object.")
        if "suffix" in record.body and not self.accept_suffix:
            return error_body("suffix is not supported by this server", param="suffix")
        return None

    async def _choose_reply(self, record: RecordedRequest) -> Reply:
        """Pending faults, then rules, then the responder, then the default reply."""
        fault = self._faults.popleft() if self._faults else None
        if fault is not None and not fault.sends_content:
            return Reply(fault=fault)
        reply = self._match_rule(record.prompt_text)
        if reply is None:
            reply = await self._ask_responder(record)
        if reply is None:
            reply = self._default_reply
        return dataclasses.replace(reply, fault=fault) if fault is not None else reply

    def _match_rule(self, prompt: str) -> Reply | None:
        for rule in self._rules:
            reply = rule.take(prompt)
            if reply is not None:
                return reply
        return None

    async def _ask_responder(self, record: RecordedRequest) -> Reply | None:
        if self._responder is None:
            return None
        answer = self._responder(record)
        if inspect.isawaitable(answer):
            answer = await answer
        return Reply(text=answer) if isinstance(answer, str) else answer

    def _ttft_s(self, profile: Profile) -> float:
        jitter = profile.jitter_ms
        offset = self._rng.uniform(-jitter, jitter) if jitter else 0.0
        return max(profile.ttft_ms + offset, 0.0) / 1000

    async def _on_models(self, request: web.Request) -> web.StreamResponse:
        record = self._record(request, {})
        models = [
            {"id": model, "object": "model", "created": self._created, "owned_by": "ghostls"}
            for model in self.models
        ]
        headers = self._limiter.peek() if self._limiter else None
        with self._handling(record):
            return await send_json(
                request, record, 200, {"object": "list", "data": models}, headers
            )

    async def _on_unknown(self, request: web.Request) -> web.StreamResponse:
        record = self._record(request, await _read_json(request) or {})
        message = f"Unknown request URL: {request.method} {request.path}"
        with self._handling(record):
            return await send_json(request, record, 404, error_body(message, code="unknown_url"))

    # Control endpoints (not recorded)

    async def _on_control_requests(self, request: web.Request) -> web.Response:
        payload = [record_to_json(record) for record in self.requests]
        return web.Response(body=orjson.dumps(payload), content_type="application/json")

    async def _on_control_rules(self, request: web.Request) -> web.Response:
        return await self._control(request, self.load_rules)

    async def _on_control_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return _ok()

    async def _on_control_profile(self, request: web.Request) -> web.Response:
        def set_profile(document: Any) -> None:
            self.profile = profile_from_json(document)

        return await self._control(request, set_profile)

    async def _control(self, request: web.Request, apply: Callable[[Any], None]) -> web.Response:
        try:
            apply(orjson.loads(await request.read()))
        except (orjson.JSONDecodeError, ValueError, TypeError) as exc:
            body = orjson.dumps(error_body(str(exc)))
            return web.Response(status=400, body=body, content_type="application/json")
        return _ok()


def _ok() -> web.Response:
    return web.Response(body=b'{"ok":true}', content_type="application/json")


class ModelServerThread:
    """A ModelServer on its own event loop in a daemon thread, for synchronous code.

    Every method may be called from any thread.
    """

    def __init__(
        self,
        *,
        profile: Profile | str = "instant",
        responder: Responder | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
        models: Sequence[str] = ("ghost-coder",),
        accept_suffix: bool = True,
        rate_limit_per_minute: int | None = None,
    ) -> None:
        self._factory = functools.partial(
            ModelServer,
            profile=profile,
            responder=responder,
            host=host,
            port=port,
            seed=seed,
            models=models,
            accept_suffix=accept_suffix,
            rate_limit_per_minute=rate_limit_per_minute,
        )
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: ModelServer | None = None
        self._stop_event: asyncio.Event | None = None
        self._error: Exception | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start the thread and wait until the server listens (or failed to)."""
        self._thread = threading.Thread(target=self._run, name="ghostls-model-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the model server thread did not start")
        if self._error is not None:
            raise self._error

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and its thread."""
        if self._loop is not None and self._stop_event is not None:
            self._loop.call_soon_threadsafe(self._stop_event.set)
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = self._loop = self._server = self._stop_event = None
        self._ready.clear()

    def __enter__(self) -> ModelServerThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        try:
            server = self._factory()
            await server.start()
        except Exception as exc:  # handed to start() in the caller's thread
            self._error = exc
            self._ready.set()
            return
        self._server, self._loop = server, asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        self._ready.set()
        try:
            await self._stop_event.wait()
        finally:
            await server.stop()

    def _started(self) -> tuple[ModelServer, asyncio.AbstractEventLoop]:
        if self._server is None or self._loop is None:
            raise RuntimeError("the model server thread has not been started")
        return self._server, self._loop

    def _call(self, function: Callable[[ModelServer], _T]) -> _T:
        """Run function(server) on the server's loop and return its result."""
        server, _ = self._started()

        async def call() -> _T:
            return function(server)

        return self._run_on_loop(call())

    def _run_on_loop(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        _, loop = self._started()
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result()

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, like http://127.0.0.1:PORT/v1."""
        return self._started()[0].base_url

    @property
    def port(self) -> int:
        """The port listened on."""
        return self._started()[0].port

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the recorded requests."""
        return self._call(lambda server: _snapshot(server.requests))

    @property
    def profile(self) -> Profile:
        """The server's latency profile."""
        return self._call(lambda server: server.profile)

    @profile.setter
    def profile(self, profile: Profile | str) -> None:
        resolved = resolve_profile(profile)
        self._call(lambda server: setattr(server, "profile", resolved))

    @property
    def default_reply(self) -> Reply:
        """The reply when no fault, rule or responder decides."""
        return self._call(lambda server: server.default_reply)

    @default_reply.setter
    def default_reply(self, reply: Reply | str) -> None:
        self._call(lambda server: setattr(server, "default_reply", reply))

    def add_rule(
        self, reply: Reply | str, *, contains: str | None = None, times: int | None = None
    ) -> None:
        """See ModelServer.add_rule."""
        self._call(lambda server: server.add_rule(reply, contains=contains, times=times))

    def fault_next(self, fault: Fault, times: int = 1) -> None:
        """See ModelServer.fault_next."""
        self._call(lambda server: server.fault_next(fault, times))

    def load_rules(self, document: Any) -> None:
        """See ModelServer.load_rules."""
        self._call(lambda server: server.load_rules(document))

    def reset(self) -> None:
        """See ModelServer.reset."""
        self._call(lambda server: server.reset())

    def wait_for_requests(self, n: int, timeout: float = 5.0) -> list[RecordedRequest]:
        """See ModelServer.wait_for_requests; returns a snapshot."""
        server, _ = self._started()

        async def wait() -> list[RecordedRequest]:
            return _snapshot(await server.wait_for_requests(n, timeout))

        return self._run_on_loop(wait())

    def wait_for_disconnect(self, request_id: int, timeout: float = 5.0) -> bool:
        """See ModelServer.wait_for_disconnect."""
        server, _ = self._started()
        return self._run_on_loop(server.wait_for_disconnect(request_id, timeout))


def _snapshot(records: list[RecordedRequest]) -> list[RecordedRequest]:
    return [copy.copy(record) for record in records]
