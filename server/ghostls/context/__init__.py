"""Context for prompts beyond the cursor's windows: snippets of other open documents that
look like the code at the cursor, and the user's recent edits elsewhere.

A server makes one `ContextService(documents)`; `snippets.py` and `edits.py` are pure of LSP
and I/O.
"""

from ghostls.context.edits import RecentEdits
from ghostls.context.service import ContextService, display_path, root_paths
from ghostls.context.snippets import SnippetFinder

__all__ = ["ContextService", "RecentEdits", "SnippetFinder", "display_path", "root_paths"]
