"""Snippets of other open documents that look like the code before the cursor.

As Copilot does with open tabs: each other open document of the same language family is cut
into sliding windows of `WINDOW_LINES` lines (every `STEP` lines); a window's identifiers are
compared with those of the `QUERY_LINES` lines above the cursor's line by Jaccard similarity,
and the best few windows above `THRESHOLD` become snippets.

Cheap on the keystroke path:
- a document's windows and their identifier sets are built once per document revision;
- the query ignores the cursor's own line, so typing on a line asks the same question, and
  the answer for the last question is kept (a dictionary lookup per keystroke);
- a chosen set of snippets is kept while it stays nearly as good as the best one (and above
  a lower threshold than the one to get in), so the prompt's context, which comes first,
  changes rarely.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ghostls.documents import Document, line_body
from ghostls.lang import language
from ghostls.snapshot import Snippet

WINDOW_LINES = 16
STEP = 4
QUERY_LINES = 20
THRESHOLD = 0.12
RETAIN_THRESHOLD = 0.08  # a chosen snippet stays while it scores this much
MAX_SNIPPETS = 3
MAX_INDEXED_LINES = 20_000
MAX_LINE_CHARS = 400  # longer lines (minified code) are cut when indexed
# Keep the previous choice while its total score is at least this share of the best one.
_KEEP_SHARE = 0.85
_MIN_QUERY_IDS = 3

_IDENTIFIER = re.compile(r"[^\W\d]\w*")

# Words that every file of a language shares: they say nothing about similarity.
_COMMON_WORDS = """
and as assert async await bool break case catch class const continue def default del do
elif else enum except export extends false final finally float fn for from func function go
if impl import in int interface is let match mod mut new nil none not null of or package
pass private protected pub public raise return self static str string struct super switch
this throw true try type typeof use var void while with yield
"""
STOP_WORDS = frozenset(_COMMON_WORDS.split())


def language_family(language_id: str) -> str:
    """Languages whose files are useful context for each other share a family."""
    return language(language_id).context_family


def identifiers(text: str) -> set[str]:
    return {word for word in _IDENTIFIER.findall(text) if word.lower() not in STOP_WORDS}


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b) if len(a) < len(b) else len(b & a)
    return shared / (len(a) + len(b) - shared)


@dataclass(frozen=True)
class Window:
    start: int  # first line
    end: int  # one past the last line
    ids: frozenset[str]


@dataclass(frozen=True)
class DocIndex:
    """One document revision cut into windows."""

    uri: str
    revision: int
    lines: tuple[str, ...]  # the document's lines, without line ends
    windows: tuple[Window, ...]

    def text(self, window: Window) -> str:
        lines = list(self.lines[window.start : window.end])
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(line.rstrip() for line in lines)


def index_document(doc: Document) -> DocIndex:
    lines = tuple(
        line_body(line[: MAX_LINE_CHARS + 2]) for line in doc.iter_lines(0, MAX_INDEXED_LINES)
    )
    blocks = [
        frozenset(identifiers("\n".join(lines[start : start + STEP])))
        for start in range(0, len(lines), STEP)
    ]
    per_window = WINDOW_LINES // STEP
    windows: list[Window] = []
    last_start = max(0, len(blocks) - per_window)
    for block in range(last_start + 1):
        ids = frozenset().union(*blocks[block : block + per_window])
        if len(ids) >= _MIN_QUERY_IDS:
            start = block * STEP
            windows.append(Window(start, min(len(lines), start + WINDOW_LINES), ids))
    return DocIndex(doc.uri, doc.revision, lines, tuple(windows))


@dataclass(frozen=True)
class _Choice:
    uri: str
    revision: int
    window: Window
    score: float


class SnippetFinder:
    """Finds snippets for a cursor; keeps the indexes and the last answer per document."""

    def __init__(self) -> None:
        self._indexes: dict[str, DocIndex] = {}
        self._answers: dict[str, tuple[object, tuple[Snippet, ...]]] = {}
        self._chosen: dict[str, tuple[_Choice, ...]] = {}
        self.misses = 0  # answers computed, not looked up (for tests and the benchmark)

    def index(self, doc: Document) -> DocIndex:
        index = self._indexes.get(doc.uri)
        if index is None or index.revision != doc.revision:
            index = index_document(doc)
            self._indexes[doc.uri] = index
        return index

    def find(
        self,
        doc: Document,
        line: int,
        sources: Iterable[Document],
        *,
        max_chars: int,
        path_of: Callable[[str], str],
    ) -> tuple[Snippet, ...]:
        """Snippets for a cursor on `line` of `doc`, from `sources` (already filtered:
        other documents of the language family, not excluded), within `max_chars`."""
        sources = [source for source in sources if source.uri != doc.uri]
        if not sources or max_chars <= 0:
            return ()
        query_text = "".join(
            text[:MAX_LINE_CHARS] for text in doc.iter_lines(line - QUERY_LINES, line)
        )
        key = (query_text, tuple((s.uri, s.revision) for s in sources), max_chars)
        cached = self._answers.get(doc.uri)
        if cached is not None and cached[0] == key:
            return cached[1]
        self.misses += 1
        self._forget_closed(sources, doc.uri)
        answer = self._find(doc.uri, identifiers(query_text), sources, max_chars, path_of)
        self._answers[doc.uri] = (key, answer)
        return answer

    def _forget_closed(self, sources: list[Document], current: str) -> None:
        if len(self._indexes) > len(sources) + 8:
            keep = {source.uri for source in sources} | {current}
            for uri in [uri for uri in self._indexes if uri not in keep]:
                del self._indexes[uri]

    def _find(
        self,
        uri: str,
        query: set[str],
        sources: list[Document],
        max_chars: int,
        path_of: Callable[[str], str],
    ) -> tuple[Snippet, ...]:
        if len(query) < _MIN_QUERY_IDS:
            self._chosen.pop(uri, None)
            return ()
        indexes = {source.uri: self.index(source) for source in sources}
        frozen = frozenset(query)
        candidates = [
            _Choice(index.uri, index.revision, window, score)
            for index in indexes.values()
            for window in index.windows
            if (score := jaccard(frozen, window.ids)) >= THRESHOLD
        ]
        candidates.sort(key=lambda choice: choice.score, reverse=True)
        best = _pick(candidates, indexes, max_chars)
        previous = self._rescored(self._chosen.get(uri, ()), indexes, frozen)
        if previous and sum(c.score for c in previous) >= _KEEP_SHARE * sum(c.score for c in best):
            best = previous
        self._chosen[uri] = best
        # A stable order (by place, not score) keeps the prompt the same when scores shift.
        ordered = sorted(best, key=lambda choice: (choice.uri, choice.window.start))
        return tuple(
            Snippet(
                path=path_of(choice.uri),
                text=indexes[choice.uri].text(choice.window),
                score=round(choice.score, 3),
            )
            for choice in ordered
        )

    @staticmethod
    def _rescored(
        previous: tuple[_Choice, ...], indexes: dict[str, DocIndex], query: frozenset[str]
    ) -> tuple[_Choice, ...]:
        """The previous choice scored against the new query; () when it no longer holds."""
        rescored: list[_Choice] = []
        for choice in previous:
            index = indexes.get(choice.uri)
            if index is None or index.revision != choice.revision:
                return ()
            score = jaccard(query, choice.window.ids)
            if score < RETAIN_THRESHOLD:
                return ()
            rescored.append(_Choice(choice.uri, choice.revision, choice.window, score))
        return tuple(rescored)


def _pick(
    candidates: list[_Choice], indexes: dict[str, DocIndex], max_chars: int
) -> tuple[_Choice, ...]:
    """The best non-overlapping windows that fit in `max_chars`."""
    chosen: list[_Choice] = []
    used = 0
    for choice in candidates:
        if len(chosen) == MAX_SNIPPETS:
            break
        window = choice.window
        if any(
            c.uri == choice.uri and c.window.start < window.end and window.start < c.window.end
            for c in chosen
        ):
            continue
        size = len(indexes[choice.uri].text(window)) + 64  # the label
        if used + size > max_chars:
            continue
        chosen.append(choice)
        used += size
    return tuple(chosen)
