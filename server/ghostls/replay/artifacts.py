"""What real models wrap around a right answer, for the quality benchmark (`ghostls bench
--quality`).

Each artifact kind turns the true continuation at a cursor into the raw answer a model of
some kind sends: chat models add code fences, explanations and echoes of the typed line, and
get indentation wrong; fill-in-the-middle models run on into the text after the cursor, close
brackets the suffix already closes, and loop on their last line. `wrap` is a pure function of
the continuation, what the model sees around its cursor (`View`) and a seeded generator.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ghostls.cursor import line_after, line_before

CLEAN = "clean"
# Chat models: fences, explanations, echoes of the typed line, indentation.
CHAT_KINDS = ("fence", "prose", "echo", "indent")
# Fill-in-the-middle models: the suffix again, its closers again, a loop at the end.
FIM_KINDS = ("suffix", "closers", "repetition")
MIXED = "mixed"
KINDS = (CLEAN, *CHAT_KINDS, *FIM_KINDS, MIXED)

_LANGUAGE_TAGS = {
    "python": ("python", "py"),
    "javascript": ("javascript", "js"),
    "typescript": ("typescript", "ts"),
    "lua": ("lua",),
}
_BEFORE = (
    "Here is the completion:",
    "Sure! Here's the code to insert at the cursor:",
    "The missing code is:",
    "You can complete it like this:",
)
_AFTER = (
    "This completes the statement.",
    "This finishes the code using the existing variables.",
    "Let me know if you need anything else!",
    "The rest of the file stays unchanged.",
)
_CLOSER_RUN = re.compile(r"[)\]}]+")
_WORD_END = re.compile(r"\w+$")
_LUA_END = re.compile(r"end\b")
_OPENERS = (":", "{", "(", "[", "=>", " then", " do", " else", "\\")
_LUA_FUNCTION = re.compile(r"\bfunction\b.*\)$")


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


@dataclass(frozen=True)
class View:
    """The document around the model's cursor: what it saw, and what its answer must fit."""

    prefix: str  # the text before the cursor (at least a few lines)
    suffix: str  # the text after it
    language_id: str
    indent_unit: str = "    "

    @property
    def line_prefix(self) -> str:
        return line_before(self.prefix)

    @property
    def line_suffix(self) -> str:
        return line_after(self.suffix)

    @property
    def at_line_start(self) -> bool:
        return not self.line_prefix.strip()

    @property
    def previous_line(self) -> str:
        """The last non-blank line before the cursor's line."""
        lines = self.prefix.split("\n")[:-1]
        return next((line for line in reversed(lines) if line.strip()), "")

    def next_lines(self, count: int) -> list[str]:
        """The first `count` non-blank lines after the cursor's line."""
        lines = [line for line in self.suffix.split("\n")[1:] if line.strip()]
        return lines[:count]


@dataclass(frozen=True)
class Artifact:
    kind: str
    variant: str
    text: str  # the raw answer


# -- one kind each ---------------------------------------------------------------------------


def _fence(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    tags = _LANGUAGE_TAGS.get(view.language_id, (view.language_id,))
    tag = rng.choice([*tags, ""])
    closing = rng.choice(["```", "```\n"])
    return f"```{tag}\n{text}\n{closing}", f"```{tag}" if tag else "``` (no tag)"


def _prose(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    where = rng.choice(["before", "after", "both"])
    out = text
    if where in ("before", "both"):
        out = rng.choice(_BEFORE) + rng.choice(["\n", "\n\n"]) + out
    if where in ("after", "both"):
        out = out + "\n\n" + rng.choice(_AFTER)
    return out, where


def _echo_variants(view: View) -> list[str]:
    if not view.at_line_start:
        # A single typed character could as well be typed twice (`[[`): no echo to find.
        if len(view.line_prefix.strip()) < 2:
            return []
        variants = ["line", "line without indentation"]
        word = _WORD_END.search(view.line_prefix)
        if (
            word is not None
            and len(word.group()) >= 2
            and word.start() > len(indent_of(view.line_prefix))
        ):
            variants.append("word")
        return variants
    return ["previous line", "previous line without indentation"] if view.previous_line else []


def _echo(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    variant = rng.choice(_echo_variants(view))
    typed = view.line_prefix
    if variant == "line":
        return typed + text, variant
    if variant == "line without indentation":
        return typed.lstrip() + text, variant
    if variant == "word":
        word = _WORD_END.search(typed)
        assert word is not None
        return word.group() + text, variant
    previous = view.previous_line
    if variant == "previous line without indentation":
        previous = previous.lstrip()
    return f"{previous}\n{typed}{text}", variant


def _retab(line: str, unit: str) -> str:
    """The line's indentation in the other style: spaces become tabs, tabs spaces."""
    indent = indent_of(line)
    if "\t" in indent:
        return indent.replace("\t", "    ") + line[len(indent) :]
    width = max(1, len(unit))
    return "\t" * (len(indent) // width) + " " * (len(indent) % width) + line[len(indent) :]


def _opens_block(line: str) -> bool:
    code = line.rstrip()
    return code.endswith(_OPENERS) or bool(_LUA_FUNCTION.search(code))


def _surely_too_deep(view: View, indent: str) -> bool:
    """Whether a first line indented `indent` can't be meant: deeper than the line before
    (one level more when that line opens a block). Otherwise the wrong indentation is another
    right one (after a dedent, one level deeper is the block just left)."""
    previous = view.previous_line
    width = len(indent.expandtabs(4))
    allowed = len(indent_of(previous).expandtabs(4))
    if _opens_block(previous):
        allowed += len(view.indent_unit.expandtabs(4))
    return width > max(allowed, len(view.line_prefix.expandtabs(4)))


def _indent_variants(text: str, view: View) -> list[str]:
    if not view.at_line_start:
        return []
    lines = text.split("\n")
    variants = []
    if _surely_too_deep(view, view.line_prefix + view.indent_unit):
        variants.append("one level deeper")
    if view.line_prefix and _surely_too_deep(view, view.line_prefix * 2):
        variants.append("indentation repeated")
    if any(indent_of(line) for line in lines[1:] if line.strip()):
        variants.append("spaces for tabs" if "\t" in view.indent_unit else "tabs for spaces")
    cursor = view.line_prefix
    later = [line for line in lines[1:] if line.strip()]
    if cursor and later and all(line.startswith(cursor) for line in later):
        variants.append("relative to the first line")
    return variants


def _indent(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    variant = rng.choice(_indent_variants(text, view))
    lines = text.split("\n")
    unit = view.indent_unit
    if variant == "one level deeper":
        out = [unit + line if line.strip() else line for line in lines]
    elif variant == "indentation repeated":
        # The first line written as it stands in the file, though its indentation is typed.
        out = [view.line_prefix + lines[0], *lines[1:]]
    elif variant == "relative to the first line":
        cursor = view.line_prefix
        out = [lines[0], *(line[len(cursor) :] if line.strip() else line for line in lines[1:])]
    else:
        out = [lines[0], *(_retab(line, unit) for line in lines[1:])]
    return "\n".join(out), variant


def _suffix_part(view: View, lines: int) -> str:
    """The text after the cursor up to the end of its `lines`-th line holding code (the
    cursor's own line counts when code follows the cursor on it)."""
    suffix = view.suffix
    at = 0
    found = 0
    while at <= len(suffix):
        end = suffix.find("\n", at)
        end = len(suffix) if end < 0 else end
        if suffix[at:end].strip():
            found += 1
            if found == lines:
                return suffix[:end]
        if end >= len(suffix):
            break
        at = end + 1
    return suffix.rstrip() if found else ""


def _suffix(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    lines = rng.choice([1, 2, 3])
    part = _suffix_part(view, lines)
    count = min(lines, sum(1 for line in part.split("\n") if line.strip()))
    return text + part, f"{count} line{'s' if count > 1 else ''}"


def closers_after(view: View) -> str | None:
    """What the model repeats when it closes what the suffix already closes: the closers
    right after the cursor, or on the next line (a `}` or Lua's `end`), with the line break
    and indentation before them; None when the suffix closes nothing there."""
    rest = view.line_suffix
    if rest.strip():
        found = _CLOSER_RUN.match(rest)
        return found.group() if found else None
    following = view.next_lines(1)
    if not following or view.suffix.split("\n")[1:2] != following:
        return None  # a blank line between: the block has ended
    line = following[0]
    code = line.lstrip()
    found = _CLOSER_RUN.match(code)
    if found is None and view.language_id == "lua":
        found = _LUA_END.match(code)
    if found is None:
        return None
    return "\n" + indent_of(line) + found.group()


def _closers(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    closers = closers_after(view)
    assert closers is not None
    if not closers.startswith("\n") and len(closers) > 1 and rng.random() < 0.5:
        closers = closers[0]
    return text + closers, repr(closers.strip())


def _last_line(text: str, view: View) -> str:
    """The answer's last line as it stands in the document (with the typed part)."""
    whole = view.line_prefix + text
    return whole[whole.rfind("\n") + 1 :]


def _repetition(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    line = _last_line(text, view)
    copies = rng.randint(2, 5)
    out = text + ("\n" + line) * copies
    cut = ""
    if rng.random() < 0.5:
        # The last copy runs out of tokens part way.
        keep = rng.randint(len(indent_of(line)) + 1, max(len(indent_of(line)) + 1, len(line) - 1))
        out += "\n" + line[:keep]
        cut = " and a part"
    return out, f"×{copies + 1}{cut}"


_Wrapper = Callable[[str, View, random.Random], tuple[str, str]]
_WRAPPERS: dict[str, _Wrapper] = {
    "fence": _fence,
    "prose": _prose,
    "echo": _echo,
    "indent": _indent,
    "suffix": _suffix,
    "closers": _closers,
    "repetition": _repetition,
}
# The order in which the kinds of a mixed answer apply: the start of the answer, its end,
# then what goes around it.
_MIX_ORDER = ("indent", "echo", "suffix", "closers", "repetition", "fence", "prose")
_MIX_START = ("indent", "echo")
_MIX_END = ("suffix", "closers", "repetition")
_MIX_AROUND = ("fence", "prose")


def applicable(kind: str, text: str, view: View) -> bool:
    """Whether `kind` changes the answer `text` at this cursor."""
    if kind in (CLEAN, MIXED, "fence", "prose"):
        return bool(text.strip())
    if kind == "echo":
        return bool(_echo_variants(view)) and bool(text.strip())
    if kind == "indent":
        return bool(_indent_variants(text, view))
    if kind == "suffix":
        return bool(_suffix_part(view, 1).strip())
    if kind == "closers":
        return closers_after(view) is not None
    if kind == "repetition":
        return len(_last_line(text, view).strip()) >= 3
    raise ValueError(f"unknown artifact kind {kind!r}")


def mix_parts(text: str, view: View, rng: random.Random) -> tuple[str, ...]:
    """Two or three kinds that go together: at most one at the start of the answer, one at
    its end, and a fence and/or an explanation around it."""
    parts: list[str] = []
    start = [kind for kind in _MIX_START if applicable(kind, text, view)]
    end = [kind for kind in _MIX_END if applicable(kind, text, view)]
    if start and rng.random() < 0.6:
        parts.append(rng.choice(start))
    if end and rng.random() < 0.6:
        parts.append(rng.choice(end))
    around = list(_MIX_AROUND)
    rng.shuffle(around)
    wanted = rng.randint(max(1, 2 - len(parts)), max(1, 3 - len(parts)))
    parts.extend(around[:wanted])
    return tuple(kind for kind in _MIX_ORDER if kind in parts)


def mode_of(kind: str, parts: Sequence[str] = ()) -> str:
    """The prompt mode of the model that makes this kind of answer: "chat" when a chat
    model's habit is in it, else "fim" (a clean answer comes from either: see the caller)."""
    kinds = parts if kind == MIXED else (kind,)
    return "chat" if any(k in CHAT_KINDS for k in kinds) else "fim"


def wrap(
    kind: str, text: str, view: View, rng: random.Random, parts: Sequence[str] = ()
) -> Artifact:
    """The raw answer of kind `kind` for the true continuation `text` at `view`. A mixed
    answer applies `parts` (default: drawn with `mix_parts`)."""
    if kind == CLEAN or not applicable(kind, text, view):
        return Artifact(kind if kind == CLEAN else f"{kind} (n/a)", "", text)
    if kind != MIXED:
        out, variant = _WRAPPERS[kind](text, view, rng)
        return Artifact(kind, variant, out)
    chosen = tuple(parts) or mix_parts(text, view, rng)
    out = text
    variants = []
    for part in chosen:
        if not applicable(part, out if part in _MIX_START else text, view):
            continue
        out, variant = _WRAPPERS[part](out, view, rng)
        variants.append(f"{part}: {variant}")
    return Artifact(MIXED, ", ".join(variants), out)
