"""The rules on small git repositories made in the test, analysed by real scancode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from texts import MIT

from scanner.cli import main

ROOT = Path(__file__).resolve().parents[1]
MPL_TEXT = (ROOT / "scanner" / "demo" / "kalender" / "LICENSE").read_text(encoding="utf-8")
HEADER = (
    "# SPDX-FileCopyrightText: 2024 OS2 - Offentligt Digitaliseringsfællesskab\n"
    "# SPDX-License-Identifier: MPL-2.0\n"
)

pytestmark = pytest.mark.scancode


def violations(capsys: pytest.CaptureFixture[str], repo: Path, db: Path) -> set[tuple]:
    with pytest.raises(SystemExit):
        main(["check", str(repo), "--db", str(db), "--jobs", "1", "--format", "json", "--quiet"])
    out, _err = capsys.readouterr()
    report = json.loads(out)
    return {(v["rule"], v["path"]) for v in report["violations"]}


def test_a_licenses_text_that_holds_another_licence_is_found(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    repo = repo_factory(
        "reuse",
        {
            "LICENSES/MPL-2.0.txt": MIT,  # the wrong text under the right name
            "src/app.py": HEADER + "print('hej')\n",
        },
    )
    found = violations(capsys, repo, tmp_path / "db.sqlite")
    assert ("license-file", "LICENSES/MPL-2.0.txt") in found

    fixed = repo_factory(
        "reuse-fixed", {"LICENSES/MPL-2.0.txt": MPL_TEXT, "src/app.py": HEADER + "print(1)\n"}
    )
    assert not {
        v for v in violations(capsys, fixed, tmp_path / "db.sqlite") if v[0] == "license-file"
    }


def test_documentation_is_covered_by_a_reuse_annotation(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    files = {
        "LICENSE": MPL_TEXT,
        "src/app.py": HEADER + "print('hej')\n",
        "docs/guide.md": "# Guide\n\nHow to use the calendar.\n",
    }
    bare = repo_factory("bare", files)
    assert ("docs-license", "docs/guide.md") in violations(capsys, bare, tmp_path / "db.sqlite")

    annotated = repo_factory(
        "annotated",
        {
            **files,
            "REUSE.toml": (
                "version = 1\n\n[[annotations]]\n"
                'path = "docs/**"\n'
                'SPDX-FileCopyrightText = "2024 OS2"\n'
                'SPDX-License-Identifier = "CC-BY-SA-4.0"\n'
            ),
        },
    )
    found = violations(capsys, annotated, tmp_path / "db.sqlite")
    assert not [v for v in found if v[0] in ("docs-license", "file-license-conflict")]
