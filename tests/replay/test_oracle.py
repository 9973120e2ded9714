"""The simulated model: right as often as `q` says, the same answer for the same prompt."""

from __future__ import annotations

from ghostls.replay.corpus import Region
from ghostls.replay.oracle import Oracle, true_continuation, unit
from ghostls.replay.truth import Truth
from ghostls.testing import RecordedRequest

SOURCE = """import re


def tokens(text, keep=None):
    pattern = re.compile(r"\\w+")
    found = []
    for match in pattern.finditer(text):
        word = match.group(0).lower()
        if keep is None or word in keep:
            found.append(word)

    counts = {}
    for word in found:
        counts[word] = counts.get(word, 0) + 1
    return found, counts


def total(counts):
    return sum(counts.values())
"""
LINES = SOURCE.split("\n")


def truth() -> Truth:
    return Truth.of(Region("/src/tokens.py", "python", SOURCE, 4, 15))


def at(text: str) -> int:
    return SOURCE.index(text)


def request(prompt: str, suffix: str = "") -> RecordedRequest:
    body = {"model": "ghost-coder", "prompt": prompt, "suffix": suffix, "stream": True}
    return RecordedRequest(id=1, path="/v1/completions", body=body, headers={}, received_at=0.0)


def test_mid_line_the_truth_is_the_rest_of_the_line() -> None:
    t = truth()
    assert true_continuation(t, at("re.compile") + 3) == 'compile(r"\\w+")'


def test_on_a_fresh_line_the_truth_is_a_few_lines_of_the_block() -> None:
    t = truth()
    answer = true_continuation(t, at("for match"))
    assert answer.split("\n") == [
        "for match in pattern.finditer(text):",
        "        word = match.group(0).lower()",
        "        if keep is None or word in keep:",
        "            found.append(word)",
    ]
    # It stops at a blank line and at a dedent.
    assert true_continuation(t, at("found.append")) == "found.append(word)"
    assert true_continuation(t, at("return found")) == "return found, counts"


def test_at_the_end_of_a_line_the_truth_is_the_next_line() -> None:
    t = truth()
    end = at("found = []") + len("found = []")
    assert true_continuation(t, end) == "\n    for match in pattern.finditer(text):"


def test_nothing_past_the_region() -> None:
    t = truth()
    assert true_continuation(t, t.end) == ""
    assert "def total" not in true_continuation(t, at("return found"))


def test_q_one_always_right_q_zero_never() -> None:
    t = truth()
    right, wrong = Oracle(q=1.0, truth=t), Oracle(q=0.0, truth=t)
    for offset in range(at("pattern ="), at("found = []")):
        if not SOURCE[offset : t.end].split("\n", 1)[0].strip():
            continue
        true = true_continuation(t, offset)
        assert right(request(SOURCE[:offset])) == true
        answer = wrong(request(SOURCE[:offset]))
        assert answer
        assert answer.split("\n", 1)[0] != true.split("\n", 1)[0]


def test_the_share_of_right_answers_is_q() -> None:
    draws = [unit(11, "/src/tokens.py", pos) for pos in range(4000)]
    share = sum(draw < 0.35 for draw in draws) / len(draws)
    assert abs(share - 0.35) < 0.03


def test_a_repeated_prompt_gets_the_same_answer() -> None:
    t = truth()
    oracle = Oracle(q=0.5, seed=4, truth=t)
    prompts = [SOURCE[:offset] for offset in range(at("pattern"), at("counts = {}"), 7)]
    first = [oracle(request(p)) for p in prompts]
    assert first == [oracle(request(p)) for p in prompts]
    assert first == [Oracle(q=0.5, seed=4, truth=t)(request(p)) for p in prompts]
    assert first != [Oracle(q=0.5, seed=5, truth=t)(request(p)) for p in prompts]


def test_the_cursor_is_found_from_a_window_of_the_prompt() -> None:
    t = truth()
    offset = at("lower()")
    window = SOURCE[SOURCE.rfind("\n", 0, at("for match")) + 1 : offset]
    assert Oracle(q=1.0, truth=t)(request(window)) == "lower()"


def test_a_wrong_answer_starts_with_a_few_true_characters_then_real_code() -> None:
    t = truth()
    oracle = Oracle(q=0.0, truth=t)
    offset = at("counts[word] =")
    answer = oracle(request(SOURCE[:offset]))
    true = "counts[word] = counts.get(word, 0) + 1"
    common = 0
    while common < min(len(answer), len(true)) and answer[common] == true[common]:
        common += 1
    assert common <= 3
    assert any(line.strip() and line.strip() in answer for line in LINES)


def test_a_prompt_that_is_not_in_the_truth_gets_a_wrong_answer() -> None:
    t = truth()
    prompt = SOURCE[: at("found = []")] + "never = 'written'\n    "
    answer = Oracle(q=1.0, truth=t)(request(prompt))
    assert answer
    assert answer != true_continuation(t, at("found = []"))


def test_without_a_truth_or_a_prompt_it_says_nothing() -> None:
    assert Oracle()(request("x = 1")) == ""
    chat = RecordedRequest(
        id=2, path="/v1/chat/completions", body={"messages": []}, headers={}, received_at=0.0
    )
    assert Oracle(truth=truth())(chat) == ""
