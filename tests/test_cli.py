"""The command line: --version, --tcp, `ghostls check` and `ghostls complete`."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from ghostls import __version__
from ghostls.testing import ModelServerThread


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ghostls", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def _clean_env(**extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.endswith("API_KEY") and "GHOSTLS" not in k}
    env.update(extra)
    return env


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"ghostls {__version__}"


def test_check_reports_sources_masks_the_key_and_measures() -> None:
    with ModelServerThread(profile="cerebras") as model:
        model.add_rule("fibonacci(n - 1) + fibonacci(n - 2)")
        env = _clean_env(
            GHOSTLS_BASE_URL=model.base_url,
            GHOSTLS_MODEL="ghost-coder",
            GHOSTLS_PROMPT_MODE="fim",
            GHOSTLS_API_KEY="sk-test-0123456789abcdef",
        )
        result = _run("check", env=env)
    out = result.stdout
    assert result.returncode == 0, out
    assert "environment: GHOSTLS_BASE_URL" in out
    assert "0123456789abcdef" not in out + result.stderr
    assert "time to first token: p50" in out
    assert "verdict: READY" in out


def test_check_hints_when_suffix_is_rejected() -> None:
    with ModelServerThread(accept_suffix=False) as model:
        env = _clean_env(
            GHOSTLS_BASE_URL=model.base_url, GHOSTLS_MODEL="ghost-coder", GHOSTLS_PROMPT_MODE="fim"
        )
        result = _run("check", env=env)
    assert result.returncode == 1
    assert "verdict: NOT READY" in result.stdout
    assert "use promptMode chat or fim-tokens" in result.stdout


def test_check_endpoint_down() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = _clean_env(GHOSTLS_BASE_URL=f"http://127.0.0.1:{port}/v1", GHOSTLS_MODEL="m")
    result = _run("check", env=env)
    assert result.returncode == 1
    assert "NOT READY" in result.stdout
    assert "start the model server or fix baseUrl" in result.stdout


def test_complete_prints_the_suggestion_and_breakdown(tmp_path: Path) -> None:
    source = tmp_path / "calc.py"
    source.write_text("def add(a, b):\n    return \n", encoding="utf-8")
    with ModelServerThread() as model:
        model.add_rule("```python\nreturn a + b\n```", contains="def add")
        env = _clean_env(GHOSTLS_BASE_URL=model.base_url, GHOSTLS_MODEL="ghost-coder")
        result = _run("complete", str(source), "--line", "1", "--character", "11", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "a + b"
    assert "ttft" in result.stdout and "total" in result.stdout
    assert "queue" not in result.stdout  # a stage the engine does not have


async def test_tcp_mode_serves_lsp() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ghostls",
        "--tcp",
        f"127.0.0.1:{port}",
        stderr=asyncio.subprocess.PIPE,
    )
    client = LanguageClient("tcp-test", "0")
    try:
        for _ in range(100):
            try:
                await client.start_tcp("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        result = await asyncio.wait_for(
            client.initialize_async(
                types.InitializeParams(capabilities=types.ClientCapabilities())
            ),
            10,
        )
        assert result.capabilities.inline_completion_provider is not None
    finally:
        process.kill()
        await process.wait()
        await client.stop()


# What `pip install ghostls` gives: no aiohttp (the `lab` extra), as if it were absent.
_WITHOUT_AIOHTTP = (
    "import sys; sys.modules['aiohttp'] = None; from ghostls.cli import main; "
    "sys.exit(main(sys.argv[1:]))"
)


@pytest.mark.parametrize("command", [("demo",), ("bench", "--quick")])
def test_lab_commands_without_the_lab_extra_name_it_in_one_line(command: tuple[str, ...]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_AIOHTTP, *command],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "pip install 'ghostls[lab]'" in line
