"""Stage: retyped closers replace the ones after the cursor."""

from __future__ import annotations

import pytest

from ghostls.postprocess import Insertion
from ghostls.postprocess.closers import replace_closers
from tests.postprocess.helpers import context


def replaced(document: str, raw: str, language: str = "python") -> int:
    result = replace_closers(Insertion(raw), context(document, language=language))
    return result.replace_suffix


@pytest.mark.parametrize(
    ("document", "raw", "count"),
    [
        ("x = foo(‸)\n", "a, b)", 1),
        ("x = foo(‸)\n", "a, b", 0),
        ("x = foo(bar(‸))\n", "a))", 2),
        ("x = foo(bar(‸))\n", "a)", 1),
        ("x = foo(bar(a‸))\n", ")", 1),
        ("x = [‸]\n", "1, 2]", 1),
        ("x = {‸}\n", "'a': 1}", 1),
        ('x = "‸"\n', 'hello"', 1),
        ('x = f("‸")\n', 'hello")', 2),
        ("x = foo(‸);\n", "a);", 2),
        ("if foo(‸):\n", "a, b):", 2),
        ("if foo(‸):\n", "a, b)", 1),
        ('def f():\n    ""‸"""\n', '"Docstring."""', 3),
        ('x = re.compile(r‸"""\n    a|b\n""", re.X)\n', '"""', 3),
        ("x = f(g(‸)\n", "x)", 0),
        ("print('a', '‸')\n", "b')", 2),
    ],
)
def test_python(document: str, raw: str, count: int) -> None:
    assert replaced(document, raw) == count


def test_a_block_that_ends_with_the_closer() -> None:
    document = "call(‸)\n"
    assert replaced(document, "\n    first,\n    second,\n)") == 1


def test_inside_a_comment_the_retyped_rest_is_replaced() -> None:
    assert replaced("x = 1  # see (the docs‸)\n", " for details)") == 1


def test_other_languages() -> None:
    assert replaced("foo(‸);\n", "a, b);", "javascript") == 2
    assert replaced("let v = vec![‸];\n", "1, 2];", "rust") == 2
    assert replaced("s := `‸`\n", "raw`", "go") == 1
    assert replaced("char c = '‸';\n", "a';", "c") == 2


def test_quotes_inside_a_string_left_open() -> None:
    # The two quotes end the docstring's text; the quote after the cursor completes the triple.
    assert replaced('def f():\n    """Syntax error.‸"\n', 'in a template.""') == 0
    # Quotes that are docstring text were typed again.
    assert replaced('def f():\n    """\n    >>> g(\'0.1‸\')\n', "')") == 2


def test_a_triple_quote_typed_again() -> None:
    assert replaced('def f():\n    """Return it‸"""\n    return 1\n', '."""') == 3
