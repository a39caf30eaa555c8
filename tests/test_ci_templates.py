"""The ready-made CI integration runs: the exact `os2scan` command lines of action.yml, the
GitLab CI template and the pre-commit hook, run against repositories made here, produce the
files their CI systems read."""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ci_helpers import (
    ROOT,
    action_inputs,
    github_expression,
    gitlab_job,
    gpl_file,
    load_yaml,
    mpl_project,
    os2scan_lines,
    shell_words,
    step,
    validate_codequality,
    validate_sarif,
)

from scanner.cli import main

pytestmark = pytest.mark.scancode


def run_in_process(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """Run os2scan with the argument vector of a CI command line, plus `--jobs 1` so the test
    session's licence index is reused."""
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--jobs", "1"])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


# --- GitHub Action --------------------------------------------------------------------------


def action_check_env(action: dict[str, Any], runner_temp: Path, **inputs: str) -> dict[str, str]:
    values = action_inputs(action, **inputs)
    return {
        name: github_expression(value, values, runner_temp)
        for name, value in step(action, "check")["env"].items()
    }


def test_the_action_is_composite_installs_from_its_own_path_and_uploads_sarif() -> None:
    action = load_yaml("action.yml")
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    check = step(action, "check")
    assert steps.index(install) < steps.index(check)
    [command] = os2scan_lines(check["run"])
    assert command.startswith("os2scan check ")
    assert "--format sarif --output" in command
    upload = steps[-1]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"
    assert "always()" in upload["if"]  # uploads the findings even when the check fails


def test_the_actions_command_writes_valid_sarif_naming_the_conflict(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path, monkeypatch
) -> None:
    workspace = repo_factory("borger-api", mpl_project(**{"src/gpl_helper.py": gpl_file()}))
    action = load_yaml("action.yml")
    env = action_check_env(action, tmp_path)
    [command] = os2scan_lines(step(action, "check")["run"])
    argv = shell_words(command, env, workspace)
    assert argv == ["check", ".", "--format", "sarif", "--output", "os2scan.sarif",
                    "--fail-on", "error"]  # fmt: skip
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("OS2SCAN_DB", env["OS2SCAN_DB"])

    code, out, err = run_in_process(capsys, argv)

    assert code == 1, out + err
    assert err.strip().startswith("1 error")  # the summary still goes to the job log
    log = json.loads((workspace / "os2scan.sarif").read_text(encoding="utf-8"))
    validate_sarif(log)
    [conflict] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "file-license-conflict"]
    location = conflict["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/gpl_helper.py"
    assert location["region"]["startLine"] == 2
    assert conflict["level"] == "error"
    assert Path(env["OS2SCAN_DB"]).is_file()  # the database stays out of the workspace


def test_the_action_keeps_the_detection_database_keyed_by_the_detector_version(
    tmp_path: Path,
) -> None:
    from scanner.analysis.detect import detector_version

    action = load_yaml("action.yml")
    cache = step(action, "cache")
    assert cache["uses"].startswith("actions/cache@")
    assert "${{ steps.detector.outputs.version }}" in cache["with"]["key"]
    assert cache["with"]["restore-keys"] in cache["with"]["key"]  # the newest of that detector
    cached = github_expression(cache["with"]["path"], action_inputs(action), tmp_path)
    database = Path(action_check_env(action, tmp_path)["OS2SCAN_DB"])
    assert database.parent == Path(cached)  # the check writes into what is cached

    outputs = tmp_path / "github_output"
    completed = subprocess.run(
        ["bash", "-e", "-c", step(action, "detector")["run"]],
        env={"GITHUB_OUTPUT": str(outputs), "PATH": _path_with_os2scan()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert outputs.read_text(encoding="utf-8") == f"version={detector_version()}\n"


def _path_with_os2scan() -> str:
    return f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"


def test_the_actions_policy_and_baseline_inputs_reach_the_command(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path, monkeypatch
) -> None:
    workspace = repo_factory("borger api", mpl_project(**{"src/gpl_helper.py": gpl_file()}))
    (workspace / "policy dir").mkdir()
    (workspace / "policy dir/os2scan policy.yaml").write_text("extends: os2\n", encoding="utf-8")
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("OS2SCAN_DB", str(tmp_path / "db.sqlite"))
    code, _, err = run_in_process(
        capsys, ["check", ".", "--write-baseline", "ci/baseline file.json", "-q"]
    )
    assert code == 0, err

    action = load_yaml("action.yml")
    env = action_check_env(
        action,
        tmp_path,
        policy="policy dir/os2scan policy.yaml",
        baseline="ci/baseline file.json",
        sarif_file="reports/os2scan.sarif",
    )
    [command] = os2scan_lines(step(action, "check")["run"])
    argv = shell_words(command, env, workspace)
    assert argv[-4:] == ["--policy", "policy dir/os2scan policy.yaml",
                         "--baseline", "ci/baseline file.json"]  # fmt: skip

    code, out, err = run_in_process(capsys, argv)

    assert code == 0, out + err
    log = json.loads((workspace / "reports/os2scan.sarif").read_text(encoding="utf-8"))
    validate_sarif(log)
    assert log["runs"][0]["properties"]["policySource"].endswith("os2scan policy.yaml")
    [conflict] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "file-license-conflict"]
    assert conflict["suppressions"][0]["justification"] == "in the baseline baseline file.json"


def test_the_actions_check_step_runs_as_written_and_keeps_the_exit_code(
    repo_factory, tmp_path: Path
) -> None:
    """The whole step script in bash with the installed os2scan, as the runner would run it."""
    workspace = repo_factory("borger-api", mpl_project(**{"src/gpl_helper.py": gpl_file()}))
    action = load_yaml("action.yml")
    outputs = tmp_path / "github_output"
    env = {
        **action_check_env(action, tmp_path),
        "GITHUB_OUTPUT": str(outputs),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ["HOME"],
    }

    completed = subprocess.run(
        ["bash", "-e", "-c", step(action, "check")["run"]],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert completed.returncode == 1, completed.stderr
    assert outputs.read_text(encoding="utf-8") == "sarif-file=os2scan.sarif\n"
    validate_sarif(json.loads((workspace / "os2scan.sarif").read_text(encoding="utf-8")))


# --- GitLab CI ------------------------------------------------------------------------------


def gitlab_env(job: dict[str, Any], project_dir: Path, **overrides: str) -> dict[str, str]:
    """The job's variables as GitLab expands them (`$CI_PROJECT_DIR` and the like)."""
    predefined = {"CI_PROJECT_DIR": str(project_dir)}
    variables = {name: str(value) for name, value in job["variables"].items()}
    variables.update(overrides)
    return {
        name: re.sub(r"\$\{?(\w+)\}?", lambda m: predefined.get(m.group(1), m.group(0)), value)
        for name, value in variables.items()
    }


def test_the_gitlab_template_publishes_the_code_quality_report() -> None:
    job = gitlab_job(load_yaml("ci/os2scan.gitlab-ci.yml"), "os2scan")
    [command] = os2scan_lines(job["script"])
    report = job["artifacts"]["reports"]["codequality"]
    assert f"--format codequality --output {report}" in command
    assert job["artifacts"]["when"] == "always"  # published when the check fails too
    assert report in job["artifacts"]["paths"]


def test_the_gitlab_template_asks_for_an_install_source(tmp_path: Path) -> None:
    job = gitlab_job(load_yaml("ci/os2scan.gitlab-ci.yml"), "os2scan")
    completed = subprocess.run(
        ["bash", "-c", job["before_script"][0]],
        env={"PATH": os.environ["PATH"], **gitlab_env(job, tmp_path)},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2
    assert "set OS2SCAN_INSTALL" in completed.stdout


def gitlab_database(job: dict[str, Any], env: dict[str, str], project: Path) -> Path:
    """Run the job's script up to the check, as the runner would; returns the database the
    check is then given (`$OS2SCAN_DB`)."""
    prelude = [line for line in job["script"] if not re.match(r"^os2scan\s", line)]
    completed = subprocess.run(
        ["bash", "-e", "-c", "\n".join([*prelude, 'echo "$OS2SCAN_DB"'])],
        cwd=project,
        env={**env, "PATH": _path_with_os2scan()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return Path(completed.stdout.strip())


def test_the_gitlab_template_keeps_one_database_per_detector_version(
    repo_factory, tmp_path: Path
) -> None:
    from scanner.analysis.detect import detector_version

    project = repo_factory("borger-api", mpl_project())
    job = gitlab_job(load_yaml("ci/os2scan.gitlab-ci.yml"), "os2scan")
    env = gitlab_env(job, project)
    older = Path(env["OS2SCAN_CACHE"]) / "scancode-31.0.0+index-0+os2scan-1"
    older.mkdir(parents=True)
    (older / "os2scan.sqlite").write_bytes(b"")

    database = gitlab_database(job, env, project)

    assert database == Path(env["OS2SCAN_CACHE"]) / detector_version() / "os2scan.sqlite"
    assert not older.exists()  # what an older detector found is never read again: removed
    cache = Path(env["OS2SCAN_CACHE"])
    assert any(cache.is_relative_to(project / path) for path in job["cache"]["paths"])


def test_the_gitlab_command_writes_stable_code_quality_reports(
    capsys: pytest.CaptureFixture[str], repo_factory, monkeypatch
) -> None:
    project = repo_factory(
        "borger-api",
        mpl_project(**{"src/gpl_helper.py": gpl_file(), "src/gpl_other.py": gpl_file("other")}),
    )
    job = gitlab_job(load_yaml("ci/os2scan.gitlab-ci.yml"), "os2scan")
    [command] = os2scan_lines(job["script"])
    env = gitlab_env(job, project)
    report_path = project / job["artifacts"]["reports"]["codequality"]
    database = gitlab_database(job, env, project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("OS2SCAN_DB", str(database))

    code, out, err = run_in_process(capsys, shell_words(command, env, project))
    assert code == 1, out + err
    first = json.loads(report_path.read_text(encoding="utf-8"))
    validate_codequality(first)
    conflicts = [i for i in first if i["check_name"] == "file-license-conflict"]
    assert sorted(i["location"]["path"] for i in conflicts) == [
        "src/gpl_helper.py",
        "src/gpl_other.py",
    ]
    assert {i["severity"] for i in conflicts} == {"critical"}
    assert database.is_file()
    assert any(database.is_relative_to(project / path) for path in job["cache"]["paths"])

    relaxed = gitlab_env(job, project, OS2SCAN_FAIL_ON="never")
    code, out, err = run_in_process(capsys, shell_words(command, relaxed, project))
    assert code == 0, out + err
    second = json.loads(report_path.read_text(encoding="utf-8"))
    assert [i["fingerprint"] for i in second] == [i["fingerprint"] for i in first]


# --- pre-commit -----------------------------------------------------------------------------


def test_the_pre_commit_hook_runs_check_on_the_repository(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path, monkeypatch
) -> None:
    [hook] = load_yaml(".pre-commit-hooks.yaml")
    assert hook["id"] == "os2scan"
    assert hook["language"] == "python"  # pre-commit pip-installs this repository
    assert hook["pass_filenames"] is False
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    executable = shlex.split(hook["entry"])[0]
    assert f"{executable} = " in setup["options.entry_points"]["console_scripts"]
    monkeypatch.setenv("OS2SCAN_DB", str(tmp_path / "db.sqlite"))
    argv = shlex.split(hook["entry"])[1:]

    monkeypatch.chdir(repo_factory("clean", mpl_project()))
    code, out, err = run_in_process(capsys, argv)
    assert code == 0, out + err

    monkeypatch.chdir(repo_factory("dirty", mpl_project(**{"src/gpl.py": gpl_file()})))
    code, out, err = run_in_process(capsys, argv)
    assert code == 1
    assert "src/gpl.py:2: error file-license-conflict" in out
