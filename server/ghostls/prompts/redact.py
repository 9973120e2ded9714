"""Redaction: obvious secrets in the text around the cursor never leave the machine.

Applied by the prompt builder to every piece of text a prompt shows (prefix, suffix, snippets,
recent edits); the snapshot keeps the real text, so the cursor, the engine's cache keys and
post-processing see the document as it is. A secret becomes `PLACEHOLDER`; a suggestion that
contains the placeholder (the model echoing it) is dropped by the server.

Two kinds of secret are recognised:
- tokens whose shape gives them away (provider API keys, cloud and chat tokens, JWTs,
  private key blocks, passwords in URLs), wherever they are;
- quoted literals assigned to a name that says it holds a secret (`password = "…"`,
  `"client_secret": "…"`, `API_TOKEN=…`), when the value looks like one: passwords of any
  shape, tokens and keys only when long and made of letters and digits.
Ordinary code is left alone: `token = next(tokens)`, `password = request.form["password"]`,
`if token == "EOF":`, `TOKEN_URL = "https://…"`.

Each pattern runs only when a cheap substring test says it could match, so typical code costs
a few substring searches.
"""

from __future__ import annotations

import re

PLACEHOLDER = "<redacted>"

# Known token shapes, each with the literal(s) that must occur for it to match. Random keys
# hold digits: the "sk-" family must, so that CSS names like "sk-spinner-double-bounce" stay.
_KEY_WITH_DIGIT = re.compile(r"\b(?:c?sk-|gsk_)[A-Za-z0-9_-]*[0-9][A-Za-z0-9_-]*")
_TOKEN_SHAPES: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    # Stripe-style live and test keys.
    (("_live_", "_test_"), re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}")),
    # AWS access key ids.
    (("AKIA", "ASIA"), re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")),
    # GitHub tokens and fine-grained tokens.
    (
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,})"),
    ),
    # GitLab, Hugging Face, npm, PyPI.
    (("glpat-",), re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    (("hf_",), re.compile(r"\bhf_[A-Za-z0-9]{30,}")),
    (("npm_",), re.compile(r"\bnpm_[A-Za-z0-9]{36,}")),
    (("pypi-",), re.compile(r"\bpypi-[A-Za-z0-9_-]{50,}")),
    # Slack tokens and webhooks.
    (("xox",), re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{10,}")),
    (("hooks.slack.com",), re.compile(r"hooks\.slack\.com/services/[A-Za-z0-9/]{20,}")),
    # Google API keys.
    (("AIza",), re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    # JSON Web Tokens: a header and a payload that are base64url JSON objects.
    (("eyJ",), re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")),
)

# A private key block, also when the window cuts it (no END yet, or the BEGIN line before
# the window): the block is replaced whole.
_KEY_BLOCK = re.compile(
    r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?"
    r"(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    re.S,
)
_KEY_BLOCK_TAIL = re.compile(
    r"\A(?:[ \t]*[A-Za-z0-9+/=]{16,}[ \t]*\n)+[ \t]*-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
)

# user:password@ in URLs.
_URL_PASSWORD = re.compile(r"(?<=://)([^/\s:@]{1,64}:)([^/\s@]{3,})(?=@)")

# Names that say what they hold: the name ends with one of these words. A password-like
# name holds a secret whatever it looks like; a token-like name only when the value looks
# random. Names are found by plain substring search for `_NAME_HINTS` (a regex scanning
# every position costs a millisecond on a prompt's text); the patterns then run anchored.
_PASSWORD_NAME = re.compile(
    r"(?:passwo?r?d|passphrase|(?:^|[^a-z])pass|pwd|secret|secret_?key|private_?key"
    r"|client_?secret)$"
)
_TOKEN_NAME = re.compile(r"(?:token|api_?key|apikey|access_?key|auth_?key|credentials?)$")
_NAME_HINTS = ("pass", "pwd", "secret", "key", "token", "credential")
# After the name (maybe quoted, maybe annotated): = or : then a quoted literal on the line.
_QUOTED_VALUE = re.compile(
    r"[\"']?[ \t]*(?::[ \t]*[A-Za-z_][\w\[\], |.]*?[ \t]*)?(?::=|=>|=|:)[ \t]*"
    r"(?P<q>[\"'`])(?P<value>[^\"'`\s\\]*)(?P=q)"
)
# NAME=value as in shell scripts and env files: no spaces around "=", an unquoted value, the
# name first on its line (maybe after "export").
_BARE_VALUE = re.compile(r"=(?P<value>[A-Za-z0-9_+/=.:@-]{8,})[ \t]*(?:\n|\Z)")
_BARE_LEAD = re.compile(r"[ \t]*(?:export[ \t]+)?\Z")

_RANDOM_ENOUGH_LEN = 16


def _looks_random(value: str) -> bool:
    """A token-like value: long, no spaces, letters mixed with digits (or long and mixed case)."""
    if len(value) < _RANDOM_ENOUGH_LEN or " " in value or "://" in value:
        return False
    has_digit = any(char.isdigit() for char in value)
    has_alpha = any(char.isalpha() for char in value)
    mixed_case = any(char.isupper() for char in value) and any(char.islower() for char in value)
    return has_alpha and (has_digit or (mixed_case and len(value) >= 24))


def _is_secret_value(password_like: bool, value: str) -> bool:
    if PLACEHOLDER in value or value.startswith(("${", "{{", "$(", "%(")):
        return False
    if password_like:
        # Not code that happens to sit between two string literals ("password:" + pw + "!").
        return len(value) >= 6 and not any(char in value for char in "()+,;")
    return _looks_random(value)


def _name_ends(text: str, lowered: str) -> list[int]:
    """Where the identifiers holding a hint word end, in order."""
    ends: set[int] = set()
    size = len(text)
    for hint in _NAME_HINTS:
        at = lowered.find(hint)
        while at >= 0:
            end = at + len(hint)
            while end < size and (text[end].isalnum() or text[end] == "_"):
                end += 1
            ends.add(end)
            at = lowered.find(hint, end)
    return sorted(ends)


def _redact_assignments(text: str) -> str:
    lowered = text.lower()
    pieces: list[str] = []
    done = 0
    for end in _name_ends(text, lowered):
        if end < done:
            continue
        start = end
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
            start -= 1
        name = lowered[start:end]
        password_like = _PASSWORD_NAME.search(name) is not None
        if not password_like and _TOKEN_NAME.search(name) is None:
            continue
        match = _QUOTED_VALUE.match(text, end)
        if match is None:
            line_start = text.rfind("\n", 0, start) + 1
            bare = _BARE_VALUE.match(text, end)
            if bare is None or not _BARE_LEAD.match(text[line_start:start]):
                continue
            match = bare
        value = match.group("value")
        if not _is_secret_value(password_like, value):
            continue
        pieces += (text[done : match.start("value")], PLACEHOLDER)
        done = match.end("value")
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _replace_key(match: re.Match[str]) -> str:
    # OpenAI (sk-, sk-proj-…), Anthropic (sk-ant-…), Cerebras (csk-), Groq (gsk_).
    key = match.group(0)
    body = key[4:] if key.startswith("gsk_") else key.split("-", 1)[1]
    return PLACEHOLDER if len(body) >= 20 else key


def redact(text: str) -> str:
    """`text` with every secret it recognises replaced by PLACEHOLDER."""
    if not text:
        return text
    if "sk-" in text or "gsk_" in text:
        text = _KEY_WITH_DIGIT.sub(_replace_key, text)
    for literals, pattern in _TOKEN_SHAPES:
        if any(literal in text for literal in literals):
            text = pattern.sub(PLACEHOLDER, text)
    if "PRIVATE KEY" in text:
        text = _KEY_BLOCK.sub(PLACEHOLDER, text)
        text = _KEY_BLOCK_TAIL.sub(PLACEHOLDER, text)
    if "://" in text and "@" in text:
        text = _URL_PASSWORD.sub(lambda match: match.group(1) + PLACEHOLDER, text)
    return _redact_assignments(text)


def has_placeholder(text: str) -> bool:
    """The text holds a redaction placeholder (a model echoing what it was not shown)."""
    return PLACEHOLDER in text
