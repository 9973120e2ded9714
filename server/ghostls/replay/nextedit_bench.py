"""`ghostls bench --next-edit`: next-edit suggestions on sequences of related edits in real
code (`ghostls.replay.nextedit_cases`), through the real server over LSP.

For each case the programmer makes the first edit, pauses and asks for the next edit at the
cursor (`textDocument/copilotInlineEdit`); an edit offered is right when the document it
leaves holds the change the first edit started, applied to the server's editable window. A
right edit is accepted (applied, its command run: the server fetches the next one ahead) and
the next is asked for at its end, until the change is complete, where the right answer is no
edit; a wrong edit is rejected, which ends the case, as does a missed one.

By default the project's model server answers at the cerebras profile from the truth (right a
share `--q` of the time; otherwise no change, or a plausible wrong edit: the change applied to
the first changed line only); with `--endpoint` a real model answers (chat prompt).

Figures: edits due and offered exactly, wrong edits offered (noise: what users complain of
most), edits missed, the complete change left alone (no edit offered once nothing is left),
the time from the pause to the answer (p50/p95), model calls per accepted edit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types

from ghostls.documents import Document, Point
from ghostls.engine.stats import percentile
from ghostls.nextedit.prompts import CHAT_CURSOR, NO_CHANGE
from ghostls.nextedit.protocol import INLINE_EDIT_REQUEST
from ghostls.nextedit.window import Window, take_window
from ghostls.plain import plain
from ghostls.replay.nextedit_cases import KINDS, Case, pick_cases
from ghostls.settings import Settings
from ghostls.testing import ModelServer, RecordedRequest, Reply
from ghostls.testing.lsp import apply_inline_edit

MAX_STEPS = 6
_WINDOW = re.compile(r"Editable window \(.*?\):\n(`{3,})[^\n]*\n(.*?)\n\1\n", re.DOTALL)
RADIUS = Settings().next_edit_window_lines


@dataclass
class Step:
    due: bool  # whether an edit was still to make
    offered: bool
    exact: bool
    ms: float


@dataclass
class CaseResult:
    case: Case
    steps: list[Step] = field(default_factory=list)


@dataclass
class Run:
    source: str  # "simulated (q=…)" or the endpoint
    results: list[CaseResult]
    calls: int
    seconds: float
    counters: dict[str, int] = field(default_factory=dict)  # the server's nextEdit* counters


def window_of(text: str, cursor: tuple[int, int]) -> tuple[Window, int, int]:
    """The server's editable window at the cursor, and its offsets in `text`."""
    doc = Document.from_text("file:///bench.py", "python", 1, text)
    window = take_window(doc, Point(*cursor), RADIUS)
    start = sum(len(line) for line in doc.lines[: window.first])
    return window, start, start + len(window.text)


def expected_after(case: Case, text: str, cursor: tuple[int, int]) -> str:
    """The document once the change is made in the window at the cursor."""
    window, start, end = window_of(text, cursor)
    return text[:start] + case.complete(window.text) + text[end:]


# -- the simulated model ----------------------------------------------------------------------


class Oracle:
    """Answers a chat next-edit prompt from the truth: right a share `q` of the time."""

    def __init__(self, q: float, seed: int) -> None:
        self.q = q
        self.rng = random.Random(seed)
        self.case: Case | None = None

    def __call__(self, request: RecordedRequest) -> Reply | None:
        match = _WINDOW.search(request.prompt_text)
        if self.case is None or match is None:
            return None
        window = match.group(2).replace(CHAT_CURSOR, "") + "\n"
        right = self.case.complete(window)
        if self.rng.random() < self.q:
            answer = right
        elif self.rng.random() < 0.5:
            answer = window  # no change
        else:
            answer = _partly(window, right) if right != window else _spurious(window)
        if answer == window:
            return Reply(NO_CHANGE)
        return Reply(f"```python\n{answer}```")


def _spurious(window: str) -> str:
    """A change nothing asked for: the window without its last line of code."""
    lines = window.split("\n")
    code = [index for index, line in enumerate(lines) if line.strip()]
    if code:
        del lines[code[-1]]
    return "\n".join(lines)


def _partly(window: str, right: str) -> str:
    """The change made on the first line it touches only: a plausible wrong edit."""
    old, new = window.split("\n"), right.split("\n")
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            changed = [*old[:index], b, *old[index + 1 :]]
            return "\n".join(changed)
    return right


# -- the run ----------------------------------------------------------------------------------


async def _run_case(server: Any, case: Case, index: int) -> CaseResult:
    from ghostls.replay.session import ServerConnection

    assert isinstance(server, ServerConnection)
    result = CaseResult(case)
    uri = f"file:///ghostls-next-edit/{index}/{Path(case.path).name}"
    text = case.text
    server.open(uri, "python", text)
    version = 1
    # The programmer's first edit.
    version += 1
    server.change(
        uri,
        version,
        types.Position(case.line, case.start),
        types.Position(case.line, case.end),
        case.new,
    )
    text = case.edited
    cursor = case.cursor
    try:
        for _ in range(MAX_STEPS):
            expected = expected_after(case, text, cursor)
            due = expected != text
            params = {
                "textDocument": {"uri": uri, "version": version},
                "position": {"line": cursor[0], "character": cursor[1]},
            }
            started = time.monotonic()
            answer = plain(await server.request(INLINE_EDIT_REQUEST, params, 60.0))
            ms = (time.monotonic() - started) * 1000
            edits = answer.get("edits", []) if isinstance(answer, dict) else []
            if not edits:
                result.steps.append(Step(due, False, not due, ms))
                break
            edit = edits[0]
            after, end = apply_inline_edit(text, edit)
            exact = due and after == expected
            result.steps.append(Step(due, True, exact, ms))
            if not exact:
                break
            start, stop = edit["range"]["start"], edit["range"]["end"]
            version += 1
            server.change(
                uri,
                version,
                types.Position(start["line"], start["character"]),
                types.Position(stop["line"], stop["character"]),
                edit["text"],
            )
            command = edit["command"]
            server.execute(
                types.Command(
                    title=command["title"],
                    command=command["command"],
                    arguments=command["arguments"],
                )
            )
            text, cursor = after, end
    finally:
        server.close(uri)
    return result


async def run_bench(
    cases: Sequence[Case],
    *,
    q: float,
    seed: int,
    endpoint: str | None = None,
    model: str = "",
    timeout_ms: int = 10_000,
    progress: Any = None,
) -> Run:
    from ghostls.replay.session import ServerConnection, quiet_client_logs
    from ghostls.testing.lsp import server_env

    quiet_client_logs()
    started = time.monotonic()
    oracle = Oracle(q, seed)
    model_server: ModelServer | None = None
    if endpoint is None:
        model_server = ModelServer(profile="cerebras", responder=oracle, seed=seed)
        await model_server.start()
        base_url, model = model_server.base_url, "ghost-coder"
        source = f"simulated model, cerebras profile, q = {q}"
    else:
        base_url = endpoint
        source = f"{endpoint} ({model or 'its model'})"
    settings = {
        "baseUrl": base_url,
        "model": model,
        "promptMode": "chat",
        "nextEdit": "on",
        "timeoutMs": timeout_ms,
    }
    server = await ServerConnection.start(settings, env=server_env())
    results: list[CaseResult] = []
    try:
        for index, case in enumerate(cases):
            oracle.case = case
            results.append(await _run_case(server, case, index))
            if progress is not None:
                steps = " ".join(_mark(step) for step in results[-1].steps)
                print(f"… {index + 1}/{len(cases)} {case.kind} {case.path}: {steps}", file=progress)
        stats = await server.stats()
    finally:
        await server.aclose()
        if model_server is not None:
            await model_server.stop()
    counters = stats.get("counters", {})
    calls = int(counters.get("nextEditCalls", 0)) + int(counters.get("nextEditPrefetches", 0))
    mine = {key: int(value) for key, value in counters.items() if key.startswith("nextEdit")}
    return Run(source, results, calls, time.monotonic() - started, mine)


def _mark(step: Step) -> str:
    if not step.offered:
        return "·" if not step.due else "missed"
    return "✓" if step.exact else "✗"


# -- figures ----------------------------------------------------------------------------------


def figures(results: Sequence[CaseResult], calls: int | None = None) -> dict[str, Any]:
    steps = [step for result in results for step in result.steps]
    due = [step for step in steps if step.due]
    done = [step for step in steps if not step.due]
    exact = sum(1 for step in due if step.exact)
    offered_ms = [step.ms for step in steps if step.offered]
    value: dict[str, Any] = {
        "cases": len(results),
        "due": len(due),
        "exact": exact,
        "wrong": sum(1 for step in steps if step.offered and not step.exact),
        "missed": sum(1 for step in due if not step.offered),
        "complete": len(done),
        "leftAlone": sum(1 for step in done if not step.offered),
        "answerMs": {
            "p50": _round(percentile([step.ms for step in steps], 50)),
            "p95": _round(percentile([step.ms for step in steps], 95)),
        },
        "editShownMs": {
            "p50": _round(percentile(offered_ms, 50)),
            "p95": _round(percentile(offered_ms, 95)),
        },
    }
    if calls is not None:
        value["modelCalls"] = calls
        value["callsPerAcceptedEdit"] = round(calls / exact, 2) if exact else None
    return value


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _pct(count: int, of: int) -> str:
    return f"{count}/{of} ({100 * count / of:.0f}%)" if of else "0/0"


def _ms(value: dict[str, Any]) -> str:
    p50, p95 = value["p50"], value["p95"]
    return "—" if p50 is None else f"{p50:.0f} / {p95:.0f} ms"


def markdown(run: Run) -> str:
    rows = [
        "| kind | cases | edits due | offered exactly | wrong edits offered | missed "
        "| complete change left alone | pause → edit shown p50 / p95 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    groups = [(kind, [r for r in run.results if r.case.kind == kind]) for kind in KINDS]
    groups.append(("all", list(run.results)))
    for kind, results in groups:
        if not results:
            continue
        f = figures(results)
        rows.append(
            f"| {kind} | {f['cases']} | {f['due']} | {_pct(f['exact'], f['due'])} "
            f"| {f['wrong']} | {f['missed']} | {_pct(f['leftAlone'], f['complete'])} "
            f"| {_ms(f['editShownMs'])} |"
        )
    total = figures(run.results, run.calls)
    per_edit = total["callsPerAcceptedEdit"]
    rows.append("")
    rows.append(
        f"Model: {run.source}. Model calls: {run.calls} "
        f"({'—' if per_edit is None else per_edit} per accepted edit); every answer "
        f"p50 / p95 {_ms(total['answerMs'])}; {run.seconds:.0f} s. The server read "
        f"{run.counters.get('nextEditNoChange', 0)} answers as no change and dropped "
        f"{run.counters.get('nextEditDropped', 0)} as noise{_reasons(run.counters)}."
    )
    return "\n".join(rows)


def _reasons(counters: dict[str, int]) -> str:
    prefix = "nextEditDropped."
    reasons = [
        f"{key.removeprefix(prefix)} {value}"
        for key, value in sorted(counters.items())
        if key.startswith(prefix) and value
    ]
    return f" ({', '.join(reasons)})" if reasons else ""


def to_json(run: Run) -> dict[str, Any]:
    return {
        "source": run.source,
        "seconds": round(run.seconds, 1),
        "all": figures(run.results, run.calls),
        "serverCounters": run.counters,
        "kinds": {kind: figures([r for r in run.results if r.case.kind == kind]) for kind in KINDS},
        "cases": [
            {
                "kind": result.case.kind,
                "path": result.case.path,
                "line": result.case.line + 1,
                "steps": [_mark(step) for step in result.steps],
            }
            for result in run.results
        ],
    }


def main(args: argparse.Namespace) -> int:
    per_kind = 3 if args.quick else 10
    cases = pick_cases(per_kind, args.seed, args.corpus)
    if not cases:
        raise SystemExit("ghostls bench --next-edit: no cases found in the corpus")
    try:
        run = asyncio.run(
            run_bench(
                cases,
                q=args.q,
                seed=args.seed,
                endpoint=args.endpoint,
                model=args.model or "",
                timeout_ms=args.timeout_ms,
                progress=sys.stderr if args.verbose else None,
            )
        )
    except KeyboardInterrupt:
        print("ghostls bench: interrupted", file=sys.stderr)
        return 130
    print(markdown(run))
    if args.json:
        Path(args.json).write_text(json.dumps(to_json(run), indent=2) + "\n", encoding="utf-8")
    return 0
