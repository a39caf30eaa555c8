"""Every file is judged or reported: a file os2scan cannot read in full gets one
`unchecked-file` warning with the reason, never the declared licence, and SPDX says
NOASSERTION for it. Files that hide a licence header (minified, generated, UTF-16, a stray NUL)
are read and judged."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_helpers import ROOT, child_env, git, make_repo, mpl_files, run_cli

from scanner.analysis.inventory import list_files

pytestmark = [pytest.mark.scancode, pytest.mark.security]

GPL_HEADER = (
    "/* SPDX-License-Identifier: GPL-3.0-only\n"
    " * Copyright (c) 2024 Someone Else\n"
    " * This program is free software: you can redistribute it and/or modify it under the\n"
    " * terms of the GNU General Public License as published by the Free Software\n"
    " * Foundation, version 3. */\n"
)
LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 12345\n"
)


def _check(capsys: pytest.CaptureFixture[str], repo: Path, *args: str) -> tuple[int, str]:
    code, out, err = run_cli(capsys, "check", str(repo), "--jobs", "1", "--fail-on", "never",
                             *args)
    assert code == 0, out + err
    return code, out


def _findings(out: str, rule: str) -> dict[str, str]:
    """path -> message of each `rule` finding in the text report."""
    found = {}
    for line in out.splitlines():
        location, sep, rest = line.partition(f": warning {rule} ")
        if not sep:
            location, sep, rest = line.partition(f": error {rule} ")
        if sep:
            found[location.rsplit(":", 1)[0] if location.count(":") else location] = rest
    return found


@pytest.fixture(scope="module")
def unread(tmp_path_factory: pytest.TempPathFactory, scancode_index: object) -> dict[str, object]:
    """An MIT project with files os2scan cannot read in full, checked once in every format."""
    root = tmp_path_factory.mktemp("unread")
    files = mpl_files("app")
    files["LICENSE"] = "MIT License\n\nPermission is hereby granted, free of charge, to any person"
    files["data/model.csv"] = LFS_POINTER
    files["data/dump.sql"] = GPL_HEADER + "INSERT INTO t VALUES (1);\n" * 220_000  # > 5 MB
    files["lib/native.so"] = b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 64
    repo = make_repo(root / "app", files)
    outputs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        for fmt in ("text", "json", "sarif"):
            target = root / f"report.{fmt}"
            from scanner.cli import main

            with pytest.raises(SystemExit) as done:
                main(["check", str(repo), "--jobs", "1", "--fail-on", "never", "--format", fmt,
                      "--output", str(target), "--quiet"])
            assert done.value.code == 0
            outputs[fmt] = target.read_text(encoding="utf-8")
        portfolio = root / "p.yaml"
        portfolio.write_text(f"name: U\nproducts:\n  - name: App\n    repositories:\n"
                             f"      - path: '{repo}'\n", encoding="utf-8")
        with pytest.raises(SystemExit) as done:
            main(["scan", str(portfolio), "--out", str(root / "out"), "--jobs", "1", "--quiet"])
        assert done.value.code == 0
    outputs["out"] = root / "out"
    return outputs


def test_each_file_not_read_in_full_gets_one_warning_with_its_reason(
    unread: dict[str, object],
) -> None:
    found = _findings(str(unread["text"]), "unchecked-file")
    assert found == {
        "data/dump.sql": "data/dump.sql was not checked: too large.",
        "data/model.csv": "data/model.csv was not checked: git-lfs pointer.",
        "lib/native.so": "lib/native.so was not checked: binary.",
    }


def test_unread_files_never_get_the_declared_licence(unread: dict[str, object]) -> None:
    out = unread["out"]
    assert isinstance(out, Path)
    rows = list(csv.DictReader(io.StringIO((out / "files.csv").read_text(encoding="utf-8"))))
    by_path = {row["path"]: row for row in rows}
    for path in ("data/dump.sql", "data/model.csv", "lib/native.so"):
        assert by_path[path]["license"] == "", by_path[path]
        assert by_path[path]["skipped"]
    assert by_path["src/app.py"]["license"] == "MPL-2.0"


def test_spdx_asserts_nothing_about_unread_files(unread: dict[str, object]) -> None:
    out = unread["out"]
    assert isinstance(out, Path)
    [document] = list(out.glob("**/*.spdx.json"))
    files = {f["fileName"]: f for f in json.loads(document.read_text(encoding="utf-8"))["files"]}
    for path in ("./data/dump.sql", "./data/model.csv", "./lib/native.so"):
        assert files[path]["licenseConcluded"] == "NOASSERTION"
        assert files[path]["licenseInfoInFiles"] == ["NOASSERTION"]
        assert files[path]["copyrightText"] == "NOASSERTION"
    assert files["./src/app.py"]["licenseConcluded"] == "MPL-2.0"


def test_a_folder_too_deep_to_open_is_recorded_not_dropped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "LICENSE").write_text("MIT License\n", encoding="utf-8")
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(24):  # 24 * 201 characters: beyond PATH_MAX
            os.mkdir("d" * 200, dir_fd=fd)
            deeper = os.open("d" * 200, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        handle = os.open("gpl.c", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        os.write(handle, GPL_HEADER.encode())
        os.close(handle)
    finally:
        os.close(fd)
    _, out = _check(capsys, folder)
    [(path, message)] = _findings(out, "unchecked-file").items()
    assert path.startswith("d" * 200 + "/")
    assert "file name too long" in message


def test_files_that_cannot_be_opened_are_listed_with_the_reason(tmp_path: Path) -> None:
    """chmod 000 files, listed by a process that really cannot read them (root reads anyway,
    so as root the listing runs without the capabilities that override file permissions)."""
    repo = make_repo(tmp_path / "app", mpl_files(**{"src/secret.py": GPL_HEADER}))
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "secret.py").write_text(GPL_HEADER, encoding="utf-8")
    for locked in (repo / "src" / "secret.py", plain / "secret.py"):
        locked.chmod(0o000)
    script = (
        "import json, sys; from scanner.analysis.inventory import list_files; "
        "print(json.dumps({e.path: e.unreadable for e in list_files(sys.argv[1])}))"
    )
    without_override = (
        ["setpriv", "--inh-caps=-all", "--ambient-caps=-all",
         "--bounding-set=-dac_override,-dac_read_search"]
        if os.geteuid() == 0
        else []
    )
    for root, name in ((repo, "src/secret.py"), (plain, "secret.py")):
        done = subprocess.run(
            [*without_override, sys.executable, "-c", script, str(root)],
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        listed = json.loads(done.stdout)
        assert listed[name] == "permission denied", listed


def test_listing_in_this_process_reads_what_it_can(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "app", mpl_files())
    assert all(e.unreadable is None for e in list_files(repo))
    assert git(repo, "ls-files")
