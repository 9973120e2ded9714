"""The real-model benchmark's scoring, on hand-made cut points."""

from __future__ import annotations

from pathlib import Path

from ghostls.replay.quality.sampling import CutPoint
from ghostls.replay.quality.sources import folder_sources
from ghostls.replay.quality.suite import LABELS
from ghostls.replay.real_cases import pick_cases
from ghostls.replay.real_scoring import bracket_balance, has_junk, verdict
from tests.replay.test_quality import PYTHON

TEXT = "def f(x):\n    y = max(x, 1)\n    return y * 2\n\n\nprint(f(3))\n"


def _cut(truth: str) -> CutPoint:
    offset = TEXT.index(truth)
    return CutPoint(0, "f.py", "f.py", "python", "mid-line", TEXT, offset, truth)


def test_exact_answer() -> None:
    cut = _cut("max(x, 1)")
    v = verdict(cut, "max(x, 1)", TEXT)
    assert v.exact and v.first_line and v.parses and not v.brackets_damaged and not v.junk


def test_an_answer_restating_the_code_below() -> None:
    cut = _cut("max(x, 1)")
    inserted = "max(x, 1)\n    return y * 2"
    result = cut.before + inserted + cut.after
    v = verdict(cut, inserted, result)
    assert v.suffix_duplicated and v.first_line and not v.exact


def test_an_unclosed_call_damages_brackets_and_parsing() -> None:
    cut = _cut("max(x, 1)")
    result = cut.before + "max(x, 1" + cut.after
    v = verdict(cut, "max(x, 1", result)
    assert v.brackets_damaged and v.parses is False


def test_nothing_inserted_is_empty_not_damage() -> None:
    cut = _cut("max(x, 1)")
    v = verdict(cut, None, cut.document)
    assert v.empty and not v.brackets_damaged and not v.exact


def test_junk() -> None:
    assert has_junk("```python\nx = 1\n```")
    assert has_junk("x = 1<|fim_pad|>")
    assert has_junk("x = 1\nHere is the completed code:")
    assert not has_junk("x = here_is(1)")


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    assert bracket_balance("x = '(' # [\n", "python") == (0, 0, 0)
    assert bracket_balance("f(a, /* ) */ b", "c") == (1, 0, 0)


def test_a_few_real_cases_cover_every_label_from_different_files(tmp_path: Path) -> None:
    for name in ("a", "b", "c", "d", "e", "f", "g", "h"):
        text = "\n\n".join(PYTHON.replace("def ", f"def {name}{n}_") for n in range(3))
        (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
    found = folder_sources(tmp_path)
    cases = pick_cases(found, dict.fromkeys(["python"], 8), seed=0, limit=4)
    assert sorted(case.label for case in cases) == sorted(LABELS)
    assert len({case.path for case in cases}) == len(cases)
