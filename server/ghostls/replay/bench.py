"""`ghostls bench`: strategies side by side, replayed keystroke by keystroke through the real
server against the local model server, at real speed.

Each strategy × latency profile is a fresh `python -m ghostls` and a fresh model server; every
session types the same regions with the same typist (same seed). See `ghostls.replay` for
the simulation and `ghostls.replay.metrics` for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import math
import os
import statistics
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ghostls.engine.stats import percentile
from ghostls.replay.corpus import Region, pick_regions, source_files, stdlib_root
from ghostls.replay.metrics import (
    COMPLETION_PATHS,
    Figures,
    Keystroke,
    ModelCall,
    figures_of,
)
from ghostls.replay.options import PROFILE_NAMES, STRATEGY_NAMES
from ghostls.replay.oracle import Oracle
from ghostls.replay.session import (
    ACCEPTED_COMMAND,
    REUSE,
    STRATEGIES,
    WARM_UP_MARK,
    Replay,
    ServerConnection,
    quiet_client_logs,
)
from ghostls.replay.streaming import StreamingFigures
from ghostls.replay.typist import Typist
from ghostls.testing import PROFILES, ModelServer
from ghostls.testing.lsp import server_env

MODEL = "ghost-coder"
DEFAULT_SECONDS = 15.0
QUICK_SECONDS = 5.0


@dataclass(frozen=True)
class BenchConfig:
    profiles: tuple[str, ...] = PROFILE_NAMES
    strategies: tuple[str, ...] = STRATEGY_NAMES
    seconds: float = DEFAULT_SECONDS
    q: float = 0.35
    seed: int = 0
    typist: str = "median"
    corpus: str | None = None
    quick: bool = False
    budget: int | None = None  # a request budget (calls per minute) for every strategy

    @property
    def region_lines(self) -> tuple[int, int]:
        return (4, 8) if self.quick else (8, 20)

    @property
    def canonical(self) -> bool:
        """The conditions the targets are stated for."""
        return self.typist == "median" and abs(self.q - 0.35) < 1e-9


@dataclass
class BenchResult:
    config: BenchConfig
    sessions: list[Figures] = field(default_factory=list)
    streaming: StreamingFigures | None = None
    notes: list[str] = field(default_factory=list)
    load: list[float] = field(default_factory=list)  # 1-minute load average, start and end
    cpus: int = 0

    def find(self, strategy: str, profile: str) -> Figures | None:
        return next(
            (f for f in self.sessions if f.strategy == strategy and f.profile == profile), None
        )


# -- running ---------------------------------------------------------------------------------


def corpus_files(config: BenchConfig) -> list[Path]:
    if config.corpus is not None:
        root = Path(config.corpus)
        if not root.is_dir():
            raise SystemExit(f"ghostls bench: --corpus {config.corpus}: not a folder")
        files = source_files(root)
    else:
        files = source_files(stdlib_root(), stdlib=True)
    if not files:
        raise SystemExit("ghostls bench: no source files to type in the corpus")
    return files


def regions(config: BenchConfig, files: Sequence[Path]) -> Iterator[Region]:
    low, high = config.region_lines
    return pick_regions(files, seed=config.seed, min_lines=low, max_lines=high)


def debounce_estimates(strategy: str, keys: Sequence[Keystroke]) -> list[float | None]:
    """The debounce each key's model call waited, in ms. Fixed debounce: the setting. The
    adaptive one: replayed with the server's own debounce code on the same keystroke times
    and cursor contexts (checked against the server's reported debounce afterwards)."""
    setting = STRATEGIES[strategy]["debounceMs"]
    if setting != "auto":
        return [float(setting)] * len(keys)
    from ghostls.engine.debounce import AdaptiveDebounce, cursor_site

    replica = AdaptiveDebounce(None)
    # The learning call has taken the cursor context too in some versions of the engine.
    note: Any = replica.note_request
    with_context = len(inspect.signature(note).parameters) >= 2
    estimates: list[float | None] = []
    for key in keys:
        context = cursor_site(key.prefix_tail, key.suffix_head)
        note(key.sent_at or key.at, *((context,) if with_context else ()))
        estimates.append(replica.delay(context) * 1000)
    return estimates


@dataclass
class Session:
    """One strategy at one profile: a model server and a `python -m ghostls` of its own,
    started ahead of time (the sessions of a profile start together, then type one after
    the other: nothing else runs while one is measured)."""

    config: BenchConfig
    strategy: str
    profile: str
    oracle: Oracle
    model: ModelServer
    server: ServerConnection | None = None

    @classmethod
    async def start(cls, config: BenchConfig, strategy: str, profile: str) -> Session:
        oracle = Oracle(q=config.q, seed=config.seed)
        model = ModelServer(profile=profile, responder=oracle, seed=config.seed)
        await model.start()
        session = cls(config, strategy, profile, oracle, model)
        try:
            model.add_rule("return None", contains=WARM_UP_MARK, times=1)
            settings = {
                "baseUrl": model.base_url,
                "model": MODEL,
                "promptMode": "fim",
                **STRATEGIES[strategy],
            }
            if config.budget:
                settings["rateLimitPerMinute"] = config.budget
            session.server = await ServerConnection.start(
                settings, env=server_env(), reuse=REUSE[strategy]
            )
        except BaseException:
            await session.aclose()
            raise
        return session

    async def run(self, files: Sequence[Path]) -> tuple[Figures, Replay]:
        config, server, model = self.config, self.server, self.model
        assert server is not None
        await server.warm_up()
        typist = Typist(config.typist, config.seed)
        replay = Replay(server, regions(config, files), typist, oracle=self.oracle)
        await replay.run(config.seconds)
        stats = await server.stats()
        started = replay.started_at or 0.0
        ended = replay.ended_at or started
        calls = [
            ModelCall.of(record)
            for record in model.requests
            if record.path in COMPLETION_PATHS and started <= record.received_at <= ended
        ]
        figures = figures_of(
            self.strategy,
            self.profile,
            replay.keys,
            calls,
            seconds=ended - started,
            debounce_ms=debounce_estimates(self.strategy, replay.keys),
            noop_ms=replay.noop_ms,
            server=stats,
        )
        return figures, replay

    async def aclose(self) -> None:
        if self.server is not None:
            await self.server.aclose()
        await self.model.stop()


async def run_bench(config: BenchConfig, progress: TextIO | None = None) -> BenchResult:
    from ghostls.replay import streaming

    quiet_client_logs()
    files = await asyncio.to_thread(corpus_files, config)
    result = BenchResult(config, cpus=os.cpu_count() or 0)
    result.load.append(_load())
    for profile in config.profiles:
        started = await asyncio.gather(
            *(Session.start(config, strategy, profile) for strategy in config.strategies),
            return_exceptions=True,
        )
        sessions = [s for s in started if isinstance(s, Session)]
        try:
            failure = next((s for s in started if isinstance(s, BaseException)), None)
            if failure is not None:
                raise failure
            for session in sessions:
                if progress is not None:
                    print(
                        f"… {profile} / {session.strategy} ({config.seconds:.0f} s)",
                        file=progress,
                    )
                figures, replay = await session.run(files)
                result.sessions.append(figures)
                errors = replay.server.command_errors
                if errors:
                    result.notes.append(
                        f"{profile}/{session.strategy}: {len(errors)} of {figures.acceptances} "
                        f"`{ACCEPTED_COMMAND}` commands failed: {errors[0]}"
                    )
        finally:
            await asyncio.gather(*(s.aclose() for s in sessions), return_exceptions=True)
    result.streaming = await streaming.measure(repetitions=20 if config.quick else 40)
    result.load.append(_load())
    result.notes.extend(_debounce_notes(result))
    return result


def _load() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return -1.0


def _debounce_notes(result: BenchResult) -> list[str]:
    """Check the replayed adaptive debounce against what happened: no model call can start
    before its debounce is over, so a replayed debounce longer than the wait before the call
    means the replay is wrong (the server's own reported debounce can't settle it: a p50 over
    a handful of answers, some at 0 ms and some at 400, swings either way)."""
    notes = []
    for figures in result.sessions:
        if STRATEGIES[figures.strategy]["debounceMs"] != "auto" or not figures.debounce_ms:
            continue
        impossible = sum(1 for before in figures.overhead_before_ms if before < -1.0)
        if impossible > max(1, len(figures.overhead_before_ms) // 10):
            figures.overhead_known = False
            notes.append(
                f"{figures.profile}/{figures.strategy}: the replayed adaptive debounce outlasts "
                f"the wait before {impossible} of {len(figures.overhead_before_ms)} model calls, "
                "so its server overhead (answer − model − debounce) is not shown"
            )
    return notes


# -- reporting -------------------------------------------------------------------------------


def _latency(stats: dict[str, Any], series: str, which: str) -> float | None:
    value = stats.get("latencyMs", {}).get(series, {}).get(which)
    return float(value) if isinstance(value, (int, float)) else None


def source_series(stats: dict[str, Any], source: str) -> dict[str, Any]:
    """The server's latency series of answers from one source ("typed-ahead"...): named in
    camelCase ("typedAhead"), or "total.<source>" by earlier servers."""
    latency = stats.get("latencyMs", {})
    head, *rest = source.split("-")
    camel = head + "".join(part.title() for part in rest)
    series = latency.get(camel) or latency.get(f"total.{source}") or {}
    return series if isinstance(series, dict) else {}


def _ms(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    if math.isinf(value):
        return "none"
    return f"{value:.{digits}f}"


def _overhead(f: Figures, series: str, q: float) -> str:
    return _ms(f.p(series, q), 1) if f.overhead_known else "n/a"


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def profile_title(name: str) -> str:
    profile = PROFILES[name]
    return f"{name} (first token {profile.ttft_ms:.0f} ms, {profile.tokens_per_s:.0f} tokens/s)"


def markdown(result: BenchResult) -> str:
    config = result.config
    out = [
        "# ghostls bench",
        "",
        f"Keystroke replay through `python -m ghostls` (stdio) against the local model server: "
        f"{config.typist} typist, q={config.q:.2f} (share of right answers), seed {config.seed}, "
        f"~{config.seconds:.0f} s of typing per session, corpus: "
        f"{config.corpus or 'this Python standard library'}"
        + (f", a budget of {config.budget} model calls per minute." if config.budget else "."),
        "",
    ]
    if result.load:
        out += [
            f"Machine: {result.cpus} CPUs, 1-minute load average {result.load[0]:.2f} at the "
            f"start, {result.load[-1]:.2f} at the end (above the CPU count, timings include "
            "waiting for a CPU).",
            "",
        ]
    for profile in config.profiles:
        out += [f"## {profile_title(profile)}", ""]
        out += [
            "What the user gets, then what it costs:",
            "",
            "| strategy | keys | suggestions accepted | code written (chars) | to suggestion at "
            "pauses p50 / p95 (ms) | shown at pauses | fresh before next key | model calls/min "
            "| prompt tokens/min | cacheable prompt share | server overhead p50 / p95 (ms) | "
            "instant reuse p50 (ms) | no-op round trip p50 (ms) |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for strategy in config.strategies:
            f = result.find(strategy, profile)
            if f is None:
                continue
            out.append(
                f"| {strategy} | {f.keystrokes} | {f.acceptances} | {f.chars} | "
                f"{_ms(f.p('pause_times_ms', 50))} / {_ms(f.p('pause_times_ms', 95))} | "
                f"{_pct(f.pause_shown_share)} | {_pct(f.shown_share)} | "
                f"{f.calls_per_minute:.0f} | {f.prompt_tokens_per_minute:,.0f} | "
                f"{_pct(f.cacheable_share)} | {_overhead(f, 'overhead_ms', 50)} / "
                f"{_overhead(f, 'overhead_ms', 95)} | {_ms(f.p('instant_ms', 50), 2)} "
                f"(n={len(f.instant_ms)}) | {_ms(f.p('noop_ms', 50), 2)} |"
            )
        out.append("")
        out += _server_table(result, profile)
    out += targets(result)
    if result.streaming is not None:
        s = result.streaming
        out += [
            "## Lean streaming",
            "",
            f"Parsing one chunk of a {s.chunks}-chunk chat stream: openai SDK typed stream "
            f"{s.sdk_us_per_chunk:.1f} µs, raw lines + orjson (ghostls.model) "
            f"{s.lean_us_per_chunk:.1f} µs: {s.ratio:.1f}× less.",
            "",
        ]
    if result.notes:
        out += ["## Notes", "", *[f"- {note}" for note in result.notes], ""]
    return "\n".join(out)


def _server_table(result: BenchResult, profile: str) -> list[str]:
    rows = [
        "Server side (`ghostls/stats`): answer time p50 by source (ms, count) and counters",
        "",
        "| strategy | model | typed-ahead | cache | in-flight | prefetch | debounce p50 "
        "(replayed) | overhead before / after the model call p50 | superseded | cancelled "
        "| prefetches (hits) | early stops |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for strategy in result.config.strategies:
        f = result.find(strategy, profile)
        if f is None:
            continue
        stats, counters = f.server, f.server.get("counters", {})

        def source(name: str, stats: dict[str, Any] = stats) -> str:
            series = source_series(stats, name)
            if not series.get("count"):
                return "–"
            return f"{_ms(series.get('p50'), 1)} ({series.get('count')})"

        rows.append(
            f"| {strategy} | {source('model')} | {source('typed-ahead')} | {source('cache')} | "
            f"{source('in-flight')} | {source('prefetch')} | "
            f"{_ms(_latency(stats, 'debounce', 'p50'))} ({_ms(f.p('debounce_ms', 50))}) | "
            f"{_overhead(f, 'overhead_before_ms', 50)} / {_ms(f.p('overhead_after_ms', 50), 1)} | "
            f"{counters.get('superseded', 0)} | {counters.get('cancelled', 0)} | "
            f"{counters.get('prefetches', 0)} ({counters.get('prefetchHits', 0)}) | "
            f"{counters.get('earlyStops', 0)} |"
        )
    return [*rows, ""]


@dataclass(frozen=True)
class Target:
    label: str
    value: str
    met: bool | None  # None: not measurable in this run


def _against_fixed_50(
    label: str, ours: float, theirs: float, bound: float, *, at_least: bool
) -> Target:
    """What the user gets reaches `bound` of fixed-50's (`at_least`); what it costs stays
    under it."""
    share = _ratio(ours, theirs)
    return Target(
        f"{label} {'≥' if at_least else '≤'} {bound}× fixed-50's",
        f"{ours:,.0f} vs {theirs:,.0f} ({share:.2f}×)",
        share >= bound if at_least else share <= bound,
    )


def _ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs else math.inf


def target_checks(result: BenchResult) -> list[Target]:
    """The targets for the default policy (cerebras): what the user gets against fixed-50
    first, what it costs second; under a budget, against fixed-350."""
    ours = result.find("ghostls", "cerebras")
    if ours is None:
        return []
    checks: list[Target] = []
    fast = result.find("fixed-50", "cerebras")
    slow = result.find("fixed-350", "cerebras")
    if result.config.budget and slow is not None:
        theirs, mine = slow.p("pause_times_ms", 50), ours.p("pause_times_ms", 50)
        checks.append(
            Target(
                "under the budget, pause p50 no worse than fixed-350's",
                f"{_ms(mine)} vs {_ms(theirs)} ms",
                None if mine is None or theirs is None else mine <= theirs,
            )
        )
        share = _ratio(ours.acceptances, slow.acceptances)
        checks.append(
            Target(
                "under the budget, accepts ≥ 1.5× fixed-350's",
                f"{ours.acceptances} vs {slow.acceptances} ({share:.2f}×)",
                share >= 1.5,
            )
        )
    elif fast is not None:
        checks += [
            _against_fixed_50(
                "suggestions accepted", ours.acceptances, fast.acceptances, 0.95, at_least=True
            ),
            _against_fixed_50("code written", ours.chars, fast.chars, 0.95, at_least=True),
            _against_fixed_50(
                "model calls per minute",
                ours.calls_per_minute,
                fast.calls_per_minute,
                0.6,
                at_least=False,
            ),
            _against_fixed_50(
                "prompt tokens per minute",
                ours.prompt_tokens_per_minute,
                fast.prompt_tokens_per_minute,
                0.6,
                at_least=False,
            ),
        ]
    p50, p95 = ours.p("pause_times_ms", 50), ours.p("pause_times_ms", 95)
    if not result.config.budget:
        checks.append(
            Target(
                "fresh suggestion at pauses p50 ≤ 100 ms",
                f"{_ms(p50)} ms",
                None if p50 is None else p50 <= 100,
            )
        )
        checks.append(
            Target(
                "fresh suggestion at pauses p95 ≤ 300 ms",
                f"{_ms(p95)} ms",
                None if p95 is None else p95 <= 300,
            )
        )
    tail = ours.p("overhead_after_ms", 50)
    checks.append(
        Target(
            "tail overhead (model's last byte → answer) p50 ≤ 2 ms",
            f"{_ms(tail, 2)} ms",
            None if tail is None else tail <= 2,
        )
    )
    reuse, noop = ours.p("instant_ms", 50), ours.p("noop_ms", 50)
    checks.append(
        Target(
            "reuse answers p50 ≤ 1.5× a no-op round trip",
            f"{_ms(reuse, 2)} ms vs {_ms(noop, 2)} ms",
            None if reuse is None or noop is None else reuse <= 1.5 * noop,
        )
    )
    return checks


def targets(result: BenchResult) -> list[str]:
    checks = target_checks(result)
    if not checks:
        return []
    out = ["## Targets (cerebras, median typist, q=0.35: ghostls)", ""]
    if not result.config.canonical:
        out += [
            f"(This run: {result.config.typist} typist, q={result.config.q:.2f}; the targets "
            "are stated for the median typist at q=0.35.)",
            "",
        ]
    for check in checks:
        mark = "✓" if check.met else ("–" if check.met is None else "✗")
        out.append(f"- {mark} {check.label}: {check.value}")
    return [*out, ""]


def to_json(result: BenchResult) -> dict[str, Any]:
    def finite(values: list[float]) -> list[float | None]:
        return [None if math.isinf(value) else round(value, 3) for value in values]

    sessions = []
    for f in result.sessions:
        sessions.append(
            {
                "strategy": f.strategy,
                "profile": f.profile,
                "seconds": round(f.seconds, 3),
                "keystrokes": f.keystrokes,
                "acceptances": f.acceptances,
                "chars": f.chars,
                "acceptedChars": f.accepted_chars,
                "acceptedShare": round(f.accepted_share, 4),
                "modelCalls": f.model_calls,
                "modelCallsPerMinute": round(f.calls_per_minute, 2),
                "modelCallsPerKeystroke": round(f.calls_per_key, 4),
                "tokens": f.tokens,
                "tokensPerMinute": round(f.tokens_per_minute, 1),
                "promptTokens": f.prompt_tokens,
                "promptTokensPerMinute": round(f.prompt_tokens_per_minute, 1),
                "cacheablePromptShare": round(f.cacheable_share, 4),
                "pauses": f.pauses,
                "pauseToSuggestionMs": {
                    "p50": _json_number(f.p("pause_times_ms", 50)),
                    "p95": _json_number(f.p("pause_times_ms", 95)),
                    "shownShare": round(f.pause_shown_share, 4),
                    "values": finite(f.pause_times_ms),
                },
                "shownBeforeNextKeyShare": round(f.shown_share, 4),
                "serverOverheadMs": _summary(f.overhead_ms),
                "serverOverheadKnown": f.overhead_known,
                "overheadBeforeModelCallMs": _summary(f.overhead_before_ms),
                "overheadAfterModelCallMs": _summary(f.overhead_after_ms),
                "instantReuseMs": _summary(f.instant_ms),
                "inflightReuseMs": _summary(f.inflight_ms),
                "modelAnswerMs": _summary(f.model_answer_ms),
                "noopRoundTripMs": _summary(f.noop_ms),
                "replayedDebounceMs": _summary(f.debounce_ms),
                "server": f.server,
            }
        )
    payload: dict[str, Any] = {
        "config": asdict(result.config),
        "machine": {"cpus": result.cpus, "loadAverage": result.load},
        "sessions": sessions,
        "targets": [asdict(check) for check in target_checks(result)],
        "notes": result.notes,
    }
    if result.streaming is not None:
        payload["leanStreaming"] = {
            "chunks": result.streaming.chunks,
            "sdkMicrosPerChunk": round(result.streaming.sdk_us_per_chunk, 2),
            "leanMicrosPerChunk": round(result.streaming.lean_us_per_chunk, 2),
            "ratio": round(result.streaming.ratio, 2),
        }
    return payload


def _json_number(value: float | None) -> float | str | None:
    if value is None:
        return None
    return "inf" if math.isinf(value) else round(value, 3)


def _summary(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50": _json_number(percentile(values, 50)),
        "p95": _json_number(percentile(values, 95)),
        "mean": round(statistics.fmean(values), 3) if values else None,
    }


def plot(result: BenchResult, path: str) -> None:
    """Per profile, two panels: the CDF of the time to suggestion at pauses, per strategy, and
    the frontier, model calls per minute against the pause median, one point per strategy (and
    budget, when the run had one)."""
    try:
        matplotlib: Any = importlib.import_module("matplotlib")
    except ImportError:
        raise SystemExit(
            "ghostls bench: --plot needs matplotlib: pip install 'ghostls[bench]'"
        ) from None
    matplotlib.use("Agg")
    pyplot: Any = importlib.import_module("matplotlib.pyplot")
    profiles = result.config.profiles
    figure, axes = pyplot.subplots(
        2, len(profiles), figsize=(5 * len(profiles), 8), squeeze=False, sharey="row"
    )
    budget = f", {result.config.budget}/min budget" if result.config.budget else ""
    for axis, profile in zip(axes[1], profiles, strict=True):
        for strategy in result.config.strategies:
            f = result.find(strategy, profile)
            median = percentile(f.pause_times_ms, 50) if f is not None else None
            if f is None or median is None or math.isinf(median):
                continue
            axis.scatter([f.calls_per_minute], [median])
            axis.annotate(f"{strategy}{budget}", (f.calls_per_minute, median), fontsize=8)
        axis.set_xlabel("model calls per minute")
        axis.axhline(100, color="grey", linewidth=0.5, linestyle=":")
        axis.grid(alpha=0.3)
    axes[1][0].set_ylabel("time to suggestion at pauses, p50 (ms)")
    for axis, profile in zip(axes[0], profiles, strict=True):
        for strategy in result.config.strategies:
            f = result.find(strategy, profile)
            if f is None or not f.pause_times_ms:
                continue
            values = sorted(f.pause_times_ms)
            finite = [v for v in values if not math.isinf(v)]
            shares = [(i + 1) / len(values) for i in range(len(finite))]
            label = f"{strategy} (n={len(values)})"
            axis.step(
                [0.0, *finite, 1000.0],
                [0.0, *shares, shares[-1] if shares else 0.0],
                where="post",
                label=label,
            )
        axis.set_title(profile_title(profile), fontsize=9)
        axis.set_xlabel("keystroke → suggestion on screen, at pauses (ms)")
        axis.set_xlim(0, 1000)
        axis.axvline(100, color="grey", linewidth=0.5, linestyle=":")
        axis.grid(alpha=0.3)
    axes[0][0].set_ylabel("share of pauses")
    axes[0][0].legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    pyplot.close(figure)


# -- command line ----------------------------------------------------------------------------


def config_from(args: argparse.Namespace) -> BenchConfig:
    quick = bool(args.quick)
    profiles = args.profiles or (("cerebras",) if quick else PROFILE_NAMES)
    return BenchConfig(
        profiles=tuple(profiles),
        strategies=tuple(args.strategies or STRATEGY_NAMES),
        seconds=args.seconds or (QUICK_SECONDS if quick else DEFAULT_SECONDS),
        q=args.q,
        seed=args.seed,
        typist=args.typist,
        corpus=args.corpus,
        quick=quick,
        budget=args.budget,
    )


def main(args: argparse.Namespace) -> int:
    config = config_from(args)
    if args.plot:
        try:
            importlib.import_module("matplotlib")
        except ImportError:
            print(
                "ghostls bench: --plot needs matplotlib: pip install 'ghostls[bench]'",
                file=sys.stderr,
            )
            return 2
    try:
        result = asyncio.run(run_bench(config, progress=sys.stderr))
    except KeyboardInterrupt:
        print("ghostls bench: interrupted", file=sys.stderr)
        return 130
    print(markdown(result))
    if args.json:
        Path(args.json).write_text(json.dumps(to_json(result), indent=2) + "\n", encoding="utf-8")
    if args.plot:
        plot(result, args.plot)
    return 0
