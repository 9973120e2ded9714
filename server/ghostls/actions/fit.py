"""Fitting a model's new text for a region back into the file. Pure.

The answer is made to look like the code it replaces: the marker tags and any echo of the code
around the region are dropped, its indentation is re-based onto the region's and converted to
the document's tabs or spaces, and the region's own leading and trailing blank lines are kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ghostls.actions.prompts import REGION_CLOSE, REGION_OPEN
from ghostls.documents import normalize_eol

_MARKER = re.compile(re.escape(REGION_OPEN) + "|" + re.escape(REGION_CLOSE))
_MIN_ECHO_LINES = 2


def leading(line: str) -> str:
    """The leading whitespace of a line."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def fit_answer(
    answer: str,
    original: str,
    *,
    whole_lines: bool,
    indent_unit: str,
    line_indent: str = "",
    before: Sequence[str] = (),
    after: Sequence[str] = (),
) -> str:
    """The answer ("\\n" line ends) fitted to replace `original`.

    `original` is the region's text ("\\n" line ends). For a region of `whole_lines`, `before`
    and `after` are the lines around it (nearest last / nearest first), used to drop an answer's
    echo of them. Otherwise (a part of one line) `line_indent` is the indentation of the line it
    sits on, for the answer's later lines.
    """
    answer = _MARKER.sub("", normalize_eol(answer))
    if not whole_lines:
        return _fit_inline(answer, original, indent_unit, line_indent)
    old_lines = original.split("\n")
    lines = _anchor(_trim_blank(answer.split("\n")), old_lines)
    lines = _drop_echo(lines, before, after)
    if not lines:
        return ""
    lines = _convert_style(lines, indent_unit)
    lines = _rebase(lines, old_lines, indent_unit)
    head = _count_blank(old_lines)
    tail = _count_blank(old_lines[::-1]) if head < len(old_lines) else 0
    return "\n".join([""] * head + lines + [""] * tail)


def _fit_inline(answer: str, original: str, indent_unit: str, line_indent: str) -> str:
    text = answer.strip("\n")
    if original == original.strip():
        text = text.strip()
    else:
        head = original[: len(original) - len(original.lstrip())]
        tail = original[len(original.rstrip()) :]
        text = head + text.strip() + tail
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    rest = _convert_style(lines[1:], indent_unit)
    base = _base([line for line in rest if line.strip()])
    shifted = [(line_indent + line[len(base) :]) if line.strip() else "" for line in rest]
    return "\n".join([lines[0], *shifted])


_NOTE_STARTS = ("#", "//", "/*", "*", "--", "@", ";")
_CLOSER_STARTS = (")", "]", "}", "end")


def _anchor(lines: list[str], old_lines: Sequence[str]) -> list[str]:
    """Only the answer's version of the region, where it restated the code around it (small
    models often answer with the whole file, edited elsewhere too): from the region's first
    line (with the comments and decorators just above it) to the end of its block when the
    region is one block."""
    old = [line for line in old_lines if line.strip()]
    if not old or not lines:
        return lines
    header = old[0].strip()
    start = next((i for i, line in enumerate(lines) if line.strip() == header), None)
    if start is None:
        return lines
    header_at = start
    while start > 0 and lines[start - 1].strip().startswith(_NOTE_STARTS):
        start -= 1
    top = len(leading(old[0]))
    if len(old) < 2 or any(len(leading(line)) <= top for line in old[1:]):
        return lines[start:]
    width = len(leading(lines[header_at]))
    for index in range(header_at + 1, len(lines)):
        line = lines[index]
        if line.strip() and len(leading(line)) <= width:
            closes = line.strip().startswith(_CLOSER_STARTS)
            return _trim_blank(lines[start : index + 1 if closes else index])
    return lines[start:]


def _trim_blank(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _count_blank(lines: Sequence[str]) -> int:
    count = 0
    for line in lines:
        if line.strip():
            break
        count += 1
    return count


def _meaningful(lines: Sequence[str]) -> bool:
    return len(lines) >= _MIN_ECHO_LINES and any(
        any(char.isalnum() for char in line) for line in lines
    )


def _same(a: Sequence[str], b: Sequence[str]) -> bool:
    return len(a) == len(b) and all(x.strip() == y.strip() for x, y in zip(a, b, strict=True))


def _drop_echo(lines: list[str], before: Sequence[str], after: Sequence[str]) -> list[str]:
    """Without a repetition of the lines after the region at the end (or before it, at the
    start): models asked for a region sometimes go on with the code that follows."""
    following = _trim_blank(list(after))
    for cut in range(1, len(lines)):
        tail = _trim_blank(lines[cut:])
        if len(tail) <= len(following) and _same(tail, following[: len(tail)]):
            if _meaningful(tail):
                lines = _trim_blank(lines[:cut])
            break
    preceding = _trim_blank(list(before))
    for cut in range(len(lines) - 1, 0, -1):
        head = _trim_blank(lines[:cut])
        if 0 < len(head) <= len(preceding) and _same(head, preceding[len(preceding) - len(head) :]):
            if _meaningful(head):
                lines = _trim_blank(lines[cut:])
            break
    return lines


def _space_step(lines: Sequence[str]) -> int:
    """The answer's indentation step in spaces (the gcd of its indents; 4 when unclear)."""
    step = 0
    for line in lines:
        lead = leading(line)
        if line.strip() and lead and "\t" not in lead:
            step = math.gcd(step, len(lead))
    return step if step in (2, 3, 4, 8) else 4


def _convert_style(lines: list[str], indent_unit: str) -> list[str]:
    """The lines indented with the document's tabs or spaces."""
    converted: list[str] = []
    if indent_unit == "\t":
        step = _space_step(lines)
        for line in lines:
            lead = leading(line)
            if " " in lead:
                width = len(lead.expandtabs(step))
                lead = "\t" * (width // step) + " " * (width % step)
            converted.append(lead + line[len(leading(line)) :])
        return converted
    for line in lines:
        lead = leading(line)
        converted.append(lead.replace("\t", indent_unit) + line[len(lead) :])
    return converted


def _base(lines: Sequence[str]) -> str:
    """The least indentation among non-blank lines."""
    leads = [leading(line) for line in lines if line.strip()]
    return min(leads, key=len) if leads else ""


def _rebase(lines: list[str], old_lines: list[str], indent_unit: str) -> list[str]:
    """The lines moved so their least indentation is the original region's."""
    old_base = _base(old_lines)
    old_first = next((leading(line) for line in old_lines if line.strip()), "")
    old_rest = [line for line in old_lines[1:] if line.strip()]
    old_rest_base = _base(old_rest) if old_rest else old_first + indent_unit
    rest = [line for line in lines[1:] if line.strip()]
    # A first line that lost its indentation while the others kept theirs (a stripped answer).
    if (
        rest
        and old_first
        and not leading(lines[0])
        and _base(rest) == old_rest_base
        and all(line.startswith(old_first) for line in rest)
    ):
        lines = [old_first + lines[0], *lines[1:]]
    base = _base(lines)
    rebased: list[str] = []
    for line in lines:
        if not line.strip():
            rebased.append("")
        elif line.startswith(base):
            rebased.append(old_base + line[len(base) :])
        else:
            rebased.append(old_base + line.lstrip(" \t"))
    return rebased
