"""Helpers for the CI integration tests: the SARIF schema, the Code Quality shape, the CI
templates and running their `os2scan` command lines."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared/schemas/sarif-schema-2.1.0.json"
MPL_TEXT = (ROOT / "scanner" / "demo" / "kalender" / "LICENSE").read_text(encoding="utf-8")

APP_PY = (
    "# SPDX-FileCopyrightText: 2024 OS2 - Offentligt Digitaliseringsfællesskab\n"
    "# SPDX-License-Identifier: MPL-2.0\n"
    "print('hej')\n"
)


def gpl_file(name: str = "helper") -> str:
    return (
        "# SPDX-FileCopyrightText: 2021 Some Contributor\n"
        "# SPDX-License-Identifier: GPL-3.0-only\n"
        f"def {name}():\n    return 1\n"
    )


def mpl_project(**extra: str) -> dict[str, str]:
    """A compliant MPL-2.0 project, plus `extra` files (path -> text)."""
    return {"LICENSE": MPL_TEXT, "src/app.py": APP_PY, **extra}


def validate_sarif(log: dict[str, Any]) -> None:
    """Validate a SARIF log against the official SARIF 2.1.0 schema (skip when absent)."""
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the official SARIF 2.1.0 schema is not at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]
    )


#: The shape of GitLab's Code Quality report (the fields GitLab reads; it allows no others
#: at the top of an issue that it would ignore silently, so we keep to exactly these).
CODEQUALITY_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "additionalProperties": False,
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^/"}},
                    "lines": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def validate_codequality(report: Any) -> None:
    jsonschema.validate(report, CODEQUALITY_SCHEMA)
    fingerprints = [issue["fingerprint"] for issue in report]
    assert len(fingerprints) == len(set(fingerprints)), "fingerprints must be distinct"


def load_yaml(relative: str) -> Any:
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


def os2scan_lines(script: str | list[str]) -> list[str]:
    """The command lines of a CI script that run os2scan."""
    lines = script if isinstance(script, list) else script.splitlines()
    found = []
    for line in lines:
        line = line.strip()
        if re.match(r"^os2scan\s", line):
            found.append(re.split(r"\s+\|\|\s+", line)[0])  # drop a trailing `|| status=$?`
    return found


def shell_words(command: str, env: dict[str, str], cwd: Path) -> list[str]:
    """The argument vector bash makes of `command` (expansions, quotes), without running it."""
    script = 'words() { printf "%s\\0" "$@"; }\n' + re.sub(r"^os2scan\b", "words", command)
    completed = subprocess.run(
        ["bash", "-c", script],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.split("\0")[:-1]


def github_expression(value: str, inputs: dict[str, str], runner_temp: Path) -> str:
    """Evaluate the `${{ inputs.X }}` and `${{ runner.temp }}` of an action's env value."""

    def evaluate(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression == "runner.temp":
            return str(runner_temp)
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        raise AssertionError(f"unexpected expression {expression!r} in action.yml")

    return re.sub(r"\$\{\{(.*?)\}\}", evaluate, str(value))


def action_inputs(action: dict[str, Any], **given: str) -> dict[str, str]:
    """The action's inputs: their defaults, overridden by `given` (underscores for dashes)."""
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update({name.replace("_", "-"): value for name, value in given.items()})
    return values


def step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in action["runs"]["steps"] if s.get("id") == step_id)


def gitlab_job(template: dict[str, Any], name: str) -> dict[str, Any]:
    """A job of the GitLab template with its `extends` merged in (one level, as used there)."""
    job = dict(template[name])
    parent = job.pop("extends", None)
    if parent:
        merged = dict(template[parent])
        merged.update(job)
        merged["variables"] = {**template[parent].get("variables", {}), **job.get("variables", {})}
        job = merged
    return job
