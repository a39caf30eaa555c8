"""Helpers for the security, reliability and fuzz tests: hostile repositories, runners, probes."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from conftest import git, make_repo

from scanner.cli import main

ROOT = Path(__file__).resolve().parents[1]
MPL_TEXT = (ROOT / "scanner" / "demo" / "kalender" / "LICENSE").read_text(encoding="utf-8")

#: What the first line of /etc/passwd starts with: must never be read into anything we write.
PASSWD_MARK = b"root:x:0:0"

#: A fake GitHub token of the real shape (ghp_ + 36 characters).
FAKE_GITHUB_TOKEN = "ghp_" + "Zq7TestTokenNotRealAbCdEfGhIjKlMnOp12"
FAKE_GITLAB_TOKEN = "glpat-" + "TestTokenNotReal9xYz8wVu"

__all__ = [
    "FAKE_GITHUB_TOKEN",
    "FAKE_GITLAB_TOKEN",
    "MPL_TEXT",
    "PASSWD_MARK",
    "ROOT",
    "SmallDisk",
    "bytes_under",
    "child_env",
    "db_bytes",
    "git",
    "integrity",
    "make_repo",
    "mpl_files",
    "os2scan_command",
    "run_cli",
    "run_subprocess",
    "scan_rows",
    "write_portfolio",
]


def mpl_files(name: str = "app", **extra: str | bytes) -> dict[str, str | bytes]:
    """A small compliant MPL-2.0 project, plus `extra` files."""
    files: dict[str, str | bytes] = {
        "LICENSE": MPL_TEXT,
        f"src/{name}.py": (
            "# SPDX-FileCopyrightText: 2024 OS2 - Offentligt Digitaliseringsfællesskab\n"
            "# SPDX-License-Identifier: MPL-2.0\n"
            f"print('{name}')\n"
        ),
    }
    files.update(extra)
    return files


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run os2scan in this process (sharing the session's licence index): (code, out, err)."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else (0 if code is None else 2)), out, err


def os2scan_command(*args: str) -> list[str]:
    """The command line of a real os2scan process with this interpreter."""
    return [sys.executable, "-m", "scanner", *args]


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.pop("COV_CORE_SOURCE", None)
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def run_subprocess(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[bytes]:
    """Run os2scan as its own process to completion; returns the completed process (bytes)."""
    return subprocess.run(
        os2scan_command(*args),
        cwd=cwd or ROOT,
        env=env or child_env(),
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def write_portfolio(path: Path, entries: Sequence[tuple[str, str, str]]) -> Path:
    """A portfolio file of (product, source kind, locator) entries; returns its path."""
    products: dict[str, list[tuple[str, str]]] = {}
    for product, kind, locator in entries:
        products.setdefault(product, []).append((kind, locator))
    lines = ["name: Hostile", "products:"]
    for product, repos in products.items():
        lines += [f"  - name: {product}", "    repositories:"]
        lines += [f"      - {kind}: '{locator}'" for kind, locator in repos]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bytes_under(paths: Iterable[Path]) -> Iterable[tuple[Path, bytes]]:
    """Every regular file under `paths` (files or folders) with its content; links not followed."""
    for top in paths:
        if top.is_symlink() or not top.exists():
            continue
        if top.is_file():
            yield top, top.read_bytes()
            continue
        for dirpath, _dirs, names in os.walk(top):
            for name in names:
                full = Path(dirpath) / name
                if full.is_symlink() or not full.is_file():
                    continue
                yield full, full.read_bytes()


def db_bytes(db: Path) -> bytes:
    """The database file and its WAL and shared-memory files, as raw bytes."""
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = Path(f"{db}{suffix}")
        if part.exists():
            data += part.read_bytes()
    return data


def scan_rows(db: Path, scan_id: int) -> dict[str, object]:
    """What a scan stored, independent of ids and times: per repository its declared
    licence, error and files, and the scan's violations (sorted), for comparing two runs."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        repos = {}
        for rid, product, name, error, facts in con.execute(
            "SELECT id, product, name, error, facts_json FROM repositories WHERE scan_id = ?",
            (scan_id,),
        ):
            files = sorted(
                con.execute(
                    "SELECT path, blob_sha, kind, license_expression, license_source, "
                    "holders_json, skipped FROM files WHERE repository_id = ?",
                    (rid,),
                ).fetchall()
            )
            repos[(product, name)] = (error, facts, files)
        violations = sorted(
            con.execute(
                "SELECT rule, severity, product, repository, path, line, license, message "
                "FROM violations WHERE scan_id = ?",
                (scan_id,),
            ).fetchall(),
            key=repr,
        )
    return {"repositories": repos, "violations": violations}


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


class SmallDisk:
    """A tiny tmpfs mounted at `path` (root only): a disk that can be filled or made read-only.

    Skips the calling test when it cannot be mounted (tests running as an ordinary user).
    """

    def __init__(self, path: Path, size_kib: int) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            pytest.skip("mounting a small tmpfs needs root; this sub-case runs as root in CI")
        done = _mount("-t", "tmpfs", "-o", f"size={size_kib}k,mode=0777", "tmpfs", str(path))
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")

    def fill(self, leave_kib: int) -> Path:
        """Fill the disk until only about `leave_kib` KiB are free; returns the filler file."""
        filler = self.path / "filler"
        free = os.statvfs(self.path).f_bavail * os.statvfs(self.path).f_frsize
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            os.write(fd, b"\0" * max(0, free - leave_kib * 1024))
        except OSError as exc:  # full already: that is the point
            assert exc.errno == errno.ENOSPC, exc  # noqa: PT017 - the error is the expected outcome here
        finally:
            os.close(fd)
        return filler

    def read_only(self, yes: bool = True) -> None:
        mode = "ro" if yes else "rw"
        done = _mount("-o", f"remount,{mode}", str(self.path))
        assert done.returncode == 0, done.stderr

    def close(self) -> None:
        _mount("-o", "remount,rw", str(self.path))
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True, check=False)


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as con:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
