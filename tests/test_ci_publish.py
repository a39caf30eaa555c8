"""The scheduled publish workflows: GitHub Actions (.github/workflows/publish.yml) and the GitLab
CI schedule (ci/publish.gitlab-ci.yml) pass actionlint and zizmor, and the exact `os2scan`
command lines they run, run twice against the demo portfolio as two weekly runs would, publish
the site, keep the history and write the issue for a product that turned non-compliant."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ci_helpers import ROOT, gpl_file, load_yaml, os2scan_lines, shell_words

from scanner.cli import main

WORKFLOW = ".github/workflows/publish.yml"
GITLAB = "ci/publish.gitlab-ci.yml"
DEMO = ROOT / "scanner" / "demo"
SHA_PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


def tool(name: str) -> str:
    """A linter installed with the test extra, next to this Python."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed (make install-test)"
    return found


def workflow_steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def run_command(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """Run one CI command line in-process; a scan gets `--jobs 1` so that the test session's
    licence index is reused."""
    extra = ["--jobs", "1"] if argv[0] == "scan" else []
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, *extra])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


# --- linting --------------------------------------------------------------------------------


def test_the_publish_workflow_passes_actionlint() -> None:
    completed = subprocess.run(
        [tool("actionlint"), "-no-color", WORKFLOW], cwd=ROOT, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_publish_workflow_passes_zizmor() -> None:
    completed = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", WORKFLOW],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_workflow_runs_weekly_and_by_hand_with_pinned_actions_and_least_privilege() -> None:
    workflow = load_yaml(WORKFLOW)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert [s["cron"] for s in triggers["schedule"]] == ["23 4 * * 1"]
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {}
    uses = [
        s["uses"] for job in workflow["jobs"] for s in workflow_steps(workflow, job) if "uses" in s
    ]
    assert uses, uses
    assert all(SHA_PINNED.fullmatch(u) for u in uses), uses
    scan, publish = workflow["jobs"]["scan"], workflow["jobs"]["publish"]
    assert scan["permissions"] == {"contents": "read", "issues": "write"}
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["needs"] == "scan"
    steps = workflow_steps(workflow, "scan")
    restore = next(s for s in steps if "cache/restore@" in s.get("uses", ""))
    save = next(s for s in steps if "cache/save@" in s.get("uses", ""))
    assert restore["with"]["path"] == save["with"]["path"] == "history"
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"])
    assert save["if"] == "always()"  # the history is kept even when a later step fails
    assert scan["env"]["OS2SCAN_DB"].endswith("/history/os2scan.sqlite")
    issue = next(s for s in steps if "gh issue create" in s.get("run", ""))
    assert issue["if"] == "hashFiles('regressions.md') != ''"


# --- the commands, run as two weekly runs would ---------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demo portfolio that the second run finds changed."""
    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy)
    return copy / "portfolio.yaml"


def break_the_compliant_product(portfolio: Path) -> None:
    """Between the runs a GPL file lands in the MPL-2.0 kalender: OS2kalender turns
    non-compliant."""
    (portfolio.parent / "kalender" / "src" / "gpl_helper.py").write_text(
        gpl_file(), encoding="utf-8"
    )


def script_lines(script: str | list[str]) -> list[str]:
    lines = script if isinstance(script, list) else script.splitlines()
    return [line.strip() for line in lines if line.strip()]


@pytest.mark.scancode
def test_the_github_workflows_commands_publish_the_site_and_the_issue(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path, monkeypatch
) -> None:
    workflow = load_yaml(WORKFLOW)
    steps = workflow_steps(workflow, "scan")
    work = tmp_path / "workspace"
    work.mkdir()
    env = {
        "PORTFOLIO": str(demo),  # what the `portfolio` input names
        "OS2SCAN_DB": str(work / "history" / "os2scan.sqlite"),
        "SITE_URL": "https://os2.example/compliance",
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
    }
    assert workflow["jobs"]["scan"]["env"]["PORTFOLIO"].endswith("'portfolios/os2.yaml' }}")
    commands = [line for s in steps if "run" in s for line in os2scan_lines(s["run"])]
    assert [c.split()[1] for c in commands] == ["scan", "regressions"]
    scan_step = next(s for s in steps if s.get("name") == "Scan")
    assert [x for x in script_lines(scan_step["run"]) if not x.startswith("os2scan ")] == [
        "mkdir -p history"
    ]
    monkeypatch.chdir(work)
    monkeypatch.setenv("OS2SCAN_DB", env["OS2SCAN_DB"])

    def weekly_run() -> None:
        subprocess.run(["mkdir", "-p", "history"], cwd=work, check=True)
        for command in commands:
            code, out, err = run_command(capsys, shell_words(command, env, work))
            assert code == 0, out + err

    weekly_run()
    first = {p.relative_to(work / "site").as_posix() for p in (work / "site").rglob("*")}
    assert not (work / "regressions.md").exists()  # the first scan has nothing to compare
    break_the_compliant_product(demo)
    weekly_run()

    site = work / "site"
    assert {p.relative_to(site).as_posix() for p in site.rglob("*")} == first  # stable URLs
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="chart-trend"' in index  # the history survived between the runs
    assert "since scan 1" in index or "siden scanning 1" in index
    endpoint = json.loads((site / "products" / "os2kalender.json").read_text(encoding="utf-8"))
    assert endpoint["status"] == "non-compliant"
    body = (work / "regressions.md").read_text(encoding="utf-8")
    assert body.startswith("# Licence compliance: OS2kalender turned non-compliant (scan 2)\n")
    assert "https://os2.example/compliance/products/os2kalender/index.html" in body
    assert "src/gpl\\_helper.py" in body
    assert "file-license-conflict" in body
    assert "OS2borger" not in body  # non-compliant before as well: no news

    # the title the issue step gives `gh issue create`
    title_expression = re.search(r'--title "\$\((.*?)\)"', steps[-2]["run"])
    assert title_expression, steps[-2]["run"]
    title = subprocess.run(
        ["bash", "-c", title_expression.group(1)], cwd=work, capture_output=True, text=True
    ).stdout.strip()
    assert title == "Licence compliance: OS2kalender turned non-compliant (scan 2)"


def test_the_gitlab_schedule_passes_the_same_checks_of_its_shape() -> None:
    template = load_yaml(GITLAB)
    job = template["pages"]
    assert [r["if"] for r in job["rules"]] == [
        '$CI_PIPELINE_SOURCE == "schedule"',
        '$CI_PIPELINE_SOURCE == "web"',
    ]
    assert job["cache"]["paths"] == ["history/"]
    assert job["cache"]["when"] == "always"
    assert job["variables"]["OS2SCAN_DB"] == "$CI_PROJECT_DIR/history/os2scan.sqlite"
    assert "public" in job["artifacts"]["paths"]  # what GitLab Pages publishes
    issue = next(line for line in job["script"] if "curl" in line)
    assert "/issues" in issue
    assert "PRIVATE-TOKEN: $OS2SCAN_ISSUE_TOKEN" in issue


@pytest.mark.scancode
def test_the_gitlab_schedules_commands_publish_the_site_and_the_issue(
    capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path, monkeypatch
) -> None:
    job = load_yaml(GITLAB)["pages"]
    project = tmp_path / "project"
    project.mkdir()
    variables = {
        **{k: v for k, v in job["variables"].items() if "$" not in v},
        "CI_PROJECT_DIR": str(project),
        "CI_PAGES_URL": "https://os2.example/compliance",
        "OS2SCAN_PORTFOLIO": str(demo),
    }
    variables["OS2SCAN_DB"] = job["variables"]["OS2SCAN_DB"].replace(
        "$CI_PROJECT_DIR", str(project)
    )
    variables["SITE_URL"] = variables["CI_PAGES_URL"]
    commands = os2scan_lines(job["script"])
    assert [c.split()[1] for c in commands] == ["scan", "regressions"]
    assert "mkdir -p history" in job["before_script"]
    monkeypatch.chdir(project)
    monkeypatch.setenv("OS2SCAN_DB", variables["OS2SCAN_DB"])

    for run_number in (1, 2):
        (project / "history").mkdir(exist_ok=True)
        if run_number == 2:
            break_the_compliant_product(demo)
        for command in commands:
            code, out, err = run_command(capsys, shell_words(command, variables, project))
            assert code == 0, out + err

    assert (project / "public" / "products" / "os2kalender" / "index.html").is_file()
    assert (project / "public" / "products" / "os2kalender" / "badge.svg").is_file()
    body = (project / "regressions.md").read_text(encoding="utf-8")
    assert body.startswith("# Licence compliance: OS2kalender turned non-compliant (scan 2)\n")
