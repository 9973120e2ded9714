from __future__ import annotations

from ghostls.engine.debounce import INSTANT_WAIT_S, PAUSE_S, AdaptiveDebounce, cursor_site


def test_contexts() -> None:
    assert cursor_site("x = 1\n    ", "\n").kind == "fresh-line"
    assert cursor_site("foo(", ")").kind == "opener"
    assert cursor_site("a.b", "\n").kind == "word"
    assert cursor_site("ab", "cd\n").kind == "word"
    assert cursor_site("f(a)", "\n").kind == "closer"
    assert cursor_site("a ", "\n").kind == "punctuation"


def test_fresh_line_goes_at_once_and_mid_word_waits_briefly() -> None:
    debounce = AdaptiveDebounce()
    assert debounce.delay(cursor_site("x\n", "")) == 0.0
    assert debounce.delay(cursor_site("foo(", ")")) == 0.0
    assert debounce.delay(cursor_site("ab", "cd")) == INSTANT_WAIT_S


def test_a_typist_slower_than_the_model_gets_a_call_at_every_key() -> None:
    debounce = AdaptiveDebounce()
    for _ in range(10):
        debounce.note_latency(0.06)
    letter = cursor_site("fo", "")
    now = 0.0
    for index in range(40):
        debounce.note_request(now, letter)
        now += 0.2 + 0.01 * (index % 5)
    assert debounce.delay(letter) == INSTANT_WAIT_S


def test_under_pressure_never_longer_than_a_fixed_350_ms() -> None:
    debounce = AdaptiveDebounce()
    letter = cursor_site("fo", "")
    now = 0.0
    for _ in range(40):
        debounce.note_request(now, letter)
        now += 0.45
    assert debounce.delay(letter, pressure=1.0) == 0.35


def test_learns_where_this_user_pauses() -> None:
    debounce = AdaptiveDebounce()
    opener = cursor_site("foo(", ")")
    letter = cursor_site("fo", "")
    now = 0.0
    for _ in range(30):
        debounce.note_request(now, opener)
        now += PAUSE_S + 0.4  # this user always stops after an opener
        debounce.note_request(now, letter)
        now += 0.15
    assert debounce.pause_share("opener") > 0.8
    assert debounce.delay(opener) == 0.0


def test_waits_past_the_usual_gap_in_context() -> None:
    debounce = AdaptiveDebounce()
    letter = cursor_site("fo", "")
    now = 0.0
    for index in range(40):
        debounce.note_request(now, letter)
        now += 0.1 + 0.005 * (index % 10)
    delay = debounce.delay(letter)
    assert 0.13 <= delay <= 0.16


def test_pressure_lengthens_the_wait_and_fixed_wins() -> None:
    debounce = AdaptiveDebounce()
    ctx = cursor_site("a ", "")
    assert debounce.delay(ctx, pressure=1.0) > debounce.delay(ctx)
    assert AdaptiveDebounce(fixed_ms=350).delay(ctx) == 0.35
