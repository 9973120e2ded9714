"""The lexer: strings, comments and brackets per language family."""

from __future__ import annotations

import pytest

from ghostls.lang.lexer import (
    C_LIKE,
    CSS,
    GO,
    HASH_COMMENTS,
    JAVASCRIPT,
    LISP,
    LUA,
    PHP,
    PLAIN,
    PYTHON,
    RUST,
    SQL,
    ScanState,
    Syntax,
    code_ranges,
    continuation_depth,
    scan,
)


def open_brackets(text: str, syntax: Syntax) -> str:
    return "".join(opener.char for opener in scan(text, syntax).end.stack)


@pytest.mark.parametrize(
    ("text", "syntax", "expected"),
    [
        ("foo(a, [1, 2", PYTHON, "(["),
        ('foo("(", ")", [', PYTHON, "(["),
        ("foo(a  # comment (\n", PYTHON, "("),
        ("x = '''(\n[\n''' + (", PYTHON, "("),
        ('s = f"{x[0]}(" + (', PYTHON, "("),
        ("call(a, // comment )\n", JAVASCRIPT, "("),
        ("f(/* ) */ x", C_LIKE, "("),
        ("x = `template ${a} (` + (", JAVASCRIPT, "("),
        ("let re = /[(]/g; f(", JAVASCRIPT, "("),
        ("a = b / c; f(", JAVASCRIPT, "("),
        ("char c = '('; f(", C_LIKE, "("),
        ("fn f<'a>(x: &'a str) -> char { '('", RUST, "{"),
        ('let s = r#"(("#; f(', RUST, "("),
        ("x := `raw (\nstring` + f(", GO, "("),
        ("'😀' + (「", PYTHON, "("),
        ("[link](url) and (", PLAIN, "("),
    ],
)
def test_brackets_in_strings_and_comments_do_not_count(
    text: str, syntax: Syntax, expected: str
) -> None:
    assert open_brackets(text, syntax) == expected


def test_an_open_string_is_carried_to_the_next_scan() -> None:
    start = scan('print("hello (', PYTHON).end
    assert not start.in_code()
    after = scan('world")', PYTHON, start)
    assert after.end == ScanState(start.stack[:0], None)
    assert [text for _, text in after.closed] == ['"', ")"]


def test_a_line_comment_at_the_end_is_still_open() -> None:
    state = scan("x = 1  # see (", PYTHON).end
    assert not state.in_code()
    assert scan("below) for more\nfoo(", PYTHON, state).unopened == ()


def test_single_quoted_strings_end_at_the_line_end() -> None:
    result = scan("x = 'unterminated (\ny = (", PYTHON)
    assert result.broken == 1
    assert "".join(o.char for o in result.end.stack) == "("


def test_triple_quoted_strings_span_lines() -> None:
    result = scan('x = """\n(\n"""\ny', PYTHON)
    assert [start.code for start in result.lines] == [False, False, True]


def test_line_starts_record_depth_and_backslash_continuations() -> None:
    result = scan("x = (1,\n     2)\ny = 1 + \\\n    2\n", PYTHON)
    assert [(s.depth, s.continued) for s in result.lines] == [
        (1, False),
        (0, False),
        (0, True),
        (0, False),
    ]


def test_closers_are_told_apart() -> None:
    result = scan("a)]", PYTHON, scan("[(", PYTHON).end)
    assert [text for _, text in result.closed] == [")", "]"]
    assert scan("(]", PYTHON).mismatched == (1,)
    assert scan("x)", PYTHON).unopened == (1,)


def test_a_trailing_backslash_in_a_string_does_not_stop_the_scan() -> None:
    assert not scan('x = "abc\\', PYTHON).end.in_code()


def test_a_closing_triple_quote_split_between_two_scans() -> None:
    before = scan('x = """text ""', PYTHON).end
    assert before.pending == 2
    after = scan('"\nf(', PYTHON, before)
    assert after.end.in_code()
    assert [text for _, text in after.closed] == ['"""']


def test_openers_know_their_column() -> None:
    stack = scan("x = 1\nvalue = call(a,", PYTHON).end.stack
    assert (stack[0].line, stack[0].column) == (1, 12)


def test_a_block_brace_inside_a_call_starts_statements_again() -> None:
    text = "run(function () {\n  go();\n  f(a,\n    b);\n"
    starts = scan(text, JAVASCRIPT)
    assert starts.line_start(1).statement
    assert not starts.line_start(3).statement
    assert starts.line_start(4).statement
    assert continuation_depth(starts.end.stack, JAVASCRIPT) == 0


def code(text: str, syntax: Syntax, span: int | None = None) -> str:
    ranges, _ = code_ranges(text, syntax, span)
    return "".join(text[start:end] for start, end in ranges)


@pytest.mark.parametrize(
    ("text", "syntax", "expected"),
    [
        ('a = "x\\"y" + b\n', PYTHON, "a =  + b\n"),
        ("a = 'it\\'s' # no\n", PYTHON, "a =  \n"),
        ('s = "# not a comment" + t\n', PYTHON, "s =  + t\n"),
        ('f("// not a comment", /* c */ x) // c\n', JAVASCRIPT, "f(,  x) \n"),
        ("x = `a ${b}` + /re\\/x/g.y\n", JAVASCRIPT, "x =  + .y\n"),
        ("c = '\"'; d = \"'\";\n", C_LIKE, "c = ; d = ;\n"),
        ('let r = r#"a"b"#; let c = \'"\';\n', RUST, "let r = ; let c = ;\n"),
        ("s := `a\\` + x\n", GO, "s :=  + x\n"),
        ('echo "$a" # c\n', HASH_COMMENTS, "echo  \n"),
        ("$a = 'x'; # c\n$b // c\n", PHP, "$a = ; \n$b \n"),
        ("x = 1 --[[ c\n]] y = '--'\n", LUA, "x = 1  y = \n"),
        ("SELECT 'a--b' -- c\n", SQL, "SELECT  \n"),
        ('(str "a;b") ; c\n', LISP, "(str ) \n"),
        ('a { content: "}" } /* c */\n', CSS, "a { content:  } \n"),
        ('say "hi" # (\n', PLAIN, 'say "hi" # (\n'),
    ],
)
def test_code_ranges_leave_out_each_familys_strings_and_comments(
    text: str, syntax: Syntax, expected: str
) -> None:
    assert code(text, syntax) == expected


def test_code_ranges_carry_what_spans_lines() -> None:
    _, span = code_ranges("x = 1 /* open\n", C_LIKE)
    assert span is not None and C_LIKE.spans[span].comment
    assert code("still */ y\n", C_LIKE, span) == " y\n"
    _, span = code_ranges('d = """doc\n', PYTHON)
    assert span is not None and not PYTHON.spans[span].comment
    assert code('more""" + e\n', PYTHON, span) == " + e\n"


def test_an_unterminated_string_ends_with_its_line() -> None:
    _, span = code_ranges('a = "open ( \nb = (\n', PYTHON)
    assert span is None
    assert code('a = "open ( \nb = (\n', PYTHON) == "a = \nb = (\n"


def test_an_unterminated_string_or_comment_at_the_end_stays_open() -> None:
    assert code_ranges('x = "open', PYTHON)[1] is not None
    assert code_ranges("x // c", JAVASCRIPT)[1] is not None
    assert code_ranges("x = 1\n", JAVASCRIPT)[1] is None


def test_escapes_keep_strings_open() -> None:
    assert not scan('x = "a\\" (', PYTHON).end.in_code()
    assert scan('x = "a\\\\" (', PYTHON).end.stack[-1].char == "("
    assert scan("x = `raw\\` (", GO).end.stack[-1].char == "("


def test_a_block_comment_over_lines_marks_its_lines_as_comment() -> None:
    scanned = scan("f(/* a\n b ) */ x\ny", C_LIKE)
    assert scanned.line_start(1).comment and not scanned.line_start(1).code
    assert scanned.line_start(2).code
    assert open_brackets("f(/* a\n b ) */ x\ny", C_LIKE) == "("
