"""Consecutive keystrokes' prompts share the longest possible prefix (provider-side prompt
caches and llama.cpp's KV cache reuse it): measured while re-typing real code."""

from __future__ import annotations

import statistics
from dataclasses import replace

import pytest

from ghostls.presets import FIM_TEMPLATES
from ghostls.prompts import PromptOptions, build_request
from ghostls.prompts.sizing import allocate
from ghostls.snapshot import Snapshot, Windows, take_snapshot
from tests.prompts.typing import NEIGHBOURS, open_workspace, retype

FILE, FIRST_LINE, LINES = "textwrap.py", 120, 40


def _text(snapshot: Snapshot, options: PromptOptions) -> str:
    request = build_request(snapshot, options)
    if request.endpoint == "chat":
        return "\n".join(message["content"] for message in request.messages)
    return request.prompt + "\x00" + (request.suffix or "")


def _shared(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    low, high = 0, limit
    while low < high:  # binary search on prefix equality: fast on long prompts
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _options(mode: str, template: str = "qwen") -> PromptOptions:
    fim = FIM_TEMPLATES[template]
    return PromptOptions(mode=mode, model="m", fim_template=fim.template)  # type: ignore[arg-type]


def _measure(options: PromptOptions, *, grid_lines: int = 16) -> dict[str, float]:
    store, service = open_workspace(NEIGHBOURS)
    previous: str | None = None
    shares: list[float] = []
    chars: list[int] = []
    for doc, point in retype(store, FILE, FIRST_LINE, LINES):
        snapshot = service.snapshot(doc, point, roots=("/ws",))
        if grid_lines != 16:
            # The same budget, windows sliding with the cursor.
            allocation = allocate(service.budget.tokens())
            windows = Windows(allocation.prefix_chars, allocation.suffix_chars, grid_lines)
            snapshot = replace(take_snapshot(doc, point, windows), related=snapshot.related)
        text = _text(snapshot, options)
        if previous is not None:
            shared = _shared(previous, text)
            shares.append(shared / len(previous))
            chars.append(shared)
        previous = text
    return {
        # Keystrokes whose prompt shares less than half of the previous one: the prompt's
        # start moved, a prompt cache misses.
        "breaks": sum(share < 0.5 for share in shares),
        "median_share": statistics.median(shares),
        "p10_share": sorted(shares)[len(shares) // 10],
        "median_chars": statistics.median(chars),
        "keystrokes": len(shares),
    }


@pytest.mark.parametrize(
    ("mode", "template", "median_at_least", "p10_at_least"),
    [
        ("chat", "qwen", 0.95, 0.85),
        ("fim", "qwen", 0.7, 0.5),
        ("fim-tokens", "qwen", 0.7, 0.5),
        ("fim-tokens", "codestral", 0.95, 0.85),
    ],
)
def test_consecutive_prompts_share_their_start(
    mode: str, template: str, median_at_least: float, p10_at_least: float
) -> None:
    figures = _measure(_options(mode, template))
    print(f"\n{mode}/{template}: {figures}")
    assert figures["median_share"] >= median_at_least
    assert figures["p10_share"] >= p10_at_least
    assert figures["breaks"] <= figures["keystrokes"] * 0.01


def test_the_grid_keeps_the_start_where_a_sliding_window_moves_it() -> None:
    options = _options("fim-tokens", "codestral")
    snapped = _measure(options)
    sliding = _measure(options, grid_lines=1)
    print(f"\nsnapped {snapped}\nsliding {sliding}")
    assert snapped["breaks"] * 5 < sliding["breaks"]
