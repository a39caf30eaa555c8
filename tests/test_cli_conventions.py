"""Conventions every command keeps: one --format text|json where data is printed, -v on every
command, colours only for a person at a terminal, and every environment variable in --help."""

from __future__ import annotations

import io
import re
from pathlib import Path

import click
import pytest
from conftest import run_cli

from scanner.cli import cli
from scanner.cli.terminal import interactive, paint

ROOT = Path(__file__).resolve().parents[1]
#: the commands that print data (not files)
DATA_COMMANDS = ["scan", "check", "scans", "prune", "rules list", "rules explain",
                 "rules validate"]  # fmt: skip


def _command(path: str) -> click.Command:
    command: click.Command = cli
    for part in path.split():
        assert isinstance(command, click.Group)
        command = command.commands[part]
    return command


def _options(command: click.Command) -> dict[str, click.Option]:
    return {o: p for p in command.params if isinstance(p, click.Option) for o in p.opts}


@pytest.mark.parametrize("path", DATA_COMMANDS)
def test_data_commands_take_one_format_option_with_text_and_json(path: str) -> None:
    option = _options(_command(path)).get("--format")
    assert option is not None, path
    assert isinstance(option.type, click.Choice)
    assert {"text", "json"} <= set(option.type.choices), path
    assert option.default == "text", path


def _every_command(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _every_command(command, f"{prefix}{name} ")
    return found


def test_every_command_takes_v_after_its_name() -> None:
    for path, command in _every_command(cli):
        assert "-v" in _options(command), path


def test_help_lists_every_environment_variable_the_code_reads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = set()
    for source in (ROOT / "scanner").rglob("*.py"):
        names |= set(re.findall(r"\"((?:OS2SCAN|GITHUB|GITLAB)_[A-Z_]+)\"", source.read_text()))
    assert {"GITHUB_TOKEN", "GITLAB_TOKEN", "OS2SCAN_DB"} <= names
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    listed = out.split("Environment variables:")[1]
    assert all(re.search(rf"^\s+{name}\s", listed, re.M) for name in names), names
    assert "NO_COLOR" in listed
    assert "CI " in listed
    code, out, _ = run_cli(capsys, "scan", "--help")
    assert "0: one per core" in " ".join(out.split())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colours_only_on_a_terminal_outside_ci_and_without_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert interactive(_Terminal())
    assert paint("error", _Terminal()) == click.style("error", fg="red")
    assert paint("error", io.StringIO()) == "error"  # a pipe or a file
    monkeypatch.setenv("NO_COLOR", "1")
    assert paint("error", _Terminal()) == "error"
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("CI", "true")
    assert paint("compliant", _Terminal()) == "compliant"
