"""`ghostls bench --quick` and `ghostls demo` end to end: real server, real protocol, local
model. Structure and sanity only, never timing thresholds (machines are shared and noisy)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def ghostls(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("API_KEY")}
    env = {k: v for k, v in env.items() if not k.startswith("GHOSTLS_")}
    env.pop("OPENAI_BASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "ghostls", "--log-level", "WARNING", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def test_bench_quick_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = ghostls("bench", "--quick", "--seconds", "2.5", "--json", str(out))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("# ghostls bench")
    assert "## cerebras" in text
    assert "## groq" not in text
    for strategy in ("naive", "fixed-350", "fixed-50", "ghostls"):
        assert f"| {strategy} |" in text
    assert "## Targets" in text
    assert "## Lean streaming" in text
    payload = json.loads(out.read_text())
    sessions = {s["strategy"]: s for s in payload["sessions"]}
    assert set(sessions) == {"naive", "fixed-350", "fixed-50", "ghostls"}
    for session in sessions.values():
        assert session["profile"] == "cerebras"
        assert session["keystrokes"] > 0
        assert session["server"]["counters"]["requests"] >= session["keystrokes"] - 1
    # The naive strategy calls the model for (nearly) every keystroke; the others don't.
    naive = sessions["naive"]
    assert naive["modelCalls"] >= 0.8 * naive["keystrokes"]
    assert sessions["fixed-350"]["modelCalls"] < naive["keystrokes"]
    streaming = payload["leanStreaming"]
    assert streaming["sdkMicrosPerChunk"] > 0
    assert streaming["leanMicrosPerChunk"] > 0
    labels = {t["label"] for t in payload["targets"]}
    assert "tail overhead (model's last byte → answer) p50 ≤ 2 ms" in labels
    assert "suggestions accepted ≥ 0.95× fixed-50's" in labels


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="needs ghostls[bench]")
def test_bench_plot_draws_the_pause_times_and_the_frontier(tmp_path: Path) -> None:
    out = tmp_path / "bench.png"
    args = ("--quick", "--seconds", "2.5", "--strategies", "fixed-350,ghostls", "--plot", str(out))
    done = ghostls("bench", *args)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is not None, reason="installed")
def test_bench_plot_without_matplotlib_says_what_to_install() -> None:
    done = ghostls("bench", "--quick", "--plot", "x.png", timeout=30)
    assert done.returncode == 2
    assert "matplotlib" in done.stderr
    assert "ghostls[bench]" in done.stderr


def test_demo_in_a_pipe_prints_lines_and_a_summary() -> None:
    done = ghostls("demo", "--seconds", "3")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "\x1b[" not in text  # no terminal control codes when not on a terminal
    assert "SIMULATED" in text
    assert "typing " in text
    assert "ghostls demo:" in text
    assert "model calls:" in text


def test_bench_next_edit_with_a_model_always_right_offers_every_edit_exactly(
    tmp_path: Path,
) -> None:
    """With a model that always answers the true next state, every edit due comes out of the
    server exactly, none is wrong, and a complete change is left alone: the window, prompt,
    answer reading, diff and chained prefetch lose nothing."""
    out = tmp_path / "next-edit.json"
    done = ghostls("bench", "--next-edit", "--quick", "--q", "1", "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert "| rename |" in done.stdout and "| all |" in done.stdout
    figures = json.loads(out.read_text())["all"]
    assert figures["cases"] == 12
    assert figures["due"] >= figures["cases"]
    assert figures["exact"] == figures["due"]
    assert figures["wrong"] == 0 and figures["missed"] == 0
    assert figures["leftAlone"] == figures["complete"] == figures["cases"]
    # The next edit after an accepted one was fetched ahead: one call per step, no more.
    assert figures["modelCalls"] == figures["due"] + figures["complete"]
