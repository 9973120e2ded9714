"""The real code model for these tests: at $GHOSTLS_REAL_MODEL_URL when set, else started here
through ../shared/models/qwen-coder.sh (beside the repository) once its setup has run. Without
either, every test here skips and says why."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2].parent / "shared" / "models" / "qwen-coder.sh"
PORT = "18819"


def _model_file_ready() -> bool:
    found = subprocess.run(
        ["bash", str(SCRIPT), "path"], capture_output=True, text=True, check=False
    )
    return found.returncode == 0 and Path(found.stdout.strip()).is_file()


@pytest.fixture(scope="session")
def real_model_url() -> Iterator[str]:
    url = os.environ.get("GHOSTLS_REAL_MODEL_URL")
    if url:
        yield url
        return
    if not SCRIPT.is_file():
        pytest.skip(f"no real model: GHOSTLS_REAL_MODEL_URL is unset and {SCRIPT} is absent")
    if not _model_file_ready():
        pytest.skip(f"no real model: run `bash {SCRIPT} setup` first")
    started = subprocess.run(
        ["bash", str(SCRIPT), "serve", PORT], capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        pytest.skip(f"no real model: `{SCRIPT} serve` failed: {started.stderr.strip()[-300:]}")
    pid = int(started.stdout.strip().split()[-1])
    url = f"http://127.0.0.1:{PORT}/v1"
    try:
        problem = _first_completion_fails(url)
        if problem is not None:
            pytest.skip(f"no real model: its server lists models but {problem}")
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def _first_completion_fails(url: str) -> str | None:
    """Why a short completion fails (a server built for instructions this machine does not
    allow, such as AMX tiles in a virtual machine, dies on the first prompt of a few dozen
    tokens), or None."""
    prompt = "".join(f"def f{n}(x):\n    return x + {n}\n\n" for n in range(12))
    body = json.dumps({"model": "qwen-coder", "prompt": prompt, "max_tokens": 4}).encode()
    request = urllib.request.Request(
        f"{url}/completions", body, {"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        return f"its first completion failed ({exc}): the server crashed or hung"
    return None
