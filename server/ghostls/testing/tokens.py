"""Splitting answers into tokens and sending them at a model's pace."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable

# Whitespace runs, word pieces of at most 4 characters, single punctuation marks:
# together they cover every character, so the tokens always join back into the text.
_TOKEN = re.compile(r"\s+|\w{1,4}|[^\w\s]")

# Tokens due closer together than this are sent in one burst instead of sleeping for each.
MIN_SLEEP_S = 0.001
# Tokens sent back to back before the loop yields to other tasks (and notices disconnects).
MAX_BURST = 64
# What huge and endless answers repeat when the reply has no text of its own.
PROSE = "lorem ipsum dolor sit amet, "


def tokenize(text: str) -> list[str]:
    """Split text into model-like tokens of about 4 characters."""
    return _TOKEN.findall(text)


def cut_at_stop(text: str, stop: object) -> tuple[str, bool]:
    """Cut text at the earliest stop sequence (a string or a list of strings).

    Returns the text and whether a stop sequence was found.
    """
    sequences = [stop] if isinstance(stop, str) else stop if isinstance(stop, list) else []
    hits = [text.find(s) for s in sequences if isinstance(s, str) and s]
    first = min((i for i in hits if i >= 0), default=-1)
    return (text[:first], True) if first >= 0 else (text, False)


def filler(text: str, size: int) -> str:
    """`size` characters of `text` repeated (or of some prose when text is empty)."""
    unit = text or PROSE
    return (unit * (size // len(unit) + 1))[:size]


def pieces(text: str, size: int) -> list[str]:
    """Split text into consecutive pieces of `size` characters."""
    return [text[i : i + size] for i in range(0, len(text), size)]


async def pace(tokens: Iterable[str], ttft_s: float, interval_s: float) -> AsyncIterator[str]:
    """Yield each token when it is due: the first after ttft_s, then one every interval_s.

    Tokens due within MIN_SLEEP_S of each other come out together without sleeping,
    but the loop still yields to the event loop every MAX_BURST tokens. An empty answer
    still takes ttft_s: the model needs that long to decide it has nothing to say.
    """
    loop = asyncio.get_running_loop()
    start = loop.time() + ttft_s
    unslept = 0
    index = -1
    for index, token in enumerate(tokens):
        delay = start + index * interval_s - loop.time()
        if delay > MIN_SLEEP_S or unslept >= MAX_BURST:
            await asyncio.sleep(max(delay, 0.0))
            unslept = 0
        unslept += 1
        yield token
    if index < 0:
        await asyncio.sleep(max(start - loop.time(), 0.0))
