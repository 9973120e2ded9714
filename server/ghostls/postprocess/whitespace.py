"""Stage: trim trailing whitespace, keeping what the user would type.

Lines lose their trailing blanks and the insertion its trailing blank lines. The very end keeps
its spaces when text follows the cursor on its line (`foo(a, |c)` + "b, " must stay "b, "),
and leading whitespace is never touched (`x =| 1` + " 1" keeps its space).
"""

from __future__ import annotations

from ghostls.cursor import Cursor, Insertion


def trim_whitespace(insertion: Insertion, ctx: Cursor) -> Insertion:
    lines = insertion.text.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    last = lines.pop()
    lines = [line.rstrip() for line in lines]
    lines.append(last if ctx.line_suffix.strip() else last.rstrip())
    text = "\n".join(lines)
    return insertion if text == insertion.text else Insertion(text, insertion.replace_suffix)
