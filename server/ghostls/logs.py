"""Logging that never writes to stdout (the LSP channel) and never writes a secret."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

_PATTERNS = (
    # "apiKey": "…" / apiKey='…' in JSON or reprs of settings and initialize params.
    re.compile(r"""(?i)(["']?api_?key["']?\s*[:=]\s*["']?)([^"',\s}]+)"""),
    re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?bearer\s+)([^\"',\s}]+)"),
    # Well-known key shapes: OpenAI, Cerebras, Groq, Anthropic-style, GitHub, Slack.
    re.compile(r"()\b((?:sk|csk|gsk|sk-ant|ghp|gho|xox[abp])[-_][A-Za-z0-9_\-]{12,})"),
)


class SecretFilter(logging.Filter):
    """Masks the configured secrets and anything shaped like a key in every record."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def add(self, secrets: Iterable[str]) -> None:
        self.secrets.update(secret for secret in secrets if len(secret) >= 6)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, "***")
        for pattern in _PATTERNS:
            text = pattern.sub(lambda match: match.group(1) + "***", text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message or record.exc_info:
            record.msg = redacted
            record.args = None
        if record.exc_info:
            record.msg = self.redact(
                redacted + "\n" + logging.Formatter().formatException(record.exc_info)
            )
            record.exc_info = None
            record.exc_text = None
        return True


SECRETS = SecretFilter()


def setup_logging(level: str = "INFO", log_file: str | None = None) -> None:
    handler: logging.Handler
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(SECRETS)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # The HTTP stack's debug logs carry request headers: keep them out unless asked for.
    for noisy in ("httpx", "httpx2", "httpcore", "httpcore2", "openai", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, root.level))
    # pygls logs every message body at INFO: only when asked for with DEBUG.
    if root.level > logging.DEBUG:
        logging.getLogger("pygls").setLevel(max(logging.WARNING, root.level))
