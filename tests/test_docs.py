"""The README tells the truth: its example output is what os2scan prints, every command it
lists exists and has help, and every command os2scan has is in it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pytest

from scanner.cli import cli, main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _example(command: str) -> list[str]:
    """The lines the README shows after `$ <command>`, up to the next prompt."""
    block = README.split(f"$ {command}\n", 1)[1]
    return block.split("\n$ ", 1)[0].splitlines()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    return int(exit_info.value.code or 0), capsys.readouterr().out.splitlines()


@pytest.mark.scancode
def test_the_readme_shows_what_a_demo_scan_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(ROOT / "scanner" / "demo", demo)

    code, lines = _run(capsys, "scan", str(demo / "portfolio.yaml"), "--db",
                       str(tmp_path / "db.sqlite"), "--jobs", "1", "--quiet")

    assert code == 0
    assert lines == [line for line in _example(".venv/bin/os2scan scan --out out")
                     if not line.startswith("Reports written")]


@pytest.mark.scancode
def test_the_readme_shows_what_a_check_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    repo = tmp_path / "borger-api"
    shutil.copytree(ROOT / "scanner" / "demo" / "borger-api", repo)

    code, lines = _run(capsys, "check", str(repo), "--db", str(tmp_path / "db.sqlite"),
                       "--jobs", "1")

    assert code == 1
    assert lines == _example(".venv/bin/os2scan check scanner/demo/borger-api")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix}{name} "))
    return names


@pytest.mark.parametrize("command", _commands(cli))
def test_every_command_has_help_and_is_in_the_readme(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, lines = _run(capsys, *command.split(), "--help")

    assert code == 0
    assert lines[0].startswith("Usage: os2scan")
    top = command.split()[0]
    assert re.search(rf"`os2scan {top}\b", README), f"README does not mention os2scan {top}"


def test_every_test_security_md_names_exists() -> None:
    """SECURITY.md states each promise next to the tests that prove it: every test file and
    test function it names must exist, so a renamed or removed test cannot leave a promise
    without proof."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named: list[tuple[str, str | None]] = []
    for cell in re.findall(r"`(tests/[\w/]+\.py(?:::\w+)?|::\w+)`", text):
        if cell.startswith("::"):
            assert named, f"{cell} follows no test file"
            named.append((named[-1][0], cell[2:]))
        else:
            file, _, name = cell.partition("::")
            named.append((file, name or None))
    assert len(named) > 40
    for file, name in named:
        path = ROOT / file
        assert path.is_file(), file
        if name is not None:
            assert re.search(rf"^def {name}\(", path.read_text(encoding="utf-8"), re.M), (
                f"{file}::{name}"
            )


def test_test_files_are_named_after_modules_and_mark_their_concern() -> None:
    """A concern (reliability, security, perf, slow) is a marker, never a file name prefix."""
    tests = ROOT / "tests"
    concern_named = [
        p.name for p in tests.glob("test_*.py")
        if p.name.startswith(("test_security_", "test_reliability_", "test_perf_", "test_fuzz_"))
    ]  # fmt: skip
    assert concern_named == []
    for concern in ("reliability", "security", "perf", "slow"):
        marked = [p for p in tests.glob("test_*.py") if f"pytest.mark.{concern}" in p.read_text()]
        assert marked, concern
