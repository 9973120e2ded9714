"""What each cut point is asked, and the answers asked for through `python -m ghostls`."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from lsprotocol import types

from ghostls.documents import Document
from ghostls.replay.artifacts import CLEAN
from ghostls.replay.quality.sampling import _CURSOR, _KEY_CHARS, CutPoint, Source, sample_seeds
from ghostls.replay.quality.sources import default_sources, folder_sources
from ghostls.replay.quality.suite import (
    ARTIFACT_SETS,
    HABITS,
    HELD_OUT_SEEDS,
    MODEL,
    MODES,
    ArtifactSet,
    seed_class,
)
from ghostls.replay.session import WARM_UP_MARK
from ghostls.testing.lsp import apply_item

# -- what each cut point is asked ------------------------------------------------------------


@dataclass
class Evaluation:
    """One answer at one cut point: its artifact kind, what the model sent, what came back."""

    cut: CutPoint
    kind: str
    mode: str
    parts: tuple[str, ...] = ()  # a mixed answer's kinds
    variant: str = ""
    raw: str | None = None  # what the model sent (None: no model call came)
    lead: str = ""
    calls: int = 0
    inserted: str | None = None  # the item's text (None: no item)
    result: str | None = None  # the document after applying the item
    error: str | None = None

    @property
    def exact(self) -> bool:
        return self.result == self.cut.text

    @property
    def cause(self) -> str:
        """Why the document doesn't match the file ("" when it does)."""
        if self.exact:
            return ""
        if self.error is not None:
            return "request failed"
        if self.inserted is None or self.result is None:
            return "no suggestion"
        if self.lead and not self.cut.truth.startswith(self.lead):
            return "next line instead"
        ours, theirs = difference(self.result, self.cut.text)
        if "".join(ours.split()) == "".join(theirs.split()):
            return "whitespace"
        if not theirs:
            return "extra text kept"
        if not ours:
            return "text missing"
        return "other text"

    @property
    def raw_exact(self) -> bool:
        """A naive client: the raw answer inserted at the cursor."""
        if self.raw is None:
            return False
        cut = self.cut
        return cut.before + self.lead + self.raw + cut.after == cut.text


def difference(a: str, b: str) -> tuple[str, str]:
    """The parts of a and b between their common start and their common end."""
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    return a[start : len(a) - end], b[start : len(b) - end]


CAUSES = (
    "extra text kept",
    "text missing",
    "whitespace",
    "other text",
    "next line instead",
    "no suggestion",
    "request failed",
)


def plan(
    cut: CutPoint,
    seed: int,
    *,
    kinds: Sequence[str] | None = None,
    artifact_set: ArtifactSet = HABITS,
) -> list[Evaluation]:
    """The answers a cut point gets: clean from both kinds of model, then each artifact kind
    that applies there, and one mix."""
    lead = cut.predicted_lead
    text, view = cut.continuation(lead), cut.view(lead)
    evaluations = []
    for kind in artifact_set.kinds if kinds is None else kinds:
        rng = random.Random(f"{seed}:{cut.id}:{kind}:mode")
        if kind == CLEAN:
            evaluations += [Evaluation(cut, CLEAN, mode) for mode in MODES]
        elif kind == artifact_set.mixed:
            parts = artifact_set.mix_parts(text, view, random.Random(f"{seed}:{cut.id}:mix"))
            mode = artifact_set.mode_of(kind, parts, rng)
            evaluations.append(Evaluation(cut, kind, mode, parts))
        elif artifact_set.applicable(kind, text, view):
            evaluations.append(Evaluation(cut, kind, artifact_set.mode_of(kind, (), rng)))
    return evaluations


class QualityResponder:
    """The local model server's responder: finds the cut point a prompt is for and answers
    the truth from the model's cursor, wrapped in the artifact its evaluation asks for."""

    def __init__(self, cuts: Sequence[CutPoint], artifact_set: ArtifactSet = HABITS) -> None:
        self.artifact_set = artifact_set
        self.current: dict[int, Evaluation] = {}
        self.unmatched = 0
        self._by_key = {cut.before[-_KEY_CHARS:]: cut for cut in cuts}

    def find(self, prefix: str) -> tuple[CutPoint, str] | None:
        """The cut point whose document text before the cursor ends `prefix`, and the lead
        the server typed after the cursor (a line break and indentation), if any."""
        cut = self._by_key.get(prefix[-_KEY_CHARS:])
        if cut is not None:
            return cut, ""
        newline = prefix.rfind("\n")
        if newline >= 0 and not prefix[newline:].strip():
            cut = self._by_key.get(prefix[:newline][-_KEY_CHARS:])
            if cut is not None:
                return cut, prefix[newline:]
        return None

    def __call__(self, record: Any) -> str:
        prefixes = _prompt_prefixes(record.body)
        found = next(filter(None, map(self.find, prefixes)), None)
        evaluation = None if found is None else self.current.get(found[0].id)
        if found is None or evaluation is None:
            if not any(WARM_UP_MARK in prefix for prefix in prefixes):
                self.unmatched += 1
            return ""
        cut, lead = found
        rng = random.Random(f"{cut.seed}:{cut.id}:{evaluation.kind}:{evaluation.mode}")
        artifact = self.artifact_set.wrap(
            evaluation.kind, cut.continuation(lead), cut.view(lead), rng, evaluation.parts
        )
        evaluation.raw, evaluation.lead, evaluation.variant = artifact.text, lead, artifact.variant
        evaluation.calls += 1
        return artifact.text


def _prompt_prefixes(body: Mapping[str, Any]) -> list[str]:
    """What may be the text before the cursor in the prompt (FIM: the prompt; chat: the text
    before each cursor marker of the last message, the last first)."""
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        return [prompt]
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or not isinstance(messages[-1], dict):
        return []
    content = messages[-1].get("content")
    if not isinstance(content, str):
        return []
    found = []
    at = content.rfind(_CURSOR)
    while at >= 0:
        found.append(content[:at])
        at = content.rfind(_CURSOR, 0, at)
    return found


# -- running ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityConfig:
    seeds: tuple[int, ...] = HELD_OUT_SEEDS
    quick: bool = False
    corpus: str | None = None
    workers: int = 12
    artifacts: str = "habits"

    @property
    def artifact_set(self) -> ArtifactSet:
        return ARTIFACT_SETS[self.artifacts]

    @property
    def held_out(self) -> bool:
        """No seed of the run is one a fix was tuned on."""
        return all(seed_class(seed) == "held-out" for seed in self.seeds)

    def per_label(self, languages: Sequence[str]) -> dict[str, int]:
        if self.corpus is not None:
            share = max(2, (6 if self.quick else 100) // max(1, len(languages)))
            return dict.fromkeys(languages, share)
        quotas = {"python": 2 if self.quick else 40}
        return {language: quotas.get(language, 1 if self.quick else 15) for language in languages}


@dataclass
class QualityResult:
    config: QualityConfig
    sources: list[Source]
    cuts: list[CutPoint]
    evaluations: list[Evaluation]
    seconds: float = 0.0
    unmatched: int = 0
    notes: list[str] = field(default_factory=list)


def _item(result: Any) -> types.InlineCompletionItem | None:
    if isinstance(result, types.InlineCompletionList):
        items = list(result.items)
    elif isinstance(result, list):
        items = [item for item in result if isinstance(item, types.InlineCompletionItem)]
    else:
        items = []
    return items[0] if items else None


async def _evaluate(
    cut: CutPoint,
    evaluations: Sequence[Evaluation],
    servers: Mapping[str, Any],
    responder: QualityResponder,
) -> None:
    uri = f"file:///ghostls-quality/{cut.id}/{Path(cut.path).name}"
    document = cut.document
    doc = Document.from_text(uri, cut.language_id, 1, document)
    from ghostls.documents import Point

    character = doc.units(Point(cut.line, cut.column), "utf-16")
    for server in servers.values():
        server.open(uri, cut.language_id, document)
    try:
        for evaluation in evaluations:
            responder.current[cut.id] = evaluation
            params = types.InlineCompletionParams(
                context=types.InlineCompletionContext(
                    trigger_kind=types.InlineCompletionTriggerKind.Invoked
                ),
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(cut.line, character),
            )
            try:
                result = await servers[evaluation.mode].request(
                    types.TEXT_DOCUMENT_INLINE_COMPLETION, params, 20.0
                )
            except Exception as exc:  # a failed request is a wrong answer, with its reason
                evaluation.error = f"{type(exc).__name__}: {exc}"
                evaluation.result = document
                continue
            item = _item(result)
            if item is None:
                evaluation.result = document
                continue
            text = item.insert_text
            evaluation.inserted = text if isinstance(text, str) else text.value
            evaluation.result = apply_item(document, item, cursor=(cut.line, character))
    finally:
        responder.current.pop(cut.id, None)
        for server in servers.values():
            if server.alive:
                server.close(uri)


async def run_quality(config: QualityConfig, progress: TextIO | None = None) -> QualityResult:
    from ghostls.replay.session import ServerConnection, quiet_client_logs
    from ghostls.testing import PROFILES, ModelServer
    from ghostls.testing.lsp import server_env

    quiet_client_logs()
    started = time.monotonic()
    sources = await asyncio.to_thread(_sources, config)
    languages = [source.language_id for source in sources]
    cuts = await asyncio.to_thread(sample_seeds, sources, config.per_label(languages), config.seeds)
    if not cuts:
        raise SystemExit("ghostls bench --quality: no cut points found in the corpus")
    plans = {cut.id: plan(cut, cut.seed, artifact_set=config.artifact_set) for cut in cuts}
    if progress is not None:
        total = sum(len(p) for p in plans.values())
        print(f"… {len(cuts)} cut points, {total} answers", file=progress)
    responder = QualityResponder(cuts, config.artifact_set)
    model = ModelServer(profile=PROFILES["cerebras"], responder=responder, seed=config.seeds[0])
    await model.start()
    servers: dict[str, Any] = {}
    try:
        for mode in MODES:
            settings = {
                "baseUrl": model.base_url,
                "model": MODEL,
                "promptMode": mode,
                "debounceMs": 0,
                "prefetch": False,
            }
            servers[mode] = await ServerConnection.start(settings, env=server_env(), reuse="none")
        await asyncio.gather(*(server.warm_up() for server in servers.values()))
        queue = list(cuts)
        queue.reverse()

        async def worker() -> None:
            while queue:
                cut = queue.pop()
                await _evaluate(cut, plans[cut.id], servers, responder)

        await asyncio.gather(*(worker() for _ in range(config.workers)))
    finally:
        await asyncio.gather(*(s.aclose() for s in servers.values()), return_exceptions=True)
        await model.stop()
    evaluations = [evaluation for cut in cuts for evaluation in plans[cut.id]]
    result = QualityResult(
        config,
        sources,
        cuts,
        evaluations,
        seconds=time.monotonic() - started,
        unmatched=responder.unmatched,
    )
    missing = sum(1 for e in evaluations if e.calls == 0)
    if missing:
        result.notes.append(f"{missing} answers made no model call (counted as wrong)")
    errors = [e.error for e in evaluations if e.error]
    if errors:
        result.notes.append(f"{len(errors)} requests failed, e.g. {errors[0]}")
    return result


def _sources(config: QualityConfig) -> list[Source]:
    if config.corpus is None:
        return default_sources()
    folder = Path(config.corpus)
    if not folder.is_dir():
        raise SystemExit(f"ghostls bench: --corpus {config.corpus}: not a folder")
    return folder_sources(folder)
