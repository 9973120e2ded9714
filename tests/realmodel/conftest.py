"""The real code model for these tests: at $GHOSTLS_REAL_MODEL_URL when set, else started here
through ../shared/models/qwen-coder.sh (beside the repository) once its setup has run. Without
either, every test here skips and says why."""

from __future__ import annotations

import os
import signal
import subprocess
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
    try:
        yield f"http://127.0.0.1:{PORT}/v1"
    finally:
        os.kill(pid, signal.SIGTERM)
