"""Which files are licence files: one answer for the inventory, the declared licence and the
rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.checks.base import is_metadata_file
from scanner.analysis.declared import read_facts
from scanner.analysis.inventory import classify
from scanner.kernel.license_files import (
    is_license_file,
    is_license_file_name,
    is_reuse_license_text,
    is_root_license_file,
)
from scanner.kernel.models import FileKind, RepoFacts

LICENCE_FILES = (
    "LICENSE",
    "LICENCE.md",
    "license.txt",
    "LICENSE.html",
    "COPYING",
    "COPYING.LESSER",
    "LICENSE-MIT",
    "LICENSE_APACHE",
    "LICENSE MIT",
    "UNLICENSE",
    "UNLICENCE.txt",
)
NOT_LICENCE_FILES = (
    "license.py", "license_check.sh", "licenses.json", "LICENSES", "LICENSING", "License.Dart",
    "licence.PNG", "LICENSE.kt",
)  # fmt: skip


def test_licence_file_names() -> None:
    for name in LICENCE_FILES:
        assert is_license_file_name(name), name
    for name in NOT_LICENCE_FILES:
        assert not is_license_file_name(name), name


def test_a_licence_file_lies_at_the_root_or_in_reuse_licenses() -> None:
    assert is_root_license_file("LICENSE")
    assert not is_root_license_file("docs/LICENSE")
    assert is_reuse_license_text("LICENSES/MPL-2.0.txt")
    assert not is_reuse_license_text("LICENSES/MIT")  # REUSE: the id and an extension
    assert not is_reuse_license_text("src/LICENSES/MIT.txt")
    assert not is_reuse_license_text("LICENSES/sub/MIT.txt")
    assert is_license_file("LICENSES/MPL-2.0.txt")
    assert not is_license_file("docs/LICENSE")
    assert not is_license_file("LICENSES")


@pytest.mark.parametrize("name", LICENCE_FILES)
def test_every_stage_agrees_on_a_licence_file(name: str, tmp_path: Path) -> None:
    """The inventory files it as licence metadata, the declared licence lists it, and the rules
    do not judge it as licensed content."""
    (tmp_path / name).write_text("Permission is hereby granted\n", encoding="utf-8")
    assert classify(name, b"Permission is hereby granted\n") is FileKind.DOCS
    assert read_facts(tmp_path, ()).license_files == (name,)
    assert is_metadata_file(name, RepoFacts(declared_license=None))


@pytest.mark.parametrize("name", ["license.py", "licenses.json"])
def test_every_stage_agrees_on_a_file_that_only_looks_like_one(name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
    assert classify(name, b"x = 1\n") is not FileKind.DOCS
    assert read_facts(tmp_path, ()).license_files == ()
    assert not is_metadata_file(name, RepoFacts(declared_license=None))
