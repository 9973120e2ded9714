"""The cut points of the real-model benchmark, and how the raw model is asked at them.

Cut points come from `ghostls.replay.quality`'s sampler (real files nobody here wrote, labelled
by where the cursor is), over its languages plus C headers from /usr/include. Each case is in a
file of its own, and the cases are ordered so that neighbours come from different files: the
model server's prompt cache then never lets one side profit from the other's prompt.

The raw side is what an editor plugin without post-processing does: a plain prompt of a fixed
window around the cursor (FIM tokens, or one chat message with a cursor marker), the answer
inserted at the cursor as it came.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ghostls.presets import fim_template
from ghostls.replay.quality.sampling import CutPoint, Source, sample_cuts
from ghostls.replay.quality.sources import default_sources, folder_sources, walk_files
from ghostls.replay.quality.suite import LABELS

RAW_PREFIX_CHARS = 1_200
RAW_SUFFIX_CHARS = 400
RAW_MAX_TOKENS = 96
_C_ROOTS = (Path("/usr/include"),)
RAW_SYSTEM = (
    "You are a code completion engine. Reply with only the code that goes at <CURSOR>, "
    "nothing else."
)


def sources(corpus: str | None) -> list[Source]:
    if corpus is not None:
        folder = Path(corpus)
        if not folder.is_dir():
            raise SystemExit(f"ghostls bench: --corpus {corpus}: not a folder")
        return folder_sources(folder)
    found = default_sources()
    for root in _C_ROOTS:
        files = walk_files(root, (".h",)) if root.is_dir() else []
        if files:
            found.append(Source("c", f"C headers in {root}", tuple(files), root))
            break
    return found


def pick_cases(
    found: Sequence[Source], per_label: dict[str, int], seed: int, limit: int | None = None
) -> list[CutPoint]:
    """The cases: one per file, taken in turns from every cut-point label and, within a
    label, from every language (so that a few cases cover all labels and neighbours come
    from different files), at most `limit`."""
    queues: dict[tuple[str, str], list[CutPoint]] = {}
    for cut in sample_cuts(found, per_label, seed):
        queues.setdefault((cut.label, cut.language_id), []).append(cut)
    turns = sorted(queues, key=lambda key: (LABELS.index(key[0]), key[1]))
    used: set[str] = set()
    ordered: list[CutPoint] = []
    while any(queues.values()):
        for key in turns:
            queue = queues[key]
            while queue and queue[0].path in used:
                queue.pop(0)
            if queue:
                used.add(queue[0].path)
                ordered.append(queue.pop(0))
    return ordered[:limit] if limit is not None else ordered


@dataclass(frozen=True)
class Endpoint:
    url: str  # the OpenAI-compatible base URL, e.g. http://127.0.0.1:18811/v1
    model: str
    prompt_mode: str  # "fim-tokens" or "chat"
    fim_template: str = "qwen"
    timeout_s: float = 10.0
    temperature: float = 0.0


@dataclass
class Answer:
    text: str | None  # None: no answer (a timeout or an error)
    seconds: float
    timed_out: bool = False
    error: str | None = None


def raw_body(endpoint: Endpoint, cut: CutPoint) -> tuple[str, dict[str, Any]]:
    """The request path and body a plain plugin sends at the cut."""
    prefix = cut.document[: cut.offset][-RAW_PREFIX_CHARS:]
    suffix = cut.document[cut.offset :][:RAW_SUFFIX_CHARS]
    common = {
        "model": endpoint.model,
        "max_tokens": RAW_MAX_TOKENS,
        "temperature": endpoint.temperature,
    }
    if endpoint.prompt_mode == "chat":
        message = f"```{cut.language_id}\n{prefix}<CURSOR>{suffix}\n```"
        messages = [
            {"role": "system", "content": RAW_SYSTEM},
            {"role": "user", "content": message},
        ]
        return "/chat/completions", {**common, "messages": messages}
    prompt = fim_template(endpoint.fim_template).render(prefix, suffix)
    return "/completions", {**common, "prompt": prompt}


def ask_raw(endpoint: Endpoint, cut: CutPoint) -> Answer:
    """One blocking request of the raw model at the cut."""
    path, body = raw_body(endpoint, cut)
    request = urllib.request.Request(
        endpoint.url.rstrip("/") + path,
        json.dumps(body).encode(),
        {"Content-Type": "application/json"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=endpoint.timeout_s) as response:
            data = json.load(response)
    except TimeoutError:
        return Answer(None, time.monotonic() - started, timed_out=True)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        timed_out = isinstance(getattr(exc, "reason", None), TimeoutError)
        return Answer(None, time.monotonic() - started, timed_out, f"{type(exc).__name__}: {exc}")
    seconds = time.monotonic() - started
    choice = (data.get("choices") or [{}])[0]
    if endpoint.prompt_mode == "chat":
        text = (choice.get("message") or {}).get("content")
    else:
        text = choice.get("text")
    return Answer(text if isinstance(text, str) else None, seconds)
