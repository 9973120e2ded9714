"""`ghostls demo`: watch ghost text appear while a simulated programmer types a real file.

No API key, no network: unless an endpoint is configured (`--base-url`, or the environment
as the server reads it: GHOSTLS_BASE_URL, GHOSTLS_PROVIDER, OPENAI_BASE_URL...), the local
model server answers with the file's own continuation at a chosen speed profile, and the
screen says so. The real server (`python -m ghostls`) is driven over the real protocol.
In a terminal the code is redrawn in place (ghost text dim, accepted text highlighted, a
status line of figures); otherwise (CI) plain lines are printed. It ends by itself with a
summary; Ctrl-C ends it early, just as cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ghostls.engine.stats import percentile
from ghostls.replay.corpus import Region, file_regions, pick_regions, source_files, stdlib_root
from ghostls.replay.metrics import (
    COMPLETION_PATHS,
    Keystroke,
    is_pause,
    shown,
    time_to_suggestion,
)
from ghostls.replay.oracle import Oracle
from ghostls.replay.session import (
    STRATEGIES,
    WARM_UP_MARK,
    Observer,
    Replay,
    ServerConnection,
    quiet_client_logs,
)
from ghostls.replay.typist import Typist
from ghostls.testing import PROFILES, ModelServer
from ghostls.testing.lsp import item_text, server_env

MODEL = "ghost-coder"
# Standard-library modules with plain, readable code, tried in order for the default file.
DEFAULT_MODULES = ("textwrap.py", "shlex.py", "fnmatch.py", "colorsys.py", "json/encoder.py")

DIM = "\x1b[2m\x1b[90m"
ACCEPTED = "\x1b[1m\x1b[32m"
CURSOR = "\x1b[7m"
BOLD = "\x1b[1m"
RESET = "\x1b[0m"
CLEAR_LINE = "\x1b[2K"
HIDE_CURSOR = "\x1b[?25l"
SHOW_CURSOR = "\x1b[?25h"
CODE_LINES = 14


@dataclass(frozen=True)
class Endpoint:
    """Where suggestions come from: a real endpoint, or the simulated model."""

    real: bool
    description: str
    base_url: str | None = None


def find_endpoint(args: argparse.Namespace, env: dict[str, str]) -> Endpoint:
    if args.base_url:
        return Endpoint(True, f"model: {args.base_url}", args.base_url)
    from ghostls.settings import resolve_settings_lenient

    settings, _ = resolve_settings_lenient(None, env)
    if "baseUrl" in settings.sources:
        model = f" ({settings.model})" if settings.model else ""
        return Endpoint(
            True, f"model: {settings.base_url}{model}, from {settings.sources['baseUrl']}"
        )
    profile = PROFILES[args.profile]
    share = "" if args.q >= 1 else f", right {args.q:.0%} of the time"
    return Endpoint(
        False,
        f"model: SIMULATED (no network, no API key): a local model server replays this "
        f"file's own code at {args.profile} speed (first token {profile.ttft_ms:.0f} ms, "
        f"{profile.tokens_per_s:.0f} tokens/s{share})",
    )


def default_file() -> Path:
    root = stdlib_root()
    for name in DEFAULT_MODULES:
        path = root / name
        if path.is_file():
            return path
    files = source_files(root, stdlib=True)
    if not files:
        raise SystemExit("ghostls demo: no standard-library module found; pass a FILE")
    return files[0]


def demo_regions(path: Path, seed: int) -> Iterator[Region]:
    chosen = file_regions(path, seed=seed, min_lines=6, max_lines=16)
    if not chosen:
        chosen = file_regions(path, seed=seed, min_lines=2, max_lines=30)
    yield from chosen
    if path.suffix == ".py" and stdlib_root() in path.parents:
        # Typed the whole module's worth: carry on in other modules.
        yield from pick_regions(source_files(stdlib_root(), stdlib=True), seed=seed)


# -- figures -----------------------------------------------------------------------------------


def _fmt_ms(value: float | None) -> str:
    if value is None:
        return "–"
    return "none" if value == float("inf") else f"{value:.0f} ms"


def summary(replay: Replay, calls: int, endpoint: Endpoint, seconds: float) -> list[str]:
    keys = replay.keys
    chars = sum(len(k.text) for k in keys)
    accepted = [k for k in keys if k.kind == "accept"]
    accepted_chars = sum(len(k.text) for k in accepted)
    pauses = [time_to_suggestion(k) for k in keys if k.due and is_pause(k)]
    ready = sum(1 for k in keys if shown(k))
    saved = 1 - calls / max(len(keys), 1)
    lines = [
        f"ghostls demo: {seconds:.0f} s of typing, {len(keys)} keys, {len(accepted)} suggestions "
        f"accepted ({accepted_chars / max(chars, 1):.0%} of the code written).",
        f"  model calls: {calls} for {len(keys)} keys"
        + (f" ({saved:.0%} fewer than one per key)" if keys and saved > 0 else ""),
    ]
    if pauses:
        lines.append(
            "  suggestion on screen when the typist paused: "
            f"p50 {_fmt_ms(percentile(pauses, 50))}, p95 {_fmt_ms(percentile(pauses, 95))} "
            f"after the key ({len(pauses)} pause{'s' if len(pauses) != 1 else ''})"
        )
    lines.append(
        f"  a suggestion for the current text was ready before the next key after "
        f"{ready / max(len(keys), 1):.0%} of the keys"
    )
    lines.append(f"  {endpoint.description}")
    if replay.server.command_errors:
        lines.append(
            f"  note: {len(replay.server.command_errors)} `ghostls.accepted` commands failed: "
            f"{replay.server.command_errors[0]}"
        )
    return lines


# -- screens -----------------------------------------------------------------------------------


class PlainLog(Observer):
    """Line output for pipes and CI: what was accepted, each finished line, the summary."""

    def __init__(self, out: TextIO, endpoint: Endpoint) -> None:
        self.out = out
        self.endpoint = endpoint
        self.regions = 0

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def opened(self, replay: Replay) -> None:
        region = replay.region
        if region is None:
            return
        if not self.regions:
            self._print(self.endpoint.description)
        self.regions += 1
        self._print(f"typing {region.path} lines {region.first_line + 1}-{region.last_line}")

    def pressed(self, replay: Replay, key: Keystroke) -> None:
        t = key.at - (replay.started_at or key.at)
        if key.kind == "accept":
            first = key.text.split("\n", 1)[0]
            more = key.text.count("\n")
            lines = f" (+{more} lines)" if more else ""
            self._print(f"[{t:5.1f}s] Tab: accepted {first.strip()!r}{lines}")
        if key.kind == "enter" and replay.truth is not None:
            truth = replay.truth
            line_end = truth.pos - len(key.text)
            line_start = truth.text.rfind("\n", 0, line_end) + 1
            self._print(f"[{t:5.1f}s]   | {truth.text[line_start:line_end]}")


class LiveScreen(Observer):
    """The code redrawn in place, ghost text dim, accepted code highlighted, figures below."""

    def __init__(
        self, out: TextIO, endpoint: Endpoint, seconds: float, calls: Callable[[], int]
    ) -> None:
        self.out = out
        self.endpoint = endpoint
        self.seconds = seconds
        self.calls = calls
        self.height = 0
        self.last_ms: float | None = None

    def opened(self, replay: Replay) -> None:
        self.draw(replay)

    def pressed(self, replay: Replay, key: Keystroke) -> None:
        self.draw(replay)

    def answered(self, replay: Replay, key: Keystroke) -> None:
        if key.suggestion and key.answered_at is not None:
            self.last_ms = (key.answered_at - key.at) * 1000
        self.draw(replay)

    def _segments(self, replay: Replay) -> list[tuple[str, str]]:
        truth = replay.truth
        region = replay.region
        if truth is None or region is None:
            return []
        text = truth.text
        window_start = text.rfind("\n", 0, max(truth.start - 1, 0))
        window_start = max(0, text.rfind("\n", 0, max(window_start, 0)) + 1)
        segments: list[tuple[str, str]] = []
        cursor = window_start
        for begin, end in replay.accepted_spans:
            if end <= cursor:
                continue
            segments.append((text[cursor:begin], ""))
            segments.append((text[max(begin, cursor) : end], ACCEPTED))
            cursor = end
        segments.append((text[cursor : truth.pos], ""))
        item = replay.shown_item
        ghost = item_text(item) if item is not None else ""
        segments.append((ghost[:1] or " ", CURSOR + (DIM if ghost else "")))
        segments.append((ghost[1:], DIM))
        segments.append((text[truth.end : truth.end + 2000], ""))
        return segments

    def _code_lines(self, replay: Replay, width: int) -> list[str]:
        lines: list[list[tuple[str, str]]] = [[]]
        cursor_line = 0
        for text, style in self._segments(replay):
            if style.startswith(CURSOR):
                cursor_line = len(lines) - 1
            parts = text.split("\n")
            for index, part in enumerate(parts):
                if index:
                    lines.append([])
                if part:
                    lines[-1].append((part, style))
        first = max(0, min(cursor_line - CODE_LINES * 2 // 3, len(lines) - CODE_LINES))
        shown_lines = lines[first : first + CODE_LINES]
        rendered = []
        for segments in shown_lines:
            room = width - 4
            out = []
            for text, style in segments:
                if room <= 0:
                    break
                piece = text.expandtabs(4)[:room]
                room -= len(piece)
                out.append(f"{style}{piece}{RESET}" if style else piece)
            rendered.append("  " + "".join(out))
        rendered += [""] * (CODE_LINES - len(rendered))
        return rendered

    def _status(self, replay: Replay, width: int) -> str:
        keys = replay.keys
        elapsed = time.monotonic() - replay.started_at if replay.started_at else 0.0
        pauses = [time_to_suggestion(k) for k in keys if k.due and is_pause(k)]
        accepted = [k for k in keys if k.kind == "accept"]
        chars = sum(len(k.text) for k in keys)
        share = sum(len(k.text) for k in accepted) / max(chars, 1)
        calls = self.calls()
        saved = 1 - calls / max(len(keys), 1)
        parts = [
            f"{elapsed:4.1f}/{self.seconds:.0f} s",
            f"{len(keys)} keys",
            f"{calls} model calls ({max(saved, 0):.0%} saved)",
            f"{len(accepted)} accepted = {share:.0%} of the code",
            f"last suggestion in {_fmt_ms(self.last_ms)}",
        ]
        if pauses:
            parts.append(f"at pauses p50 {_fmt_ms(percentile(pauses, 50))}")
        return " · ".join(parts)[: width - 1]

    def draw(self, replay: Replay) -> None:
        width = max(shutil.get_terminal_size((100, 30)).columns, 40)
        region = replay.region
        title = f"{BOLD}ghostls demo{RESET}"
        if region is not None:
            title += f" — {region.path} (lines {region.first_line + 1}-{region.last_line})"
        lines = [
            title,
            f"{DIM}{self.endpoint.description[: width - 1]}{RESET}",
            "",
            *self._code_lines(replay, width),
            "",
            self._status(replay, width),
        ]
        up = f"\x1b[{self.height}F" if self.height else ""
        body = "".join(f"{CLEAR_LINE}{line}\n" for line in lines)
        self.out.write(up + body)
        self.out.flush()
        self.height = len(lines)


# -- running -----------------------------------------------------------------------------------


async def run_demo(args: argparse.Namespace, out: TextIO, *, live: bool) -> int:
    quiet_client_logs()
    env = dict(os.environ)
    endpoint = find_endpoint(args, env)
    path = Path(args.file) if args.file else await asyncio.to_thread(default_file)
    if not path.is_file():
        print(f"ghostls demo: {path}: no such file", file=sys.stderr)
        return 2
    regions = demo_regions(path, args.seed)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, stop.set)
    oracle = None if endpoint.real else Oracle(q=args.q, seed=args.seed)
    model: ModelServer | None = None
    replay: Replay | None = None
    server: ServerConnection | None = None

    def calls_so_far() -> int:
        """Model calls since the first key (the local model server's record)."""
        if model is None or replay is None or replay.started_at is None:
            return int(server.status.get("modelCalls", 0)) if server is not None else 0
        started = replay.started_at
        ended = replay.ended_at or float("inf")
        return sum(
            1
            for r in model.requests
            if r.path in COMPLETION_PATHS and started <= r.received_at <= ended
        )

    screen: Observer = (
        LiveScreen(out, endpoint, args.seconds, calls_so_far) if live else PlainLog(out, endpoint)
    )
    settings: dict[str, Any] = dict(STRATEGIES["ghostls"])
    try:
        if endpoint.real:
            if endpoint.base_url:
                settings["baseUrl"] = endpoint.base_url
            server = await ServerConnection.start(settings, env=env)
        else:
            model = ModelServer(profile=args.profile, responder=oracle, seed=args.seed)
            await model.start()
            model.add_rule("return None", contains=WARM_UP_MARK, times=1)
            settings |= {"baseUrl": model.base_url, "model": MODEL, "promptMode": "fim"}
            server = await ServerConnection.start(settings, env=server_env())
            await server.warm_up()
        typist = Typist(args.typist, args.seed)
        replay = Replay(server, regions, typist, oracle=oracle, observer=screen, noop_every_s=None)
        if live:
            out.write(HIDE_CURSOR)
        try:
            await replay.run(args.seconds, stop)
            stats = await server.stats() if server.alive else {}
        finally:
            await server.aclose()
        seconds = (replay.ended_at or 0.0) - (replay.started_at or 0.0)
        if model is not None:
            calls = calls_so_far()
        else:
            calls = int(stats.get("counters", {}).get("modelCalls", 0))
    finally:
        if live:
            out.write(SHOW_CURSOR)
            out.flush()
        if model is not None:
            await model.stop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
    print("", file=out)
    for line in summary(replay, calls, endpoint, seconds):
        print(line, file=out)
    if stop.is_set():
        print("(stopped early)", file=out)
    return 0


def main(args: argparse.Namespace) -> int:
    live = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    try:
        return asyncio.run(run_demo(args, sys.stdout, live=live))
    except KeyboardInterrupt:
        print("\nghostls demo: interrupted", file=sys.stderr)
        return 130
