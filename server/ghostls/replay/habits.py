"""What real code models do to a right answer, for the held-out quality benchmark
(`ghostls bench --quality`).

Each habit is described by what a model does, not by what a post-processing stage removes:
a chat model wraps its code in a markdown fence, says something before it and explains it
after, repeats the line it was shown, gets the indentation wrong relative to the cursor; a
fill-in-the-middle model runs on into the text after the cursor, closes brackets the suffix
already closes, leaks its template's special tokens, leaves trailing whitespace, and keeps
writing past the block into code nobody asked for. The wording of what chat models say is
put together from a vocabulary of parts, so that no fixed sentence can be learnt. `wrap` is
a pure function of the continuation, what the model sees around its cursor (`View`) and a
seeded generator.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from ghostls.replay.artifacts import Artifact, View, indent_of

CLEAN = "clean"
CHAT_KINDS = ("fence", "preamble", "explanation", "echo", "indent")
FIM_KINDS = ("suffix", "closers", "tokens", "run-on")
EITHER_KINDS = ("whitespace",)  # models of both kinds do it
PAIR = "pair"
KINDS = (CLEAN, *CHAT_KINDS, *FIM_KINDS, *EITHER_KINDS, PAIR)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
_KEYWORDS = frozenset(
    {
        *("and", "as", "def", "del", "elif", "else", "for", "from", "if", "import", "in"),
        *("is", "not", "or", "pass", "return", "self", "this", "var", "let", "const"),
        *("function", "local", "then", "end", "while", "with", "yield", "true", "false"),
        *("none", "null", "nil", "new", "try", "await", "async", "class", "break"),
    }
)
_CLOSING = re.compile(r"[)\]}]+")
_LUA_END = re.compile(r"end\b")

# -- a vocabulary of what chat models say ----------------------------------------------------

_TAGS = {
    "python": ("python", "py", "Python", "python3"),
    "javascript": ("javascript", "js", "JavaScript", "node"),
    "typescript": ("typescript", "ts", "TypeScript", "tsx"),
    "lua": ("lua", "Lua"),
}
_GREETINGS = ("", "", "Sure, ", "Okay, ", "Got it. ", "Certainly! ", "Right, ", "No problem. ")
_THINGS = ("line", "statement", "code", "block", "expression", "snippet", "part")
_LEADS = (
    "here is the {thing} that goes at the cursor",
    "here's how I would continue",
    "the missing {thing} is",
    "this is what fits here",
    "based on the surrounding code, the {thing} continues as follows",
    "I would complete it like so",
    "to finish the {thing}, add",
    "the {thing} at the marked position should be",
    "filling in the gap",
    "one way to write the rest",
    "given the context, I'd insert",
    "the completed {thing}",
)
_LEAD_ENDS = (":", ":", ":", ".")
_ALONE = ("Sure!", "Okay.", "Of course.", "Happy to help!", "Here you go:")

_SUBJECTS = (
    "This",
    "The {thing} above",
    "That",
    "The new {thing}",
    "With this, the code",
    "Now `{name}`",
    "In short, it",
    "After this change the function",
)
_VERBS = (
    "uses `{name}` to",
    "relies on `{name}` so as to",
    "keeps",
    "makes sure we",
    "lets the caller",
    "is needed to",
    "will",
)
_OBJECTS = (
    "handle the value correctly.",
    "return the expected result.",
    "avoid an error later on.",
    "finish what the surrounding code started.",
    "match the rest of the file.",
    "work for empty input as well.",
    "keep the behaviour unchanged.",
)
_HEADINGS = ("Explanation:", "**Explanation:**", "### Explanation", "How it works:", "Notes:")
_CLOSINGS = (
    "Let me know if you want any changes.",
    "Hope that helps!",
    "Feel free to adjust it to your needs.",
    "Tell me if anything should be different.",
)

# -- special tokens of several model families, and what follows an end-of-text --------------

_FAMILIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # family: (tokens that end the text, tokens of the template that may be echoed first)
    "qwen": (("<|endoftext|>", "<|file_sep|>", "<|fim_pad|>", "<|im_end|>"), ("<|fim_middle|>",)),
    "starcoder": (("<|endoftext|>", "<file_sep>", "<fim_suffix>"), ("<fim_middle>",)),
    "codellama": (("<EOT>", "</s>"), ("<MID>",)),
    "deepseek": (("<｜end▁of▁sentence｜>", "<|EOT|>", "<｜fim▁end｜>"), ("<｜fim▁hole｜>",)),
    "codegemma": (("<|file_separator|>", "<end_of_turn>", "<eos>"), ("<|fim_middle|>",)),
    "llama3": (("<|eot_id|>", "<|end_of_text|>"), ()),
    "codestral": (("</s>", "[SUFFIX]", "[PREFIX]"), ()),
}
_AFTER_END = (
    "",
    "\n",
    "\n\n",
    "\nimport os\n",
    "\n# utils/helpers.py\ndef helper():\n    pass\n",
    "\n<|fim_prefix|>",
)

# -- invented code --------------------------------------------------------------------------

_VERB_PARTS = ("load", "parse", "check", "build", "render", "update", "collect", "format")
_NOUN_PARTS = ("items", "config", "result", "value", "entries", "buffer", "record", "options")


def _vocabulary_pick(rng: random.Random, words: Sequence[str], **names: str) -> str:
    return rng.choice(words).format(**names)


def _names_in(text: str) -> list[str]:
    return [word for word in _IDENTIFIER.findall(text) if word.lower() not in _KEYWORDS]


def _capitalized(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def preamble_line(rng: random.Random) -> str:
    """A chat model's first line: a greeting and a lead-in, in varied wording."""
    if rng.random() < 0.15:
        return rng.choice(_ALONE)
    thing = rng.choice(_THINGS)
    lead = _vocabulary_pick(rng, _LEADS, thing=thing)
    greeting = rng.choice(_GREETINGS)
    body = lead if greeting else _capitalized(lead)
    return greeting + body + rng.choice(_LEAD_ENDS)


def explanation_lines(text: str, rng: random.Random) -> list[str]:
    """What a chat model writes after its code: a sentence or two, a heading and bullets,
    maybe an offer of more help."""
    names = _names_in(text) or ["it"]

    def sentence() -> str:
        name = rng.choice(names)
        subject = _vocabulary_pick(rng, _SUBJECTS, thing=rng.choice(_THINGS), name=name)
        verb = _vocabulary_pick(rng, _VERBS, name=name)
        return f"{subject} {verb} {rng.choice(_OBJECTS)}"

    shape = rng.choice(["sentence", "sentences", "bullets", "sign-off"])
    if shape == "sentence":
        return [sentence()]
    if shape == "sentences":
        return [f"{sentence()} {sentence()}"]
    if shape == "bullets":
        count = rng.randint(2, 3)
        return [rng.choice(_HEADINGS), *(f"- {sentence()}" for _ in range(count))]
    return [sentence(), "", rng.choice(_CLOSINGS)]


def _invented_name(view: View, rng: random.Random) -> str:
    verb, noun = rng.choice(_VERB_PARTS), rng.choice(_NOUN_PARTS)
    if view.language_id in ("javascript", "typescript"):
        return verb + noun.capitalize()
    return f"{verb}_{noun}"


# -- each habit ------------------------------------------------------------------------------


def _fence(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    tag = rng.choice([*_TAGS.get(view.language_id, (view.language_id,)), "", ""])
    end = rng.choice(["\n```", "\n```\n", "\n```\n\n", "\n```  "])
    return f"```{tag}\n{text}{end}", f"```{tag}" if tag else "``` (no tag)"


def _preamble(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    gap = rng.choice(["\n", "\n\n"])
    return preamble_line(rng) + gap + text, "blank line after" if gap == "\n\n" else "no gap"


def _explanation(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    lines = explanation_lines(text, rng)
    gap = rng.choice(["\n\n", "\n\n", "\n"])
    shape = "heading and bullets" if lines[0].lstrip("#* ").endswith(":") or len(lines) > 2 else ""
    return text + gap + "\n".join(lines), shape or f"{len(lines)} line(s)"


def _echo_variants(view: View) -> list[str]:
    typed = view.line_prefix
    if typed.strip():
        variants = []
        if len(typed.strip()) >= 3:
            variants += ["typed line", "typed line, no indentation"]
        tail = re.search(r"[A-Za-z_][\w.]*$", typed)
        if tail is not None and len(tail.group()) >= 3 and tail.start() > len(indent_of(typed)):
            variants.append("last word")
        if view.previous_line.strip() and len(typed.strip()) >= 3:
            variants.append("line before and typed line")
        return variants
    if len(view.previous_line.strip()) >= 3:
        return ["line before"]
    return []


def _echo(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    variant = rng.choice(_echo_variants(view))
    typed = view.line_prefix
    if variant == "typed line":
        return typed + text, variant
    if variant == "typed line, no indentation":
        return typed.lstrip() + text, variant
    if variant == "last word":
        tail = re.search(r"[A-Za-z_][\w.]*$", typed)
        assert tail is not None
        return tail.group() + text, variant
    return f"{view.previous_line}\n{typed}{text}", variant


def _opens(line: str) -> bool:
    code = line.rstrip()
    return code.endswith((":", "{", "(", "[", ",", "=>", "then", "do", "else", "\\", "=")) or (
        "function" in code and code.endswith(")")
    )


def _indent_variants(text: str, view: View) -> list[str]:
    if view.line_prefix.strip():
        return []
    lines = text.split("\n")
    later = [line for line in lines[1:] if line.strip()]
    cursor = view.line_prefix
    variants = []
    previous = view.previous_line
    width = len(cursor.expandtabs(4))
    if (
        previous
        and not _opens(previous)
        and width >= len(indent_of(previous).expandtabs(4))
        and not text.lstrip().startswith((")", "]", "}"))
    ):
        variants.append("whole answer a level deeper")
    if cursor:
        variants.append("cursor's indentation written again")
    if cursor and later and all(line.startswith(cursor) for line in later):
        variants.append("later lines from column 0")
    if later and any(indent_of(line) for line in later):
        variants.append("other indentation character")
    return variants


def _swap_indentation(line: str, unit: str) -> str:
    indent = indent_of(line)
    if "\t" in indent:
        return indent.replace("\t", "  ") + line[len(indent) :]
    width = max(1, len(unit)) if "\t" not in unit else 4
    return "\t" * (len(indent) // width) + " " * (len(indent) % width) + line[len(indent) :]


def _indent(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    variant = rng.choice(_indent_variants(text, view))
    lines = text.split("\n")
    cursor = view.line_prefix
    unit = view.indent_unit
    if variant == "whole answer a level deeper":
        out = [unit + line if line.strip() else line for line in lines]
    elif variant == "cursor's indentation written again":
        out = [cursor + lines[0], *lines[1:]]
    elif variant == "later lines from column 0":
        out = [lines[0], *(line[len(cursor) :] if line.strip() else line for line in lines[1:])]
    else:
        out = [lines[0], *(_swap_indentation(line, unit) for line in lines[1:])]
    return "\n".join(out), variant


def _suffix_lines(view: View, count: int) -> str:
    """The text after the cursor through its `count`-th line holding code."""
    rows = view.suffix.split("\n")
    found = 0
    for index, row in enumerate(rows):
        if row.strip():
            found += 1
            if found == count:
                return "\n".join(rows[: index + 1])
    return "\n".join(rows).rstrip() if found else ""


def _suffix(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    count = rng.choice([1, 2, 3])
    part = _suffix_lines(view, count)
    shown = sum(1 for row in part.split("\n") if row.strip())
    return text + part, f"{shown} line{'s' if shown > 1 else ''} of the suffix"


def suffix_closers(view: View) -> str | None:
    """The closers the suffix starts with on the cursor's line, or its next line when that
    holds only a closer (`}`, `)`, Lua's `end`), with the line break and indentation."""
    rest = view.line_suffix
    if rest.strip():
        found = _CLOSING.match(rest)
        return found.group() if found else None
    rows = view.suffix.split("\n")
    if len(rows) < 2 or not rows[1].strip():
        return None
    code = rows[1].strip()
    found = _CLOSING.match(code)
    if found is None and view.language_id == "lua":
        found = _LUA_END.match(code)
    if found is None:
        return None
    return "\n" + indent_of(rows[1]) + found.group()


def _closers(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    closers = suffix_closers(view)
    assert closers is not None
    if not closers.startswith("\n") and len(closers) > 1 and rng.random() < 0.5:
        closers = closers[:1]
    return text + closers, repr(closers.strip())


def _tokens(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    family = rng.choice(sorted(_FAMILIES))
    ends, starts = _FAMILIES[family]
    where = rng.choice(["end", "end", "start and end"] if starts else ["end"])
    out = text + rng.choice(ends) + rng.choice(_AFTER_END)
    if where == "start and end":
        out = rng.choice(starts) + out
    return out, f"{family}, {where}"


def _outer_indent(view: View) -> str | None:
    """The indentation one level out of the cursor's line; None at the top level."""
    line = view.prefix[view.prefix.rfind("\n") + 1 :]
    indent = indent_of(line)
    if not indent:
        return None
    unit = view.indent_unit
    return indent[: -len(unit)] if indent.endswith(unit) else ""


def _run_on(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    outer = _outer_indent(view)
    assert outer is not None
    name = _invented_name(view, rng)
    noun = rng.choice(_NOUN_PARTS)
    variant = rng.choice(["new function", "usage example"])
    language = view.language_id
    unit = view.indent_unit
    if language == "python":
        if variant == "new function":
            more = f"\n\n{outer}def {name}({noun}):\n{outer}{unit}return {noun}"
        else:
            remark = rng.choice(["# Example usage", "# Test it", "# Usage:", "# For example"])
            more = f"\n\n{outer}{remark}\n{outer}print({name}({noun}))"
    elif language == "lua":
        more = f"\n{outer}end\n\n{outer}local function {name}({noun})\n{outer}{unit}return {noun}"
        if variant == "usage example":
            more = f"\n{outer}end\n\n{outer}-- example\n{outer}print({name}({noun}))"
    else:
        if variant == "new function":
            more = (
                f"\n{outer}}}\n\n{outer}function {name}({noun}) {{\n"
                f"{outer}{unit}return {noun};\n{outer}}}"
            )
        else:
            more = f"\n{outer}}}\n\n{outer}// example\n{outer}console.log({name}({noun}));"
    return text + more, variant


def _whitespace(text: str, view: View, rng: random.Random) -> tuple[str, str]:
    variant = rng.choice(["trailing spaces", "trailing blank lines", "both", "CRLF line breaks"])
    out = text
    if variant in ("trailing spaces", "both"):
        lines = out.split("\n")
        keep_last = bool(view.line_suffix.strip())
        out = "\n".join(
            line if keep_last and i == len(lines) - 1 else line + rng.choice([" ", "  ", "\t"])
            for i, line in enumerate(lines)
        )
    if variant in ("trailing blank lines", "both"):
        out += rng.choice(["\n", "\n\n", "\n\n\n", "\n  \n"])
    if variant == "CRLF line breaks":
        out = out.replace("\n", "\r\n") + rng.choice(["", "\r\n"])
    return out, variant


_Habit = Callable[[str, View, random.Random], tuple[str, str]]
_HABITS: dict[str, _Habit] = {
    "fence": _fence,
    "preamble": _preamble,
    "explanation": _explanation,
    "echo": _echo,
    "indent": _indent,
    "suffix": _suffix,
    "closers": _closers,
    "tokens": _tokens,
    "run-on": _run_on,
    "whitespace": _whitespace,
}
# How two habits of one answer stack: what starts the answer, what ends it, what goes round.
_ORDER = (
    "indent",
    "echo",
    "suffix",
    "closers",
    "run-on",
    "whitespace",
    "explanation",
    "tokens",
    "fence",
    "preamble",
)
_ENDINGS = frozenset({"suffix", "closers", "run-on"})
_STARTS = frozenset({"indent", "echo"})


def applicable(kind: str, text: str, view: View) -> bool:
    """Whether habit `kind` changes the answer `text` at this cursor."""
    if kind in (CLEAN, PAIR, "fence", "preamble", "tokens", "whitespace"):
        return bool(text.strip())
    if kind == "explanation":
        return bool(text.strip())
    if kind == "echo":
        return bool(text.strip()) and bool(_echo_variants(view))
    if kind == "indent":
        return bool(text.strip()) and bool(_indent_variants(text, view))
    if kind == "suffix":
        return bool(_suffix_lines(view, 1).strip())
    if kind == "closers":
        return suffix_closers(view) is not None
    if kind == "run-on":
        return _outer_indent(view) is not None and not view.line_suffix.strip()
    raise ValueError(f"unknown habit {kind!r}")


def pair_parts(text: str, view: View, rng: random.Random) -> tuple[str, ...]:
    """Two habits that go together in one answer (at most one that runs on at the end)."""
    kinds = [kind for kind in _HABITS if applicable(kind, text, view)]
    first = rng.choice(kinds)
    others = [
        kind
        for kind in kinds
        if kind != first
        and not (kind in _ENDINGS and first in _ENDINGS)
        and not (kind in _STARTS and first in _STARTS)
    ]
    if not others:
        return (first,)
    second = rng.choice(others)
    return tuple(kind for kind in _ORDER if kind in (first, second))


def mode_of(kind: str, parts: Sequence[str] = (), rng: random.Random | None = None) -> str:
    """The prompt mode of the model with this habit: "chat" when a chat model's habit is in
    it, "fim" for a fill-in-the-middle model's, either (by `rng`) for habits both have."""
    kinds = parts if kind == PAIR else (kind,)
    if any(k in CHAT_KINDS for k in kinds):
        return "chat"
    if any(k in FIM_KINDS for k in kinds) or rng is None:
        return "fim"
    return rng.choice(["chat", "fim"])


def wrap(
    kind: str, text: str, view: View, rng: random.Random, parts: Sequence[str] = ()
) -> Artifact:
    """The raw answer with habit `kind` for the true continuation `text` at `view`; a pair
    applies `parts` (default: drawn with `pair_parts`)."""
    if kind == CLEAN or not applicable(kind, text, view):
        return Artifact(kind if kind == CLEAN else f"{kind} (n/a)", "", text)
    if kind != PAIR:
        out, variant = _HABITS[kind](text, view, rng)
        return Artifact(kind, variant, out)
    out = text
    variants = []
    for part in tuple(parts) or pair_parts(text, view, rng):
        if not applicable(part, text, view):
            continue  # drawn for another cursor (the server typed another lead)
        out, variant = _HABITS[part](out, view, rng)
        variants.append(f"{part}: {variant}")
    return Artifact(PAIR, ", ".join(variants), out)
