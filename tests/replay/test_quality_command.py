"""`ghostls bench --quality --quick` end to end: real server, real protocol, local model.
The table's structure only, never the figures (those are for the report)."""

from __future__ import annotations

import json
from pathlib import Path

from ghostls.replay.habits import KINDS
from ghostls.replay.quality.suite import LABELS
from tests.replay.test_commands import ghostls


def test_bench_quality_quick_prints_the_tables_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "quality.json"
    done = ghostls("bench", "--quality", "--quick", "--verbose", "--json", str(out), timeout=120)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("# ghostls bench --quality")
    assert "- python: " in text and "standard library" in text
    table = text.split("## Exact match by artifact kind × language", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    header, *body = rows
    assert header.startswith("| artifact | model | python |")
    names = [row.split("|")[1].strip() for row in body]
    assert names[-1] == "**overall**"
    assert set(names[:-1]) <= set(KINDS) and {"clean", "fence", "suffix", "pair"} <= set(names)
    for row in body:
        assert "→" in row and "%" in row
    for label in LABELS:
        assert f"| {label} |" in text
    targets = text.split("## Targets", 1)[1].split("\n## ", 1)[0]
    marks = [line[2] for line in targets.splitlines() if line.startswith("- ")]
    assert len(marks) == 3 and set(marks) <= {"✓", "✗"}
    assert "## By artifact variant" in text
    # The default seeds are held out, and the report says so.
    assert "## Targets (held-out seeds)" in text
    payload = json.loads(out.read_text())
    assert payload["answers"] == payload["overall"]["n"] > 0
    assert payload["cuts"] > 0
    assert {entry["language"] for entry in payload["corpus"]} >= {"python"}
    assert set(payload["byKind"]) == set(KINDS)
    assert set(payload["byLabel"]) == set(LABELS)
    assert len(payload["targets"]) == 3
    assert payload["config"]["heldOut"] and not payload["config"]["tuningSeeds"]
    # Every answer reached the model through the server: nothing got lost on the way.
    assert payload["unmatchedModelCalls"] == 0
    assert not any(f["cause"] in ("request failed",) for f in payload["failures"])
