"""AI code actions: Fix with AI, Add docstring, Implement, Rewrite selection and Explain.

Listing is pure detection (`detect`): instant and without a model call. The model runs when an
action is resolved or its command executed (`run`), and its answer becomes minimal, versioned
edits (`edits`) of the region the action rewrites. `lsp` registers the handlers.
"""

from ghostls.actions.detect import ActionKind, Definition, Offer, find_definition, offers

__all__ = ["ActionKind", "Definition", "Offer", "find_definition", "offers"]
