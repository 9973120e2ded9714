"""Prompt layout per mode: what goes where, with and without extra context, redacted."""

from __future__ import annotations

from dataclasses import replace

from ghostls.documents import Document, Point
from ghostls.presets import FIM_TEMPLATES
from ghostls.prompts import PLACEHOLDER, PromptOptions, build_request, prompt_chars
from ghostls.prompts.chat import CURSOR, SYSTEM
from ghostls.prompts.comments import commented, line_comment
from ghostls.snapshot import RecentEdit, RelatedCode, Snapshot, Snippet, take_snapshot

SOURCE = "def add(a, b):\n    return \n\nprint(add(1, 2))\n"
SNIPPET = Snippet("lib/mathx.py", "def mul(a, b):\n    return a * b", 0.4)
EDIT = RecentEdit("lib/mathx.py", 12, ("    return a",), ("    return a + b",))
CONTEXT = RelatedCode(path="src/calc.py", project="calc", snippets=(SNIPPET,), edits=(EDIT,))


def _snapshot(context: RelatedCode | None = None, text: str = SOURCE) -> Snapshot:
    doc = Document.from_text("file:///home/me/calc/src/calc.py", "python", 1, text)
    return take_snapshot(doc, Point(1, 11), related=context)


def _options(mode: str, template: str = "qwen") -> PromptOptions:
    fim = FIM_TEMPLATES[template]
    return PromptOptions(
        mode=mode,  # type: ignore[arg-type]
        model="m",
        fim_template=fim.template,
        fim_stops=fim.stop,
    )


def test_chat_layout_without_context() -> None:
    request = build_request(_snapshot(RelatedCode(path="src/calc.py")), _options("chat"))
    system, user = request.messages
    assert system == {"role": "system", "content": SYSTEM}
    text = user["content"]
    assert text.startswith("File: src/calc.py (python)\n")
    after = text.index("The lines after the cursor's line")
    before = text.index("The code before the cursor")
    assert after < before  # the suffix, which changes less, comes first
    assert "print(add(1, 2))" in text[after:before]
    assert f"def add(a, b):\n    return {CURSOR}\n```" in text
    assert text.endswith(f"Insert one line at {CURSOR}: complete the current line only.")
    assert "home/me" not in text  # no machine paths


def test_chat_layout_with_context_and_block() -> None:
    text = "class Calc:\n    def add(self, a, b):\n"
    doc = Document.from_text("file:///w/calc.py", "python", 1, text)
    snapshot = take_snapshot(doc, Point(1, 24), related=CONTEXT)
    assert snapshot.cursor.multiline
    user = build_request(snapshot, _options("chat")).messages[1]["content"]
    order = [
        user.index("File: src/calc.py"),
        user.index("Recent changes the user made elsewhere"),
        user.index("@@ lib/mathx.py:12 @@\n-    return a\n+    return a + b"),
        user.index("Similar code in other open files"),
        user.index("From lib/mathx.py:\n```python\ndef mul(a, b):"),
        user.index("The lines after the cursor's line: none"),
        user.index(f"def add(self, a, b):{CURSOR}"),
        user.index(f"Insert a block at {CURSOR}"),
    ]
    assert order == sorted(order)


def test_chat_system_message_shows_the_layout_it_asks_for() -> None:
    assert "Example. The user sends:\nFile: shapes.py (python)" in SYSTEM
    assert f"    return {CURSOR}\n```" in SYSTEM
    assert SYSTEM.endswith("You reply:\nrect.width * rect.height")
    assert PLACEHOLDER in SYSTEM


def test_chat_fences_survive_backticks_in_the_code() -> None:
    text = "doc = '''\n```python\nx = 1\n```\n'''\n"
    doc = Document.from_text("file:///w/readme.py", "python", 1, text)
    user = build_request(take_snapshot(doc, Point(4, 3)), _options("chat")).messages[1]["content"]
    assert "````python\n" in user


def test_fim_without_context_is_clean() -> None:
    request = build_request(_snapshot(RelatedCode(path="src/calc.py")), _options("fim"))
    assert request.prompt == "def add(a, b):\n    return "
    assert request.suffix == "\n\nprint(add(1, 2))\n"


def test_fim_with_context_has_a_comment_header() -> None:
    request = build_request(_snapshot(CONTEXT), _options("fim"))
    assert request.prompt == (
        "# Path: src/calc.py\n"
        "# Recent changes:\n"
        "# @@ lib/mathx.py:12 @@\n"
        "# -    return a\n"
        "# +    return a + b\n"
        "# Compare this snippet from lib/mathx.py:\n"
        "# def mul(a, b):\n"
        "#     return a * b\n"
        "def add(a, b):\n    return "
    )


def test_qwen_tokens_without_context_are_the_plain_template() -> None:
    request = build_request(_snapshot(RelatedCode(path="src/calc.py")), _options("fim-tokens"))
    assert request.prompt == (
        "<|fim_prefix|>def add(a, b):\n    return <|fim_suffix|>\n\nprint(add(1, 2))\n"
        "<|fim_middle|>"
    )
    assert "<|file_sep|>" in request.stop


def test_qwen_tokens_with_context_use_the_repository_layout() -> None:
    request = build_request(_snapshot(CONTEXT), _options("fim-tokens"))
    assert request.prompt == (
        "<|repo_name|>calc\n"
        "<|file_sep|>recent_changes.diff\n"
        "@@ lib/mathx.py:12 @@\n-    return a\n+    return a + b\n"
        "<|file_sep|>lib/mathx.py\ndef mul(a, b):\n    return a * b\n"
        "<|file_sep|>src/calc.py\n"
        "<|fim_prefix|>def add(a, b):\n    return <|fim_suffix|>\n\nprint(add(1, 2))\n"
        "<|fim_middle|>"
    )


def test_codestral_puts_the_suffix_first_and_the_context_before_the_prefix() -> None:
    request = build_request(_snapshot(CONTEXT), _options("fim-tokens", "codestral"))
    prompt = request.prompt
    assert prompt.startswith("[SUFFIX]\n\nprint(add(1, 2))\n[PREFIX]# Path: src/calc.py\n")
    assert prompt.endswith("#     return a * b\ndef add(a, b):\n    return ")


def test_other_templates_get_the_comment_header() -> None:
    for name in ("starcoder", "deepseek", "codellama"):
        prompt = build_request(_snapshot(CONTEXT), _options("fim-tokens", name)).prompt
        assert "# Compare this snippet from lib/mathx.py:\n" in prompt
        assert "<|file_sep|>" not in prompt


def test_every_part_is_redacted() -> None:
    key = "sk-" + "Zz9Yy8Xx7Ww6" * 3
    text = f'API = "{key}"\ndef add(a, b):\n    return \nPASSWORD = "hunter2hunter2"\n'
    doc = Document.from_text("file:///w/calc.py", "python", 1, text)
    context = replace(
        CONTEXT,
        snippets=(Snippet("other.py", f"token = '{key}'"),),
        edits=(RecentEdit("other.py", 3, (), (f"KEY = '{key}'",)),),
    )
    snapshot = take_snapshot(doc, Point(2, 11), related=context)
    assert key in snapshot.prefix  # the snapshot keeps the real text
    for mode in ("chat", "fim", "fim-tokens"):
        request = build_request(snapshot, _options(mode))
        body = str(request.body())
        assert key not in body and "hunter2" not in body
        assert PLACEHOLDER in body
        assert prompt_chars(request) > 0


def test_comment_styles() -> None:
    assert line_comment("python") == ("# ", "")
    assert line_comment("typescript") == ("// ", "")
    assert line_comment("lua") == ("-- ", "")
    assert line_comment("html") == ("<!-- ", " -->")
    assert line_comment("json") is None
    assert commented(["a", ""], "go") == "// a\n//\n"
    json_doc = Document.from_text("file:///w/x.json", "json", 1, '{"a": 1}')
    prompt = build_request(
        take_snapshot(json_doc, Point(0, 5), related=CONTEXT), _options("fim")
    ).prompt
    assert prompt == '{"a":'  # no comments in JSON: no header
