"""The file inventory lists what git tracks, with blob SHAs git agrees with, and classifies it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import git, make_repo

from scanner.analysis.inventory import InventoryEntry, classify, git_blob_sha, list_files
from scanner.kernel.models import FileKind


def hash_object(path: Path) -> str:
    return subprocess.run(
        ["git", "hash-object", "--no-filters", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def by_path(entries: list[InventoryEntry]) -> dict[str, InventoryEntry]:
    return {e.path: e for e in entries}


def test_git_checkout_lists_tracked_files_with_git_blob_shas(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"README.md": "# hello\n", "src/app.py": "print('hi')\n", "data/blob.bin": b"\0\1\2"},
    )
    (repo / "untracked.txt").write_text("not in git\n")

    entries = list_files(repo)

    assert [e.path for e in entries] == ["README.md", "data/blob.bin", "src/app.py"]
    for entry in entries:
        assert entry.blob_sha == hash_object(repo / entry.path)
        assert entry.size == (repo / entry.path).stat().st_size
        assert not entry.is_symlink


def test_modified_but_unstaged_file_gets_the_sha_of_its_new_content(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.py": "x = 1\n"})
    old_sha = list_files(repo)[0].blob_sha
    (repo / "a.py").write_text("x = 22222\n")

    entry = list_files(repo)[0]

    assert entry.blob_sha != old_sha
    assert entry.blob_sha == hash_object(repo / "a.py")
    assert entry.size == len("x = 22222\n")


def test_symlinks_are_flagged_and_never_followed_out_of_the_checkout(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("outside the checkout, 37 bytes long.\n")
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"}, commit=False)
    os.symlink(outside, repo / "link.txt")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "x")

    link = by_path(list_files(repo))["link.txt"]

    assert link.is_symlink
    target = os.fsencode(str(outside))
    assert link.size == len(target)  # the link itself, not the file it points to
    assert link.blob_sha == git_blob_sha(target)


def test_submodules_are_skipped(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    (repo / "sub").mkdir()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},sub")

    assert [e.path for e in list_files(repo)] == ["a.txt"]


def test_repository_config_cannot_make_git_run_a_program(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    marker = tmp_path / "ran"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    hook.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hook))
    subprocess.run(["git", "ls-files", "-s"], cwd=repo, capture_output=True, check=True)
    assert marker.exists(), "plain git runs the fsmonitor hook, so this test can fail"
    marker.unlink()

    assert [e.path for e in list_files(repo)] == ["a.txt"]
    assert not marker.exists()


def test_a_plain_directory_is_walked_and_hashed_like_git(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text("# SPDX-License-Identifier: MIT\n")
    (root / "empty").write_bytes(b"")
    (root / ".git").mkdir()  # a stray .git folder is not part of the tree
    (root / ".git" / "config").write_text("[core]\n")
    outside = tmp_path / "elsewhere"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "file.txt").write_text("never listed\n")
    os.symlink(outside, root / "dirlink")

    entries = by_path(list_files(root))

    assert sorted(entries) == ["dirlink", "empty", "pkg/mod.py"]
    assert entries["pkg/mod.py"].blob_sha == hash_object(root / "pkg" / "mod.py")
    assert entries["empty"].blob_sha == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    assert entries["dirlink"].is_symlink


def test_a_plain_directorys_python_bytecode_caches_are_skipped_but_nothing_hides_in_one(
    tmp_path: Path,
) -> None:
    # As an installed wheel leaves the bundled demo: pip compiled its modules beside them.
    root = tmp_path / "plain"
    (root / "pkg" / "__pycache__").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text("# SPDX-License-Identifier: MIT\n")
    (root / "pkg" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\xa7\r\r\n" + b"\0" * 12)
    # A folder of that name holding anything else is walked like any folder.
    (root / "other" / "__pycache__").mkdir(parents=True)
    (root / "other" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\xa7\r\r\n")
    (root / "other" / "__pycache__" / "NOTES.txt").write_text("Proprietary. All rights reserved.\n")

    assert sorted(by_path(list_files(root))) == [
        "other/__pycache__/NOTES.txt",
        "other/__pycache__/x.cpython-311.pyc",
        "pkg/mod.py",
    ]


def test_a_repository_with_nothing_tracked_is_walked_without_its_git_folder(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"}, commit=False)

    assert [e.path for e in list_files(repo)] == ["a.txt"]


@pytest.mark.parametrize(
    ("path", "head", "kind"),
    [
        ("node_modules/left-pad/index.js", b"module.exports", FileKind.VENDORED),
        ("web/vendor/jquery/LICENSE", b"MIT", FileKind.VENDORED),
        ("lib/third_party/x.c", b"int x;", FileKind.VENDORED),
        (".yarn/releases/yarn.cjs", b"", FileKind.VENDORED),
        ("package-lock.json", b"{", FileKind.GENERATED),
        ("frontend/yarn.lock", b"# yarn", FileKind.GENERATED),
        ("poetry.lock", b"", FileKind.GENERATED),
        ("Cargo.lock", b"", FileKind.GENERATED),
        ("static/app.min.js", b"!function(){}", FileKind.GENERATED),
        ("static/app.min.css", b"a{}", FileKind.GENERATED),
        ("static/app.js.map", b"{", FileKind.GENERATED),
        ("dist/main.bundle.js", b"", FileKind.GENERATED),
        (
            "api/service.go",
            b"// Code generated by protoc-gen-go. DO NOT EDIT.\n",
            FileKind.GENERATED,
        ),
        ("LICENSE", b"MIT License", FileKind.DOCS),
        ("LICENSE.md", b"", FileKind.DOCS),
        ("LICENSE-APACHE", b"", FileKind.DOCS),
        ("COPYING.LESSER", b"", FileKind.DOCS),
        ("LICENSES/MIT.txt", b"", FileKind.DOCS),
        ("REUSE.toml", b"version = 1", FileKind.DOCS),
        (".reuse/dep5", b"Format:", FileKind.DOCS),
        ("img/logo.png.license", b"SPDX", FileKind.DOCS),
        ("src/license.py", b"import re", FileKind.CODE),
        ("docs/guide.md", b"# Guide", FileKind.DOCS),
        ("doc/conf.py", b"project = 'x'", FileKind.DOCS),
        ("README", b"hello", FileKind.DOCS),
        ("notes.rst", b"Notes", FileKind.DOCS),
        ("manual.adoc", b"= Manual", FileKind.DOCS),
        ("security.py", b"import os", FileKind.CODE),
        ("docs/img/diagram.png", b"\x89PNG\r\n\x1a\n\0\0", FileKind.CONTENT),
        ("report.pdf", b"%PDF-1.7\n\0", FileKind.CONTENT),
        ("budget.xlsx", b"PK\x03\x04\0", FileKind.CONTENT),
        ("icon.svg", b"<svg>", FileKind.CONTENT),
        ("intro.mp4", b"\0\0\0 ftyp", FileKind.CONTENT),
        ("lib/native.so", b"\x7fELF\2\1\1\0", FileKind.BINARY),
        ("app.jar", b"PK\x03\x04", FileKind.BINARY),
        ("fonts/inter.woff2", b"wOF2", FileKind.BINARY),
        ("data/unknown.dat", b"abc\0def", FileKind.BINARY),
        ("config/settings.yml", b"a: 1", FileKind.CONFIG),
        ("pyproject.toml", b"[project]", FileKind.CONFIG),
        ("package.json", b"{}", FileKind.CONFIG),
        ("pom.xml", b"<project>", FileKind.CONFIG),
        ("Dockerfile", b"FROM python", FileKind.CONFIG),
        ("Makefile", b"all:", FileKind.CONFIG),
        (".gitignore", b"*.pyc", FileKind.CONFIG),
        (".env.example", b"A=1", FileKind.CONFIG),
        ("requirements.txt", b"click", FileKind.CONFIG),
        ("src/main.py", b"print('hi')", FileKind.CODE),
        ("web/index.html", b"<html>", FileKind.CODE),
        ("scripts/run", b"#!/bin/sh\n", FileKind.CODE),
    ],
)
def test_classify(path: str, head: bytes, kind: FileKind) -> None:
    assert classify(path, head) is kind
