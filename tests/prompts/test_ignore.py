"""Content exclusion: the `exclude` globs and `.ghostlsignore` files in gitignore syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from ghostls.exclusion import IgnoreFiles, compile_ignore, ignored_by, is_excluded
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
        ("trailing\\ ", "/w/trailing ", True),  # an escaped trailing space is kept
        ("a/**/b", "/w/a/b/x.py", True),
        ("a/**/b", "/w/a/x/y/b/x.py", True),
        ("**/*.min.js", "/w/static/app.min.js", True),
        ("*.py\n!/top.py", "/w/sub/top.py", True),  # the negation is anchored
        ("*.py\n!/top.py", "/w/top.py", False),
        ("[a-c]*.txt", "/w/b.txt", True),
        ("[a-c]*.txt", "/w/d.txt", False),
        ("docs\n!docs/", "/w/docs/x.md", False),  # the last rule on the folder wins
        ("build", "/w/build", True),  # without "/", files and folders alike
        ("  ", "/w/x.py", False),
    ],
)
def test_gitignore_semantics(patterns: str, path: str, expected: bool) -> None:
    assert ignored_by([("/w", compile_ignore(patterns))], path, "/w") is expected


def test_a_deeper_file_wins_and_judges_paths_from_its_folder() -> None:
    outer = ("/w", compile_ignore("*.gen.py\n"))
    inner = ("/w/pkg", compile_ignore("!keep.gen.py\n/local.py\n"))
    assert ignored_by([outer, inner], "/w/pkg/a.gen.py", "/w")
    assert not ignored_by([outer, inner], "/w/pkg/keep.gen.py", "/w")
    assert ignored_by([outer, inner], "/w/pkg/local.py", "/w")
    assert not ignored_by([outer, inner], "/w/pkg/sub/local.py", "/w")
    assert not ignored_by([outer, inner], "/w/local.py", "/w")


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
    paths = [
        f"{root}/a.generated.py",
        f"{root}/private/x.py",
        f"{root}/pkg/sub/local_settings.py",
        f"{root}/pkg/keep.generated.py",
        f"{root}/pkg/app.py",
    ]
    for path in paths:
        files.load(path, roots)
    assert files.ignored(f"{root}/a.generated.py", roots)
    assert files.ignored(f"{root}/private/x.py", roots)
    assert files.ignored(f"{root}/pkg/sub/local_settings.py", roots)
    assert not files.ignored(f"{root}/pkg/keep.generated.py", roots)
    assert not files.ignored(f"{root}/pkg/app.py", roots)
    # Outside any workspace folder: up to the filesystem root.
    files.load(f"{tmp_path}/elsewhere/app.py", [])
    assert files.ignored(f"{tmp_path}/elsewhere/app.py", [])


def test_deciding_reads_nothing_until_a_change_is_reported(tmp_path: Path) -> None:
    ignore = tmp_path / ".ghostlsignore"
    _write(ignore, "*.tmp.py\n")
    files = IgnoreFiles()
    roots = [str(tmp_path)]
    path = f"{tmp_path}/a.tmp.py"
    assert not files.ignored(path, roots)  # nothing read yet: no rules
    files.load(path, roots)
    assert files.ignored(path, roots)
    ignore.unlink()
    assert files.ignored(path, roots)  # the rules read stay until a change is reported
    files.file_changed(str(ignore))
    assert not files.ignored(path, roots)
    _write(ignore, "*.py\n")
    files.file_changed(str(ignore))
    assert files.ignored(path, roots)


def test_an_ignore_file_open_in_the_editor_counts_with_its_text(tmp_path: Path) -> None:
    ignore = tmp_path / ".ghostlsignore"
    _write(ignore, "*.tmp.py\n")
    files = IgnoreFiles()
    roots = [str(tmp_path)]
    path = f"{tmp_path}/a.tmp.py"
    files.load(path, roots)
    files.edited(str(ignore), "")
    assert not files.ignored(path, roots)
    files.file_changed(str(ignore))  # the editor's text wins over the disk's
    files.load(path, roots)
    assert not files.ignored(path, roots)
    files.closed(str(ignore))
    assert files.ignored(path, roots)


def test_a_change_to_an_unrelated_ignore_file_is_not_read(tmp_path: Path) -> None:
    files = IgnoreFiles()
    other = tmp_path / "other" / ".ghostlsignore"
    _write(other, "*.py\n")
    files.file_changed(str(other))
    files.load(f"{tmp_path}/mine/a.py", [str(tmp_path / "mine")])
    assert not files.ignored(f"{tmp_path}/other/a.py", [str(tmp_path / "other")])


def test_no_ignore_file(tmp_path: Path) -> None:
    files = IgnoreFiles()
    files.load(f"{tmp_path}/a.py", [str(tmp_path)])
    assert not files.ignored(f"{tmp_path}/a.py", [str(tmp_path)])
