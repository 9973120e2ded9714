"""Properties over generated programs: a clean answer survives the pipeline unchanged,
wrapped in a chat model's fence too, and stopping the stream early changes nothing."""

from __future__ import annotations

from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ghostls.postprocess import Cursor, StreamStopper, postprocess

UNIT = "    "


@st.composite
def programs(draw: st.DrawFn) -> list[str]:
    """A small Python function whose lines are all different."""
    names = count()

    def expression() -> str:
        n = next(names)
        return draw(
            st.sampled_from(
                [
                    f"{n}",
                    f"v{n} + 1",
                    f"call{n}(a, [1, 2], {{'k': (3,)}})",
                    f'"text ( [ {n}"',
                    f"items[{n}:] or 'x'",
                ]
            )
        )

    def block(depth: int) -> list[str]:
        lines: list[str] = []
        indent = UNIT * depth
        for _ in range(draw(st.integers(1, 3))):
            n = next(names)
            kind = draw(
                st.sampled_from(["assign", "call", "if", "for"] if depth < 4 else ["assign"])
            )
            if kind == "assign":
                lines.append(f"{indent}v{n} = {expression()}")
            elif kind == "call":
                lines.append(f"{indent}run{n}({expression()})  # note ({n}")
            else:
                head = f"if v{n} > {n}:" if kind == "if" else f"for i{n} in range({n}):"
                lines.append(indent + head)
                lines.extend(block(depth + 1))
        return lines

    return ["import os", "", "", "def main(a, items):", *block(1), "", "", "main(1, [])"]


@st.composite
def clean_answers(draw: st.DrawFn) -> tuple[Cursor, str, str]:
    """A cursor in a generated program and the true continuation to the end of its block
    (ending on a line with code: trailing blank lines are never part of an insertion)."""
    lines = draw(programs())
    body = [i for i, line in enumerate(lines) if line.startswith(UNIT)]
    row = draw(st.sampled_from(body))
    line = lines[row]
    column = draw(st.integers(0, len(line) - 1))
    indent = len(line) - len(line.lstrip())
    end = row
    for later in range(row + 1, min(len(lines), row + draw(st.integers(1, 6)))):
        if not lines[later].strip():
            continue
        if len(lines[later]) - len(lines[later].lstrip()) < indent:
            break
        end = later
    prefix = "\n".join([*lines[:row], line[:column]])
    truth = "\n".join([line[column:], *lines[row + 1 : end + 1]])
    suffix = "\n" + "\n".join(lines[end + 1 :])
    ctx = Cursor(prefix=prefix, suffix=suffix, language_id="python", multiline=True)
    return ctx, truth, prefix + truth + suffix


def applied(ctx: Cursor, raw: str, *, chat: bool) -> str:
    insertion = postprocess(raw, ctx, from_chat=chat)
    if insertion is None:
        return ctx.prefix + ctx.suffix
    return ctx.prefix + insertion.text + ctx.suffix[insertion.replace_suffix :]


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(clean_answers())
def test_a_clean_answer_is_kept(case: tuple[Cursor, str, str]) -> None:
    ctx, truth, document = case
    assert applied(ctx, truth, chat=False) == document


@SETTINGS
@given(clean_answers())
def test_a_fenced_chat_answer_is_the_clean_answer(case: tuple[Cursor, str, str]) -> None:
    ctx, truth, document = case
    assert applied(ctx, f"```python\n{truth}\n```", chat=True) == document


@SETTINGS
@given(clean_answers(), st.integers(1, 9))
def test_stopping_early_changes_nothing(case: tuple[Cursor, str, str], piece: int) -> None:
    ctx, truth, _ = case
    raw = truth + ctx.suffix  # a model that runs on into the rest of the file
    stopper = StreamStopper(ctx, from_chat=ctx.from_chat)
    stop = None
    for end in range(piece, len(raw) + piece, piece):
        stop = stopper.feed(raw[:end])
        if stop is not None:
            break
    kept = raw if stop is None else raw[:stop]
    assert applied(ctx, kept, chat=False) == applied(ctx, raw, chat=False)
