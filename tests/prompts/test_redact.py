"""Redaction: secrets in the context never reach the model; ordinary code is untouched."""

from __future__ import annotations

import pytest

from ghostls.prompts.redact import PLACEHOLDER, has_placeholder, redact

# Fake secrets, assembled so that no literal in this file looks like a real one.
OPENAI = "sk-" + "proj-" + "A1b2C3d4E5f6" * 4
CEREBRAS = "csk-" + "x9y8z7w6v5" * 4
GROQ = "gsk_" + "Q1w2E3r4T5y6" * 4
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8" * 3
SLACK = "xoxb-" + "1234567890-" + "abcdEFGHijkl"
JWT = (
    "eyJ" + "hbGciOiJIUzI1NiJ9" + "." + "eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0" + "." + "sig_nature-123"
)
KEY_BLOCK = (
    "-----BEGIN RSA " + "PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEA7bq98\n" * 3 + "-----END RSA "
    "PRIVATE KEY-----"
)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f'client = OpenAI(api_key="{OPENAI}")', "client = OpenAI(api_key="),
        (f"CEREBRAS = '{CEREBRAS}'", "CEREBRAS = "),
        (f"groq_key = {GROQ!r}", "groq_key = "),
        (f'aws_access_key_id = "{AWS}"', "aws_access_key_id = "),
        (f"export GITHUB_TOKEN={GITHUB}", "export GITHUB_TOKEN="),
        (f'slack = "{SLACK}"', "slack = "),
        (f"Authorization: Bearer {JWT}", "Authorization: Bearer "),
        ('password = "hunter2hunter2"', "password = "),
        ('DB_PASSWORD: str = "c0rrect-h0rse"', "DB_PASSWORD: str = "),
        ('{"client_secret": "s3cr3t-value"}', '{"client_secret": '),
        ('SECRET_KEY = "django-insecure-4x!q"', "SECRET_KEY = "),
        ('auth_token = "AbCdEf0123456789XyZw"', "auth_token = "),
        ("API_KEY=Zx81LmQp02RtYv99Wq", "API_KEY="),
        ('dsn = "postgres://admin:pa55word@db.local/app"', 'dsn = "postgres://admin:'),
        (f"key = '''\n{KEY_BLOCK}\n'''", "key = '''\n"),
    ],
)
def test_secrets_are_redacted(text: str, kept: str) -> None:
    redacted = redact(text)
    assert PLACEHOLDER in redacted
    assert redacted.startswith(kept)
    for secret in (OPENAI, CEREBRAS, GROQ, AWS, GITHUB, SLACK, JWT, "hunter2", "MIIEow", "pa55"):
        assert secret not in redacted


def test_a_key_block_cut_by_the_window_is_redacted() -> None:
    begin_only = KEY_BLOCK.split("-----END")[0]
    assert redact("x = 1\n" + begin_only) == "x = 1\n" + PLACEHOLDER
    end_only = KEY_BLOCK.split("\n", 1)[1]  # the window starts inside the block
    assert redact(end_only + "\nnext = 2") == PLACEHOLDER + "\nnext = 2"


@pytest.mark.parametrize(
    "text",
    [
        "token = next(tokens)",
        'password = request.form["password"]',
        "password = getpass.getpass()",
        'if token == "EOF":',
        'TOKEN_URL = "https://example.com/oauth/token"',
        'token_type = "bearer"',
        'tokenizer = "bert-base-uncased"',
        'print("Enter your password: ", end="")',
        'secret_name = "db-credentials"',
        'api_key = os.environ["API_KEY"]',
        "api_key = settings.api_key",
        'cache_key = "user:1234:profile:abcdef"',
        "def check_password(self, raw_password):",
        ".sk-spinner-double-bounce-container { color: red; }",
        "task-runner-configuration-file = 1",
        'key = "name"',
        "for key, value in items.items():",
        'url = "https://example.com/path@v1"',
        "SK_LEARN_VERSION = 1",
        "assert token.kind == TokenKind.NAME",
        "const password = await prompt('Password: ');",
    ],
)
def test_ordinary_code_is_untouched(text: str) -> None:
    assert redact(text) == text


def test_placeholder_is_recognised() -> None:
    assert has_placeholder(f"x = {PLACEHOLDER}")
    assert not has_placeholder("x = redacted")


def test_redaction_is_idempotent() -> None:
    text = f'a = "{OPENAI}"\npassword = "hunter2hunter2"\n'
    once = redact(text)
    assert redact(once) == once
