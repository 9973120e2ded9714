"""From a rewritten window to the one edit offered. Pure.

The rewritten window is diffed against the window as it is (the code actions' minimal diff);
all its changes become one edit from the first change to the last, since the edits of a
next-edit answer are alternatives, not a sequence. Dropped: no change; a rewrite too unlike
the window to be an edit (a model that rewrote the code, not edited it); a pure insertion at
the cursor (that is ghost text's job, and the completion is already there).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from ghostls.actions.diff import Change, Edit, diff, edit_of
from ghostls.documents import Document, Encoding
from ghostls.nextedit.window import Window

MIN_LIKENESS = 0.5
"""A rewritten window less alike the current one than this is not an edit of it."""

Verdict = Literal["edit", "no-change", "unlike", "at-cursor"]


@dataclass(frozen=True)
class Proposal:
    verdict: Verdict
    edit: Edit | None = None


def fit_rewrite(window: Window, rewritten: str) -> str:
    """The rewritten window with the window's own blank lines at its start and end: models
    drop or add them (and the final line break) at the edges of what they rewrite."""
    text = window.text
    head = len(text) - len(text.lstrip("\n"))
    tail = len(text) - len(text.rstrip("\n"))
    body = rewritten.strip("\n")
    if not body:
        return text
    return text[:head] + body + text[len(text) - tail :]


def propose(doc: Document, window: Window, rewritten: str, encoding: Encoding) -> Proposal:
    old = window.text
    new = fit_rewrite(window, rewritten)
    changes = diff(old, new)
    if not changes:
        return Proposal("no-change")
    if SequenceMatcher(None, old, new, autojunk=False).ratio() < MIN_LIKENESS:
        return Proposal("unlike")
    delta = len(new) - len(old)
    first, last = changes[0], changes[-1]
    merged = Change(first.start, last.end, new[first.start : last.end + delta])
    if merged.start == merged.end == window.cursor:
        return Proposal("at-cursor")
    return Proposal("edit", edit_of(doc, window.start, old, merged, encoding))
