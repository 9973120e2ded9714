"""The next-edit benchmark's cases: found in real code, and the change each one starts."""

from __future__ import annotations

from ghostls.replay.nextedit_cases import KINDS, cases_in, pick_cases

SOURCE = """\
class Point:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def norm(self):
        total = self.x * self.x
        total += self.y * self.y
        total += self.z * self.z
        return total


def report(out):
    out.write("a")
    out.write("b")
    out.write("c")
"""


def test_each_kind_found_with_its_first_edit_and_change() -> None:
    found = cases_in("shapes.py", SOURCE)
    assert {kind for kind, cases in found.items() if cases} == set(KINDS)
    [rename] = found["rename"]
    assert rename.edited.split("\n")[7] == "        new_total = self.x * self.x"
    assert rename.cursor == (7, 17)
    assert rename.complete(rename.edited).count("new_total") == 4
    assert "self.new_total" not in rename.complete("self.total = total")
    [parallel] = found["parallel"]
    assert parallel.edited.split("\n")[2] == "        self._x = x"
    assert parallel.complete(parallel.edited).split("\n")[2:5] == [
        "        self._x = x",
        "        self._y = y",
        "        self._z = z",
    ]
    argument = next(case for case in found["argument"] if "out.write" in case.edited)
    assert argument.edited.split("\n")[14] == '    out.write("a", strict=True)'
    assert argument.complete(argument.edited).split("\n")[14:17] == [
        '    out.write("a", strict=True)',
        '    out.write("b", strict=True)',
        '    out.write("c", strict=True)',
    ]
    wrap = next(case for case in found["wrap"] if "out.write" in case.edited)
    assert wrap.complete(wrap.edited).split("\n")[16] == '    wrapped(out.write("c"))'
    # Completing a complete change changes nothing.
    for cases in found.values():
        for case in cases:
            done = case.complete(case.edited)
            assert case.complete(done) == done


def test_picked_from_the_standard_library_deterministically() -> None:
    first = pick_cases(2, seed=3)
    assert [case.kind for case in first] == [kind for kind in KINDS for _ in range(2)]
    assert [(c.path, c.line) for c in first] == [(c.path, c.line) for c in pick_cases(2, seed=3)]
