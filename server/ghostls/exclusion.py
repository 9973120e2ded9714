"""Content exclusion: files that are never completed from nor used as context.

Two sources, either one excludes a file:
- the `exclude` setting's globs (`is_excluded`);
- `.ghostlsignore` files, in gitignore syntax (`IgnoreFiles`): found in the file's folder and
  every folder above it up to the workspace folder that holds it (or the filesystem root);
  a deeper file's rules come after (and win over) an outer one's; `!pattern` re-includes,
  `dir/` matches folders only, a pattern with a "/" is relative to its ignore file's folder,
  `**` spans folders; as in git, nothing inside an excluded folder can be re-included.

Every answer is cached: the keystroke path costs dictionary lookups, and at most a `stat` of
each ignore file every `recheck_s` seconds; a file is read again only when its modification
time or size changed.
"""

from __future__ import annotations

import fnmatch
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

IGNORE_FILE = ".ghostlsignore"


def is_excluded(path: str, globs: Iterable[str]) -> bool:
    """True when `path` matches a glob: a glob without "/" matches the file name or any
    folder name in the path; one with "/" matches the path's end."""
    return _glob_excluded(path, tuple(globs))


@lru_cache(maxsize=4096)
def _glob_excluded(path: str, globs: tuple[str, ...]) -> bool:
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


# -- gitignore syntax -----------------------------------------------------------------------


@dataclass(frozen=True)
class IgnoreRule:
    """One pattern line of an ignore file."""

    pattern: re.Pattern[str]  # matched against the path relative to `base`
    negated: bool
    dir_only: bool
    base: str  # the folder of the ignore file, "/"-separated, no trailing "/"


def _translate(glob: str) -> str:
    """A gitignore glob (already without its leading "/" and trailing "/") as a regex."""
    out: list[str] = []
    i = 0
    n = len(glob)
    while i < n:
        char = glob[i]
        if char == "*":
            if glob.startswith("**", i):
                at_start = i == 0 or glob[i - 1] == "/"
                at_end = i + 2 == n or glob[i + 2] == "/"
                if at_start and at_end:
                    if i + 2 == n:
                        out.append(".*")  # "dir/**": everything inside
                        i += 2
                    else:
                        out.append("(?:.*/)?")  # "**/" and "/**/": any folders, or none
                        i += 3
                    continue
            out.append("[^/]*")
            i += 1
            while i < n and glob[i] == "*":
                i += 1
            continue
        if char == "?":
            out.append("[^/]")
        elif char == "[":
            end = glob.find("]", i + 2 if glob.startswith(("[!", "[^"), i) else i + 1)
            if end < 0:
                out.append(re.escape(char))
            else:
                body = glob[i + 1 : end]
                if body.startswith(("!", "^")):
                    body = "^" + body[1:]
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
                i = end + 1
                continue
        elif char == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def parse_ignore(text: str, base: str) -> list[IgnoreRule]:
    """The rules of an ignore file in folder `base` (gitignore syntax)."""
    rules: list[IgnoreRule] = []
    for raw in text.splitlines():
        line = raw.rstrip("\n\r")
        # Trailing spaces are dropped unless escaped.
        stripped = line.rstrip(" ")
        if stripped.endswith("\\") and len(line) > len(stripped):
            stripped += " "
        line = stripped
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated or line.startswith(("\\!", "\\#")):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        regex = _translate(line)
        if not anchored:
            regex = "(?:.*/)?" + regex
        try:
            pattern = re.compile(regex + r"\Z", re.S)
        except re.error:
            continue
        rules.append(IgnoreRule(pattern, negated, dir_only, base.rstrip("/")))
    return rules


def ignored_by(rules: Sequence[IgnoreRule], path: str, stop: str) -> bool:
    """Whether `rules` exclude `path` (absolute, "/"-separated), judging each folder below
    `stop` first: a file inside an excluded folder stays excluded."""
    stop = stop.rstrip("/")
    relative = path[len(stop) + 1 :] if stop else path.lstrip("/")
    parts = [part for part in relative.split("/") if part]
    current = stop
    for index, part in enumerate(parts):
        current = f"{current}/{part}"
        is_dir = index < len(parts) - 1
        decision: bool | None = None
        for rule in rules:
            if rule.dir_only and not is_dir:
                continue
            if not current.startswith(rule.base + "/"):
                continue
            if rule.pattern.match(current[len(rule.base) + 1 :]):
                decision = not rule.negated
        if decision and is_dir:
            return True
        if not is_dir:
            return bool(decision)
    return False


# -- the cache of ignore files --------------------------------------------------------------


@dataclass
class _Loaded:
    key: tuple[int, int] | None  # (mtime_ns, size); None: no file
    rules: list[IgnoreRule]
    checked_at: float


class IgnoreFiles:
    """`.ghostlsignore` files read once, re-read only when they change."""

    def __init__(
        self,
        *,
        recheck_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        name: str = IGNORE_FILE,
    ) -> None:
        self.recheck_s = recheck_s
        self.clock = clock
        self.name = name
        self.reads = 0  # how many times an ignore file was read (for tests)
        self._files: dict[str, _Loaded] = {}
        self._decisions: dict[tuple[str, tuple[str, ...]], tuple[float, bool]] = {}

    def ignored(self, path: str, roots: Sequence[str] = ()) -> bool:
        """Whether the ignore files above `path` (an absolute file path) exclude it; the
        search stops at the deepest of `roots` holding the path, else at the filesystem root."""
        key = (path, tuple(roots))
        now = self.clock()
        cached = self._decisions.get(key)
        if cached is not None and now - cached[0] < self.recheck_s:
            return cached[1]
        result = self._decide(_posix(path), [_posix(root).rstrip("/") for root in roots], now)
        if len(self._decisions) > 4096:
            self._decisions.clear()
        self._decisions[key] = (now, result)
        return result

    def _decide(self, path: str, roots: list[str], now: float) -> bool:
        holding = [root for root in roots if path.startswith(root + "/")]
        stop = max(holding, key=len) if holding else ""
        folders: list[str] = []
        folder = path.rsplit("/", 1)[0]
        while True:
            folders.append(folder)
            if len(folder) <= len(stop) or "/" not in folder:
                break
            folder = folder.rsplit("/", 1)[0]
        rules: list[IgnoreRule] = []
        for each in reversed(folders):  # outer files first: deeper rules win
            rules.extend(self._rules(each or "/", now))
        if not rules:
            return False
        return ignored_by(rules, path, stop)

    def _rules(self, folder: str, now: float) -> list[IgnoreRule]:
        file = f"{folder.rstrip('/')}/{self.name}"
        loaded = self._files.get(file)
        if loaded is not None and now - loaded.checked_at < self.recheck_s:
            return loaded.rules
        try:
            stat = Path(file).stat()
            key: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = None
        if loaded is not None and loaded.key == key:
            loaded.checked_at = now
            return loaded.rules
        rules: list[IgnoreRule] = []
        if key is not None:
            try:
                with Path(file).open(encoding="utf-8", errors="replace") as handle:
                    text = handle.read(1_000_000)
                self.reads += 1
                rules = parse_ignore(text, folder.rstrip("/"))
            except OSError:
                key = None
        self._files[file] = _Loaded(key, rules, now)
        return rules


def _posix(path: str) -> str:
    return path.replace("\\", "/")


IGNORE_FILES = IgnoreFiles()
"""The process's cache of ignore files (they live on disk, shared by every server)."""
