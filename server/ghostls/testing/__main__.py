"""`python -m ghostls.testing`: run the local model server until SIGINT or SIGTERM.

The first line on stdout is the base URL (http://127.0.0.1:PORT/v1); logs go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .control import ControlUpdate, parse_update
from .model_server import ModelServer
from .replies import PROFILES


def build_parser() -> argparse.ArgumentParser:
    """The command line of the model server."""
    parser = argparse.ArgumentParser(
        prog="python -m ghostls.testing",
        description="A local OpenAI-compatible model server for tests and demos.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free one)")
    parser.add_argument("--profile", default="instant", choices=sorted(PROFILES))
    parser.add_argument("--answer", help="the default reply's text")
    parser.add_argument(
        "--rules", type=Path, help="a JSON rules document, as POST /_control/rules takes"
    )
    parser.add_argument(
        "--no-suffix", action="store_true", help="refuse /v1/completions requests with a suffix"
    )
    parser.add_argument(
        "--rate-limit", type=int, metavar="N", help="allow N requests per sliding minute"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the latency jitter")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def read_rules(path: Path) -> ControlUpdate:
    """Read and check a rules document."""
    return parse_update(json.loads(path.read_text(encoding="utf-8")))


async def serve(args: argparse.Namespace, rules: ControlUpdate | None) -> None:
    """Serve until SIGINT or SIGTERM, after printing the base URL."""
    server = ModelServer(
        profile=args.profile,
        host=args.host,
        port=args.port,
        seed=args.seed,
        accept_suffix=not args.no_suffix,
        rate_limit_per_minute=args.rate_limit,
    )
    if args.answer is not None:
        server.default_reply = args.answer
    if rules is not None:
        server.load_rules(rules)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(signum, stop.set)
    async with server:
        print(server.base_url, flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the model server; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        rules = read_rules(args.rules) if args.rules else None
    except (OSError, ValueError, TypeError) as exc:
        parser.error(f"--rules {args.rules}: {exc}")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args, rules))
    return 0


if __name__ == "__main__":
    sys.exit(main())
