"""What the user felt, computed from records: percentiles, pauses, what was on screen when."""

from __future__ import annotations

import math

import pytest

from ghostls.replay.metrics import (
    Keystroke,
    ModelCall,
    figures_of,
    is_pause,
    percentile,
    shown,
    source_of,
    time_to_suggestion,
)


def key(
    at: float,
    next_at: float | None,
    answered_at: float | None = None,
    suggestion: str = "",
    *,
    kind: str = "key",
    text: str = "x",
    prefix: str = "def f():\n    x",
    due: bool = True,
) -> Keystroke:
    k = Keystroke(0, kind, text, at, next_at=next_at)  # type: ignore[arg-type]
    k.sent_at = at + 0.0002
    k.answered_at = answered_at
    k.suggestion = suggestion
    k.prefix_tail = prefix
    k.suffix_head = "\n\nprint(f())\n"
    k.due = due
    return k


def call(
    received: float, finished: float, prompt: str = "def f():\n    x", tokens: int = 5
) -> ModelCall:
    return ModelCall(
        received_at=received,
        finished_at=finished,
        first_byte_at=received + 0.06,
        tokens=tokens,
        prompt=prompt,
        suffix="\n\nprint(f())\n",
        completed=True,
    )


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == pytest.approx(2.5)
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 95) == pytest.approx(48.0)


def test_percentile_with_suggestions_that_never_came() -> None:
    values = [50.0, 60.0, math.inf, math.inf]
    assert percentile(values, 25) == pytest.approx(57.5)
    assert percentile(values, 50) == math.inf
    assert percentile([1.0, math.inf], 0) == 1.0


def test_a_pause_is_half_a_second_without_a_key() -> None:
    assert is_pause(key(1.0, 1.5))
    assert not is_pause(key(1.0, 1.499))
    assert not is_pause(key(1.0, None))


def test_on_screen_means_answered_non_empty_before_the_next_key() -> None:
    assert shown(key(1.0, 1.3, 1.1, "foo"))
    assert not shown(key(1.0, 1.3, 1.31, "foo"))
    assert not shown(key(1.0, 1.3, 1.1, ""))
    assert not shown(key(1.0, 1.3, None, "foo"))
    assert shown(key(1.0, None, 1.1, "foo"))


def test_time_to_suggestion_is_from_the_key_and_infinite_when_none_came() -> None:
    assert time_to_suggestion(key(1.0, 2.0, 1.08, "foo")) == pytest.approx(80.0)
    assert time_to_suggestion(key(1.0, 2.0, 1.08, "")) == math.inf


def test_sources_model_in_flight_and_instant() -> None:
    calls = [call(1.01, 1.07), call(0.5, 2.05, prompt="other")]
    model = key(1.0, 3.0, 1.075, "a")
    source, matched = source_of(model, calls)
    assert source == "model"
    assert matched is calls[0]
    # Answered as a stream ended while it was pending: it waited for an in-flight call.
    assert source_of(key(2.0, 3.0, 2.051, "b", prefix="def f():\n    y"), calls)[0] == "in-flight"
    assert source_of(key(4.0, 5.0, 4.002, "c", prefix="def f():\n    z"), calls)[0] == "instant"
    assert source_of(key(4.0, 5.0, 4.002, ""), calls) == (None, None)


def test_a_call_for_another_position_does_not_match() -> None:
    calls = [call(1.01, 1.07, prompt="def g():\n    x")]
    assert source_of(key(1.0, 3.0, 1.075, "a"), calls)[0] == "in-flight"


def test_figures_of_a_session() -> None:
    keys = [
        key(0.0, 0.2, 0.09, "oo = 1", text="f"),  # model answer, shown
        key(0.2, 0.9, 0.2015, "o = 1", text="o", prefix="def f():\n    xo"),  # instant, pause
        key(0.9, 1.1, None, "", kind="accept", text="o = 1"),  # cancelled
        key(1.1, 2.0, None, "", text="\n", due=False),  # a pause where nothing is due
    ]
    keys[0].prefix_tail = "def f():\n    x"
    calls = [call(0.005, 0.085, tokens=4), call(1.3, 1.4, prompt="elsewhere", tokens=6)]
    f = figures_of(
        "ghostls",
        "cerebras",
        keys,
        calls,
        seconds=30.0,
        debounce_ms=[3.0, 3.0, 3.0, 3.0],
        noop_ms=[1.0, 2.0, 3.0],
    )
    assert f.keystrokes == 4
    assert f.model_calls == 2
    assert f.calls_per_minute == pytest.approx(4.0)
    assert f.calls_per_key == pytest.approx(0.5)
    assert f.tokens_per_minute == pytest.approx(20.0)
    assert f.pauses == 1  # the second key's; the last one's pause had nothing due
    assert f.pause_times_ms == [pytest.approx(1.5)]
    assert f.shown_before_next == 2
    assert f.shown_share == pytest.approx(0.5)
    assert f.acceptances == 1
    assert f.accepted_share == pytest.approx(5 / 8)
    assert f.instant_ms == [pytest.approx(1.3)]
    # Round trip 89.8 ms, model 80 ms, debounce 3 ms: 6.8 ms of overhead.
    assert f.overhead_ms == [pytest.approx(6.8)]
    # 4.8 ms from the request to the model call, 3 of them debounce; 5 ms after its end.
    assert f.overhead_before_ms == [pytest.approx(1.8)]
    assert f.overhead_after_ms == [pytest.approx(5.0)]
    assert f.p("noop_ms", 50) == pytest.approx(2.0)


def test_unknown_debounce_leaves_the_overhead_out() -> None:
    keys = [key(0.0, 0.2, 0.09, "oo = 1")]
    f = figures_of("x", "y", keys, [call(0.005, 0.085)], seconds=1.0, debounce_ms=[None])
    assert f.overhead_ms == []
    assert len(f.model_answer_ms) == 1
