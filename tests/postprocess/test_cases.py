"""The regression cases in cases/: real-looking answers through the whole pipeline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.postprocess.helpers import apply

CASES = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    name: str
    document: str
    raw: str
    expected: str
    language: str = "python"
    multiline: bool = True
    chat: bool = False
    unit: str = "    "


def parse(path: Path) -> Case:
    text = path.read_bytes().decode("utf-8")
    header, _, body = text.partition("\n=== ")
    options: dict[str, str] = {}
    for line in header.splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
    sections: dict[str, str] = {}
    for chunk in ("=== " + body).split("\n=== "):
        name, _, content = chunk.removeprefix("=== ").partition("\n")
        sections[name.strip()] = content.removesuffix("\n")
    return Case(
        name=path.stem,
        document=sections["document"],
        raw=sections["raw"],
        expected=sections["expected"],
        language=options.get("language", "python"),
        multiline=options.get("multiline", "true") == "true",
        chat=options.get("chat", "false") == "true",
        unit=json.loads(options["unit"]) if "unit" in options else "    ",
    )


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda path: path.stem)
def test_case(path: Path) -> None:
    case = parse(path)
    result = apply(
        case.document,
        case.raw,
        chat=case.chat,
        language=case.language,
        multiline=case.multiline,
        unit=case.unit,
    )
    assert result == case.expected
