"""Hostile repositories: what a stranger's repository can contain must not harm os2scan.

Each test builds a real repository in tmp_path that attacks the scanner (symlinks out of the
checkout, odd file names, huge and binary files, archives, submodules, git configuration and
hooks that run commands) and scans it with the real command line, the real git collector,
real scancode and a real database. What was written is then searched for anything from
outside the checkout, and each hostile file must be recorded, not silently dropped.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import tarfile
import threading
import zipfile
from pathlib import Path

import pytest
from hostile_helpers import (
    MPL_TEXT,
    PASSWD_MARK,
    bytes_under,
    db_bytes,
    git,
    make_repo,
    mpl_files,
    run_cli,
    write_portfolio,
)

pytestmark = [pytest.mark.scancode, pytest.mark.security]

OUTSIDE_SECRET = "OUTSIDE-SECRET-7f3a"
OUTSIDE_HOLDER = "Outside Holder Nine"
GPL_HEADER = "# SPDX-License-Identifier: GPL-3.0-only\n"

#: Names the shell would act on if a file name ever reached one.
SHELL_NAMES = ("$(touch PWNED).py", "`touch PWNED`;x.py", "a b;c|d&e>f.py", "-rf --help.py")
BAD_UTF8_NAME = b"bad\xff\xfename.py"
#: A name that would set the terminal's title and colour if printed as it is.
ESCAPE_NAME = "esc\x1b]0;pwned\x07\x1b[31mred.py"
DEEP_DIR = "/".join(["d"] * 120)


def _outside(tmp_path: Path) -> Path:
    """Files outside every checkout, which symlinks in the hostile repository point at."""
    outside = tmp_path / "outside"
    (outside / "reuse").mkdir(parents=True)
    (outside / "licenses").mkdir()
    (outside / "secret.txt").write_text(
        f"{OUTSIDE_SECRET}\nCopyright (c) 2020 {OUTSIDE_HOLDER}\nSPDX-License-Identifier: "
        "GPL-3.0-only\n",
        encoding="utf-8",
    )
    (outside / "publiccode.yml").write_text(
        f"publiccodeYmlVersion: '0.2'\nlegal:\n  license: GPL-3.0-only\n"
        f"  mainCopyrightOwner: {OUTSIDE_HOLDER}\n",
        encoding="utf-8",
    )
    (outside / "reuse" / "dep5").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
        f"Files: *\nCopyright: 2020 {OUTSIDE_HOLDER}\nLicense: GPL-3.0-only\n",
        encoding="utf-8",
    )
    (outside / "licenses" / "GPL-3.0-only.txt").write_text(OUTSIDE_SECRET, encoding="utf-8")
    return outside


def _archive_bytes() -> tuple[bytes, bytes]:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("inner/INSIDE_ZIP.py", GPL_HEADER + "x = 1\n")
        archive.writestr("inner/LICENSE", "GNU GENERAL PUBLIC LICENSE Version 3\n")
    tarred = io.BytesIO()
    with tarfile.open(fileobj=tarred, mode="w:gz") as archive:
        data = (GPL_HEADER + "y = 2\n").encode()
        info = tarfile.TarInfo("inner/INSIDE_TAR.py")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return zipped.getvalue(), tarred.getvalue()


def hostile_repo(tmp_path: Path, name: str = "hostile") -> Path:
    """A committed repository full of traps (see the module docstring)."""
    outside = _outside(tmp_path)
    zipped, tarred = _archive_bytes()
    files: dict[str, str | bytes] = mpl_files(
        **{
            "big.txt": b"x" * 6_000_000,  # above the 5 MB limit
            "long_line.js": "var a = '" + "abcdefgh" * 40_000 + "';\n",  # one 320 KB line
            "notes.txt": b"MIT License\n\x00\x01\x02" + bytes(range(256)) * 40,  # binary
            f"{DEEP_DIR}/deep.py": "# SPDX-License-Identifier: MPL-2.0\nz = 3\n",
            "vendor.zip": zipped,
            "bundle.tar.gz": tarred,
            "new\nline.py": "n = 1\n",
            ESCAPE_NAME: GPL_HEADER + "e = 1\n",
            **{shell: "s = 1\n" for shell in SHELL_NAMES},
        }
    )
    repo = make_repo(tmp_path / name, files, commit=False)
    (repo / os.fsdecode(BAD_UTF8_NAME)).write_text("b = 1\n", encoding="utf-8")
    links = {
        "passwd_link": "/etc/passwd",
        "etc_link": "/etc",
        "outside_link.py": str(outside / "secret.txt"),
        "loop1": "loop2",
        "loop2": "loop1",
        "self_loop": "self_loop",
        "package.json": "/etc/passwd",
        "setup.cfg": "/etc/passwd",
        "pyproject.toml": "/etc/passwd",
        "publiccode.yml": str(outside / "publiccode.yml"),
        "REUSE.toml": "/etc/passwd",
        ".reuse": str(outside / "reuse"),
        "LICENSES": str(outside / "licenses"),
        "src/app.py.license": str(outside / "secret.txt"),
    }
    for link, target in links.items():
        os.symlink(target, repo / link)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hostile")
    return repo


def _files(db: Path) -> dict[str, tuple[str, str | None, str | None]]:
    with sqlite3.connect(db) as con:
        return {
            path: (kind, skipped, lic)
            for path, kind, skipped, lic in con.execute(
                "SELECT path, kind, skipped, license_expression FROM files"
            )
        }


def _assert_nothing_from_outside(*texts: bytes) -> None:
    for text in texts:
        assert PASSWD_MARK not in text
        assert OUTSIDE_SECRET.encode() not in text
        assert OUTSIDE_HOLDER.encode() not in text


def _assert_hostile_files_recorded(files: dict[str, tuple[str, str | None, str | None]]) -> None:
    for link in ("passwd_link", "etc_link", "outside_link.py", "loop1", "loop2", "self_loop"):
        assert files[link][1] == "symlink", link
    assert files["big.txt"][1] == "too large"
    assert files["notes.txt"][:2] == ("binary", "binary")
    assert files["long_line.js"][1] is None  # scanned in full
    assert files[f"{DEEP_DIR}/deep.py"][2] == "MPL-2.0"
    assert files["vendor.zip"][0] == "binary"
    assert files["bundle.tar.gz"][0] == "binary"
    assert not [p for p in files if "INSIDE_" in p or p.startswith("inner/")]  # not extracted
    assert "new\\x0aline.py" in files  # control characters are shown escaped
    assert "esc\\x1b]0;pwned\\x07\\x1b[31mred.py" in files
    assert "bad\\xff\\xfename.py" in files
    for shell in SHELL_NAMES:
        assert shell in files


def test_check_of_a_hostile_checkout_reads_nothing_outside_it_and_records_every_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = hostile_repo(tmp_path)
    before = sorted(p.name for p in repo.iterdir())
    db = tmp_path / "check.sqlite"
    monkeypatch.chdir(tmp_path)

    code, out, err = run_cli(
        capsys, "check", str(repo), "--db", str(db), "--jobs", "1", "--format", "json"
    )

    assert code in (0, 1), err
    assert "Traceback" not in err
    assert "internal error" not in err
    report = json.loads(out)
    (repository,) = report["repositories"]
    assert repository["status"] != "not-scanned"
    assert repository["error"] is None
    assert repository["declared_license"] == "MPL-2.0"
    # Symlinked manifests are recorded as sources that could not be read, not followed.
    sources = {s["path"]: s for s in repository["declared_sources"]}
    for manifest in ("package.json", "setup.cfg", "pyproject.toml", "publiccode.yml"):
        assert manifest in sources, manifest
        assert sources[manifest]["license"] is None, manifest
    content = {c["path"]: c for c in repository.pop("content")}
    # The archives are components under the licence of the file inside them, not extracted.
    components = {c["path"]: c for c in repository.pop("components")}
    assert components["vendor.zip"]["license"] == "GPL-3.0-only"
    assert "GPL-3.0-only" not in json.dumps(repository)  # nothing from the linked folders
    # Archives are read in memory: the files inside are listed, never extracted.
    inner = {i["path"] for c in content.values() for i in c["inner_files"]}
    assert {"vendor.zip!/inner/INSIDE_ZIP.py", "bundle.tar.gz!/inner/INSIDE_TAR.py"} <= inner
    _assert_hostile_files_recorded(_files(db))
    _assert_nothing_from_outside(out.encode(), err.encode(), db_bytes(db))
    with sqlite3.connect(db) as con:
        facts = json.loads(con.execute("SELECT facts_json FROM repositories").fetchone()[0])
    assert all(not p.startswith("LICENSES/") for p in facts["license_files"])
    assert facts["reuse_annotations"] == []
    # In text form no file name can forge a line or send the terminal an escape sequence.
    code, out, err = run_cli(capsys, "check", str(repo), "--db", str(db), "--jobs", "1")
    assert code in (0, 1), err
    assert "esc\\x1b]0;pwned" in out  # the GPL file is named, escaped
    assert not set(out + err) & {"\x1b", "\x07", "\r"}
    assert not [line for line in out.splitlines() if line.startswith("line.py")]
    # Nothing was extracted, created or run in the checkout or the working folder.
    assert sorted(p.name for p in repo.iterdir() if p.name != ".os2scan") == before
    assert not list(tmp_path.rglob("PWNED"))


def _hostile_git_setup(tmp_path: Path, repo: Path) -> Path:
    """Git configuration and hooks in `repo` that would each touch a marker file if run."""
    markers = tmp_path / "markers"
    markers.mkdir()
    sub = make_repo(tmp_path / "subproject", {"SUBMODULE_ONLY.py": GPL_HEADER})
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "libs/sub")
    (repo / ".gitattributes").write_text("* filter=evil diff=evil merge=evil\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "submodule and attributes")

    def touch(name: str) -> str:
        return f"touch '{markers}/{name}'"

    config = {
        "filter.evil.smudge": touch("smudge"),
        "filter.evil.clean": touch("clean"),
        "filter.evil.process": touch("process"),
        "filter.evil.required": "true",
        "diff.evil.textconv": touch("textconv"),
        "diff.external": touch("diff-external"),
        "merge.evil.driver": touch("merge-driver"),
        "core.fsmonitor": touch("fsmonitor"),
        "core.pager": touch("pager"),
        "core.sshCommand": touch("ssh"),
        "core.askPass": touch("askpass"),
        "core.editor": touch("editor"),
        "credential.helper": "!" + touch("credential"),
        "uploadpack.packObjectsHook": touch("pack-objects-hook"),
        "core.hooksPath": str(repo / ".git" / "evil-hooks"),
    }
    for key, value in config.items():
        git(repo, "config", key, value)
    for hooks in (repo / ".git" / "hooks", repo / ".git" / "evil-hooks"):
        hooks.mkdir(exist_ok=True)
        for hook in (
            "post-checkout", "post-merge", "pre-commit", "post-commit", "reference-transaction",
            "post-index-change", "fsmonitor-watchman", "pre-auto-gc", "post-rewrite",
            "pre-push", "push-to-checkout", "post-update", "update", "pre-receive",
        ):  # fmt: skip
            script = hooks / hook
            script.write_text(f"#!/bin/sh\n{touch(hooks.name + '-' + hook)}\n", encoding="utf-8")
            script.chmod(0o755)
    return markers


def test_git_config_hooks_filters_and_submodules_of_a_scanned_repository_never_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = make_repo(tmp_path / "src $(touch PWNED) ;x", mpl_files(**{"README.md": "# hi\n"}))
    markers = _hostile_git_setup(tmp_path, repo)
    db = tmp_path / "scan.sqlite"
    workspace = tmp_path / "workspace"
    portfolio = write_portfolio(tmp_path / "portfolio.yaml", [("Evil", "git", str(repo))])
    monkeypatch.chdir(tmp_path)

    code, _out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(db), "--workspace",
                              str(workspace), "--jobs", "1", "--quiet")

    assert code == 0, err
    assert "Traceback" not in err
    (checkout,) = [p for p in workspace.iterdir() if p.is_dir()]
    assert (checkout / "src" / "app.py").is_file()
    # The submodule is recorded nowhere and not fetched: its folder is empty.
    assert not any((checkout / "libs" / "sub").iterdir())
    files = _files(db)
    assert "src/app.py" in files
    assert not [p for p in files if p.startswith("libs/sub")]
    # The clone's own configuration names only its origin: nothing of the source's.
    keys = {
        line.split("=", 1)[0]
        for line in git(checkout, "config", "--file", ".git/config", "--list").splitlines()
    }
    assert keys <= {
        "core.repositoryformatversion", "core.filemode", "core.bare",
        "core.logallrefupdates", "remote.origin.url", "core.ignorecase",
        "core.precomposeunicode", "extensions.objectformat", "core.symlinks",
    }, keys  # fmt: skip
    assert list(markers.iterdir()) == []

    # The same repository checked in place, with its hostile .git/config and hooks.
    code, _out, err = run_cli(capsys, "check", str(repo), "--db", str(tmp_path / "check.sqlite"),
                             "--jobs", "1", "--format", "json")

    assert code in (0, 1), err
    assert "Traceback" not in err
    paths = {f for f in _files(tmp_path / "check.sqlite")}
    assert "src/app.py" in paths
    assert not [p for p in paths if p.startswith("libs/sub/")]
    assert list(markers.iterdir()) == []
    assert not list(tmp_path.rglob("PWNED"))


def test_git_collector_keeps_hostile_symlinks_inside_the_clone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = hostile_repo(tmp_path)
    db = tmp_path / "scan.sqlite"
    workspace = tmp_path / "workspace"
    portfolio = write_portfolio(tmp_path / "portfolio.yaml", [("Evil", "git", str(repo))])
    monkeypatch.chdir(tmp_path)

    code, out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(db), "--workspace",
                             str(workspace), "--jobs", "1", "--quiet", "--out",
                             str(tmp_path / "reports"))

    assert code == 0, err
    assert "Traceback" not in err
    assert (tmp_path / "reports" / "report.xlsx").is_file()
    _assert_hostile_files_recorded(_files(db))
    _assert_nothing_from_outside(out.encode(), err.encode(), db_bytes(db))
    for _path, data in bytes_under([tmp_path / "reports"]):
        _assert_nothing_from_outside(data)
    assert not list(tmp_path.rglob("PWNED"))


def test_an_mpl_licence_file_is_still_found_beside_the_traps(tmp_path: Path) -> None:
    # A guard for the tests above: the fixture really is an MPL-2.0 project.
    repo = hostile_repo(tmp_path)
    assert (repo / "LICENSE").read_text(encoding="utf-8") == MPL_TEXT
    assert os.readlink(repo / "passwd_link") == "/etc/passwd"


def test_terminal_escape_sequences_in_declarations_are_shown_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    repo = make_repo(
        tmp_path / "escapes",
        mpl_files(
            **{
                "package.json": '{"license": "\\u001b]0;pwned\\u0007MIT\\r\\nfake: ok"}',
                "setup.cfg": "\x1b]0;cfg\x07 no section\n",
                "publiccode.yml": 'legal:\n  license: "\\e]0;pc\\a"\n'
                '  mainCopyrightOwner: "Evil \\e[31m Corp"\n',
            }
        ),
    )

    code, out, err = run_cli(capsys, "check", str(repo), "--db", str(tmp_path / "db.sqlite"),
                             "--jobs", "1", "--fail-on", "never")

    assert code == 0, err
    assert "package.json declares the licence as '\\x1b]0;pwned\\x07MIT" in out
    assert not set(out + err) & {"\x1b", "\x07", "\r"}
    assert not [line for line in out.splitlines() if line.startswith("fake: ok")]


def test_a_folder_replaced_by_a_symlink_after_the_commit_is_not_followed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The index lists d/secret.txt and d/App.csproj; on disk, d now leads outside.
    monkeypatch.chdir(tmp_path)
    outside = _outside(tmp_path)
    (outside / "App.csproj").write_text(
        "<Project><PropertyGroup><PackageLicenseExpression>GPL-3.0-only"
        "</PackageLicenseExpression></PropertyGroup></Project>",
        encoding="utf-8",
    )
    repo = make_repo(
        tmp_path / "replaced",
        mpl_files(**{"d/secret.txt": "hello\n", "d/App.csproj": "<Project/>\n"}),
    )
    for name in ("secret.txt", "App.csproj"):
        (repo / "d" / name).unlink()
    (repo / "d").rmdir()
    os.symlink(outside, repo / "d")
    db = tmp_path / "db.sqlite"

    code, out, err = run_cli(capsys, "check", str(repo), "--db", str(db), "--jobs", "1",
                             "--format", "json", "--fail-on", "never")

    assert code == 0, err
    files = _files(db)
    assert files["d/secret.txt"][1] == "symlink"
    assert files["d/App.csproj"][1] == "symlink"
    assert "GPL-3.0" not in out
    _assert_nothing_from_outside(out.encode(), db_bytes(db))
    assert b"Outside" not in db_bytes(db)


def test_named_pipes_in_a_plain_folder_are_never_opened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Reading a FIFO blocks until someone writes to it: a scan that opened one would hang.
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "plain"
    for rel, text in mpl_files().items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(str(text), encoding="utf-8")
    (folder / ".reuse").mkdir()
    pipes = ["package.json", "publiccode.yml", "REUSE.toml", "pipe.py", ".reuse/dep5",
             "src/app.py.license", "LICENSE-MIT"]
    for rel in pipes:
        os.mkfifo(folder / rel)
    fired = threading.Event()

    def unblock() -> None:  # after a minute, let a hung reader see end-of-file
        if not finished.wait(60):
            fired.set()
            for rel in pipes:
                with contextlib.suppress(OSError):
                    os.close(os.open(folder / rel, os.O_WRONLY | os.O_NONBLOCK))

    finished = threading.Event()
    watchdog = threading.Thread(target=unblock, daemon=True)
    watchdog.start()
    try:
        code, out, err = run_cli(capsys, "check", str(folder), "--db",
                                 str(tmp_path / "db.sqlite"), "--jobs", "1", "--format", "json")
    finally:
        finished.set()
    assert not fired.is_set(), "the scan blocked on a named pipe"
    assert code in (0, 1), err
    assert json.loads(out)["repositories"][0]["declared_license"] == "MPL-2.0"
