"""Gathering what one completion request shows the model: the windows around the cursor, sized
by the prompt sizer, and the related code (snippets of other open documents, recent edits).

One `RelatedService` per server. It owns the automatic prompt sizer (fed with the model's
timings), the snippet indexes and the log of recent edits (fed by the document store).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Literal

from ghostls.documents import Document, DocumentStore, Point
from ghostls.prompts.sizing import PromptSizer, allocate, chars_to_tokens
from ghostls.related.history import RecentEdits
from ghostls.related.snippets import SnippetFinder, language_family
from ghostls.snapshot import (
    RelatedCode,
    Snapshot,
    Snippet,
    Windows,
    take_snapshot,
    uri_to_path,
)


@lru_cache(maxsize=1024)
def display_path(uri: str, roots: tuple[str, ...]) -> str:
    """A document's path as prompts show it: relative to the workspace folder holding it,
    else its file name (no machine paths leave the machine)."""
    path = uri_to_path(uri)
    if path == uri and ":" in uri.split("/", 1)[0]:
        return uri.rsplit("/", 1)[-1] or uri  # untitled:Untitled-1 and other schemes
    holding = [root for root in roots if path.startswith(root.rstrip("/") + "/")]
    if holding:
        return path[len(max(holding, key=len).rstrip("/")) + 1 :]
    return PurePosixPath(path).name or path


def project_name(uri: str, roots: tuple[str, ...]) -> str:
    path = uri_to_path(uri)
    holding = [root for root in roots if path.startswith(root.rstrip("/") + "/")]
    return PurePosixPath(max(holding, key=len)).name if holding else ""


@lru_cache(maxsize=64)
def root_paths(folder_uris: tuple[str | None, ...]) -> tuple[str, ...]:
    """Workspace folder URIs as paths (file URIs only), deepest last."""
    paths = {uri_to_path(uri).rstrip("/") for uri in folder_uris if uri and uri.startswith("file:")}
    return tuple(sorted(path for path in paths if path))


class RelatedService:
    def __init__(self, documents: DocumentStore, budget: PromptSizer | None = None) -> None:
        self._documents = weakref.ref(documents)  # the store holds this service, not vice versa
        self.budget = budget or PromptSizer()
        self.snippets = SnippetFinder()
        self.edits = RecentEdits()
        documents.on_edit = self.edits.record

    def token_budget(self, context_tokens: int | Literal["auto"]) -> int:
        return self.budget.tokens() if context_tokens == "auto" else context_tokens

    def snapshot(
        self,
        doc: Document,
        point: Point,
        *,
        context_tokens: int | Literal["auto"] = "auto",
        excluded: Callable[[Document], bool] = lambda doc: False,
        roots: Sequence[str] = (),
    ) -> Snapshot:
        """The cursor snapshot with its windows sized by the budget and its extra context."""
        allocation = allocate(self.token_budget(context_tokens))
        windows = Windows(
            prefix_chars=allocation.prefix_chars, suffix_chars=allocation.suffix_chars
        )
        snapshot = take_snapshot(doc, point, windows)
        roots = tuple(roots)

        def path_of(uri: str) -> str:
            return display_path(uri, roots)

        documents = self._documents()
        snippets = self.similar_snippets(
            doc, point.line, excluded=excluded, max_chars=allocation.snippet_chars, roots=roots
        )
        first = point.line - snapshot.prefix.count("\n")
        last = point.line + snapshot.suffix.count("\n")
        edits = self.edits.recent(
            doc,
            (first, last),
            is_open=lambda other: documents is not None and documents.get(other.uri) is other,
            excluded=excluded,
            max_chars=allocation.edit_chars,
            path_of=path_of,
        )
        related = RelatedCode(
            path=path_of(doc.uri),
            project=project_name(doc.uri, roots),
            snippets=snippets,
            edits=edits,
        )
        return replace(snapshot, related=related)

    def similar_snippets(
        self,
        doc: Document,
        line: int,
        *,
        excluded: Callable[[Document], bool],
        max_chars: int,
        roots: tuple[str, ...],
    ) -> tuple[Snippet, ...]:
        """Code like the lines around `line` in the other open documents of its language
        family that are not excluded."""
        documents = self._documents()
        open_docs = list(documents.all()) if documents is not None else [doc]
        family = language_family(doc.language_id)
        sources = [
            other
            for other in open_docs
            if other is not doc
            and language_family(other.language_id) == family
            and not excluded(other)
        ]
        return self.snippets.find(
            doc, line, sources, max_chars=max_chars, path_of=lambda uri: display_path(uri, roots)
        )

    def observe(self, prompt_chars: int, ttft_s: float) -> None:
        """A model call's prompt size and time to first token (feeds the automatic budget)."""
        self.budget.observe(chars_to_tokens(prompt_chars), ttft_s)
