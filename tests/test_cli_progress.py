"""Progress output: a live line on a terminal, nothing in CI, with --quiet or into a pipe."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "scanner" / "demo"
OS2SCAN = [sys.executable, "-m", "scanner"]

pytestmark = pytest.mark.scancode


def _run_on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run os2scan with stderr on a pseudo-terminal; returns (exit code, what it drew)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        OS2SCAN + args, stdout=subprocess.DEVNULL, stderr=follower, env=env, cwd=ROOT
    )
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    return process.wait(timeout=300), drawn.decode("utf-8", "replace")


def test_a_terminal_gets_a_progress_bar_with_percentage_and_time_left(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env["COLUMNS"] = "120"
    args = ["scan", "--db", str(tmp_path / "db.sqlite"), "--jobs", "1"]

    code, drawn = _run_on_terminal(args, env)

    assert code == 0, drawn
    assert re.search(r"\d+%", drawn), drawn[-2000:]
    assert "ETA" in drawn
    assert "[1/4]" in drawn or "[2/4]" in drawn
    assert "files" in drawn
    assert "\x1b[" in drawn  # drawn in place, with colour

    code, drawn = _run_on_terminal([*args, "--quiet"], env)
    assert code == 0
    assert "ETA" not in drawn

    code, drawn = _run_on_terminal(args, {**env, "CI": "true"})
    assert code == 0
    assert "ETA" not in drawn
    assert "\x1b[" not in drawn

    # check draws the bar too, on a terminal
    code, drawn = _run_on_terminal(
        ["check", str(DEMO / "kalender"), "--db", str(tmp_path / "db.sqlite"), "--jobs", "1"],
        env,
    )
    assert code == 0, drawn[-2000:]
    assert "ETA" in drawn
