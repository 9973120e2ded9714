from __future__ import annotations

import pytest

from ghostls.postprocess import Cursor
from ghostls.snapshot import Snapshot


def _finished(prefix: str, suffix: str = "\n") -> bool:
    ctx = Cursor(prefix=prefix, suffix=suffix, language_id="python", multiline=False)
    return Snapshot("file:///a.py", "/a.py", 1, ctx).line_finished


@pytest.mark.parametrize(
    "line",
    [
        "x = foo(1)",
        'print("a")',
        "    return f(x)",
        "y = [1, 2]",
        '"""Doc."""',
        "match = pattern.match(text)",  # a soft keyword used as a name
        "case.value = get(1)",
    ],
)
def test_finished_lines(line: str) -> None:
    assert _finished(line)


@pytest.mark.parametrize(
    "line",
    [
        "heap[0] ",  # a space: more is coming
        '"""',  # a string just opened
        'x = "',
        "if lang == 'vimdoc'",  # a block header waits for its ':' / 'then'
        "case 'public-key'",
        "isFinite(value) ",
        "foo(bar(1)",  # a bracket still open
        "x = 1 +",
        "",
    ],
)
def test_unfinished_lines(line: str) -> None:
    assert not _finished(line)


def test_text_after_the_cursor_means_not_finished() -> None:
    assert not _finished("foo(1)", " + 2\n")
