"""Next-edit prompts in the three formats, and the reading of their answers."""

from __future__ import annotations

from dataclasses import replace

from ghostls.documents import Document, Point
from ghostls.nextedit.prompts import (
    EditContext,
    build_request,
    read_answer,
    unified_hunk,
)
from ghostls.nextedit.window import take_window
from ghostls.snapshot import RecentEdit, Snippet

SOURCE = "x = 1\ny = x\nz = x\n"
EDIT = RecentEdit(path="a.py", line=2, removed=("y = w",), added=("y = x",))


def context(edits: tuple[RecentEdit, ...] = (EDIT,)) -> EditContext:
    d = Document.from_text("file:///w/a.py", "python", 1, SOURCE)
    window = take_window(d, Point(1, 5), 5)
    return EditContext("a.py", "python", window, SOURCE.replace("y = x", "y = w"), edits)


def test_unified_hunks_count_lines_like_diff() -> None:
    assert unified_hunk(EDIT) == "@@ -2,1 +2,1 @@\n-y = w\n+y = x\n"
    inserted = RecentEdit(path="a.py", line=3, removed=(), added=("q = 1",))
    assert unified_hunk(inserted).startswith("@@ -2,0 +3,1 @@\n")
    deleted = RecentEdit(path="a.py", line=3, removed=("q = 1",), added=())
    assert unified_hunk(deleted).startswith("@@ -3,1 +2,0 @@\n")


def test_secrets_in_the_history_are_redacted() -> None:
    secret = RecentEdit(path="a.py", line=1, removed=(), added=('token = "ghp_' + "a1" * 20 + '"',))
    request = build_request(context((secret,)), "chat", model="m", temperature=0)
    text = "".join(message["content"] for message in request.messages)
    assert "ghp_" not in text and "<redacted>" in text


def test_chat_request_shape() -> None:
    request = build_request(context(), "chat", model="m", temperature=0.2)
    assert request.endpoint == "chat" and request.model == "m"
    user = request.messages[1]["content"]
    assert "--- a/a.py\n+++ b/a.py\n@@ -2,1 +2,1 @@\n-y = w\n+y = x\n" in user
    assert "```python\nx = 1\ny = x<|cursor|>\nz = x\n```" in user
    assert request.max_tokens >= 128


def test_chat_answers() -> None:
    assert read_answer("chat", "NO_CHANGE", ended=True).complete
    assert read_answer("chat", "NO_CH", ended=False).window is None
    partial = read_answer("chat", "```python\nx = 1\n", ended=False)
    assert not partial.complete
    done = read_answer("chat", "Here:\n```python\nx = 1<|cursor|>\n```\nmore", ended=False)
    assert done.complete and done.window == "x = 1\n"
    bare = read_answer("chat", "x = 1\ny = 2", ended=True)
    assert bare.window == "x = 1\ny = 2\n"
    assert read_answer("chat", "```python\nx = 1\n", ended=True).window is None  # cut


def test_zeta_answers() -> None:
    answer = "```a.py\n<|editable_region_start|>\nx = 1\n<|user_cursor_is_here|>y\n"
    assert not read_answer("zeta", answer, ended=False).complete
    done = read_answer("zeta", answer + "<|editable_region_end|>\n```", ended=False)
    assert done.complete and done.window == "x = 1\ny\n"
    headless = read_answer(
        "zeta", "```a.py\n<|start_of_file|>\nx = 2\n<|editable_region_end|>", ended=True
    )
    assert headless.window == "x = 2\n"


def test_zeta_and_sweep_prompts() -> None:
    zeta = build_request(context(), "zeta", model="m", temperature=0).prompt
    assert zeta.startswith("### Instruction:\n")
    assert (
        "```a.py\n<|start_of_file|>\n<|editable_region_start|>\n"
        "x = 1\ny = x<|user_cursor_is_here|>\nz = x\n<|editable_region_end|>\n```\n" in zeta
    )
    sweep = build_request(context(), "sweep", model="m", temperature=0)
    assert sweep.prompt == (
        "<|file_sep|>a.py.diff\noriginal:\ny = w\nupdated:\ny = x\n"
        "<|file_sep|>original/a.py\nx = 1\ny = w\nz = x\n"
        "<|file_sep|>current/a.py\nx = 1\ny = x\nz = x\n"
        "<|file_sep|>updated/a.py\n"
    )
    assert read_answer("sweep", "x = 1\ny = x\nz = y\n<|file_sep|>", ended=False).window == (
        "x = 1\ny = x\nz = y\n"
    )
    assert not read_answer("sweep", "x = 1\n", ended=False).complete


def test_similar_code_from_other_files_in_chat_and_sweep() -> None:
    snippet = Snippet(path="other.py", text="y = x\nz = x")
    ctx = replace(context(), snippets=(snippet,))
    user = build_request(ctx, "chat", model="m", temperature=0).messages[1]["content"]
    assert "Similar code in other open files" in user and "From other.py:" in user
    sweep = build_request(ctx, "sweep", model="m", temperature=0).prompt
    assert sweep.startswith("<|file_sep|>other.py\ny = x\nz = x\n<|file_sep|>a.py.diff\n")
