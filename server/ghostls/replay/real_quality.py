"""`ghostls bench --quality --endpoint URL --model M`: what a real model's answers are worth
inserted raw, and through ghostls.

Each case (`ghostls.replay.real_cases`) is asked twice of the same endpoint: raw, with a plain
prompt of a fixed window, the answer inserted at the cursor; and through `python -m ghostls`
over stdio, an invoked `textDocument/inlineCompletion` in the document without the truth, the
returned item applied. Both are scored alike (`ghostls.replay.real_scoring`). The two asks of
a case never follow each other: the raw ask of case i comes between the ghostls asks of cases
i-1 and i, so neither side finds its prompt in the model server's cache.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from lsprotocol import types

from ghostls.documents import Document, Point
from ghostls.replay.quality.evaluation import _item
from ghostls.replay.quality.report import context_of
from ghostls.replay.quality.sampling import CutPoint
from ghostls.replay.real_cases import (
    RAW_MAX_TOKENS,
    RAW_PREFIX_CHARS,
    RAW_SUFFIX_CHARS,
    Answer,
    Endpoint,
    ask_raw,
    pick_cases,
    sources,
)
from ghostls.replay.real_scoring import Verdict, parser_for, verdict
from ghostls.testing.lsp import apply_item

SIDES = ("raw", "ghostls")
_LSP_GRACE_S = 10.0


@dataclass
class Ask:
    """One side's answer at one case."""

    side: str
    answer: Answer
    inserted: str | None = None
    result: str = ""
    verdict: Verdict | None = None


@dataclass
class Case:
    cut: CutPoint
    asks: dict[str, Ask] = field(default_factory=dict)


@dataclass
class RealResult:
    endpoint: Endpoint
    seed: int
    cases: list[Case]
    languages: dict[str, str]
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def ghostls_settings(endpoint: Endpoint) -> dict[str, Any]:
    """What a user of this endpoint configures; everything else is ghostls's default."""
    settings: dict[str, Any] = {
        "baseUrl": endpoint.url,
        "model": endpoint.model,
        "promptMode": endpoint.prompt_mode,
        "temperature": endpoint.temperature,
        "timeoutMs": int(endpoint.timeout_s * 1000),
    }
    if endpoint.prompt_mode != "chat":
        settings["fimTemplate"] = endpoint.fim_template
    return settings


def raw_ask(endpoint: Endpoint, cut: CutPoint) -> Ask:
    answer = ask_raw(endpoint, cut)
    inserted = answer.text
    result = cut.document if inserted is None else cut.before + inserted + cut.after
    return Ask("raw", answer, inserted, result, verdict(cut, inserted, result))


async def lsp_ask(server: Any, endpoint: Endpoint, cut: CutPoint) -> Ask:
    uri = f"file:///ghostls-real/{cut.id}/{Path(cut.path).name}"
    document = cut.document
    character = Document.from_text(uri, cut.language_id, 1, document).units(
        Point(cut.line, cut.column), "utf-16"
    )
    server.open(uri, cut.language_id, document)
    params = types.InlineCompletionParams(
        context=types.InlineCompletionContext(
            trigger_kind=types.InlineCompletionTriggerKind.Invoked
        ),
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(cut.line, character),
    )
    started = time.monotonic()
    try:
        result = await server.request(
            types.TEXT_DOCUMENT_INLINE_COMPLETION, params, endpoint.timeout_s + _LSP_GRACE_S
        )
    except Exception as exc:  # a failed request is no answer, with its reason
        seconds = time.monotonic() - started
        answer = Answer(None, seconds, seconds >= endpoint.timeout_s, f"{type(exc).__name__}")
        return Ask("ghostls", answer, None, document, verdict(cut, None, document))
    finally:
        server.close(uri)
    seconds = time.monotonic() - started
    item = _item(result)
    inserted: str | None = None
    after = document
    if item is not None:
        text = item.insert_text
        inserted = text if isinstance(text, str) else text.value
        after = apply_item(document, item, cursor=(cut.line, character))
    answer = Answer(inserted, seconds, timed_out=seconds >= endpoint.timeout_s)
    return Ask("ghostls", answer, inserted, after, verdict(cut, inserted, after))


async def run_real(
    endpoint: Endpoint,
    *,
    seed: int = 0,
    quick: bool = False,
    corpus: str | None = None,
    limit: int | None = None,
    progress: TextIO | None = None,
) -> RealResult:
    from ghostls.replay.session import ServerConnection, quiet_client_logs
    from ghostls.testing.lsp import server_env

    quiet_client_logs()
    started = time.monotonic()
    found = await asyncio.to_thread(sources, corpus)
    if quick:
        found = [source for source in found if source.language_id == "python"]
    # At most one case per file is kept (`pick_cases`): ask for more, the limit cuts.
    per_label = {source.language_id: 1 if quick else 3 for source in found}
    if not quick:
        per_label["python"] = 5
    cuts = await asyncio.to_thread(pick_cases, found, per_label, seed, limit)
    if not cuts:
        raise SystemExit("ghostls bench --quality: no cut points found in the corpus")
    cases = [Case(cut) for cut in cuts]
    result = RealResult(
        endpoint, seed, cases, {source.language_id: source.description for source in found}
    )
    server = await ServerConnection.start(ghostls_settings(endpoint), env=server_env())
    try:
        await server.warm_up(endpoint.timeout_s + _LSP_GRACE_S)
        # raw 0, raw 1, ghostls 0, raw 2, ghostls 1, ...: the two asks of a case never adjoin.
        for index in range(len(cases) + 1):
            if index < len(cases):
                cases[index].asks["raw"] = await asyncio.to_thread(
                    raw_ask, endpoint, cases[index].cut
                )
            if index >= 1:
                case = cases[index - 1]
                case.asks["ghostls"] = await lsp_ask(server, endpoint, case.cut)
                if progress is not None:
                    print(f"… {index}/{len(cases)} {_progress_line(case)}", file=progress)
    finally:
        await server.aclose()
    result.seconds = time.monotonic() - started
    for language in sorted({case.cut.language_id for case in cases}):
        if parser_for(language) is None:
            result.notes.append(
                f"{language}: no parser installed (pip install ghostls[parsers]): "
                "'still parses' not measured"
            )
    return result


def _progress_line(case: Case) -> str:
    marks = []
    for side in SIDES:
        ask = case.asks[side]
        v = ask.verdict
        mark = "exact" if v is not None and v.exact else "—"
        marks.append(f"{side} {mark} {ask.answer.seconds:.1f}s")
    return f"{case.cut.language_id} {case.cut.label}: " + ", ".join(marks)


# -- figures ---------------------------------------------------------------------------------

ROWS = (
    ("exact", "exact"),
    ("first_line", "first line right"),
    ("suffix_duplicated", "suffix duplicated"),
    ("brackets_damaged", "brackets damaged"),
    ("parses", "document still parses"),
    ("junk", "junk (fences, prose, special tokens)"),
    ("empty", "empty"),
)


def share(asks: Sequence[Ask], key: str) -> tuple[int, int]:
    """(count, of how many) of the asks whose verdict says `key`."""
    values = [getattr(a.verdict, key) for a in asks if a.verdict is not None]
    measured = [value for value in values if value is not None]
    return sum(1 for value in measured if value), len(measured)


def latency(asks: Sequence[Ask]) -> dict[str, float]:
    seconds = sorted(a.answer.seconds for a in asks)
    if not seconds:
        return {"p50": 0.0, "p95": 0.0}
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return {"p50": statistics.median(seconds), "p95": p95}


def figures(result: RealResult) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for side in SIDES:
        asks = [case.asks[side] for case in result.cases if side in case.asks]
        side_figures: dict[str, Any] = {
            key: dict(zip(("count", "of"), share(asks, key), strict=True)) for key, _ in ROWS
        }
        side_figures["latency_s"] = latency(asks)
        side_figures["timeouts"] = sum(1 for a in asks if a.answer.timed_out)
        out[side] = side_figures
    return out


def _pct(count: int, of: int) -> str:
    return f"{100 * count / of:.0f}% ({count}/{of})" if of else "not measured"


def markdown(result: RealResult, *, verbose: bool = False) -> str:
    endpoint = result.endpoint
    numbers = figures(result)
    lines = [
        f"# ghostls bench --quality: a real model ({endpoint.model}, {endpoint.prompt_mode})",
        "",
        f"{len(result.cases)} cut points (seed {result.seed}), each asked raw (a plain prompt "
        f"of {RAW_PREFIX_CHARS} characters before the cursor and {RAW_SUFFIX_CHARS} after, "
        f"{RAW_MAX_TOKENS} tokens, the answer inserted as it came) and through ghostls (an "
        f"invoked inline request over LSP, default settings); temperature "
        f"{endpoint.temperature:g}, timeout {endpoint.timeout_s:g} s; {result.seconds:.0f} s.",
        "",
        "| | raw model | ghostls |",
        "| --- | --- | --- |",
    ]
    for key, label in ROWS:
        cells = [_pct(numbers[side][key]["count"], numbers[side][key]["of"]) for side in SIDES]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    for which in ("p50", "p95"):
        cells = [f"{numbers[side]['latency_s'][which]:.1f} s" for side in SIDES]
        lines.append(f"| latency {which} | {cells[0]} | {cells[1]} |")
    cells = [str(numbers[side]["timeouts"]) for side in SIDES]
    lines.append(f"| timeouts | {cells[0]} | {cells[1]} |")
    lines += ["", "By language and cursor:", ""]
    groups: dict[str, list[Case]] = {}
    for case in result.cases:
        groups.setdefault(case.cut.language_id, []).append(case)
        groups.setdefault(case.cut.label, []).append(case)
    lines += [
        "| cases | n | exact raw → ghostls | parses raw → ghostls |",
        "| --- | --- | --- | --- |",
    ]
    for name, group in groups.items():
        cells = []
        for key in ("exact", "parses"):
            pair = [share([c.asks[s] for c in group], key) for s in SIDES]
            cells.append(f"{_pct(*pair[0])} → {_pct(*pair[1])}")
        lines.append(f"| {name} | {len(group)} | {cells[0]} | {cells[1]} |")
    lines += ["", "Sources:", ""]
    lines += [f"- {language}: {where}" for language, where in result.languages.items()]
    if result.notes:
        lines += ["", *(f"- {note}" for note in result.notes)]
    if verbose:
        lines += ["", "## Every case", ""]
        for case in result.cases:
            lines += _case_details(case)
    return "\n".join(lines)


def _flags(v: Verdict | None) -> str:
    if v is None:
        return "not scored"
    names = [label for key, label in ROWS if getattr(v, key) is True and key != "parses"]
    if v.parses is False:
        names.append("does not parse")
    return ", ".join(names) or "wrong"


def _case_details(case: Case) -> list[str]:
    cut = case.cut
    lines = [
        f"### {cut.id}: {cut.language_id} {cut.label}, {cut.display}:{cut.line + 1}",
        "",
        "```",
        context_of(cut),
        "```",
        f"truth: `{cut.truth!r}`",
    ]
    for side in SIDES:
        ask = case.asks.get(side)
        if ask is None:
            continue
        lines.append(
            f"- {side} ({ask.answer.seconds:.1f} s; {_flags(ask.verdict)}): `{ask.inserted!r}`"
        )
    lines.append("")
    return lines


def to_json(result: RealResult) -> dict[str, Any]:
    return {
        "endpoint": asdict(result.endpoint),
        "seed": result.seed,
        "seconds": result.seconds,
        "rawWindow": {
            "prefixChars": RAW_PREFIX_CHARS,
            "suffixChars": RAW_SUFFIX_CHARS,
            "maxTokens": RAW_MAX_TOKENS,
        },
        "figures": figures(result),
        "languages": result.languages,
        "notes": result.notes,
        "cases": [
            {
                "id": case.cut.id,
                "path": case.cut.display,
                "language": case.cut.language_id,
                "label": case.cut.label,
                "line": case.cut.line + 1,
                "truth": case.cut.truth,
                **{
                    side: {
                        "inserted": ask.inserted,
                        "seconds": ask.answer.seconds,
                        "timedOut": ask.answer.timed_out,
                        "error": ask.answer.error,
                        "verdict": None if ask.verdict is None else asdict(ask.verdict),
                    }
                    for side, ask in case.asks.items()
                },
            }
            for case in result.cases
        ],
    }


def main(args: argparse.Namespace) -> int:
    endpoint = Endpoint(
        url=args.endpoint,
        model=args.model or "",
        prompt_mode=args.prompt_mode,
        fim_template=args.fim_template,
        timeout_s=args.timeout_ms / 1000,
    )
    try:
        result = asyncio.run(
            run_real(
                endpoint,
                seed=args.seed,
                quick=bool(args.quick),
                corpus=args.corpus,
                limit=args.cases,
                progress=sys.stderr,
            )
        )
    except KeyboardInterrupt:
        print("ghostls bench: interrupted", file=sys.stderr)
        return 130
    print(markdown(result, verbose=bool(args.verbose)))
    if args.json:
        Path(args.json).write_text(json.dumps(to_json(result), indent=2) + "\n", encoding="utf-8")
    return 0
