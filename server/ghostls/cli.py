"""Command line: `ghostls` serves LSP on stdio; the other commands are for people at a terminal."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ghostls import __version__
from ghostls.logs import SECRETS, setup_logging

if TYPE_CHECKING:
    from ghostls.engine.engine import Reuse


def _parse_tcp(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError("expected HOST:PORT, e.g. 127.0.0.1:2087")
    return host, int(port)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ghostls",
        description="AI ghost text and code actions for any LSP editor, from any "
        "OpenAI-compatible model. With no command, serves LSP on stdio.",
    )
    parser.add_argument("--version", action="version", version=f"ghostls {__version__}")
    parser.add_argument("--tcp", type=_parse_tcp, metavar="HOST:PORT", help="serve on TCP")
    parser.add_argument("--log-file", help="write logs here (default: stderr)")
    parser.add_argument(
        "--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    # How much earlier work answers may reuse: for the benchmark's baselines only.
    parser.add_argument(
        "--lab-reuse", default="full", choices=["full", "exact", "none"], help=argparse.SUPPRESS
    )
    commands = parser.add_subparsers(dest="command")

    check = commands.add_parser("check", help="check the configuration and the endpoint")
    check.add_argument("--config", help="a JSON file of settings, as an editor would send")

    complete = commands.add_parser("complete", help="complete at a position of a file, once")
    complete.add_argument("file")
    complete.add_argument("--line", type=int, required=True, help="0-based line")
    complete.add_argument("--character", type=int, required=True, help="0-based column (UTF-16)")
    complete.add_argument("--config", help="a JSON file of settings")
    complete.add_argument("--language", help="language id (default: from the extension)")

    from ghostls.replay.options import add_bench_arguments, add_demo_arguments

    add_demo_arguments(commands.add_parser("demo", help="watch ghost text appear (no API key)"))
    add_bench_arguments(commands.add_parser("bench", help="replay typing: strategies compared"))
    return parser


def _load_config(path: str | None) -> dict[str, object] | None:
    if path is None:
        return None
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise SystemExit(f"ghostls: {path}: expected a JSON object of settings")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(args.log_level, args.log_file)
    SECRETS.add(value for key, value in os.environ.items() if key.endswith("API_KEY"))
    if args.command is None:
        return _serve(args.tcp, args.lab_reuse)
    if args.command == "check":
        from ghostls.tools.check import run_check

        return asyncio.run(run_check(_load_config(args.config), os.environ, sys.stdout))
    if args.command == "complete":
        from ghostls.tools.complete import run_complete

        return asyncio.run(
            run_complete(
                args.file,
                args.line,
                args.character,
                config=_load_config(args.config),
                language=args.language,
                env=os.environ,
                out=sys.stdout,
            )
        )
    if args.command in ("bench", "demo") and importlib.util.find_spec("aiohttp") is None:
        raise SystemExit(
            f"ghostls {args.command} runs a local model server, which needs the lab extra: "
            "pip install 'ghostls[lab]'"
        )
    if args.command == "bench" and args.next_edit:
        from ghostls.replay.nextedit_bench import main as next_edit

        return next_edit(args)
    if args.command == "bench" and args.quality and args.endpoint:
        from ghostls.replay.real_quality import main as real_quality

        return real_quality(args)
    if args.command == "bench" and args.quality:
        from ghostls.replay.quality.command import main as quality

        return quality(args)
    if args.command == "bench":
        from ghostls.replay.bench import main as bench

        return bench(args)
    if args.command == "demo":
        from ghostls.replay.demo import main as demo

        return demo(args)
    raise AssertionError(f"unhandled command {args.command}")


def _serve(tcp: tuple[str, int] | None, reuse: Reuse) -> int:
    from ghostls.server import create_server

    server = create_server(reuse=reuse)
    if tcp is not None:
        server.start_tcp(*tcp)
    else:
        server.start_io()
    return 0
