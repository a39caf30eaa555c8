"""REUSE.toml's precedence: an "override" annotation is the licence of the files it covers."""

from __future__ import annotations

from pathlib import Path

from rules_helpers import file

from scanner.analysis.declared import read_facts
from scanner.analysis.reuse import apply_reuse
from scanner.kernel.models import FileKind, LicenseSource

REUSE_TOML = """version = 1

[[annotations]]
path = "tests/**"
precedence = "override"
SPDX-FileCopyrightText = "2026 OS2 - Offentligt digitaliseringsfællesskab"
SPDX-License-Identifier = "MPL-2.0"

[[annotations]]
path = "docs/**"
SPDX-License-Identifier = "CC-BY-SA-4.0"
"""


def test_an_override_annotation_wins_over_what_the_file_says(tmp_path: Path) -> None:
    (tmp_path / "REUSE.toml").write_text(REUSE_TOML, encoding="utf-8")
    files = [
        file("tests/test_gpl.py", license="GPL-3.0-only"),  # quotes a GPL notice as test data
        file("docs/guide.md", FileKind.DOCS, license="MIT"),  # its own licence stays
        file("docs/other.md", FileKind.DOCS),
        file("src/app.py", license="MIT"),
    ]
    facts = read_facts(tmp_path, files)
    assert facts.reuse_overrides == (("tests/**", "MPL-2.0"),)

    licensed = {f.path: (f.license_expression, f.license_source) for f in apply_reuse(files, facts)}
    assert licensed == {
        "tests/test_gpl.py": ("MPL-2.0", LicenseSource.REUSE),
        "docs/guide.md": ("MIT", LicenseSource.DETECTED),
        "docs/other.md": ("CC-BY-SA-4.0", LicenseSource.REUSE),
        "src/app.py": ("MIT", LicenseSource.DETECTED),
    }
