"""Fill-in-the-middle prompts, with the extra context in the form the model family knows.

- Qwen2.5-Coder templates (`<|fim_prefix|>`): the repository-level layout the model was trained
  on, `<|repo_name|>` then one `<|file_sep|>path` chunk per snippet (and one for the recent
  changes, as a diff), then `<|file_sep|>` and the current file's path before the FIM tokens.
- Every other template, and prompt + suffix requests: a comment block at the start of the
  prefix, as Copilot does: the file's path, the recent changes, the snippets, each labelled.
Without extra context the prompt is the plain template: no header at all.

Everything here is stable across keystrokes except the windows at the end of the prefix, so
consecutive prompts share everything up to the cursor (and, with suffix-first templates such
as Codestral's, the suffix too).
"""

from __future__ import annotations

from ghostls.presets import FimTemplate
from ghostls.prompts.comments import commented
from ghostls.snapshot import RecentEdit, Snippet

_QWEN_PREFIX_TOKEN = "<|fim_prefix|>"
_DEFAULT_PROJECT = "project"


def edit_lines(edits: tuple[RecentEdit, ...]) -> list[str]:
    """Recent edits as diff hunks, most recent last (nearest the cursor)."""
    lines: list[str] = []
    for edit in reversed(edits):
        lines.append(f"@@ {edit.path}:{edit.line} @@")
        lines.extend(f"-{line}" for line in edit.removed)
        lines.extend(f"+{line}" for line in edit.added)
    return lines


def comment_header(
    path: str, language_id: str, snippets: tuple[Snippet, ...], edits: tuple[RecentEdit, ...]
) -> str:
    """The extra context as comments in the document's language, to go before the prefix;
    "" when there is none or the language has no comments."""
    if not snippets and not edits:
        return ""
    lines = [f"Path: {path}"]
    if edits:
        lines.append("Recent changes:")
        lines.extend(edit_lines(edits))
    for snippet in snippets:
        lines.append(f"Compare this snippet from {snippet.path}:")
        lines.extend(snippet.text.split("\n"))
    return commented(lines, language_id) or ""


def uses_repo_format(template: str) -> bool:
    return _QWEN_PREFIX_TOKEN in template


def repo_header(
    path: str, project: str, snippets: tuple[Snippet, ...], edits: tuple[RecentEdit, ...]
) -> str:
    """Qwen's repository-level header: other files as `<|file_sep|>` chunks, then the
    current file's path; "" without extra context."""
    if not snippets and not edits:
        return ""
    parts = [f"<|repo_name|>{project or _DEFAULT_PROJECT}\n"]
    if edits:
        parts.append("<|file_sep|>recent_changes.diff\n" + "\n".join(edit_lines(edits)) + "\n")
    parts.extend(f"<|file_sep|>{snippet.path}\n{snippet.text}\n" for snippet in snippets)
    parts.append(f"<|file_sep|>{path}\n")
    return "".join(parts)


def render_fim_tokens(
    template: str,
    *,
    path: str,
    project: str,
    language_id: str,
    prefix: str,
    suffix: str,
    snippets: tuple[Snippet, ...],
    edits: tuple[RecentEdit, ...],
) -> str:
    """The raw FIM prompt for a template with the context in the family's layout."""
    if uses_repo_format(template):
        header = repo_header(path, project, snippets, edits)
        # The header goes right before the FIM tokens (after a BOS a custom template may hold).
        head, token, rest = template.partition(_QWEN_PREFIX_TOKEN)
        if "{" in head:
            head, rest = "", template
            token = ""
        return head + header + FimTemplate("custom", token + rest).render(prefix, suffix)
    header = comment_header(path, language_id, snippets, edits)
    return FimTemplate("custom", template).render(header + prefix, suffix)
