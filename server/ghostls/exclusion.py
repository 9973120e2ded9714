"""Content exclusion: files that are never completed from nor used as context.

Two sources, either one excludes a file:
- the `exclude` setting's globs (`is_excluded`), in gitignore syntax: a glob without "/"
  matches the file name or any folder name in the path, one with "/" matches the path's end;
- `.ghostlsignore` files, in gitignore syntax (`IgnoreFiles`): found in the file's folder and
  every folder above it up to the workspace folder that holds it (or the filesystem root);
  a deeper file's rules come after (and win over) an outer one's; as in git, nothing inside an
  excluded folder can be re-included.

The matching is pathspec's (`GitIgnoreSpec`), compiled once per list of globs and once per
ignore file. Deciding never touches the file system: the ignore files that bear on a document
are read when it opens or the workspace folders change, and again only when the editor
reports one changed (an ignore file open in the editor counts with its text there).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from pathspec import GitIgnoreSpec

IGNORE_FILE = ".ghostlsignore"
_MAX_CHARS = 1_000_000


def is_excluded(path: str, globs: Iterable[str]) -> bool:
    """True when `path` matches a glob: a glob without "/" matches the file name or any
    folder name in the path; one with "/" matches the path's end."""
    return _glob_spec(tuple(globs)).match_file(_posix(path).lstrip("/"))


@lru_cache(maxsize=64)
def _glob_spec(globs: tuple[str, ...]) -> GitIgnoreSpec:
    lines = []
    for glob in globs:
        glob = glob.strip()
        if glob:
            lines.append("**/" + glob.lstrip("/") if "/" in glob.rstrip("/") else glob)
    return GitIgnoreSpec.from_lines(lines)


def compile_ignore(text: str) -> GitIgnoreSpec:
    """The rules of an ignore file (gitignore syntax)."""
    return GitIgnoreSpec.from_lines(text.splitlines())


def ignored_by(specs: Sequence[tuple[str, GitIgnoreSpec]], path: str, stop: str) -> bool:
    """Whether the ignore files `specs` (their folder, "/"-separated, and their rules; outer
    ones first) exclude `path` (absolute, "/"-separated), judging each folder below `stop`
    first: a file inside an excluded folder stays excluded."""
    stop = stop.rstrip("/")
    relative = path[len(stop) + 1 :] if stop else path.lstrip("/")
    parts = [part for part in relative.split("/") if part]
    current = stop
    for index, part in enumerate(parts):
        current = f"{current}/{part}"
        is_dir = index < len(parts) - 1
        decision: bool | None = None
        for base, spec in specs:
            base = base.rstrip("/")
            if current.startswith(base + "/"):
                name = current[len(base) + 1 :] + ("/" if is_dir else "")
                include = spec.check_file(name).include
                if include is not None:
                    decision = include
        if decision and is_dir:
            return True
        if not is_dir:
            return bool(decision)
    return False


class IgnoreFiles:
    """The `.ghostlsignore` files that bear on the open documents, compiled and held in memory."""

    def __init__(self, name: str = IGNORE_FILE) -> None:
        self.name = name
        # A folder's ignore file, compiled (None: there is none), for each folder looked at.
        self._specs: dict[str, GitIgnoreSpec | None] = {}
        self._in_editor: set[str] = set()  # folders whose ignore file is open in the editor
        self._decisions: dict[tuple[str, tuple[str, ...]], bool] = {}

    def is_ignore_file(self, path: str) -> bool:
        return _posix(path).rsplit("/", 1)[-1] == self.name

    def load(self, path: str, roots: Sequence[str] = ()) -> None:
        """Read (again) the ignore files above `path` (an absolute file path), up to the
        deepest of `roots` holding it."""
        for folder in self._folders(_posix(path), _roots(roots)):
            if folder not in self._in_editor:
                self._set(folder, self._read(folder))

    def file_changed(self, path: str) -> None:
        """The editor reports that the ignore file `path` changed on disk: read it again if
        it bears on a document and the editor does not hold it open."""
        folder = _folder(_posix(path))
        if folder in self._specs and folder not in self._in_editor:
            self._set(folder, self._read(folder))

    def edited(self, path: str, text: str) -> None:
        """The ignore file `path` is open in the editor with `text`: its rules are those."""
        folder = _folder(_posix(path))
        self._in_editor.add(folder)
        self._set(folder, compile_ignore(text))

    def closed(self, path: str) -> None:
        """The editor closed the ignore file `path`: its rules are those on disk again."""
        folder = _folder(_posix(path))
        self._in_editor.discard(folder)
        self._set(folder, self._read(folder))

    def ignored(self, path: str, roots: Sequence[str] = ()) -> bool:
        """Whether the ignore files above `path` (an absolute file path) exclude it; the
        search stops at the deepest of `roots` holding the path, else at the filesystem root."""
        key = (path, tuple(roots))
        cached = self._decisions.get(key)
        if cached is not None:
            return cached
        posix, clean = _posix(path), _roots(roots)
        folders = self._folders(posix, clean)
        specs = [
            (folder, spec) for folder in reversed(folders) if (spec := self._specs.get(folder))
        ]
        result = bool(specs) and ignored_by(specs, posix, _stop(posix, clean))
        if len(self._decisions) > 4096:
            self._decisions.clear()
        self._decisions[key] = result
        return result

    def _set(self, folder: str, spec: GitIgnoreSpec | None) -> None:
        self._specs[folder] = spec
        self._decisions.clear()

    def _read(self, folder: str) -> GitIgnoreSpec | None:
        try:
            with Path(f"{folder}/{self.name}").open(encoding="utf-8", errors="replace") as handle:
                return compile_ignore(handle.read(_MAX_CHARS))
        except OSError:
            return None

    @staticmethod
    def _folders(path: str, roots: list[str]) -> list[str]:
        """The folders whose ignore files bear on `path`, deepest first ("" is the root)."""
        stop = _stop(path, roots)
        folders: list[str] = []
        folder = _folder(path)
        while True:
            folders.append(folder)
            if len(folder) <= len(stop) or "/" not in folder:
                return folders
            folder = _folder(folder)


def _stop(path: str, roots: list[str]) -> str:
    holding = [root for root in roots if path.startswith(root + "/")]
    return max(holding, key=len) if holding else ""


def _roots(roots: Sequence[str]) -> list[str]:
    return [_posix(root).rstrip("/") for root in roots]


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0]


def _posix(path: str) -> str:
    return path.replace("\\", "/")
