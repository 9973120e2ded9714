"""Detection: which AI actions apply at a cursor or selection, per language."""

from __future__ import annotations

import pytest

from ghostls.actions.detect import (
    Definition,
    find_definition,
    fix_region,
    offers,
    selection_region,
)
from ghostls.documents import Document, Point


def _doc(text: str, language: str) -> Document:
    return Document.from_text("file:///work/x", language, 1, text)


def _kinds(doc: Document, line: int, col: int = 0) -> list[str]:
    return [offer.kind for offer in offers(doc, Point(line, col), Point(line, col))]


def _definition(doc: Document, line: int) -> Definition:
    found = find_definition(doc, line)
    assert found is not None
    return found


PYTHON = '''\
import os


class Greeter:
    """Greets people."""

    def __init__(self, name):
        self.name = name

    @property
    def shout(self) -> str:
        # TODO: upper-case the name
        pass

    async def fetch(
        self,
        url: str,
    ) -> dict[str, int]:
        """Fetch the page."""
        raise NotImplementedError("later")

    @abstractmethod
    def close(self) -> None: ...


def one(): return 1


def todo(x):
    ...
'''


def test_python_definitions_and_their_extent() -> None:
    doc = _doc(PYTHON, "python")
    greeter = _definition(doc, 3)
    assert (greeter.name, greeter.kind, greeter.header_end, greeter.end) == (
        "Greeter",
        "class",
        3,
        22,
    )
    assert greeter.documented and not greeter.stub
    init = _definition(doc, 6)
    assert (init.name, init.start, init.header_end, init.end) == ("__init__", 6, 6, 7)
    assert not init.documented and not init.stub
    shout = _definition(doc, 10)
    assert (shout.name, shout.start, shout.header, shout.end) == ("shout", 9, 10, 12)
    assert shout.stub
    fetch = _definition(doc, 15)
    assert (fetch.header, fetch.header_end, fetch.end) == (14, 17, 19)
    assert fetch.documented and fetch.stub


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (0, []),
        (3, ["explain"]),  # a documented class: nothing to document
        (4, []),  # inside the class body, not on a header
        (6, ["docstring", "explain"]),
        (7, []),
        (9, ["docstring", "implement", "explain"]),  # the decorator counts as the header
        (10, ["docstring", "implement", "explain"]),
        (12, ["implement"]),  # inside a stub body
        (15, ["implement", "explain"]),  # a multi-line header, documented
        (19, ["implement"]),
        (22, ["docstring", "explain"]),  # abstract methods are stubs on purpose
        (25, ["docstring", "explain"]),  # a one-line function is not a stub
        (28, ["docstring", "implement", "explain"]),
    ],
)
def test_python_offers(line: int, expected: list[str]) -> None:
    assert _kinds(_doc(PYTHON, "python"), line) == expected


def test_python_regions() -> None:
    doc = _doc(PYTHON, "python")
    found = {offer.kind: offer for offer in offers(doc, Point(10, 4), Point(10, 4))}
    # Add docstring rewrites the header only (decorators included); Implement the whole stub.
    assert (found["docstring"].start, found["docstring"].end) == (Point(9, 0), Point(10, 27))
    assert (found["implement"].start, found["implement"].end) == (Point(9, 0), Point(12, 12))
    assert found["implement"].name == "shout"
    assert found["docstring"].title == "Add docstring with AI"
    assert found["implement"].title == "Implement 'shout' with AI"


TYPESCRIPT = """\
import x from "y";

/** Adds two numbers. */
export function add(a: number, b: number): number {
  return a + b;
}

export const sub = async (a: number, b: number): Promise<number> => {
  throw new Error("not implemented");
};

class Box<T> {
  private items: T[] = [];

  get(i: number): T {
    // TODO
    return undefined;
  }
}

describe("x", () => {
  it("y", () => {
    foo(1);
  });
});

export const twice = (n: number) => n * 2;
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (0, []),
        (3, ["explain"]),  # JSDoc above: documented
        (4, []),
        (7, ["docstring", "implement", "explain"]),
        (8, ["implement"]),
        (11, ["docstring", "explain"]),
        (14, ["docstring", "implement", "explain"]),  # a TODO and a trivial return
        (20, []),  # calls with callbacks are not definitions
        (21, []),
        (26, []),  # an expression-bodied arrow has no block to work on
    ],
)
def test_typescript_offers(line: int, expected: list[str]) -> None:
    assert _kinds(_doc(TYPESCRIPT, "typescript"), line) == expected


def test_javascript_uses_the_same_rules() -> None:
    doc = _doc("function stub() {\n  throw new Error('TODO');\n}\n", "javascript")
    assert _kinds(doc, 0) == ["docstring", "implement", "explain"]
    assert _kinds(doc, 0)[0] == "docstring"
    assert offers(doc, Point(0, 0), Point(0, 0))[0].title == "Add doc comment with AI"


RUST = """\
use std::fmt;

#[derive(Debug)]
pub struct Point<'a> {
    name: &'a str,
}

impl<'a> Point<'a> {
    pub fn new(name: &'a str) -> Self {
        todo!()
    }

    /// The name's length.
    fn len(&self) -> usize { self.name.len() }

    fn later(&self) -> u8 {
        unimplemented!("soon")
    }

    fn declared(&self);
}
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (2, ["docstring", "explain"]),  # on the attribute
        (3, ["docstring", "explain"]),
        (7, []),  # impl blocks are not documented here
        (8, ["docstring", "implement", "explain"]),  # lifetimes are not char literals
        (13, ["explain"]),
        (15, ["docstring", "implement", "explain"]),
        (19, []),  # a declaration without a body
    ],
)
def test_rust_offers(line: int, expected: list[str]) -> None:
    assert _kinds(_doc(RUST, "rust"), line) == expected


def test_rust_doc_comment_goes_above_attributes() -> None:
    doc = _doc(RUST, "rust")
    [docstring, _] = offers(doc, Point(3, 0), Point(3, 0))
    assert (docstring.start, docstring.end) == (Point(2, 0), Point(3, 22))


GO = """\
package main

// Add adds.
func Add(a, b int) int {
\treturn a + b
}

func (s *Server) Start() error {
\tpanic("not implemented")
}

//go:noinline
func Stop() {
}

type Server struct {
\taddr string `json:"addr"`
}
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (3, ["explain"]),
        (7, ["docstring", "implement", "explain"]),
        (12, ["docstring", "implement", "explain"]),  # a directive is not documentation
        (15, ["docstring", "explain"]),
    ],
)
def test_go_offers(line: int, expected: list[str]) -> None:
    assert _kinds(_doc(GO, "go"), line) == expected


JAVA = """\
public class Calc {
    @Override
    public int add(int a, int b) {
        throw new UnsupportedOperationException("todo");
    }

    private static String name() {
        return "x";
    }

    void run() {
        if (ready()) {
            go();
        }
    }
}
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (0, ["docstring", "explain"]),
        (1, ["docstring", "implement", "explain"]),
        (2, ["docstring", "implement", "explain"]),
        (6, ["docstring", "explain"]),
        (11, []),  # control flow is not a definition
        (12, []),
    ],
)
def test_java_offers(line: int, expected: list[str]) -> None:
    assert _kinds(_doc(JAVA, "java"), line) == expected


C = """\
#include <stdio.h>

/** Prints a greeting. */
static int greet(const char *name) {
    printf("hi %s { \\n", name);
    return 0;
}

int later(int x) {
    /* TODO */
}

int main(void) {
    return greet("x");
}
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (3, ["explain"]),
        (4, []),
        (8, ["docstring", "implement", "explain"]),
        (12, ["docstring", "explain"]),
    ],
)
def test_c_offers(line: int, expected: list[str]) -> None:
    assert _kinds(_doc(C, "c"), line) == expected


def test_braces_in_strings_and_comments_do_not_count() -> None:
    doc = _doc(C, "c")
    assert _definition(doc, 3).end == 6
    assert _definition(doc, 8).end == 10


@pytest.mark.parametrize(
    ("language", "text", "end"),
    [
        ("javascript", "function f(s) {\n  return s.replace(/}/g, '');\n}\nx();\n", 2),
        ("javascript", "function f() {\n  return `a\n}`;\n}\n", 3),
        ("php", "function f() {\n  # }\n  return 1;\n}\n", 3),
        ("rust", "fn f<'a>(s: &'a str) -> char {\n    '}'\n}\n", 2),
        ("go", "func f() string {\n\treturn `}\n`\n}\n", 3),
    ],
)
def test_brace_bodies_skip_each_languages_literals(language: str, text: str, end: int) -> None:
    assert _definition(_doc(text, language), 0).end == end


def test_a_python_header_runs_past_a_string_over_lines() -> None:
    doc = _doc('def f(x="""a:\n(""") -> int:\n    return 1\n', "python")
    assert (_definition(doc, 0).header_end, _definition(doc, 0).end) == (1, 2)


def test_unknown_language_offers_only_selection_actions() -> None:
    doc = _doc("def f():\n    pass\n", "plaintext")
    assert _kinds(doc, 0) == []
    selected = offers(doc, Point(0, 0), Point(1, 8))
    assert [offer.kind for offer in selected] == ["rewrite", "explain"]


def test_selection_offers_rewrite_and_explain() -> None:
    doc = _doc(PYTHON, "python")
    selected = offers(doc, Point(7, 8), Point(7, 24))
    assert [offer.kind for offer in selected] == ["rewrite", "explain"]
    assert (selected[0].start, selected[0].end) == (Point(7, 8), Point(7, 24))
    assert selected[0].title == "Rewrite selection with AI…"


def test_selection_regions() -> None:
    doc = _doc("a = 1\nb = 2\nc = 3\n", "python")
    # Within a line: exactly the selection. Across lines: whole lines.
    assert selection_region(doc, Point(1, 4), Point(1, 5)) == (Point(1, 4), Point(1, 5))
    assert selection_region(doc, Point(0, 2), Point(1, 3)) == (Point(0, 0), Point(1, 5))
    # A selection that ends at the start of a line stops at the line before.
    assert selection_region(doc, Point(0, 0), Point(2, 0)) == (Point(0, 0), Point(1, 5))


def test_fix_region_takes_lines_around_the_diagnostic() -> None:
    doc = _doc("".join(f"line{i}\n" for i in range(10)), "python")
    assert fix_region(doc, Point(5, 2), Point(5, 4)) == (Point(3, 0), Point(7, 5))
    assert fix_region(doc, Point(0, 0), Point(1, 0)) == (Point(0, 0), Point(2, 5))
    assert fix_region(doc, Point(9, 0), Point(9, 3)) == (Point(7, 0), Point(10, 0))


def test_detection_reads_only_lines_near_the_cursor() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(1000))
    doc = _doc(f"def big():\n{body}", "python")
    # Far from any header within reach: nothing; on the header: no stub, no explain (too long).
    assert _kinds(doc, 900) == []
    assert _kinds(doc, 0) == ["docstring"]
