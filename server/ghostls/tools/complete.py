"""`ghostls complete FILE --line L --character C`: one suggestion, from a terminal."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from ghostls.documents import Document
from ghostls.engine import Engine
from ghostls.lang import language_of
from ghostls.model import ModelClient, ModelError
from ghostls.runtime import engine_options, model_config
from ghostls.settings import resolve_settings_lenient
from ghostls.snapshot import take_snapshot


async def run_complete(
    file: str,
    line: int,
    character: int,
    *,
    config: Mapping[str, Any] | None,
    language: str | None,
    env: Mapping[str, str],
    out: TextIO,
) -> int:
    settings, errors = resolve_settings_lenient(config, env)
    for error in errors:
        print(f"warning: {error}", file=out)
    path = await asyncio.to_thread(Path(file).absolute)
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"ghostls: cannot read {file}: {exc}", file=out)
        return 2
    doc = Document.from_text(path.as_uri(), language or language_of(file).id, 0, text)
    point = doc.point(line, character, "utf-16")
    failures: list[ModelError] = []
    client = ModelClient(model_config(settings))
    engine = Engine(client, engine_options(settings), on_error=failures.append)
    try:
        answer = await engine.complete(take_snapshot(doc, point), invoked=True)
    finally:
        await engine.aclose()
        await client.aclose()
    if failures:
        print(f"ghostls: {failures[0].message}", file=out)
        return 1
    if answer is None:
        print("(no suggestion)", file=out)
        return 0
    print(answer.insertion.text, file=out)
    print("---", file=out)
    if answer.insertion.replace_suffix:
        replaced = answer.snapshot.suffix[: answer.insertion.replace_suffix]
        print(f"replaces: {replaced!r}", file=out)
    parts = answer.breakdown.as_dict()
    print("  ".join(f"{key[:-2]} {value:.1f} ms" for key, value in parts.items()), file=out)
    return 0
