"""The rules on components, test data and licences named without a version.

A component is judged once at its root and its files are left out of the file rules; test data
conflicts are warnings unless the policy says otherwise; files that only name a GNU licence
without its version are one warning per repository.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rules_helpers import file, good_code, licence_file, scan

from rules.engine import evaluate
from rules.policy import Policy, load_policy
from scanner.kernel.models import (
    Component,
    ComponentKind,
    FileKind,
    LicenseSource,
    RepoScan,
    Severity,
)

TODAY = date(2025, 1, 1)
EDITOR = Component(
    name="quillwork",
    path="static/vendor/quillwork",
    kind=ComponentKind.LICENSED_FOLDER,
    version="2.1.0",
    license="GPL-2.0-or-later",
    holders=("Quill Works Ltd.",),
    files=3,
    evidence="static/vendor/quillwork/LICENSE.md",
)


@pytest.fixture(scope="module")
def os2() -> Policy:
    return load_policy(today=TODAY)


def with_components(repo: RepoScan, *components: Component) -> RepoScan:
    return replace(repo, facts=replace(repo.facts, components=components))


def found(repo: RepoScan, policy: Policy, rule: str | None = None):  # type: ignore[no-untyped-def]
    return [v for v in evaluate(repo, policy, TODAY) if rule is None or v.rule == rule]


def editor_repo() -> RepoScan:
    files = [
        licence_file(),
        good_code(),
        file("static/vendor/quillwork/LICENSE.md", FileKind.VENDORED, "GPL-2.0-or-later"),
        file("static/vendor/quillwork/core.js", FileKind.VENDORED, "GPL-2.0-or-later"),
        file("static/vendor/quillwork/toolbar.js", FileKind.VENDORED, "GPL-2.0-or-later",
             notices=("All rights reserved",)),
    ]  # fmt: skip
    return with_components(scan(files), EDITOR)


def test_a_component_that_does_not_fit_is_one_error_at_its_root_listing_its_files(
    os2: Policy,
) -> None:
    violations = [v for v in found(editor_repo(), os2) if v.severity is not Severity.INFO]
    assert [(v.rule, v.path, v.severity, v.license) for v in violations] == [
        ("component-license", EDITOR.path, Severity.ERROR, "GPL-2.0-or-later")
    ]
    (error,) = violations
    assert error.message == (
        "Component quillwork 2.1.0 (static/vendor/quillwork, 3 files) is under "
        "GPL-2.0-or-later, which does not fit MPL-2.0."
    )
    assert error.files == (
        "static/vendor/quillwork/LICENSE.md",
        "static/vendor/quillwork/core.js",
        "static/vendor/quillwork/toolbar.js",
    )


def test_a_component_that_fits_is_no_finding_and_one_without_a_licence_is_a_warning(
    os2: Policy,
) -> None:
    mit = replace(EDITOR, name="chart", path="static/vendor/chart", license="MIT")
    unknown = replace(EDITOR, name="fonts", path="static/fonts", kind=ComponentKind.FONTS,
                      license=None, files=2, version=None)  # fmt: skip
    submodule = replace(EDITOR, name="lib", path="ext/lib", kind=ComponentKind.SUBMODULE,
                        license=None)  # fmt: skip
    files = [
        licence_file(),
        good_code(),
        file("static/vendor/chart/chart.js", FileKind.VENDORED, "MIT"),
        file("static/fonts/a.woff2", FileKind.BINARY),
        file("static/fonts/b.woff2", FileKind.BINARY),
    ]
    violations = found(with_components(scan(files), mit, unknown, submodule), os2,
                       "component-license")  # fmt: skip
    assert [(v.path, v.severity, v.message) for v in violations] == [
        ("static/fonts", Severity.WARNING,
         "Component fonts (static/fonts, 2 files) states no licence.")
    ]  # fmt: skip


def test_a_component_can_be_waived_at_its_folder(tmp_path: Path) -> None:
    policy_path = tmp_path / "policy.yaml"
    policy_path.write_text(
        "extends: os2\nwaivers:\n  - rule: component-license\n"
        "    path: static/vendor/quillwork\n    reason: Replaced in 2025\n",
        encoding="utf-8",
    )
    policy = load_policy(policy_path, today=TODAY)
    (violation,) = found(editor_repo(), policy, "component-license")
    assert violation.waived


def test_component_files_do_not_count_for_headers_docs_or_notices(os2: Policy) -> None:
    component = replace(EDITOR, path="src/radius", files=2, license="BSD-3-Clause")
    files = [
        licence_file(),
        good_code(),
        file("src/radius/client.py", notices=("Confidential",)),
        file("src/radius/README.md", FileKind.DOCS),
    ]
    violations = found(with_components(scan(files), component), os2)
    assert [v for v in violations if v.path and v.path.startswith("src/radius")] == []


def test_test_data_conflicts_are_warnings_that_a_policy_can_raise(
    os2: Policy, tmp_path: Path
) -> None:
    files = [
        licence_file(),
        good_code(),
        file("tests/fixtures/gpl.c", FileKind.TEST, "GPL-3.0-only"),
    ]
    (warning,) = found(scan(files), os2, "test-data-license")
    assert (warning.severity, warning.path) == (Severity.WARNING, "tests/fixtures/gpl.c")
    assert found(scan(files), os2, "file-license-conflict") == []
    strict = tmp_path / "strict.yaml"
    strict.write_text("extends: os2\nseverity:\n  test-data-license: error\n", encoding="utf-8")
    (error,) = found(scan(files), load_policy(strict, today=TODAY), "test-data-license")
    assert error.severity is Severity.ERROR


def test_files_naming_the_gpl_without_a_version_are_one_warning_in_a_gpl_product(
    os2: Policy,
) -> None:
    scripts = [file(f"scripts/{name}.sh", license="GPL-1.0-or-later") for name in ("a", "b", "c")]
    repo = scan([licence_file(detected="GPL-3.0-or-later"), *scripts], declared="GPL-3.0-or-later")
    violations = found(repo, os2, "file-license-conflict")
    assert [(v.severity, v.path, v.files) for v in violations] == [
        (Severity.WARNING, None, ("scripts/a.sh", "scripts/b.sh", "scripts/c.sh"))
    ]
    assert violations[0].message == (
        "Licence version not stated: 3 files name the GNU General Public License without a "
        "version (read as GPL-1.0-or-later)."
    )


def test_an_unversioned_gpl_file_in_an_mpl_product_is_still_a_conflict(os2: Policy) -> None:
    repo = scan([licence_file(), file("scripts/a.sh", license="GPL-1.0-or-later")])
    (violation,) = found(repo, os2, "file-license-conflict")
    assert violation.severity is Severity.ERROR


def test_older_share_alike_documentation_is_a_docs_matter_not_a_code_conflict(
    os2: Policy,
) -> None:
    docs = [
        file(f"docs/{n}.md", FileKind.DOCS, "CC-BY-SA-3.0", LicenseSource.DETECTED)
        for n in ("index", "install")
    ]
    repo = scan([licence_file(), good_code(), *docs])
    assert found(repo, os2, "file-license-conflict") == []
    (docs_finding,) = found(repo, os2, "docs-license")
    assert docs_finding.message == (
        "2 documentation files are under CC-BY-SA-3.0, which is not a documentation licence "
        "the policy lists (its standard is CC-BY-SA-4.0)."
    )
    assert docs_finding.files == ("docs/index.md", "docs/install.md")


def test_a_licence_file_scancode_could_not_read_is_named_in_the_warning(os2: Policy) -> None:
    radius = replace(EDITOR, name="radius", path="src/radius", license=None, files=1,
                     version=None, evidence="src/radius/LICENSE")  # fmt: skip
    files = [licence_file(), good_code(), file("src/radius/LICENSE", FileKind.DOCS)]
    (warning,) = found(with_components(scan(files), radius), os2, "component-license")
    assert (warning.severity, warning.message) == (
        Severity.WARNING,
        "Component radius (src/radius, 1 file) has a licence file, src/radius/LICENSE, whose "
        "licence was not recognised.",
    )
