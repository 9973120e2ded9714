"""The quality benchmark's pure parts: cut points, artifacts, the responder, scoring, report."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from ghostls.replay.artifacts import (
    CHAT_KINDS,
    CLEAN,
    FIM_KINDS,
    KINDS,
    MIXED,
    View,
    applicable,
    closers_after,
    mix_parts,
    mode_of,
    wrap,
)
from ghostls.replay.quality.evaluation import (
    Evaluation,
    QualityConfig,
    QualityResponder,
    QualityResult,
    difference,
    plan,
)
from ghostls.replay.quality.lexer import code_lines, indent_unit, scan_line, syntax_of
from ghostls.replay.quality.report import markdown, to_json
from ghostls.replay.quality.sampling import (
    CutPoint,
    Source,
    cut_candidates,
    sample_cuts,
    sample_seeds,
)
from ghostls.replay.quality.scoring import score, target_checks
from ghostls.replay.quality.suite import HELD_OUT_SEEDS, LABELS, STAGES, TUNING_SEEDS
from ghostls.snapshot import looks_finished

HEADER = "".join(
    f"# header line {i}: padding so that cut points have text before them\n" for i in range(5)
)

PYTHON = (
    HEADER
    + '''
import os


def load(path, mode="r"):
    """Read a file."""
    with open(path, mode) as handle:
        data = handle.read()
        size = len(data)
    if not data:
        return None
    result = parse(data, strict=True)
    log(result)
    return transform(result, size)


def parse(text, strict=False):
    """Split text.

    Commas separate parts.
    """
    parts = text.split(",")
    return [part.strip() for part in parts if part]
'''
)

JAVASCRIPT = (
    HEADER.replace("#", "//")
    + """
function load(path, options) {
  const data = readFile(path, options.encoding);
  if (!data) {
    return null;
  }
  const result = parse(data, { strict: true });
  log(result)
  return transform(result, data.length);
}

module.exports = { load };
"""
)

LUA = (
    HEADER.replace("#", "--")
    + """
local M = {}

function M.load(path, opts)
  local data = read_file(path, opts.encoding)
  if not data then
    return nil
  end
  local result = parse(data, { strict = true })
  log(result)
  return transform(result, #data)
end

return M
"""
)

SAMPLES = {"python": PYTHON, "javascript": JAVASCRIPT, "lua": LUA}


def line_of(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : len(text) if end < 0 else end]


# -- reading code ----------------------------------------------------------------------------


def test_scan_line_pairs_brackets_outside_strings_and_comments() -> None:
    scanned = scan_line('f(a, "(", [b]) # (', syntax_of("python"))
    assert scanned.pairs == [(10, 12), (1, 13)]
    assert scanned.depth == 0 and scanned.unmatched == 0
    assert scanned.comment_at == 15
    js = scan_line("x = `a ${b}", syntax_of("javascript"))
    assert js.open_at_end is not None  # a template string runs on to the next line


def test_code_lines_leave_out_docstrings_comments_and_blank_lines() -> None:
    lines = PYTHON.split("\n")
    plain = code_lines(lines, "python")
    flagged = {line.strip() for line, ok in zip(lines, plain, strict=True) if ok}
    assert "import os" in flagged
    assert "Commas separate parts." not in flagged  # inside a docstring: no code
    assert '"""Split text.' not in flagged
    assert not any(line.startswith("#") for line in flagged)
    assert "" not in flagged


def test_code_lines_read_every_language_with_the_products_lexer() -> None:
    js = ["const a = 1;", "/* a comment", "   that goes on (", "*/", "let b = `x", "y`;", "f(a);"]
    assert code_lines(js, "javascript") == [True, False, False, False, False, False, True]
    lua = ["local t = {}", "--[[ long", "comment ]]", "print(t) -- done"]
    assert code_lines(lua, "lua") == [True, False, False, True]
    assert scan_line("print(t) -- done (", syntax_of("lua")).comment_at == 9
    assert scan_line('x = "#" # c', syntax_of("python")).comment_at == 8
    assert scan_line('f("open', syntax_of("python")).unmatched == 2  # the string and "("


def test_indent_unit_is_the_files_step() -> None:
    assert indent_unit(PYTHON.split("\n")) == "    "
    assert indent_unit(JAVASCRIPT.split("\n")) == "  "
    assert indent_unit(["if x:", "\tpass", "\tif y:", "\t\tpass"]) == "\t"


# -- cut points ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_every_candidate_matches_its_label(language: str) -> None:
    text = SAMPLES[language]
    found = cut_candidates(text, language, random.Random(0))
    assert set(found) == set(LABELS)
    for label, spans in found.items():
        assert spans, label
        for offset, end in spans:
            truth = text[offset:end]
            line = line_of(text, offset)
            column = offset - (text.rfind("\n", 0, offset) + 1)
            assert offset >= 200
            if label == "mid-line":
                # The rest of the line, after some typed code.
                assert "\n" not in truth and text[end : end + 1] in ("\n", "")
                assert line[:column].strip()
                # Not where the server would take the line as finished and suggest the next.
                assert not looks_finished(line[:column])
            elif label == "end-of-line":
                # A finished line: the truth is the next line, at the same indentation.
                assert truth.startswith("\n") and truth.count("\n") == 1
                assert line[-1] in ")]}\"'"
                assert len(truth) - len(truth.lstrip("\n ")) - 1 == len(line) - len(line.lstrip())
            elif label == "empty-line":
                # The rest of a block, from the first code of its first line.
                assert not line[:column].strip() and column > 0
                assert text[end : end + 1] == "\n"
                after = [row for row in text[end + 1 :].split("\n") if row.strip()]
                assert not after or len(after[0]) - len(after[0].lstrip()) < column
            else:
                # Between a bracket and its closer, which stays in the document.
                assert "\n" not in truth and text[end] in ")]}"
                assert text[offset - 1] in "([{" or text[:offset].rstrip().endswith(",")


def test_empty_line_truths_are_whole_blocks() -> None:
    found = cut_candidates(PYTHON, "python", random.Random(0))["empty-line"]
    truths = {PYTHON[offset:end] for offset, end in found}
    assert "data = handle.read()\n        size = len(data)" in truths
    assert "return None" in truths
    assert "log(result)\n    return transform(result, size)" in truths
    # A docstring is no statement to type.
    assert not any(truth.startswith('"""') for truth in truths)


def source(tmp_path: Path, language: str, count: int) -> Source:
    suffix = {"python": ".py", "javascript": ".js", "lua": ".lua"}[language]
    files = []
    for index in range(count):
        path = tmp_path / f"{language}{index}{suffix}"
        path.write_text(SAMPLES[language].replace("load", f"load{index}"), encoding="utf-8")
        files.append(path)
    return Source(language, "test files", tuple(files), tmp_path)


def test_sample_cuts_is_deterministic_and_labels_each_cut(tmp_path: Path) -> None:
    sources = [source(tmp_path, "python", 4), source(tmp_path, "lua", 4)]
    quotas = {"python": 3, "lua": 2}
    first = sample_cuts(sources, quotas, seed=1)
    again = sample_cuts(sources, quotas, seed=1)
    other = sample_cuts(sources, quotas, seed=2)
    assert [(c.path, c.offset, c.label) for c in first] == [
        (c.path, c.offset, c.label) for c in again
    ]
    assert [(c.path, c.offset) for c in first] != [(c.path, c.offset) for c in other]
    for language, quota in quotas.items():
        for label in LABELS:
            assert sum(1 for c in first if c.language_id == language and c.label == label) == quota
    for cut in first:
        assert cut.text[cut.offset : cut.offset + len(cut.truth)] == cut.truth
        assert cut.document == cut.before + cut.after
        assert cut.document.count("\n") == cut.text.count("\n") - cut.truth.count("\n")
    assert len({c.id for c in first}) == len(first)


def test_end_of_line_cuts_predict_the_next_line_lead() -> None:
    text = HEADER + "def f():\n    a = g(1)\n    return a\n"
    offset = text.index("g(1)") + 4
    cut = CutPoint(0, "f.py", "f.py", "python", "end-of-line", text, offset, "\n    return a")
    assert cut.predicted_lead == "\n    "
    assert cut.continuation("\n    ") == "return a"
    assert cut.view("\n    ").line_prefix == "    "


# -- artifacts -------------------------------------------------------------------------------


def view(prefix: str, suffix: str, language: str = "python") -> View:
    return View(HEADER + prefix, suffix, language, "    ")


MID = view("def f(x):\n    return fo", "\n\nprint(f(1))\nprint(f(2))\n")
BRACKETS = view("def f(x):\n    return g(", "), 1\n\nprint(f(1))\n")
BLOCK = view("def f(x):\n    if x:\n        ", "\n    return x\n")
JS_BLOCK = view("function f(x) {\n  if (x) {\n    ", "\n  }\n}\n", "javascript")


def art(kind: str, text: str, at: View, seed: int = 0) -> tuple[str, str]:
    artifact = wrap(kind, text, at, random.Random(seed))
    assert artifact.kind == kind
    return artifact.text, artifact.variant


def test_clean_is_the_truth() -> None:
    assert art(CLEAN, "o(x)", MID) == ("o(x)", "")


def test_fence_wraps_the_truth() -> None:
    for seed in range(8):
        raw, variant = art("fence", "x = 1\ny = 2", BLOCK, seed)
        assert raw.startswith("```") and variant.startswith("```")
        lines = raw.rstrip("\n").split("\n")
        assert lines[-1] == "```" and "\n".join(lines[1:-1]) == "x = 1\ny = 2"
        assert lines[0] in ("```python", "```py", "```")


def test_prose_explains_before_or_after() -> None:
    seen = set()
    for seed in range(12):
        raw, variant = art("prose", "o(x)", MID, seed)
        seen.add(variant)
        assert "o(x)" in raw
        head, _, tail = raw.partition("o(x)")
        assert bool(head.strip()) == (variant in ("before", "both"))
        assert bool(tail.strip()) == (variant in ("after", "both"))
    assert seen == {"before", "after", "both"}


def test_echo_repeats_the_typed_part_of_the_line() -> None:
    results = {art("echo", "o(x)", MID, seed) for seed in range(12)}
    assert ("    return foo(x)", "line") in results
    assert ("return foo(x)", "line without indentation") in results
    assert ("foo(x)", "word") in results
    # At a line start: the line before, then the answer on its own line.
    raw, variant = art("echo", "return 1", BLOCK, 3)
    assert raw.endswith("\n        return 1") or raw == "if x:\n        return 1"
    assert raw.split("\n")[0].strip() == "if x:"
    assert variant.startswith("previous line")


def test_indent_variants_get_indentation_wrong_as_they_say() -> None:
    text = "if y:\n            z = 1\n        w = 2"
    results = dict((v, raw) for raw, v in (art("indent", text, BLOCK, s) for s in range(30)))
    assert results["one level deeper"] == "    if y:\n                z = 1\n            w = 2"
    assert results["indentation repeated"] == "        " + text
    assert results["tabs for spaces"] == "if y:\n\t\t\tz = 1\n\t\tw = 2"
    assert results["relative to the first line"] == "if y:\n    z = 1\nw = 2"
    assert not applicable("indent", "o(x)", MID)  # nothing to indent in a line's middle
    # After a dedent, one level deeper is the block just left: no wrong indentation to fix.
    dedent = view("def f(x):\n    if x:\n        y = 1\n    ", "\n")
    assert not applicable("indent", "return y", dedent)


def test_no_echo_of_a_single_typed_character() -> None:
    assert not applicable("echo", "1", view("t = {\n    [", "] = 2,\n}\n"))
    assert applicable("echo", "1", view("t = {\n    [[", "]] = 2,\n}\n"))


def test_suffix_runs_on_into_the_text_after_the_cursor() -> None:
    for seed in range(6):
        raw, variant = art("suffix", "o(x)", MID, seed)
        assert raw.startswith("o(x)\n") and MID.suffix.startswith(raw[len("o(x)") :])
        assert raw.count("print") == int(variant[0])
    raw, _ = art("suffix", "x", BRACKETS, 0)
    assert raw.startswith("x), 1")


def test_closers_close_what_the_suffix_already_closes() -> None:
    raws = {art("closers", "x", BRACKETS, seed)[0] for seed in range(8)}
    assert raws == {"x)"}
    nested = view("f(g(", ")) + 1\n")
    assert {art("closers", "x", nested, seed)[0] for seed in range(12)} == {"x)", "x))"}
    raw, variant = art("closers", "return x;", JS_BLOCK)
    assert raw == "return x;\n  }" and variant == "'}'"
    assert closers_after(MID) is None and not applicable("closers", "o(x)", MID)
    lua = view("if x then\n  ", "\nend\n", "lua")
    assert art("closers", "y()", lua)[0] == "y()\nend"


def test_repetition_repeats_the_last_line() -> None:
    for seed in range(10):
        raw, variant = art("repetition", "x = 1\n        y = 2", BLOCK, seed)
        lines = raw.split("\n")
        copies = int(variant[1])
        assert lines[: 2 + copies - 1] == ["x = 1", *["        y = 2"] * copies]
        if "part" in variant:
            assert "        y = 2".startswith(lines[-1]) and lines[-1] != "        y = 2"
    # A single line repeats whole, with what was typed before it.
    raw, _ = art("repetition", "o(x)", MID)
    assert raw.split("\n")[1] == "    return foo(x)"


def test_wrappers_are_deterministic_by_seed() -> None:
    for kind in KINDS:
        at = BLOCK if kind in ("indent", "echo") else BRACKETS
        text = "x = 1\n        y = 2" if at is BLOCK else "x"
        if not applicable(kind, text, at):
            continue
        runs = [wrap(kind, text, at, random.Random(f"7:{kind}")) for _ in range(3)]
        assert runs[0] == runs[1] == runs[2]
    raws = {wrap(MIXED, "x", BRACKETS, random.Random(seed)).text for seed in range(10)}
    assert len(raws) > 3


def test_mixed_answers_combine_what_they_name() -> None:
    for seed in range(20):
        parts = mix_parts("o(x)", MID, random.Random(seed))
        assert 2 <= len(parts) <= 4 and ("fence" in parts or "prose" in parts)
        assert not {"suffix", "repetition"} <= set(parts)
        artifact = wrap(MIXED, "o(x)", MID, random.Random(seed), parts)
        assert [item.split(":")[0] for item in artifact.variant.split(", ")] == list(parts)
        assert mode_of(MIXED, parts) == "chat"
    assert mode_of("suffix") == mode_of("closers") == mode_of("repetition") == "fim"
    assert all(mode_of(kind) == "chat" for kind in CHAT_KINDS)
    assert set(KINDS) == {CLEAN, MIXED, *CHAT_KINDS, *FIM_KINDS}


def test_a_kind_that_does_not_apply_answers_the_truth() -> None:
    artifact = wrap("closers", "o(x)", MID, random.Random(0))
    assert artifact.text == "o(x)" and artifact.kind == "closers (n/a)"


# -- the responder ---------------------------------------------------------------------------


def brackets_cut() -> CutPoint:
    text = HEADER + "def f(x):\n    return g(x, 1)\n"
    offset = text.index("g(") + 2
    return CutPoint(3, "f.py", "f.py", "python", "inside-brackets", text, offset, "x, 1")


def test_the_responder_answers_the_evaluation_of_the_prompts_cut_point() -> None:
    cut = brackets_cut()
    responder = QualityResponder([cut], STAGES)
    evaluation = Evaluation(cut, "closers", "fim")
    responder.current[cut.id] = evaluation
    fim = SimpleNamespace(body={"prompt": cut.before, "suffix": cut.after})
    assert responder(fim) == "x, 1)"
    assert evaluation.raw == "x, 1)" and evaluation.calls == 1 and not evaluation.lead
    # Chat: the code before the cursor marker that ends the code block, not the instructions.
    user = f"```python\n{cut.before}<CURSOR>)\n```\nInsert one line at <CURSOR>: ..."
    chat = SimpleNamespace(body={"messages": [{"role": "user", "content": user}]})
    evaluation.kind = CLEAN
    assert responder(chat) == "x, 1"
    assert responder(SimpleNamespace(body={"prompt": "nothing known"})) == ""
    assert responder.unmatched == 1


def test_the_responder_sees_the_servers_line_break_before_the_next_line() -> None:
    text = HEADER + "def f():\n    a = g(1)\n    return a\n"
    offset = text.index("g(1)") + 4
    cut = CutPoint(0, "f.py", "f.py", "python", "end-of-line", text, offset, "\n    return a")
    responder = QualityResponder([cut], STAGES)
    evaluation = Evaluation(cut, CLEAN, "fim")
    responder.current[cut.id] = evaluation
    assert responder(SimpleNamespace(body={"prompt": cut.before + "\n    "})) == "return a"
    assert evaluation.lead == "\n    " and evaluation.raw_exact


def test_plan_asks_clean_from_both_models_and_each_kind_that_applies() -> None:
    cut = brackets_cut()
    evaluations = plan(cut, seed=0, artifact_set=STAGES)
    kinds = [(e.kind, e.mode) for e in evaluations]
    assert kinds[:2] == [(CLEAN, "chat"), (CLEAN, "fim")]
    assert ("closers", "fim") in kinds and ("fence", "chat") in kinds
    assert not any(kind == "indent" for kind, _ in kinds)  # not at a line start
    assert kinds[-1][0] == MIXED


# -- scoring ---------------------------------------------------------------------------------


def scored(cut: CutPoint, kind: str, inserted: str | None, raw: str = "") -> Evaluation:
    evaluation = Evaluation(cut, kind, "fim", raw=raw, calls=1, inserted=inserted)
    evaluation.result = cut.before + (inserted or "") + cut.after
    return evaluation


def test_exact_match_before_and_after_and_the_cause_of_a_miss() -> None:
    cut = brackets_cut()
    good = scored(cut, "closers", "x, 1", raw="x, 1)")
    assert good.exact and not good.raw_exact and good.cause == ""
    clean = scored(cut, CLEAN, "x, 1", raw="x, 1")
    assert clean.exact and clean.raw_exact
    assert scored(cut, "closers", "x, 1)").cause == "extra text kept"
    assert scored(cut, "closers", "x").cause == "text missing"
    assert scored(cut, "closers", "x,  1").cause == "whitespace"
    assert scored(cut, "closers", "y, 2").cause == "other text"
    assert scored(cut, "closers", None).cause == "no suggestion"
    assert difference("abcXdef", "abcdef") == ("X", "")
    assert difference("aa", "aaa") == ("", "a")


def test_scores_and_targets() -> None:
    cut = brackets_cut()
    evaluations = [scored(cut, CLEAN, "x, 1", raw="x, 1") for _ in range(99)]
    evaluations.append(scored(cut, CLEAN, "x"))
    evaluations += [scored(cut, "fence", "x, 1") for _ in range(9)]
    evaluations.append(scored(cut, "fence", "x, 1)"))
    whole = score(evaluations)
    assert (whole.n, whole.raw, whole.exact) == (110, 99, 108)
    checks = {check.label: check for check in target_checks(evaluations)}
    overall, kinds, damage = checks.values()
    assert overall.met and "98.2%" in overall.value
    assert kinds.met and "fence 90.0%" in kinds.value
    assert damage.met and "1.0% (1 of 100)" in damage.value
    evaluations.append(scored(cut, "fence", None))
    assert not target_checks(evaluations)[1].met


def test_markdown_and_json_have_every_table(tmp_path: Path) -> None:
    cut = brackets_cut()
    evaluations = [scored(cut, CLEAN, "x, 1", raw="x, 1"), scored(cut, "fence", "x, 1)")]
    evaluations[1].variant = "```python"
    result = QualityResult(
        QualityConfig(artifacts="stages"),
        [Source("python", "test files", (), tmp_path)],
        [cut],
        evaluations,
    )
    text = markdown(result, verbose=True)
    assert text.startswith("# ghostls bench --quality")
    for heading in (
        "## Exact match by artifact kind × language",
        "## By cut point",
        "## Failures by cause",
        "## Targets",
        "## By artifact variant",
        "## Failing answers (1;",
    ):
        assert heading in text
    assert "| clean | fim | 100.0% (1) |" in text
    assert "| **overall** |" in text
    assert "- ✗ exact match overall ≥ 97%: 50.0% (1 of 2)" in text
    assert "- raw: `None`" not in text and "- truth: `'x, 1'`" in text
    payload = to_json(result)
    assert payload["overall"] == {"n": 2, "raw": 1, "exact": 1, "share": 0.5, "rawShare": 0.5}
    assert payload["byKind"]["fence"]["python"]["n"] == 1
    assert payload["failures"][0]["cause"] == "extra text kept"
    assert [t["met"] for t in payload["targets"]] == [False, False, True]


# -- held-out seeds --------------------------------------------------------------------------


def test_the_default_seeds_are_held_out() -> None:
    assert HELD_OUT_SEEDS and not set(HELD_OUT_SEEDS) & TUNING_SEEDS
    assert QualityConfig().held_out and not QualityConfig(seeds=(0,)).held_out


def test_sample_seeds_numbers_through_and_keeps_each_cut_once(tmp_path: Path) -> None:
    sources = [source(tmp_path, "python", 6)]
    quotas = {"python": 2}
    cuts = sample_seeds(sources, quotas, (1, 2, 1))
    assert [cut.id for cut in cuts] == list(range(len(cuts)))
    assert {cut.seed for cut in cuts} <= {1, 2}
    assert len({cut.before[-160:] for cut in cuts}) == len(cuts)
    assert [c.offset for c in cuts if c.seed == 1] == [
        c.offset for c in sample_cuts(sources, quotas, 1)
    ]


def test_mid_line_cuts_avoid_heads_that_look_finished() -> None:
    # After `f(a)` the server takes the line as finished and suggests the next one.
    text = "".join(f"value_{i} = f(a)(b)(c)(d)(e)(f)(g)(h)(i)\n" for i in range(60))
    spans = cut_candidates(text, "python", random.Random(0))["mid-line"]
    assert len(spans) > 40
    for offset, _ in spans:
        head = text[text.rfind("\n", 0, offset) + 1 : offset]
        assert not looks_finished(head), head
