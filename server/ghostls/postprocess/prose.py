"""Stage: drop the sentences a chat model writes around its code.

"Sure! Here is the completion:" before the code, "This adds the missing check." after it.
Only for chat answers, only where the cursor is in code (in a comment or docstring a sentence
may be the answer), and only for lines that read as English: a sentence at column 0, starting
with a capital, with several common English words and none of the signs code is made of.
"""

from __future__ import annotations

import re

from ghostls.cursor import Cursor, Insertion, indent_of
from ghostls.lang import PLAIN, PYTHON, continuation_depth, scan

# How chat models open an answer; the first kind never starts a comment or a docstring line.
_CHAT_OPENER = re.compile(
    r"(?:sure|certainly|of course|absolutely|okay|alright)\b[^\n]*"
    r"|here(?:'s|’s| is| are)\b[^\n]*"
    r"|(?:i(?:'ll|’ll| will| have| would)|let me)\b[^\n]*"
    r"|(?:the |this is the |here is the )?(?:completion|insertion|missing code)(?: is)?"
    r"[ \t]*:[ \t]*"
    r"|(?:you|we) can (?:complete|finish|fill in) (?:it|this|the \w+)\b[^\n]*:[ \t]*",
    re.I,
)
_OPENER = re.compile(
    r"(?:ok|great)\b[^\n]*"
    r"|below (?:is|are)\b[^\n]*"
    r"|(?:the|this is the) (?:completed?|missing|rest|following|updated|corrected|code|completion"
    r"|answer|insertion|continuation)\b[^\n]*"
    r"|(?:to complete|you can|i can|i've|i’ve)\b[^\n]*"
    r"|(?:answer|output|result|code)[ \t]*:[ \t]*",
    re.I,
)
_COMMON_WORDS = frozenset(
    {
        *("the", "a", "an", "is", "are", "was", "to", "of", "this", "that", "it", "will"),
        *("for", "and", "with", "in", "you", "we", "be", "by", "as", "on", "should", "can"),
        *("now", "which", "when", "not", "its", "into", "from", "these", "those", "your"),
        *("our", "has", "have", "here", "i", "i'm", "but", "more", "without", "if", "or"),
        *("so", "do", "does", "any", "all", "some", "there", "what", "please", "me", "my"),
    }
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_BACKTICKED = re.compile(r"`[^`\n]*`")
_CODE_SIGNS = re.compile(r"[=;{}<>\[\]\\|$]|\w\(|^\s*#|//|::|->")
_RECENT_LINES = 6  # lines before the cursor looked at to tell code from plain text ...
_PROSE_LINES = 3  # ... and how many sentences among them make plain text
_EMPHASIS = re.compile(r"\*\*|__")  # markdown bold, as in "**Explanation:**"
_BULLET = re.compile(r"^(?:[-*] |\d+\. )")
# A heading over a chat model's explanation: "**Explanation:**", "### How it works", "Notes:".
_HEADING = re.compile(
    r"(?:#{1,6}[ \t]+[A-Z][\w '’-]{0,40}|(?:\*\*|__)[A-Z][\w '’-]{0,40}:?(?:\*\*|__):?"
    r"|[A-Z][\w '’-]{0,40}:)[ \t]*"
)
_ENDS_SENTENCE = re.compile(r"[A-Za-z)`'’\"][.!?]\s*$")
_CHAT_SIGN_OFF = re.compile(
    r"explanation\s*:|(?:this|that|the above|the code above|the above code|the completion)"
    r"\s+(?:code\s+)?(?:completes|finishes|implements|adds|fills|continues|completion|snippet)\b"
    r"|let me know\b|feel free\b|i hope\b|hope (?:this|that|it) helps\b|tell me if\b"
    r"|the rest of the (?:file|code)\b",
    re.I,
)
_SIGN_OFF = re.compile(
    r"(?:this|that|these|the above|it|now|note|explanation|here|the rest|let me know|feel free"
    r"|hope)\b",
    re.I,
)


def _reads_as_english(
    line: str, *, min_words: int, capital: bool = True, common: int | None = None
) -> bool:
    if line[:1].isspace():
        return False
    body = _BULLET.sub("", _EMPHASIS.sub("", line).strip(), count=1)
    if capital and not body[:1].isupper():
        return False
    bare = _BACKTICKED.sub("x", body)
    if _CODE_SIGNS.search(bare):
        return False
    words = _WORD.findall(bare)
    if 2 * sum(len(word) > 1 and word.isupper() for word in words) > len(words):
        return False  # keywords in capitals (SQL) or constants, not a sentence
    seen = sum(word.lower() in _COMMON_WORDS for word in words)
    least = common if common is not None else 2 if capital else 0
    return len(words) >= min_words and seen >= least


def is_opening_remark(line: str, *, in_code: bool = True) -> bool:
    """A line like "Here is the completion:" that a chat model puts before its code. Where
    the cursor is in a comment or string only the usual phrases count, not any sentence."""
    stripped = _EMPHASIS.sub("", line).strip()
    if not stripped or len(stripped) > 160 or stripped[-1] not in ":.!":
        return False
    if _CHAT_OPENER.fullmatch(stripped):
        return True
    if not in_code:
        return False
    if _OPENER.fullmatch(stripped):
        return True
    if stripped.endswith(":"):
        return _reads_as_english(line, min_words=3)
    # "Happy to help!", "Got it. The completed code.": a whole sentence before code.
    return _reads_as_english(line, min_words=2, common=1)


def is_sentence(line: str) -> bool:
    """A line of explanation, as chat models write after their code."""
    return _reads_as_english(line, min_words=4)


def _starts_own_line(code: str, ctx: Cursor) -> bool:
    first = code.split("\n", 1)[0]
    content = first.strip()
    if (
        content.startswith(ctx.line_prefix.strip())
        or content == ctx.previous_non_empty_line.strip()
    ):
        return False  # it restates the cursor line or the one before: the echo stage decides
    if continuation_depth(ctx.cursor_state.stack, ctx.syntax):
        return False  # inside brackets the code goes on where the cursor is
    indented = ctx.width(indent_of(first)) >= ctx.tab_size
    opener = ":" if ctx.syntax is PYTHON else "{"
    return indented or (ctx.cursor_state.in_code() and ctx.line_prefix.rstrip().endswith(opener))


def settle_start(code: str, ctx: Cursor) -> str:
    """Place code a chat model wrote on lines of its own: at the end of a code line where a
    block may follow, it starts on a new line; anywhere else it continues the cursor line."""
    if ctx.multiline and ctx.line_prefix.strip() and not ctx.line_suffix.strip():
        if code.startswith("\n") or not _starts_own_line(code, ctx):
            return code
        return "\n" + code
    lines = code.split("\n")
    blank = 0
    while blank < len(lines) - 1 and not lines[blank].strip():
        blank += 1
    return "\n".join(lines[blank:])


def _in_one_line_string(ctx: Cursor) -> bool:
    """The cursor is inside a quoted string that cannot run over lines ('...', "..."): an
    answer of several lines is not the string's text, so its first line may be a remark."""
    index = ctx.cursor_state.span
    if index is None:
        return False
    span = ctx.syntax.spans[index]
    return not span.comment and span.closing in ("'", '"')


def remark_may_open(ctx: Cursor) -> bool:
    """Whether any sentence may be a chat model's opening remark here (else only the usual
    phrases are): the cursor is in code, or in a string that cannot hold several lines."""
    return _in_code(ctx) or _in_one_line_string(ctx)


def _drop_opening(text: str, ctx: Cursor) -> str:
    lines = text.split("\n")
    code = remark_may_open(ctx)
    remark = -1
    for index, line in enumerate(lines[:-1]):
        if is_opening_remark(line, in_code=code):
            remark = index
        elif line.strip():
            break
    if remark < 0:
        return text
    start = remark + 1
    while start < len(lines) - 1 and not lines[start].strip():
        start += 1  # the blank lines after the remark are no line break of the code
    return settle_start("\n".join(lines[start:]), ctx)


def _amid_text(ctx: Cursor) -> bool:
    """The lines just before the cursor read as plain text: the cursor is in a docstring
    even if the scan says code (the window may begin inside a long docstring)."""
    if _CODE_SIGNS.search(_BACKTICKED.sub("x", ctx.line_prefix)):
        return False  # what was typed on the cursor's line is code
    recent = [line.strip() for line in ctx.previous_lines[-_RECENT_LINES:] if line.strip()]
    if recent and _CODE_SIGNS.search(_BACKTICKED.sub("x", recent[-1])):
        return False  # the line just before the cursor is code
    return sum(
        _reads_as_english(line, min_words=4, capital=False, common=2) for line in recent
    ) >= (_PROSE_LINES)


def _in_code(ctx: Cursor) -> bool:
    """The cursor is in code: not in a plain-text document, a string or a comment, nor amid
    lines of plain text."""
    return ctx.syntax is not PLAIN and ctx.cursor_state.in_code() and not _amid_text(ctx)


def _drop_closing(text: str, ctx: Cursor) -> str:
    lines = text.split("\n")
    starts = scan(text, ctx.syntax, ctx.cursor_state)
    trusted = ctx.syntax is not PLAIN and not _amid_text(ctx)  # the scan tells code from text

    def wordy(index: int) -> bool:
        line = lines[index]
        if not _reads_as_english(line, min_words=2, capital=False):
            return False
        if trusted and starts.line_start(index).statement:
            return True
        return _signs_off_text(lines, index)

    end = len(lines)
    last = end - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    if _indented_sign_off(lines, last) and trusted and starts.line_start(last).statement:
        end = last
        while end > 1 and not lines[end - 1].strip():
            end -= 1
    while True:
        last = end - 1
        while last >= 0 and not lines[last].strip():
            last -= 1
        if last < 0 or not wordy(last):
            break
        first = last
        while first > 0 and lines[first - 1].strip() and wordy(first - 1):
            first -= 1
        while first <= last and not (
            is_sentence(lines[first]) or _CHAT_SIGN_OFF.match(_EMPHASIS.sub("", lines[first]))
        ):
            first += 1
        if first > last or first == 0:
            break
        above = lines[first - 1].strip()
        if above and _HEADING.fullmatch(above) and first > 1:
            first -= 1  # "**Explanation:**" goes with the explanation below it
        elif above and not (_SIGN_OFF.match(lines[first]) or _ENDS_SENTENCE.search(lines[first])):
            break  # words right below code that end no sentence may be code
        end = first
        while end > 1 and not lines[end - 1].strip():
            end -= 1
    return text if end == len(lines) else "\n".join(lines[:end])


def _indented_sign_off(lines: list[str], index: int) -> bool:
    """A sentence indented like the code above it, after a blank line at the end of a
    multi-line answer ("\n\n    The rest of the file stays unchanged.")."""
    if index < 2 or lines[index - 1].strip() or not lines[index][:1].isspace():
        return False
    return any(line.strip() for line in lines[: index - 1]) and is_sentence(lines[index].strip())


def _signs_off_text(lines: list[str], index: int) -> bool:
    """A closing remark after text that is still open (a docstring, a comment): a sign-off
    sentence at column 0, after a blank line, below indented text; or one no text would
    hold ("This completes the function.")."""
    line = lines[index]
    if not _SIGN_OFF.match(line) or not is_sentence(line):
        return False
    if index < 2 or lines[index - 1].strip():
        return False
    above = next((line for line in reversed(lines[: index - 1]) if line.strip()), "")
    return above[:1] in (" ", "\t") or bool(_CHAT_SIGN_OFF.match(_EMPHASIS.sub("", line)))


def strip_prose(insertion: Insertion, ctx: Cursor) -> Insertion:
    if not ctx.from_chat:
        return insertion
    text = _drop_closing(_drop_opening(insertion.text, ctx), ctx)
    said = [line for line in text.split("\n") if line.strip()]
    if ctx.at_line_start and _in_code(ctx) and said and all(map(is_sentence, said)):
        text = ""  # an answer in words only, where code was asked for
    return insertion if text == insertion.text else Insertion(text, insertion.replace_suffix)
