"""The chat prompt of each action kind."""

from __future__ import annotations

from ghostls.actions.prompts import (
    EDIT_SYSTEM,
    EXPLAIN_SYSTEM,
    REWRITE_CHOICES,
    ActionPrompt,
    doc_convention,
    messages,
)

BEFORE = "import os\n\n"
REGION = "def add(a, b):\n    return a + b"
AFTER = "\n\nprint(add(1, 2))\n"


def _user(**fields: object) -> str:
    prompt = ActionPrompt(
        **{  # type: ignore[arg-type]
            "kind": "fix",
            "path": "/work/demo.py",
            "language_id": "python",
            "before": BEFORE,
            "region": REGION,
            "after": AFTER,
            **fields,
        }
    )
    [system, user] = messages(prompt)
    assert system["role"] == "system"
    assert user["role"] == "user"
    return user["content"]


def test_region_is_marked_on_lines_of_its_own() -> None:
    user = _user(diagnostic="undefined name 'c' (pyflakes)", diagnostic_line=2)
    assert user.startswith("File: /work/demo.py (python)\n```python\nimport os\n\n")
    assert "<REGION>\ndef add(a, b):\n    return a + b\n</REGION>\n\nprint(add(1, 2))" in user


def test_region_inside_a_line_is_marked_inline() -> None:
    user = _user(before="x = ", region="a+b", after=" # sum\n", kind="rewrite")
    assert "x = <REGION>a+b</REGION> # sum" in user


def test_fix_prompt_names_the_problem_and_its_line() -> None:
    user = _user(diagnostic="undefined name 'c' (pyflakes F821)", diagnostic_line=2)
    assert "fix this problem reported at line 2: undefined name 'c' (pyflakes F821)" in user
    assert user.endswith("Reply with the new text of the region only.")


def test_docstring_prompt_follows_the_language_convention() -> None:
    user = _user(kind="docstring", name="add")
    assert "document `add` with a docstring (PEP 257" in user
    assert "do not repeat the body" in user
    rust = _user(kind="docstring", name="new", language_id="rust")
    assert "`///` doc comment" in rust
    assert "JSDoc" in doc_convention("javascript")
    assert "Go doc comment" in doc_convention("go")
    assert "usual convention" in doc_convention("cobol")


def test_implement_prompt() -> None:
    user = _user(kind="implement", name="add")
    assert "implement `add`; its body is a stub" in user
    assert "Keep the signature" in user


def test_rewrite_prompt_carries_the_instruction() -> None:
    user = _user(kind="rewrite", instruction=REWRITE_CHOICES["Simplify"])
    assert "Task: rewrite the region. Simplify it:" in user
    assert list(REWRITE_CHOICES) == ["Simplify", "Add error handling", "Add types", "Optimise"]


def test_edit_actions_ask_for_the_region_only() -> None:
    prompt = ActionPrompt("implement", "/a.py", "python", BEFORE, REGION, AFTER, name="add")
    assert messages(prompt)[0]["content"] == EDIT_SYSTEM
    assert "new text of the region only" in EDIT_SYSTEM
    assert "no markdown code fences" in EDIT_SYSTEM


def test_explain_asks_for_markdown() -> None:
    prompt = ActionPrompt("explain", "/a.py", "python", BEFORE, REGION, AFTER)
    [system, user] = messages(prompt)
    assert system["content"] == EXPLAIN_SYSTEM
    assert "Markdown" in EXPLAIN_SYSTEM
    assert user["content"].endswith("Task: explain the code in the region.")


def test_code_holding_fences_gets_a_longer_fence() -> None:
    user = _user(region='s = """\n```\n"""', kind="rewrite", instruction="Shorter.")
    assert user.count("````") == 2
