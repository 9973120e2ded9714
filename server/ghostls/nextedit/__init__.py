"""Next-edit suggestions: the edit the user's recent edits imply, anywhere in a window around
the cursor, served as Copilot's `textDocument/copilotInlineEdit` so existing plugins show it."""
