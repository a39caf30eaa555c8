"""The wheel is complete: built, installed into a fresh virtual environment and run from another
folder, `os2scan scan --out` finds the bundled demo portfolio and writes its reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.scancode]


#: The environment of the installed os2scan: no PYTHONPATH that could lead back to a source tree.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600,
        check=False, env=CLEAN_ENV,
    )  # fmt: skip


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """os2scan's wheel, built from this checkout without the network (no build isolation: the
    test environment's setuptools and wheel build it)."""
    dist = tmp_path_factory.mktemp("dist")
    built = run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--no-build-isolation",
                "--no-index", "-q", "-w", dist)  # fmt: skip
    assert built.returncode == 0, built.stderr
    (found,) = dist.glob("os2scan-*.whl")
    return found


def test_the_wheel_holds_the_demo_portfolio_the_licence_and_the_type_markers(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "scanner/demo/portfolio.yaml" in names
    assert "scanner/demo/kalender/src/kalender/slots.py" in names
    assert {"scanner/py.typed", "rules/py.typed", "reports/py.typed"} <= names
    assert "rules/policies/os2.yaml" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.startswith("tests/") for n in names)


#: A folder of wheels for every dependency (`make test` fills it with `pip wheel`): with it the
#: fresh environment installs os2scan's declared dependencies from it, without the network.
WHEELHOUSE = os.environ.get("OS2SCAN_TEST_WHEELHOUSE", "")


def install_wheel(wheel: Path, venv: Path) -> Path:
    """Install `wheel` into a new virtual environment at `venv`; its site-packages folder.

    With a wheelhouse, pip resolves os2scan's declared dependencies from it, so a dependency
    missing from setup.cfg fails here. Without one (a plain `pytest` run), the environment gets
    the wheel alone and borrows the test environment's packages through a .pth file."""
    # CI runs the suite through `make test`, which always gives a wheelhouse.
    assert WHEELHOUSE or not os.environ.get("CI"), "no OS2SCAN_TEST_WHEELHOUSE under CI"
    assert run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    python = venv / "bin" / "python"
    wheelhouse = ["--find-links", str(Path(WHEELHOUSE).resolve())]
    sources = wheelhouse if WHEELHOUSE else ["--no-deps"]
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-index",
                    "-q", *sources, wheel)  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .stdout.strip())  # fmt: skip
    if not WHEELHOUSE:
        (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return site


def test_an_installed_wheel_scans_its_demo_portfolio_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    """A fresh virtual environment gets the wheel and its dependencies, and the package that
    runs from another folder is the installed one, with no source tree involved."""
    venv = tmp_path / "venv"
    site = install_wheel(wheel, venv)
    python = venv / "bin" / "python"

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run(python, "-c", "import scanner, rules, reports; "
                "print(scanner.__file__, rules.__file__, reports.__file__)", cwd=elsewhere)
    assert all(path.startswith(str(site)) for path in where.stdout.split()), where.stdout
    if WHEELHOUSE:  # the dependencies are the fresh environment's own
        scancode = run(python, "-c", "import licensedcode; print(licensedcode.__file__)")
        assert scancode.stdout.startswith(str(site)), scancode.stdout + scancode.stderr

    env = {**CLEAN_ENV, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    scan = subprocess.run(
        [str(venv / "bin" / "os2scan"), "scan", "--out", "out", "--jobs", "1", "--quiet"],
        cwd=elsewhere, capture_output=True, text=True, timeout=600, env=env, check=False,
    )
    assert scan.returncode in (0, 1), scan.stderr  # 1: the demo has violations on purpose
    report = json.loads((elsewhere / "out" / "report.json").read_text(encoding="utf-8"))
    assert len(report["repositories"]) == 4
    assert all(r["status"] != "failed" for r in report["repositories"])
    assert (elsewhere / "out" / "index.html").is_file()
