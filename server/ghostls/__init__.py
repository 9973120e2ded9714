"""ghostls: AI ghost text and code actions for any LSP editor, from any OpenAI-compatible model."""

__version__ = "0.1.0"
