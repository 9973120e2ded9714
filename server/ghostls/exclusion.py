"""Content exclusion: files that are never completed from nor used as context."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import PurePosixPath


def is_excluded(path: str, globs: Iterable[str]) -> bool:
    """True when `path` matches a glob: a glob without "/" matches the file name or any
    folder name in the path; one with "/" matches the path's end."""
    pure = PurePosixPath(path.replace("\\", "/"))
    parts = pure.parts
    name = pure.name
    for glob in globs:
        glob = glob.strip()
        if not glob:
            continue
        if "/" in glob.rstrip("/"):
            pattern = glob.lstrip("/")
            if fnmatch.fnmatchcase(str(pure), pattern) or fnmatch.fnmatchcase(
                str(pure), "*/" + pattern
            ):
                return True
            continue
        pattern = glob.rstrip("/")
        if fnmatch.fnmatchcase(name, pattern):
            return True
        if any(fnmatch.fnmatchcase(part, pattern) for part in parts[:-1]):
            return True
    return False
