"""The Markdown and JSON of a quality run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ghostls.replay.quality.evaluation import CAUSES, Evaluation, QualityConfig, QualityResult
from ghostls.replay.quality.sampling import CutPoint
from ghostls.replay.quality.scoring import Score, score, target_checks
from ghostls.replay.quality.suite import LABELS, MODES, TARGET_KIND, ArtifactSet, seed_class


def _cell(s: Score) -> str:
    return "–" if not s.n else f"{s.share:.1%} ({s.n})"


def _mark(met: bool) -> str:
    return "✓" if met else "✗"


def markdown(result: QualityResult, *, verbose: bool = False) -> str:
    evaluations = result.evaluations
    languages = [
        source.language_id
        for source in result.sources
        if any(cut.language_id == source.language_id for cut in result.cuts)
    ]
    out = [
        "# ghostls bench --quality",
        "",
        f"Post-processing through `python -m ghostls` (stdio, prompt modes chat and fim): "
        f"{len(result.cuts)} cut points in real files, {len(evaluations)} answers from the "
        "local model server: the author's text wrapped in the artifacts real models produce. "
        "A figure is the share of answers after which the document equals the file (the "
        "returned item's range replaced by its text); raw: the model's answer inserted at the "
        f"cursor as a naive client would. {result.seconds:.0f} s.",
        "",
        f"Artifacts: {result.config.artifact_set.description}.",
        "",
        f"Seeds: {_seeds_line(result.config.seeds)}. {_standing(result.config)}",
        "",
        "Corpus:",
        "",
    ]
    for source in result.sources:
        cuts = [cut for cut in result.cuts if cut.language_id == source.language_id]
        if not cuts:
            continue
        files = len({cut.path for cut in cuts})
        plural = "s" if files > 1 else ""
        labels = ", ".join(
            f"{label} {sum(1 for c in cuts if c.label == label)}" for label in LABELS
        )
        out.append(
            f"- {source.language_id}: {len(cuts)} cut points in {files} file{plural} of "
            f"{source.description} ({labels})"
        )
    out += [
        "",
        "## Exact match by artifact kind × language (after post-processing; answers)",
        "",
        "| artifact | model | " + " | ".join(languages) + " | all: raw → ghostls | answers | ≥ "
        f"{TARGET_KIND:.0%} |",
        "|---|---|" + "--:|" * len(languages) + "--:|--:|:-:|",
    ]
    kinds = result.config.artifact_set.kinds
    for kind in kinds:
        chosen = [e for e in evaluations if e.kind == kind]
        if not chosen:
            continue
        modes = sorted({e.mode for e in chosen})
        whole = score(chosen)
        cells = [_cell(score(e for e in chosen if e.cut.language_id == lang)) for lang in languages]
        out.append(
            f"| {kind} | {'+'.join(modes)} | " + " | ".join(cells) + f" | {whole.raw_share:.1%} "
            f"→ {whole.share:.1%} | {whole.n} | {_mark(whole.share >= TARGET_KIND)} |"
        )
    whole = score(evaluations)
    cells = [
        _cell(score(e for e in evaluations if e.cut.language_id == lang)) for lang in languages
    ]
    out.append(
        "| **overall** | | " + " | ".join(cells) + f" | {whole.raw_share:.1%} → "
        f"{whole.share:.1%} | {whole.n} | |"
    )
    out += [
        "",
        "## By cut point (after post-processing; answers)",
        "",
        "| cut point | " + " | ".join(languages) + " | all |",
        "|---|" + "--:|" * (len(languages) + 1),
    ]
    for label in LABELS:
        chosen = [e for e in evaluations if e.cut.label == label]
        cells = [_cell(score(e for e in chosen if e.cut.language_id == lang)) for lang in languages]
        out.append(f"| {label} | " + " | ".join(cells) + f" | {_cell(score(chosen))} |")
    for mode in MODES:
        chosen = [e for e in evaluations if e.mode == mode]
        out.append(
            f"| (prompt mode {mode}) | "
            + " | ".join(
                _cell(score(e for e in chosen if e.cut.language_id == lang)) for lang in languages
            )
            + f" | {_cell(score(chosen))} |"
        )
    failures = [e for e in evaluations if not e.exact]
    if failures:
        failed = [kind for kind in kinds if any(e.kind == kind for e in failures)]
        out += [
            "",
            "## Failures by cause (answers)",
            "",
            "| cause | " + " | ".join(failed) + " | all |",
            "|---|" + "--:|" * (len(failed) + 1),
        ]
        for cause in CAUSES:
            chosen = [e for e in failures if e.cause == cause]
            if chosen:
                cells = [str(sum(1 for e in chosen if e.kind == kind) or "") for kind in failed]
                out.append(f"| {cause} | " + " | ".join(cells) + f" | {len(chosen)} |")
    if len(result.config.seeds) > 1:
        out += ["", "## By seed", "", "| seed | | cut points | answers | exact |"]
        out.append("|--:|---|--:|--:|--:|")
        for seed in result.config.seeds:
            chosen = [e for e in evaluations if e.cut.seed == seed]
            count = sum(1 for cut in result.cuts if cut.seed == seed)
            whole = score(chosen)
            out.append(
                f"| {seed} | {seed_class(seed)} | {count} | {whole.n} | "
                f"{whole.raw_share:.1%} → {whole.share:.1%} |"
            )
    standing = "held-out seeds" if result.config.held_out else "includes tuning seeds"
    out += ["", f"## Targets ({standing})", ""]
    out += [f"- {_mark(t.met)} {t.label}: {t.value}" for t in target_checks(evaluations)]
    out.append("")
    notes = list(result.notes)
    if result.unmatched:
        notes.append(f"{result.unmatched} model calls matched no cut point (answered empty)")
    if notes:
        out += ["## Notes", "", *[f"- {note}" for note in notes], ""]
    if verbose:
        out += _variants(evaluations, result.config.artifact_set)
    if verbose and failures:
        out += [f"## Failing answers ({len(failures)}; up to {_EXAMPLES} shown)", ""]
        out += _examples(failures)
    return "\n".join(out)


_EXAMPLES = 16


def _seeds_line(seeds: Sequence[int]) -> str:
    return ", ".join(f"{seed} ({seed_class(seed)})" for seed in seeds)


def _standing(config: QualityConfig) -> str:
    if config.held_out:
        return "No fix was tuned on these seeds: the figures are a measurement."
    tuned = sorted(seed for seed in config.seeds if seed_class(seed) == "tuning")
    return (
        f"Fixes were tuned on seed{'s' if len(tuned) > 1 else ''} "
        f"{', '.join(map(str, tuned))}: a regression check, not a measurement."
    )


def _variants(evaluations: Sequence[Evaluation], artifact_set: ArtifactSet) -> list[str]:
    """Exact matches by artifact variant (a mixed answer counts for each of its parts)."""
    rows: dict[tuple[str, str], list[Evaluation]] = {}
    for e in evaluations:
        if e.kind == artifact_set.mixed:
            continue
        rows.setdefault((e.kind, e.variant or "–"), []).append(e)
    out = [
        "## By artifact variant (after post-processing)",
        "",
        "| artifact | variant | exact | answers |",
        "|---|---|--:|--:|",
    ]
    for (kind, variant), chosen in sorted(
        rows.items(),
        key=lambda item: (
            artifact_set.kinds.index(item[0][0]) if item[0][0] in artifact_set.kinds else 99,
            item[0][1],
        ),
    ):
        s = score(chosen)
        out.append(f"| {kind} | {variant} | {s.share:.1%} | {s.n} |")
    return [*out, ""]


def pick_examples(failures: Sequence[Evaluation], count: int = _EXAMPLES) -> list[Evaluation]:
    """Failures of as many different kinds, labels and languages as possible."""
    chosen: list[Evaluation] = []
    seen: set[tuple[str, str, str]] = set()
    for evaluation in failures:
        key = (evaluation.kind, evaluation.cut.label, evaluation.cut.language_id)
        if key not in seen:
            seen.add(key)
            chosen.append(evaluation)
    for evaluation in failures:
        if len(chosen) >= count:
            break
        if evaluation not in chosen:
            chosen.append(evaluation)
    return chosen[:count]


def context_of(cut: CutPoint, lines: int = 3) -> str:
    """The lines before the cursor, the cursor (▮), and the document's next lines."""
    before = cut.before.split("\n")[-lines:]
    after = cut.after.split("\n")[:lines]
    return "\n".join(before) + "▮" + "\n".join(after)


def _examples(failures: Sequence[Evaluation]) -> list[str]:
    out = []
    for e in pick_examples(failures):
        cut = e.cut
        inserted = "(no suggestion)" if e.inserted is None else repr(e.inserted)
        out += [
            f"### {cut.display}:{cut.line + 1}:{cut.column + 1} — {cut.label}, {e.kind}"
            f"{f' ({e.variant})' if e.variant else ''}, {e.mode} ({cut.language_id}): {e.cause}",
            "",
            "```",
            context_of(cut),
            "```",
            "",
            f"- raw: `{e.raw!r}`" + (f" (after the lead {e.lead!r})" if e.lead else ""),
            f"- inserted: `{inserted}`" + (f" — {e.error}" if e.error else ""),
            f"- truth: `{cut.truth!r}`",
            "",
        ]
    return out


def to_json(result: QualityResult) -> dict[str, Any]:
    def figures(s: Score) -> dict[str, Any]:
        return {
            "n": s.n,
            "raw": s.raw,
            "exact": s.exact,
            "share": round(s.share, 4),
            "rawShare": round(s.raw_share, 4),
        }

    evaluations = result.evaluations
    languages = sorted({cut.language_id for cut in result.cuts})
    table = {
        kind: {
            "all": figures(score(e for e in evaluations if e.kind == kind)),
            **{
                lang: figures(
                    score(e for e in evaluations if e.kind == kind and e.cut.language_id == lang)
                )
                for lang in languages
            },
        }
        for kind in result.config.artifact_set.kinds
    }
    return {
        "config": {
            "seeds": list(result.config.seeds),
            "tuningSeeds": sorted(s for s in result.config.seeds if seed_class(s) == "tuning"),
            "heldOut": result.config.held_out,
            "artifacts": result.config.artifacts,
            "quick": result.config.quick,
            "corpus": result.config.corpus,
        },
        "seconds": round(result.seconds, 2),
        "corpus": [
            {
                "language": s.language_id,
                "description": s.description,
                "cuts": sum(1 for c in result.cuts if c.language_id == s.language_id),
            }
            for s in result.sources
        ],
        "cuts": len(result.cuts),
        "answers": len(evaluations),
        "byKind": table,
        "byLabel": {
            label: figures(score(e for e in evaluations if e.cut.label == label))
            for label in LABELS
        },
        "overall": figures(score(evaluations)),
        "targets": [
            {"label": t.label, "value": t.value, "met": t.met} for t in target_checks(evaluations)
        ],
        "failures": [
            {
                "file": e.cut.display,
                "line": e.cut.line + 1,
                "column": e.cut.column + 1,
                "language": e.cut.language_id,
                "label": e.cut.label,
                "seed": e.cut.seed,
                "kind": e.kind,
                "variant": e.variant,
                "mode": e.mode,
                "cause": e.cause,
                "context": context_of(e.cut),
                "raw": e.raw,
                "lead": e.lead,
                "inserted": e.inserted,
                "truth": e.cut.truth,
                "error": e.error,
            }
            for e in evaluations
            if not e.exact
        ],
        "notes": result.notes,
        "unmatchedModelCalls": result.unmatched,
    }
