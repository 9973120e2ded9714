"""Early stop while the answer streams."""

from __future__ import annotations

from ghostls.cursor import Cursor
from ghostls.postprocess import StreamStopper, postprocess
from tests.postprocess.helpers import context


def feed_in_pieces(stopper: StreamStopper, text: str, size: int = 3) -> int | None:
    for end in range(size, len(text) + size, size):
        stop = stopper.feed(text[:end])
        if stop is not None:
            return stop
    return None


def stop_at(text: str, ctx: Cursor) -> int | None:
    """Where a stopper fed `text` as it streams, a few characters at a time, stops it."""
    return feed_in_pieces(StreamStopper(ctx, from_chat=ctx.from_chat), text)


def test_single_line_stops_at_the_first_line_end() -> None:
    ctx = context("x = ‸\n", multiline=False)
    assert stop_at("compute()", ctx) is None
    assert stop_at("compute()\ny = 1", ctx) == len("compute()")


def test_single_line_reads_past_a_fence_a_remark_and_an_echo() -> None:
    ctx = context("def f(x):\n    y = x\n    return ‸\n", multiline=False, chat=True)
    text = "Here is the code:\n```python\n    y = x\n    return y + 1\n```"
    stop = stop_at(text, ctx)
    assert stop == text.index("\n```", 20)
    insertion = postprocess(text[:stop], ctx, from_chat=True)
    assert insertion is not None and insertion.text == "y + 1"


def test_single_line_reads_past_a_chat_models_opening_sentence_only() -> None:
    text = "Happy to help!\ny + 1\nz = 2"
    chat = context("def f(x):\n    return ‸\n", multiline=False, chat=True)
    assert stop_at(text, chat) == text.index("\nz")
    assert postprocess(text[: stop_at(text, chat)], chat, from_chat=True) is not None
    # A completion model's first line is the suggestion: no reading on for remarks.
    fim = context("def f(x):\n    return ‸\n", multiline=False)
    assert stop_at(text, fim) == text.index("\ny")


def test_multiline_stops_before_a_line_left_of_the_block() -> None:
    ctx = context("def f(x):\n    ‸\n")
    text = "y = x * 2\n    return y\n\ndef g():\n    pass\n"
    assert stop_at(text, ctx) == text.index("def g")


def test_multiline_stops_at_a_closing_fence() -> None:
    ctx = context("def f(x):\n    ‸\n")
    text = "```python\ny = 1\n```\nThis sets y.\n"
    assert stop_at(text, ctx) == text.index("```\nThis")


def test_multiline_stops_when_it_runs_on_into_the_next_lines() -> None:
    following = "".join(f"    value_{n} = compute_{n}(value_{n - 1})\n" for n in range(1, 8))
    ctx = context("def f(value_0):\n    ‸\n" + following)
    text = "check(value_0)\n" + following
    assert stop_at(text, ctx) == text.index("    value_1")


def test_a_few_lines_like_the_next_ones_do_not_stop_it() -> None:
    body = "    a = 1\n    b = 2\n    c = 3\n"
    ctx = context("def f():\n    ‸\n" + body + "\ndef g():\n" + body)
    text = "x = 0\n" + body + "    y = 4\n"
    assert stop_at(text, ctx) is None


def test_multiline_stops_after_a_loop() -> None:
    ctx = context("def f(x):\n    ‸\n")
    text = "y = 0\n" + "    y += 1\n" * 6
    stop = stop_at(text, ctx)
    assert stop is not None and text[:stop].count("y += 1") == 4


def test_a_chat_snippet_from_column_zero_is_not_cut_short() -> None:
    ctx = context("class A:\n    def f(self):\n        ‸\n", chat=True)
    text = "if self.x:\n    return 1\nreturn 2\n```\n"
    stop = stop_at(text, ctx)
    assert stop == text.index("```")


def test_feeding_in_pieces_matches_one_look() -> None:
    ctx = context("def f(x):\n    if x:\n        ‸\n    return 0\n")
    text = "a = 1\n        b = 2\n    return a\nprint(1)\n"
    assert feed_in_pieces(StreamStopper(ctx, from_chat=ctx.from_chat), text, 1) == StreamStopper(
        ctx, from_chat=ctx.from_chat
    ).feed(text)


def test_once_stopped_it_stays_stopped() -> None:
    ctx = context("x = ‸\n", multiline=False)
    stopper = StreamStopper(ctx, from_chat=ctx.from_chat)
    assert stopper.feed("1\n") == 1
    assert stopper.feed("1\n2\n3") == 1


def test_a_remark_and_a_bare_fence_stopped_early_still_give_the_code() -> None:
    document = "def f(obj, attr):\n    if obj.g‸\n        return 1\n"
    answers = [
        "You can complete it like this:\n\n```\net(attr) is not None:\n```\n",
        "Sure! Here's the code to insert at the cursor:\n```\net(attr) is not None:\n```\n",
    ]
    for multiline in (False, True):
        ctx = context(document, chat=True, multiline=multiline)
        for raw in answers:
            stop = feed_in_pieces(StreamStopper(ctx, from_chat=ctx.from_chat), raw, size=1)
            assert stop is not None
            early = postprocess(raw[:stop], ctx, from_chat=True)
            assert early is not None and early.text == "et(attr) is not None:"
