"""Related code for prompts beyond the cursor's windows: snippets of other open documents that
look like the code at the cursor, and the user's recent edits (`history.py`).

A server makes one `RelatedService(documents)`; `snippets.py` and `history.py` are pure of LSP
and I/O.
"""

from ghostls.related.history import RecentEdits
from ghostls.related.service import RelatedService, display_path, root_paths
from ghostls.related.snippets import SnippetFinder

__all__ = ["RecentEdits", "RelatedService", "SnippetFinder", "display_path", "root_paths"]
