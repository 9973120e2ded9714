"""Content exclusion: the `exclude` globs and `.ghostlsignore` files in gitignore syntax."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ghostls.exclusion import IgnoreFiles, IgnoreRule, ignored_by, is_excluded, parse_ignore
from ghostls.settings import DEFAULT_EXCLUDE


@pytest.mark.parametrize(
    "path",
    [
        "/w/.env",
        "/w/.env.local",
        "/w/config/server.pem",
        "/w/tls/private.key",
        "/home/u/.ssh/id_rsa",
        "/home/u/.ssh/id_ed25519.pub",
        "/w/secrets.yaml",
        "/w/app-secret.json",
        "/w/credentials.json",
        "/home/u/.netrc",
    ],
)
def test_default_globs_exclude(path: str) -> None:
    assert is_excluded(path, DEFAULT_EXCLUDE)


@pytest.mark.parametrize(
    "path", ["/w/app.py", "/w/environment.py", "/w/keys.py", "/w/src/secret_santa.py"]
)
def test_default_globs_leave_ordinary_files(path: str) -> None:
    assert not is_excluded(path, DEFAULT_EXCLUDE)


def test_folder_glob() -> None:
    assert is_excluded("/w/private/notes.py", ["private/"])
    assert is_excluded("/w/a/generated/x.py", ["a/generated/*"])
    assert not is_excluded("/w/public/notes.py", ["private/"])


def _rules(text: str, base: str = "/w") -> list[IgnoreRule]:
    return parse_ignore(text, base)


@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        ("*.log", "/w/a/b/debug.log", True),
        ("*.log", "/w/a/b/debug.txt", False),
        ("# comment\n\n*.log", "/w/x.log", True),
        ("*.log\n!keep.log", "/w/keep.log", False),
        ("*.log\n!keep.log", "/w/other.log", True),
        ("!keep.log\n*.log", "/w/keep.log", True),  # the last matching rule wins
        ("build/", "/w/build/out.py", True),
        ("build/", "/w/src/build/out.py", True),
        ("build/", "/w/build", False),  # folders only: a file named build is kept
        ("/build", "/w/src/build/out.py", False),  # anchored to the ignore file's folder
        ("/build", "/w/build/out.py", True),
        ("docs/internal", "/w/docs/internal/plan.md", True),
        ("docs/internal", "/w/x/docs/internal/plan.md", False),  # a "/" anchors it
        ("**/fixtures", "/w/a/b/fixtures/data.py", True),
        ("src/**/gen.py", "/w/src/gen.py", True),
        ("src/**/gen.py", "/w/src/a/b/gen.py", True),
        ("vendor/**", "/w/vendor/lib/x.py", True),
        ("secret?.txt", "/w/secret1.txt", True),
        ("secret[0-9].txt", "/w/secretA.txt", False),
        ("secret[!0-9].txt", "/w/secretA.txt", True),
        ("\\#notes", "/w/#notes", True),
        ("\\!bang", "/w/!bang", True),
        ("private/\n!private/ok.py", "/w/private/ok.py", True),  # no re-including in a folder
        ("private/*\n!private/ok.py", "/w/private/ok.py", False),  # but files can be
        ("trailing.py   ", "/w/trailing.py", True),
    ],
)
def test_gitignore_semantics(patterns: str, path: str, expected: bool) -> None:
    assert ignored_by(_rules(patterns), path, "/w") is expected


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_files_are_found_up_to_the_workspace_root(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _write(root / ".ghostlsignore", "*.generated.py\nprivate/\n")
    _write(root / "pkg" / ".ghostlsignore", "!keep.generated.py\nlocal_*.py\n")
    _write(tmp_path / ".ghostlsignore", "*.py\n")  # above the root: not read
    files = IgnoreFiles()
    roots = [str(root)]
    assert files.ignored(f"{root}/a.generated.py", roots)
    assert files.ignored(f"{root}/private/x.py", roots)
    assert files.ignored(f"{root}/pkg/sub/local_settings.py", roots)
    assert not files.ignored(f"{root}/pkg/keep.generated.py", roots)
    assert not files.ignored(f"{root}/pkg/app.py", roots)
    # Outside any workspace folder: up to the filesystem root.
    assert files.ignored(f"{tmp_path}/elsewhere/app.py", [])


def test_read_once_then_stat_only_until_changed(tmp_path: Path) -> None:
    ignore = tmp_path / ".ghostlsignore"
    _write(ignore, "*.tmp.py\n")
    now = [0.0]
    files = IgnoreFiles(recheck_s=1.0, clock=lambda: now[0])
    roots = [str(tmp_path)]
    assert files.ignored(f"{tmp_path}/a.tmp.py", roots)
    assert files.reads == 1
    for step in range(1, 6):
        now[0] = step * 2.0
        assert files.ignored(f"{tmp_path}/a.tmp.py", roots)
    assert files.reads == 1  # stat'ed again, not read
    _write(ignore, "*.tmp.py\n!a.tmp.py\n")
    stat = ignore.stat()
    os.utime(ignore, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert files.ignored(f"{tmp_path}/a.tmp.py", roots)  # within recheck_s: cached
    now[0] += 2.0
    assert not files.ignored(f"{tmp_path}/a.tmp.py", roots)
    assert files.reads == 2


def test_no_ignore_file(tmp_path: Path) -> None:
    files = IgnoreFiles()
    assert not files.ignored(f"{tmp_path}/a.py", [str(tmp_path)])
    assert files.reads == 0
