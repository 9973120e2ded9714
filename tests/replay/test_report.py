"""The bench's report from figures: the table, the targets, the JSON (no server needed)."""

from __future__ import annotations

import json
import math

from ghostls.replay.bench import BenchConfig, BenchResult, markdown, target_checks, to_json
from ghostls.replay.bench import _debounce_notes as debounce_notes
from ghostls.replay.metrics import Figures
from ghostls.replay.streaming import StreamingFigures


def figures(
    strategy: str, calls: int, pauses: list[float], overhead: list[float], accepts: int = 10
) -> Figures:
    f = Figures(strategy, "cerebras", seconds=60.0, keystrokes=200, model_calls=calls)
    f.acceptances = accepts
    f.chars = 100 * accepts
    f.prompt_tokens = 1000 * calls
    f.cacheable_prompt_tokens = 800 * calls
    f.overhead_after_ms = [value / 2 for value in overhead]
    f.pause_times_ms = pauses
    f.pauses = len(pauses)
    f.overhead_ms = overhead
    f.overhead_before_ms = [value / 2 for value in overhead]
    f.debounce_ms = [0.0] * len(overhead)
    f.instant_ms = [1.0, 1.2]
    f.noop_ms = [1.0, 1.0]
    f.server = {"counters": {"prefetches": 3, "prefetchHits": 1}, "latencyMs": {}}
    return f


def result() -> BenchResult:
    config = BenchConfig(profiles=("cerebras",), seconds=60.0)
    bench = BenchResult(config, streaming=StreamingFigures(100, 120.0, 3.0), load=[0.5, 0.6])
    bench.sessions = [
        figures("naive", 200, [70.0, 80.0], [1.0, 1.5]),
        figures("fixed-350", 50, [420.0, math.inf], [1.0], accepts=4),
        figures("fixed-50", 100, [90.0, 120.0], [1.0], accepts=10),
        figures("ghostls", 55, [60.0, 90.0, 95.0], [1.0, 1.2, 1.8], accepts=10),
    ]
    return bench


def test_the_targets_are_checked_against_the_figures() -> None:
    checks = {check.label: check for check in target_checks(result())}
    assert checks["suggestions accepted ≥ 0.95× fixed-50's"].met
    assert checks["code written ≥ 0.95× fixed-50's"].met
    assert checks["model calls per minute ≤ 0.6× fixed-50's"].met
    assert checks["prompt tokens per minute ≤ 0.6× fixed-50's"].met
    assert checks["fresh suggestion at pauses p50 ≤ 100 ms"].met
    assert checks["tail overhead (model's last byte → answer) p50 ≤ 2 ms"].met
    assert checks["reuse answers p50 ≤ 1.5× a no-op round trip"].met


def test_under_a_budget_the_targets_compare_with_fixed_350() -> None:
    bench = result()
    bench.config = BenchConfig(profiles=("cerebras",), seconds=60.0, budget=30)
    checks = {check.label: check for check in target_checks(bench)}
    assert checks["under the budget, pause p50 no worse than fixed-350's"].met
    assert checks["under the budget, accepts ≥ 1.5× fixed-350's"].met
    assert "fresh suggestion at pauses p50 ≤ 100 ms" not in checks
    assert "a budget of 30 model calls per minute" in markdown(bench)


def test_the_markdown_has_a_row_per_strategy_and_marks_the_targets() -> None:
    text = markdown(result())
    assert text.count("| ghostls |") == 2  # the figures and the server-side table
    # One pause of two got no suggestion: the median already counts it as never.
    assert "| fixed-350 | 200 | 4 | 400 | none / none | 50% |" in text
    assert "- ✓ model calls per minute ≤ 0.6× fixed-50's: 55 vs 100 (0.55×)" in text
    assert "40.0× less" in text
    assert "load average 0.50" in text


def test_a_replayed_debounce_longer_than_the_wait_hides_the_overhead() -> None:
    bench = result()
    ours = bench.sessions[3]
    ours.overhead_before_ms = [-30.0, -40.0, 0.5]
    notes = debounce_notes(bench)
    assert len(notes) == 1
    assert "not shown" in notes[0]
    assert not ours.overhead_known
    assert "| n/a / n/a |" in markdown(bench)


def test_the_json_has_no_infinities() -> None:
    payload = to_json(result())
    text = json.dumps(payload, allow_nan=False)
    sessions = json.loads(text)["sessions"]
    fixed = next(s for s in sessions if s["strategy"] == "fixed-350")
    assert fixed["pauseToSuggestionMs"]["values"] == [420.0, None]
    assert fixed["pauseToSuggestionMs"]["p95"] == "inf"
