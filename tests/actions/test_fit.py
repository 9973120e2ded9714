"""Fitting a model's answer to the region it replaces: indentation, echoes, blank lines."""

from __future__ import annotations

from ghostls.actions.fit import fit_answer


def test_dedented_answer_is_moved_to_the_region_indentation() -> None:
    original = "    def f(self):\n        pass"
    answer = "def f(self):\n    return 1"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="    ")
    assert fitted == "    def f(self):\n        return 1"


def test_answer_keeping_absolute_indentation_is_unchanged() -> None:
    original = "    def f(self):\n        pass"
    answer = "    def f(self):\n        return 1"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="    ")
    assert fitted == answer


def test_first_line_stripped_of_its_indentation() -> None:
    original = "    def f(self):\n        pass"
    answer = "def f(self):\n        return 1"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="    ")
    assert fitted == "    def f(self):\n        return 1"


def test_docstring_for_a_header_only_region() -> None:
    original = "    def f(self):"
    answer = 'def f(self):\n    """Do it."""'
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="    ")
    assert fitted == '    def f(self):\n        """Do it."""'


def test_spaces_become_tabs_in_a_tab_indented_file() -> None:
    original = 'func f() {\n\tpanic("no")\n}'
    answer = "func f() {\n    if x {\n        return\n    }\n}"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="\t")
    assert fitted == "func f() {\n\tif x {\n\t\treturn\n\t}\n}"


def test_tabs_become_spaces_in_a_space_indented_file() -> None:
    original = "  def f():\n    pass"
    answer = "def f():\n\treturn 1"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="  ")
    assert fitted == "  def f():\n    return 1"


def test_two_space_answers_keep_their_levels() -> None:
    original = "\tif x {\n\t\ty()\n\t}"
    answer = "if x {\n  y()\n  z()\n}"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="\t")
    assert fitted == "\tif x {\n\t\ty()\n\t\tz()\n\t}"


def test_region_markers_and_blank_edges_are_dropped() -> None:
    original = "x = 1"
    answer = "\n<REGION>\nx = 2\n</REGION>\n\n"
    assert fit_answer(answer, original, whole_lines=True, indent_unit="    ") == "x = 2"


def test_region_blank_lines_are_kept() -> None:
    original = "\nx = 1\ny = 2\n"
    answer = "x = 1\ny = 3"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="    ")
    assert fitted == "\nx = 1\ny = 3\n"


def test_echo_of_the_following_code_is_dropped() -> None:
    original = "def area(r):"
    after = ["    return 3.14159 * r * r", "", "print(area(2))"]
    answer = (
        'def area(r):\n    """Area of a circle."""\n    return 3.14159 * r * r\n\nprint(area(2))'
    )
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="    ", after=after)
    assert fitted == 'def area(r):\n    """Area of a circle."""'


def test_echo_of_the_preceding_code_is_dropped() -> None:
    original = "    return 1"
    before = ["import os", "def f():"]
    answer = "import os\ndef f():\n    return 2"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="    ", before=before)
    assert fitted == "    return 2"


def test_a_closing_brace_alone_is_not_an_echo() -> None:
    original = "  if (x) {\n    y();"
    after = ["  }", "}"]
    answer = "  if (x) {\n    z();\n  }"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="  ", after=after)
    assert fitted == "  if (x) {\n    z();\n  }"


def test_inline_region_keeps_its_surrounding_spaces() -> None:
    assert fit_answer("a + b\n", "a+b", whole_lines=False, indent_unit="    ") == "a + b"
    assert fit_answer("x", " y ", whole_lines=False, indent_unit="    ") == " x "


def test_inline_region_answer_over_several_lines() -> None:
    fitted = fit_answer(
        "call(\n    a,\n    b,\n)",
        "call(a, b)",
        whole_lines=False,
        indent_unit="    ",
        line_indent="        ",
    )
    assert fitted == "call(\n            a,\n            b,\n        )"


def test_an_answer_restating_the_whole_file_keeps_only_the_region() -> None:
    original = "def perimeter(r):\n    raise NotImplementedError"
    answer = (
        "import math\n\n\ndef area(r):\n    return math.pi * r * r\n\n\n"
        "@cached\ndef perimeter(r):\n    return 2 * math.pi * r\n\n\nprint(area(2))"
    )
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="    ")
    assert fitted == "@cached\ndef perimeter(r):\n    return 2 * math.pi * r"


def test_a_restated_block_keeps_its_closing_brace() -> None:
    original = "  if (x) {\n    y();"
    answer = "function f() {\n  if (x) {\n    z();\n  }\n  return 1;\n}"
    fitted = fit_answer(answer, original, whole_lines=True, indent_unit="  ")
    assert fitted == "  if (x) {\n    z();\n  }"
