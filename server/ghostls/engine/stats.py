"""Counters and latency percentiles, answered by the `ghostls/stats` request."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_WINDOW = 2000


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile (0..100), linear between ranks; infinities allowed (a rank that
    touches one is infinite). None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    if math.isinf(ordered[high]) or low == high:
        return ordered[high] if low != high else ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Breakdown:
    """Where one answer's time went, in milliseconds."""

    debounce: float = 0.0
    ttft: float = 0.0
    stream: float = 0.0
    postprocess: float = 0.0
    total: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "debounceMs": round(self.debounce, 2),
            "ttftMs": round(self.ttft, 2),
            "streamMs": round(self.stream, 2),
            "postprocessMs": round(self.postprocess, 2),
            "totalMs": round(self.total, 2),
        }


COUNTERS = (
    "requests",
    "answered",
    "empty",
    "superseded",
    "cancelled",
    "modelCalls",
    "modelErrors",
    "rateLimited",
    "earlyStops",
    "cacheHits",
    "typedAheadHits",
    "inflightHits",
    "singleFlightHits",
    "prefetches",
    "prefetchHits",
    "accepted",
    "skippedByBudget",
    "breakerOpen",
    # next-edit suggestions (ghostls.nextedit)
    "nextEditRequests",
    "nextEditCalls",
    "nextEditOffered",
    "nextEditShown",
    "nextEditAccepted",
    "nextEditNoChange",
    "nextEditDropped",
    "nextEditStale",
    "nextEditCancelled",
    "nextEditNoHistory",
    "nextEditPrefetches",
    "nextEditPrefetchHits",
)


# Answer sources and the latency series of their total time (camelCase, as JSON clients like).
_SERIES = {
    "model": "model",
    "cache": "cache",
    "typed-ahead": "typedAhead",
    "in-flight": "inFlight",
    "prefetch": "prefetch",
}


@dataclass
class Stats:
    counters: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    latencies: dict[str, deque[float]] = field(default_factory=dict)

    def count(self, name: str, amount: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + amount

    def observe(self, name: str, millis: float) -> None:
        series = self.latencies.get(name)
        if series is None:
            series = self.latencies[name] = deque(maxlen=_WINDOW)
        series.append(millis)

    def observe_breakdown(self, source: str, breakdown: Breakdown) -> None:
        self.observe(_SERIES[source], breakdown.total)
        if source == "model":
            self.observe("debounce", breakdown.debounce)
            self.observe("ttft", breakdown.ttft)
            self.observe("stream", breakdown.stream)
            self.observe("postprocess", breakdown.postprocess)

    def snapshot(self) -> dict[str, Any]:
        latency: dict[str, dict[str, float | int | None]] = {}
        for name, series in sorted(self.latencies.items()):
            values = list(series)
            latency[name] = {
                "count": len(values),
                "p50": _round(percentile(values, 50)),
                "p90": _round(percentile(values, 90)),
                "p95": _round(percentile(values, 95)),
                "p99": _round(percentile(values, 99)),
            }
        return {"counters": dict(self.counters), "latencyMs": latency}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
