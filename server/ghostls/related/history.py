"""The user's recent edits, as a compact "recent changes" block for prompts.

The document store reports every edit before it lands (`record`). Edits close to each other
(overlapping or on neighbouring lines) merge into one region that remembers the lines as they
were before its first edit; regions below an edit move with the lines. A prompt then shows the
most recent regions that differ from what they were, away from the cursor (a region inside the
prompt's windows is already shown there), as small diff hunks.

Recording costs a few comparisons per edit; rendering reads only the regions' lines.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from ghostls.documents import Document, line_body, shared_ends
from ghostls.snapshot import RecentEdit

MAX_REGIONS = 16
MAX_REGION_LINES = 200  # a bigger change (a paste, a reformat) is not a "recent edit"
MAX_SHOWN = 3
MAX_HUNK_LINES = 6
MAX_LINE_CHARS = 1000  # edits of longer lines (minified code) are not worth showing


@dataclass
class _Region:
    doc: Document
    start: int  # first line, in the document as it is now
    end: int  # one past the last line
    before: list[str]  # the region's lines before its first edit, without line ends
    seq: int


def _bodies(lines: list[str]) -> list[str]:
    return [line_body(line) for line in lines]


class RecentEdits:
    def __init__(self) -> None:
        self._regions: list[_Region] = []
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._regions)

    def record(self, doc: Document, first: int, last: int, new_lines: list[str]) -> None:
        """An edit of `doc` is about to replace lines first..last (inclusive) by `new_lines`."""
        delta = len(new_lines) - (last - first + 1)
        touching: list[_Region] = []
        kept: list[_Region] = []
        for region in self._regions:
            if region.doc is not doc:
                kept.append(region)
            elif first <= region.end and region.start <= last + 1:
                touching.append(region)
            else:
                if region.start > last:
                    region.start += delta
                    region.end += delta
                kept.append(region)
        start = min([first, *(r.start for r in touching)])
        old_end = max([last + 1, *(r.end for r in touching)])
        long_lines = any(len(line) > MAX_LINE_CHARS for line in new_lines) or any(
            len(line) > MAX_LINE_CHARS for line in doc.iter_lines(first, last + 1)
        )
        if old_end - start <= MAX_REGION_LINES and not long_lines:
            before: list[str] = []
            at = start
            for region in sorted(touching, key=lambda r: r.start):
                before.extend(_bodies(doc.lines[at : region.start]))
                before.extend(region.before)
                at = region.end
            before.extend(_bodies(doc.lines[at:old_end]))
            kept.append(_Region(doc, start, old_end + delta, before, next(self._seq)))
        if len(kept) > MAX_REGIONS:
            kept.sort(key=lambda region: region.seq)
            kept = kept[-MAX_REGIONS:]
        self._regions = kept

    def recent(
        self,
        doc: Document,
        shown: tuple[int, int] | None,
        *,
        is_open: Callable[[Document], bool],
        excluded: Callable[[Document], bool],
        max_chars: int,
        path_of: Callable[[str], str],
        limit: int = MAX_SHOWN,
    ) -> tuple[RecentEdit, ...]:
        """The `limit` most recent changes (newest first), leaving out regions of `doc` that
        overlap the lines `shown` (first, last inclusive; None leaves none out) and documents
        closed or excluded."""
        edits: list[RecentEdit] = []
        used = 0
        for region in sorted(self._regions, key=lambda r: r.seq, reverse=True):
            if len(edits) == limit:
                break
            if (
                shown is not None
                and region.doc is doc
                and region.start <= shown[1]
                and shown[0] < region.end
            ):
                continue
            if not is_open(region.doc) or excluded(region.doc):
                continue
            edit = _hunk(region, path_of(region.doc.uri))
            if edit is None:
                continue
            size = sum(len(line) + 2 for line in (*edit.removed, *edit.added)) + 32
            if used + size > max_chars:
                continue
            edits.append(edit)
            used += size
        return tuple(edits)

    def original(self, doc: Document, first: int, last: int) -> list[str]:
        """Lines first..last (inclusive) of `doc` as they were before the recent edits inside
        them (a region reaching out of the lines stays as it is now), without line ends."""
        lines = _bodies(doc.lines[first : last + 1])
        inside = [
            region
            for region in self._regions
            if region.doc is doc and first <= region.start and region.end <= last + 1
        ]
        for region in sorted(inside, key=lambda r: r.start, reverse=True):
            lines[region.start - first : region.end - first] = region.before
        return lines


def _hunk(region: _Region, path: str) -> RecentEdit | None:
    before = region.before
    after = _bodies(region.doc.lines[region.start : region.end])
    if before == after:
        return None  # undone
    head, tail = shared_ends(before, after)
    removed = before[head : len(before) - tail][:MAX_HUNK_LINES]
    added = after[head : len(after) - tail][:MAX_HUNK_LINES]
    return RecentEdit(
        path=path, line=region.start + head + 1, removed=tuple(removed), added=tuple(added)
    )
