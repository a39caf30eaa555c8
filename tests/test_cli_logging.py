"""`-v`: os2scan's own log lines, with timestamps and the time each phase took; libraries stay
quiet; the flag works before or after the command."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from conftest import make_repo, run_cli

from scanner.cli.logs import OWN_LOGGERS, configure

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} (DEBUG|INFO|WARNING|ERROR) ([\w.]+): "
)
#: a tiny PNG: a file with nothing for the licence detector, so no scancode index is loaded
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def _restore_logging() -> None:
    yield
    configure(0)


def _scan(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    before: str = "",
    after: str = "",
    out: bool = False,
) -> list[str]:
    """The stderr lines of `os2scan [before] scan PORTFOLIO [after] ...`."""
    repo = make_repo(tmp_path / "logo", {"logo.png": PNG})
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(
        f"name: Logs\nproducts:\n  - name: OS2logo\n    repositories:\n      - path: {repo}\n",
        encoding="utf-8",
    )
    code, _, stderr = run_cli(
        capsys, *[f for f in (before,) if f], "scan", str(portfolio), *[f for f in (after,) if f],
        "--db", str(tmp_path / "db.sqlite"),
        *(["--out", str(tmp_path / "out")] if out else []), "--jobs", "1",
    )  # fmt: skip
    assert code == 0, stderr
    return stderr.splitlines()


def test_v_after_the_command_shows_only_os2scans_loggers_with_phase_timings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import matplotlib.font_manager  # noqa: F401 - a library that logs at DEBUG when asked

    lines = _scan(tmp_path, capsys, after="-v", out=True)
    lines = [line for line in lines if line]
    assert lines, "-v printed nothing"
    loggers = set()
    for line in lines:
        match = LOG_LINE.match(line)
        assert match, f"not an os2scan log line: {line!r}"
        assert match.group(1) != "DEBUG", line
        loggers.add(match.group(2))
    assert all(name.split(".")[0] in OWN_LOGGERS for name in loggers), loggers
    text = "\n".join(lines)
    for phase in ("collect logo", "inventory logo", "rules logo", "render html", "render xlsx"):
        assert re.search(rf"scanner.phases: {phase}: \d+\.\d{{3}} s", text), phase
    assert re.search(r"scan \d+ complete: collect \d+\.\d\d s, inventory .*rules", text)


def test_v_before_the_command_counts_with_v_after_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _scan(tmp_path, capsys, before="-v", after="-v")
    assert any(" DEBUG " in line for line in lines)
    assert logging.getLogger("matplotlib").getEffectiveLevel() == logging.WARNING


def test_without_v_a_scan_logs_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [line for line in _scan(tmp_path, capsys) if line] == []


def test_vvv_lets_the_libraries_speak() -> None:
    configure(3)
    assert logging.getLogger("matplotlib").getEffectiveLevel() == logging.DEBUG
    configure(1)
    assert logging.getLogger("matplotlib").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("scanner.pipeline").getEffectiveLevel() == logging.INFO
