"""The completion service: from a position in an open document to the suggestion shown there.

It owns "snapshot → engine → answer → prefetch": the exclusion check (settings, exclusion
globs, `.ghostlsignore` files under the workspace folders), the cursor snapshot with its extra
context, the engine's answer, the time to first token fed back to the context's token budget,
the filter of answers that write a redacted secret's placeholder, and the prefetch of the next
suggestion once one is shown.

Knows no LSP: the handlers give it a URI and a position in the negotiated encoding and turn
the `Suggestion` into items. The workspace folders are set when they change, not read per
keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ghostls.documents import Document, DocumentStore, Encoding
from ghostls.engine import Answer, Engine
from ghostls.exclusion import IgnoreFiles, is_excluded
from ghostls.prompts import estimate_prompt_chars, has_placeholder
from ghostls.related import RelatedService
from ghostls.related.service import root_paths
from ghostls.settings import Settings
from ghostls.snapshot import uri_to_path


@dataclass(frozen=True)
class Suggestion:
    doc: Document
    answer: Answer
    # Where the items' ranges start: the position asked for, clamped into the document.
    line: int
    character: int


class CompletionService:
    def __init__(self, documents: DocumentStore, engine: Engine, settings: Settings) -> None:
        self.documents = documents
        # Created with the store so that edits made before the first completion are remembered.
        self.related = RelatedService(documents)
        self.engine = engine
        self.settings = settings
        self.roots: tuple[str, ...] = ()
        self.ignores = IgnoreFiles()

    def set_workspace(self, folder_uris: Sequence[str | None]) -> None:
        """The workspace folders (and root) changed: their paths, for prompts and ignore files."""
        self.roots = root_paths(tuple(folder_uris))
        for doc in self.documents.all():
            self.document_changed(doc, opened=True)

    def document_changed(self, doc: Document, *, opened: bool = False) -> None:
        """A document opened or changed: an ignore file's text is used as it is in the editor;
        an opened document's ignore files are read (the only reads; typing costs none)."""
        if not doc.uri.startswith("file:"):
            return
        path = uri_to_path(doc.uri)
        if self.ignores.is_ignore_file(path):
            self.ignores.edited(path, doc.text)
        elif opened:
            self.ignores.load(path, self.roots)

    def document_closed(self, uri: str) -> None:
        if uri.startswith("file:") and self.ignores.is_ignore_file(uri_to_path(uri)):
            self.ignores.closed(uri_to_path(uri))

    def files_changed(self, uris: Sequence[str]) -> None:
        """The editor reports files changed on disk: ignore files among them are read again."""
        for uri in uris:
            if uri.startswith("file:") and self.ignores.is_ignore_file(uri_to_path(uri)):
                self.ignores.file_changed(uri_to_path(uri))

    def excluded(self, doc: Document) -> bool:
        settings = self.settings
        if not settings.enabled or doc.language_id in settings.disabled_languages:
            return True
        path = uri_to_path(doc.uri)
        if is_excluded(path, settings.exclude):
            return True
        return doc.uri.startswith("file:") and self.ignores.ignored(path, self.roots)

    async def suggest(
        self,
        uri: str,
        line: int,
        character: int,
        encoding: Encoding,
        *,
        invoked: bool,
        arrived: float,
    ) -> Suggestion | None:
        """The suggestion at a position (`arrived`: when the request came, on the engine's
        clock), fetching the next one ahead where that pays."""
        doc = self.documents.get(uri)
        if doc is None or self.excluded(doc):
            return None
        point = doc.point(line, character, encoding)
        at = (point.line, doc.units(point, encoding))
        snapshot = self.related.snapshot(
            doc,
            point,
            context_tokens=self.settings.context_tokens,
            excluded=self.excluded,
            roots=self.roots,
        )
        answer = await self.engine.complete(snapshot, invoked=invoked, arrived_at=arrived)
        if answer is None:
            return None
        if answer.source == "model" and answer.breakdown.ttft > 0:
            chars = estimate_prompt_chars(answer.snapshot, self.engine.options.prompt)
            self.related.observe(chars, answer.breakdown.ttft / 1000)
        if has_placeholder(answer.insertion.text):
            return None  # the model wrote the placeholder of a redacted secret
        self.engine.shown(answer)
        return Suggestion(doc, answer, *at)

    def accepted(self, answer_id: object) -> None:
        """The item's command ran: with the answer's id, the next suggestion is fetched."""
        if isinstance(answer_id, int) and not isinstance(answer_id, bool):
            self.engine.accepted(answer_id)
        else:
            self.engine.stats.count("accepted")
