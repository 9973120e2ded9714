"""The latency engine: debounce, cache, reuse, single-flight, prefetch, budget, stats."""

from ghostls.engine.engine import Answer, Engine, EngineOptions, State

__all__ = ["Answer", "Engine", "EngineOptions", "State"]
