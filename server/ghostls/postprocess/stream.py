"""Early stop: tell a streaming caller where the suggestion is complete.

The stopper reads each line once, as it completes. Before the code it passes over what the
post-processing stages drop anyway (an opening fence, a chat model's opening remark, blank
lines after them, lines repeated from before the cursor). Then:
- single-line mode: the suggestion is complete at the end of its first line;
- multi-line mode: at a closing fence, at a line that starts a statement left of the cursor's
  block (once the layout is known to need no re-indenting), at a run of the six lines that
  follow the cursor, or once a line has looped four times.
It stops only where post-processing would cut anyway, so stopping early does not change what
is shown; it saves the tokens the model would go on writing.
"""

from __future__ import annotations

from dataclasses import replace

from ghostls.cursor import Cursor, indent_of
from ghostls.lang import LineStart, is_comment, scan
from ghostls.postprocess.fences import is_fence
from ghostls.postprocess.indentation import keeps_layout, settle_first_line
from ghostls.postprocess.layout import block_indent
from ghostls.postprocess.prose import is_opening_remark, remark_may_open, settle_start

_MAX_ECHOED_LINES = 40
_REPEATED_NEXT_LINES = 6  # lines after the cursor repeated in a row that end the suggestion
_MIN_REPEATED_NEXT_CHARS = 60  # ... and the characters they must hold
_LOOP_COPIES = 4


class StreamStopper:
    """Feed it the text streamed so far, as often as it grows: `feed` returns the index at
    which the suggestion is complete (keep text[:index]), or None to keep reading."""

    def __init__(self, ctx: Cursor, *, from_chat: bool) -> None:
        if ctx.from_chat != from_chat:
            ctx = replace(ctx, from_chat=from_chat)
        self._ctx = ctx
        self._seen = 0  # where the first line not yet read starts
        self._stop: int | None = None
        self._chatty = False  # a fence or a remark came before the code
        # Chat models open with remarks (the prose stage drops them); other models don't.
        self._remarks = from_chat
        self._remark_in_code = from_chat and remark_may_open(ctx)
        self._lines: list[str] = []  # the code lines read so far
        self._state = ctx.cursor_state
        self._start = LineStart(True, 0, False)  # the state the next code line starts in
        self._block: int | None = None  # the cursor's block, once the layout is known to hold
        self._judged = False
        self._copies = 0
        self._echoable = {line.strip() for line in ctx.previous_lines[-_MAX_ECHOED_LINES:]}
        upcoming = [line.rstrip() for line in ctx.next_lines if line.strip()]
        upcoming = upcoming[:_REPEATED_NEXT_LINES]
        distinct = sum(len(line.strip()) for line in upcoming) >= _MIN_REPEATED_NEXT_CHARS
        self._upcoming = upcoming if len(upcoming) == _REPEATED_NEXT_LINES and distinct else []
        self._matched = 0  # lines in a row that repeat the lines after the cursor
        self._matched_from = 0

    def feed(self, text: str) -> int | None:
        if self._stop is not None:
            return self._stop
        while (end := text.find("\n", self._seen)) >= 0:
            start, self._seen = self._seen, end + 1
            self._stop = self._read(text[start:end], start, end)
            if self._stop is not None:
                break
        return self._stop

    def _read(self, line: str, start: int, end: int) -> int | None:
        if not self._lines:
            return self._read_first(line, end)
        return self._read_more(line, start, end)

    def _read_first(self, line: str, end: int) -> int | None:
        ctx = self._ctx
        remark = self._remarks and is_opening_remark(line, in_code=self._remark_in_code)
        if is_fence(line) or remark:
            self._chatty = True
            return None
        if not line.strip() and (self._chatty or not ctx.multiline):
            return None
        if not ctx.multiline:
            # A line repeated from before the cursor may be dropped as an echo: read on.
            return None if line.strip() in self._echoable else end
        if line.strip() in self._echoable:
            # Maybe an echo of the lines before the cursor (the echo stage decides): where the
            # block starts is then unclear, so no line ends it early.
            self._judged = True
        lines = settle_start(line, ctx).split("\n") if self._chatty else [line]
        for code in lines:
            self._advance(code)
        return None

    def _advance(self, line: str) -> None:
        self._lines.append(line)
        scanned = scan(line + "\n", self._ctx.syntax, self._state)
        self._state = scanned.end
        self._start = scanned.lines[-1]

    def _repeats_next(self, line: str, start: int) -> bool:
        """Whether `line` completes a run of lines that repeat the lines after the cursor."""
        upcoming = self._upcoming
        if not upcoming:
            return False
        if line.rstrip() == upcoming[self._matched]:
            self._matched += 1
        elif line.rstrip() == upcoming[0]:
            self._matched = 1
        else:
            self._matched = 0
        if self._matched == 1:
            self._matched_from = start
        return self._matched == len(upcoming)

    def _read_more(self, line: str, start: int, end: int) -> int | None:
        ctx = self._ctx
        starts = self._start
        if starts.code and is_fence(line):
            return start
        previous = self._lines[-1]
        self._advance(line)
        if not line.strip():
            return None
        if self._repeats_next(line, start):
            return self._matched_from
        self._copies = self._copies + 1 if line == previous and len(line.strip()) >= 2 else 1
        if self._copies >= _LOOP_COPIES:
            return end
        if not starts.statement or is_comment(line):
            return None
        width = ctx.width(indent_of(line))
        if not self._judged:
            self._judged = True
            lines = [settle_first_line(self._lines, ctx), *self._lines[1:]]
            if keeps_layout(lines, ctx):
                whole = scan("\n".join(lines), ctx.syntax, ctx.cursor_state)
                self._block = block_indent(lines, whole, ctx)
        elif width % ctx.tab_size:
            self._block = None  # a foreign indentation unit: leave the layout to the stages
        if self._block is not None and width < self._block:
            return start
        return None
