"""From a rewritten window to the one edit offered. Pure.

The rewritten window is diffed against the window as it is (the code actions' minimal diff);
all its changes become one edit from the first change to the last, since the edits of a
next-edit answer are alternatives, not a sequence. Dropped, as what users call noise:
- no change;
- a rewrite too unlike the window to be an edit (a model that rewrote the code);
- a pure insertion at the cursor (ghost text's job: the completion is already there);
- the window as it was before the user's recent edits (the model undid them);
- a deletion that runs to the window's first or last line (a model that stopped early, or
  began late: the edges of the window are not where code ends).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from ghostls.actions.diff import Change, Edit, diff, edit_of
from ghostls.documents import Document, Encoding
from ghostls.nextedit.window import Window
from ghostls.postprocess.fences import is_fence

MIN_LIKENESS = 0.5
"""A rewritten window less alike the current one than this is not an edit of it."""

Verdict = Literal["edit", "no-change", "unlike", "at-cursor", "undo", "cut"]


@dataclass(frozen=True)
class Proposal:
    verdict: Verdict
    edit: Edit | None = None


def _edge_fences(text: str) -> tuple[bool, bool]:
    """Whether the first and the last line of code in `text` are markdown fences."""
    lines = [line for line in text.split("\n") if line.strip()]
    return (bool(lines) and is_fence(lines[0]), bool(lines) and is_fence(lines[-1]))


def fit_rewrite(window: Window, rewritten: str) -> str:
    """The rewritten window with the window's own blank lines at its start and end (models
    drop or add them, and the final line break, at the edges of what they rewrite), without a
    markdown fence at an edge where the window has none (a model that fenced its answer)."""
    text = window.text
    head = len(text) - len(text.lstrip("\n"))
    tail = len(text) - len(text.rstrip("\n"))
    lines = rewritten.strip("\n").split("\n")
    window_first, window_last = _edge_fences(text)
    if lines and is_fence(lines[0]) and not window_first:
        lines.pop(0)
    if lines and is_fence(lines[-1]) and not window_last:
        lines.pop()
    body = "\n".join(lines).strip("\n")
    if not body:
        return text
    return text[:head] + body + text[len(text) - tail :]


def propose(
    doc: Document,
    window: Window,
    rewritten: str,
    encoding: Encoding,
    *,
    original: str | None = None,
) -> Proposal:
    """The edit a rewritten window makes (`original`: the window before the recent edits)."""
    old = window.text
    new = fit_rewrite(window, rewritten)
    changes = diff(old, new)
    if not changes:
        return Proposal("no-change")
    if original is not None and original != old and new == fit_rewrite(window, original):
        return Proposal("undo")
    if SequenceMatcher(None, old, new, autojunk=False).ratio() < MIN_LIKENESS:
        return Proposal("unlike")
    delta = len(new) - len(old)
    first, last = changes[0], changes[-1]
    merged = Change(first.start, last.end, new[first.start : last.end + delta])
    if merged.start == merged.end == window.cursor:
        return Proposal("at-cursor")
    if not merged.text and (merged.start == 0 or merged.end >= len(old.rstrip("\n"))):
        return Proposal("cut")
    return Proposal("edit", edit_of(doc, window.start, old, merged, encoding))
