"""Stage: cut degenerate repetition at the end of the insertion.

A model stuck in a loop repeats its last line or block until it runs out of tokens, often
ending in the middle of one more copy; or it repeats a short piece within its last line
(`(.{3,}?)\\1{5,}$`); or it repeats a line opening a block as that block's body. One copy
is kept. A line is compared whole (the first one with the text typed before it), so repeated
short closers at different depths are not taken for a loop.
"""

from __future__ import annotations

from ghostls.cursor import Cursor, Insertion, indent_of

_MIN_LINE_CHARS = 2  # non-blank characters a single repeated line must hold
_MIN_BLOCK_CHARS = 6  # ... and a repeated block of lines
_MIN_UNIT, _MAX_UNIT = 3, 40  # length of a piece repeated within a line
_MIN_UNIT_COPIES = 6
_OPENERS = (":", "{", " do", " then")  # how a line opening a block ends


def _copies(lines: list[str], size: int) -> int:
    """How many times the last `size` lines occur back to back at the end of `lines`."""
    block = lines[-size:]
    count = 1
    while len(lines) >= (count + 1) * size and lines[-(count + 1) * size : -count * size] == block:
        count += 1
    return count


def _kept_lines(lines: list[str], repeated: str | None) -> int:
    """How many lines to keep: all but the extra copies of a repeated trailing block (unless
    the block is the line the document itself repeats around the cursor)."""
    keep = len(lines)
    tails = [(lines, False)]
    if len(lines) > 2 and lines[-1].strip():
        tails.append((lines[:-1], True))
    for body, partial in tails:
        for size in range(1, len(body) // 2 + 1):
            block = body[-size:]
            held = sum(len(line.strip()) for line in block)
            if held < (_MIN_LINE_CHARS if size == 1 else _MIN_BLOCK_CHARS):
                continue
            if repeated is not None and all(line.rstrip() == repeated for line in block):
                continue
            if partial and (block[0] == lines[-1] or not block[0].startswith(lines[-1])):
                continue
            count = _copies(body, size)
            if count >= 2:
                keep = min(keep, len(body) - (count - 1) * size)
    return keep


def _without_nested_copies(lines: list[str]) -> int:
    """How many lines to keep when the last ones repeat a block opener, each copy one level
    deeper as if it were the body of the one before (`if x:` / `    if x:`): one copy."""
    keep = len(lines)
    while keep >= 2:
        last, above = lines[keep - 1], lines[keep - 2]
        content = last.strip()
        if content != above.strip() or not content.endswith(_OPENERS):
            break
        if len(content) < _MIN_BLOCK_CHARS // 2 or len(indent_of(last)) <= len(indent_of(above)):
            break
        keep -= 1
    return keep


def _cut_looping_line(line: str) -> str:
    """The line up to the end of the first copy of a piece it keeps repeating to its end."""
    end = len(line)
    for unit in range(_MIN_UNIT, min(_MAX_UNIT, end // _MIN_UNIT_COPIES) + 1):
        start = end - 1
        while start - unit >= 0 and line[start] == line[start - unit]:
            start -= 1
        periodic = end - start - 1 + unit
        piece = line[start + 1 - unit : start + 1]
        if periodic >= _MIN_UNIT_COPIES * unit and any(char.isalnum() for char in piece):
            return line[: start + 1]
    return line


def drop_repetition(insertion: Insertion, ctx: Cursor) -> Insertion:
    lines = insertion.text.rstrip().split("\n")
    whole = [ctx.line_prefix + lines[0], *lines[1:]]
    keep = _kept_lines(whole, ctx.repeated_line)
    keep = _without_nested_copies(whole[:keep])
    lines = lines[:keep]
    lines[-1] = _cut_looping_line(lines[-1])
    text = "\n".join(lines)
    if text == insertion.text.rstrip():
        return insertion
    return Insertion(text, insertion.replace_suffix)
