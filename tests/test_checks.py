"""Each rule on a small repository: a passing case and a failing case, under the OS2 policy."""

from __future__ import annotations

from datetime import date

import pytest
from rules_helpers import file, good_code, licence_file, rules_hit, scan

from rules.engine import evaluate
from rules.policy import load_policy
from scanner.kernel.models import (
    DeclaredSource,
    Detection,
    FileKind,
    LicenseSource,
    RepoScan,
    Severity,
)

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def os2():  # type: ignore[no-untyped-def]
    return load_policy("os2")


def hits(repo: RepoScan, policy, rule: str):  # type: ignore[no-untyped-def]
    return [v for v in evaluate(repo, policy, TODAY) if v.rule == rule]


def compliant(**overrides) -> RepoScan:  # type: ignore[no-untyped-def]
    """An MPL-2.0 repository OS2 owns, with publiccode.yml and licensed documentation."""
    files = [
        licence_file("LICENSE", "MPL-2.0"),
        licence_file("LICENSES/CC-BY-SA-4.0.txt", "CC-BY-SA-4.0"),
        good_code("src/app.py"),
        file("docs/index.md", FileKind.DOCS, "CC-BY-SA-4.0", LicenseSource.REUSE),
        file("publiccode.yml", FileKind.CONFIG),
    ]
    args = {
        "files": files,
        "publiccode": {"license": "MPL-2.0", "mainCopyrightOwner": "OS2"},
        "documentation_license": "CC-BY-SA-4.0",
        "sources": [
            DeclaredSource("LICENSE", "LICENSE", "MPL-2.0"),
            DeclaredSource("publiccode.yml", "publiccode.yml", "MPL-2.0"),
        ],
    }
    args.update(overrides)
    return scan(**args)


def test_a_compliant_repository_has_no_violations(os2) -> None:  # type: ignore[no-untyped-def]
    assert evaluate(compliant(), os2, TODAY) == []


def test_a_failed_checkout_yields_no_violations(os2) -> None:  # type: ignore[no-untyped-def]
    assert evaluate(scan([], declared=None, holders=(), error="clone failed"), os2, TODAY) == []


def test_violations_name_product_and_repository(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(files=[good_code()], name="os2mo-core", product="OS2mo")
    found = hits(repo, os2, "license-file")
    assert [(v.product, v.repository, v.path, v.severity) for v in found] == [
        ("OS2mo", "os2mo-core", None, Severity.ERROR)
    ]
    assert found[0].how_to_fix


# --- license-file --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["LICENSE", "LICENSE.md", "LICENCE.txt", "COPYING", "COPYING.LESSER"]
)
def test_a_root_licence_file_satisfies_license_file(os2, name: str) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(files=[licence_file(name, "MPL-2.0"), good_code()])
    assert hits(repo, os2, "license-file") == []


def test_a_reuse_licenses_folder_satisfies_license_file(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(files=[licence_file("LICENSES/MPL-2.0.txt", "MPL-2.0"), good_code()])
    assert hits(repo, os2, "license-file") == []


def test_no_licence_file_at_the_root_is_an_error(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(files=[licence_file("docs/LICENSE", "MPL-2.0"), good_code()])
    [violation] = hits(repo, os2, "license-file")
    assert violation.severity is Severity.ERROR
    assert "no licence file" in violation.message


def test_a_licenses_text_must_hold_the_licence_its_name_claims(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(
        files=[
            licence_file("LICENSES/MPL-2.0.txt", "MPL-2.0"),
            licence_file("LICENSES/CC-BY-SA-4.0.txt", "CC-BY-4.0"),
            good_code(),
        ]
    )
    [violation] = hits(repo, os2, "license-file")
    assert violation.path == "LICENSES/CC-BY-SA-4.0.txt"
    assert "named after CC-BY-SA-4.0 but contains CC-BY-4.0" in violation.message


def test_a_licence_text_for_or_later_matches_its_plain_text(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(
        files=[licence_file("LICENSES/GPL-3.0-or-later.txt", "GPL-3.0-only"), good_code()]
    )
    assert hits(repo, os2, "license-file") == []


def test_a_root_licence_file_without_licence_text_is_an_error(os2) -> None:  # type: ignore[no-untyped-def]
    empty = file("LICENSE", FileKind.DOCS, notices=("all rights reserved",))
    repo = compliant(files=[empty, good_code()])
    [violation] = hits(repo, os2, "license-file")
    assert violation.path == "LICENSE"
    assert "no licence text" in violation.message


# --- declared-license-open -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "declared", ["MPL-2.0", "MIT OR LicenseRef-scancode-proprietary-license", "CC0-1.0"]
)
def test_an_open_declared_licence_passes(os2, declared: str) -> None:  # type: ignore[no-untyped-def]
    assert hits(compliant(declared=declared), os2, "declared-license-open") == []


def test_no_declared_licence_is_an_error(os2) -> None:  # type: ignore[no-untyped-def]
    [violation] = hits(compliant(declared=None, sources=[]), os2, "declared-license-open")
    assert violation.severity is Severity.ERROR
    assert "declares no licence" in violation.message


@pytest.mark.parametrize(
    "declared",
    ["LicenseRef-scancode-proprietary-license", "CC-BY-NC-4.0", "LicenseRef-scancode-unknown"],
)
def test_a_declared_licence_that_is_not_open_is_an_error(os2, declared: str) -> None:  # type: ignore[no-untyped-def]
    [violation] = hits(compliant(declared=declared), os2, "declared-license-open")
    assert violation.license == declared
    assert "not an open-source licence" in violation.message


# --- declared-license-allowed --------------------------------------------------------------------


def test_mpl_is_the_allowed_product_licence(os2) -> None:  # type: ignore[no-untyped-def]
    assert (
        hits(compliant(declared="MPL-2.0 OR GPL-3.0-only"), os2, "declared-license-allowed") == []
    )


def test_a_licence_that_is_not_open_is_not_also_a_disallowed_warning(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(declared="LicenseRef-scancode-proprietary-license")
    assert hits(repo, os2, "declared-license-allowed") == []
    assert hits(repo, os2, "declared-license-open")


@pytest.mark.parametrize("declared", ["MIT", "EUPL-1.2", "GPL-3.0-only"])
def test_another_open_licence_is_a_warning(os2, declared: str) -> None:  # type: ignore[no-untyped-def]
    [violation] = hits(compliant(declared=declared), os2, "declared-license-allowed")
    assert violation.severity is Severity.WARNING
    assert "MPL-2.0" in violation.message


# --- declared-license-consistent -----------------------------------------------------------------


def test_declarations_that_agree_pass(os2) -> None:  # type: ignore[no-untyped-def]
    sources = [
        DeclaredSource("LICENSE", "LICENSE", "GPL-3.0-only"),
        DeclaredSource("pyproject.toml", "pyproject.toml", "GPL-3.0-or-later", raw="GPLv3+"),
        DeclaredSource("package.json", "package.json", None, raw="SEE LICENSE IN LICENSE"),
    ]
    repo = compliant(declared="GPL-3.0-or-later", sources=sources)
    assert hits(repo, os2, "declared-license-consistent") == []


@pytest.mark.parametrize(
    ("declared", "sources"),
    [
        (
            "LGPL-3.0-or-later",
            [("COPYING", "GPL-3.0-only"), ("COPYING.LESSER", "LGPL-3.0-only")],
        ),
        (
            "MIT OR Apache-2.0",
            [
                ("LICENSE-MIT", "MIT"),
                ("LICENSE-APACHE", "Apache-2.0"),
                ("package.json", "MIT OR Apache-2.0"),
            ],
        ),
        (
            "MPL-2.0",
            [
                ("LICENSE", "MPL-2.0"),
                ("LICENSES/MPL-2.0.txt", "MPL-2.0"),
                ("LICENSES/CC-BY-SA-4.0.txt", "CC-BY-SA-4.0"),
                ("REUSE.toml", "MPL-2.0"),
            ],
        ),
    ],
)
def test_licence_texts_that_together_make_the_declared_licence_agree(  # type: ignore[no-untyped-def]
    os2, declared: str, sources: list[tuple[str, str]]
) -> None:
    declared_sources = [DeclaredSource(p.split("/")[0], p, e) for p, e in sources]
    repo = compliant(declared=declared, sources=declared_sources)
    assert hits(repo, os2, "declared-license-consistent") == []


def test_a_licence_text_unlike_the_declared_licence_is_a_warning(os2) -> None:  # type: ignore[no-untyped-def]
    sources = [
        DeclaredSource("LICENSE", "LICENSE", "LicenseRef-scancode-unknown-license-reference"),
        DeclaredSource("package.json", "package.json", "MIT"),
    ]
    [violation] = hits(
        compliant(declared="MIT", sources=sources), os2, "declared-license-consistent"
    )
    assert violation.path == "LICENSE"
    assert violation.message.endswith("but package.json declares MIT.")


def test_declarations_that_differ_are_a_warning_at_the_odd_one(os2) -> None:  # type: ignore[no-untyped-def]
    sources = [
        DeclaredSource("LICENSE", "LICENSE", "MPL-2.0"),
        DeclaredSource("package.json", "frontend/package.json", "MIT", raw="MIT"),
        DeclaredSource("publiccode.yml", "publiccode.yml", "MPL-2.0"),
    ]
    [violation] = hits(compliant(sources=sources), os2, "declared-license-consistent")
    assert violation.severity is Severity.WARNING
    assert violation.path == "frontend/package.json"
    assert violation.message == "frontend/package.json declares MIT, but LICENSE declares MPL-2.0."


def test_only_and_or_later_differ_between_manifests(os2) -> None:  # type: ignore[no-untyped-def]
    sources = [
        DeclaredSource("pyproject.toml", "pyproject.toml", "GPL-2.0-only"),
        DeclaredSource("package.json", "package.json", "GPL-2.0-or-later"),
    ]
    repo = compliant(declared="GPL-2.0-only", sources=sources)
    [violation] = hits(repo, os2, "declared-license-consistent")
    assert violation.path == "package.json"


def test_a_broken_manifest_is_a_warning_naming_the_file(os2) -> None:  # type: ignore[no-untyped-def]
    sources = [
        DeclaredSource("LICENSE", "LICENSE", "MPL-2.0"),
        DeclaredSource("composer.json", "composer.json", None, error="invalid JSON at line 3"),
    ]
    [violation] = hits(compliant(sources=sources), os2, "declared-license-consistent")
    assert violation.severity is Severity.WARNING
    assert violation.path == "composer.json"
    assert "composer.json could not be read" in violation.message
    assert "invalid JSON at line 3" in violation.message


def test_a_manifest_licence_that_is_no_expression_is_reported(os2) -> None:  # type: ignore[no-untyped-def]
    sources = [
        DeclaredSource("LICENSE", "LICENSE", "MPL-2.0"),
        DeclaredSource("package.json", "package.json", None, raw="UNLICENSED"),
    ]
    [violation] = hits(compliant(sources=sources), os2, "declared-license-consistent")
    assert "'UNLICENSED'" in violation.message


# --- file-license-conflict -----------------------------------------------------------------------


def test_permissive_and_own_licence_files_fit_an_mpl_repository(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file(),
        good_code(),
        file("src/a.js", license="MIT"),
        file("src/b.js", license="BSD-3-Clause"),
        file("src/c.java", license="Apache-2.0"),
        file("src/d.c", license="ISC"),
        file("src/e.py", license="MIT OR GPL-2.0-only"),
        file("vendor/lib/x.js", FileKind.VENDORED, "MIT"),
    ]
    assert hits(compliant(files=files), os2, "file-license-conflict") == []


def test_a_gpl_file_in_an_mpl_repository_is_an_error(os2) -> None:  # type: ignore[no-untyped-def]
    gpl = file(
        "src/chart.js", license="GPL-3.0-only", detections=(Detection("GPL-3.0-only", 99.0, 4, 17),)
    )
    [violation] = hits(
        compliant(files=[licence_file(), good_code(), gpl]), os2, "file-license-conflict"
    )
    assert (violation.path, violation.line, violation.license) == (
        "src/chart.js",
        4,
        "GPL-3.0-only",
    )
    assert violation.severity is Severity.ERROR
    assert "does not fit the declared licence MPL-2.0" in violation.message


def test_a_gpl_file_in_an_mit_repository_is_an_error(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(
        declared="MIT",
        files=[licence_file("LICENSE", "MIT"), file("a.py", license="GPL-3.0-or-later")],
    )
    assert [v.path for v in hits(repo, os2, "file-license-conflict")] == ["a.py"]


def test_vendored_files_are_judged_and_generated_files_on_their_header(os2) -> None:  # type: ignore[no-untyped-def]
    deep = Detection("GPL-2.0-only", 100.0, 400, 420)
    files = [
        licence_file(),
        file("vendor/gpl/lib.c", FileKind.VENDORED, "GPL-2.0-only"),
        file("vendor/gpl/LICENSE", FileKind.VENDORED, "GPL-2.0-only"),
        file("dist/bundle.min.js", FileKind.GENERATED, "GPL-2.0-only"),  # found on line 3
        file("dist/strings.js", FileKind.GENERATED, "GPL-2.0-only", detections=(deep,)),
        file("package-lock.json", FileKind.GENERATED, "GPL-2.0-only"),  # other packages'
    ]
    found = hits(compliant(files=files), os2, "file-license-conflict")
    assert sorted(v.path for v in found) == [
        "dist/bundle.min.js",
        "vendor/gpl/LICENSE",
        "vendor/gpl/lib.c",
    ]


@pytest.mark.parametrize(
    "expression",
    [
        "LicenseRef-scancode-proprietary-license",
        "LicenseRef-scancode-commercial-license",
        "CC-BY-NC-4.0",
    ],
)
def test_a_proprietary_or_non_commercial_file_is_an_error(os2, expression: str) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(files=[licence_file(), file("src/secret.py", license=expression)])
    [violation] = hits(repo, os2, "file-license-conflict")
    assert violation.severity is Severity.ERROR
    assert "denied by the policy" in violation.message


def test_an_unknown_licence_reference_is_a_warning(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(
        files=[
            licence_file(),
            file("src/odd.py", license="LicenseRef-scancode-unknown-license-reference"),
        ]
    )
    [violation] = hits(repo, os2, "file-license-conflict")
    assert violation.severity is Severity.WARNING
    assert "unknown licence reference" in violation.message


def test_licence_metadata_files_are_declarations_not_content(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file("LICENSE", "MPL-2.0"),
        licence_file("COPYING", "GPL-3.0-only"),
        licence_file("LICENSES/GPL-3.0-only.txt", "GPL-3.0-only"),
        file("REUSE.toml", FileKind.CONFIG, "GPL-3.0-only"),
        file(".reuse/dep5", FileKind.CONFIG, "GPL-3.0-only"),
        file("publiccode.yml", FileKind.CONFIG, "GPL-3.0-only"),
        file("img/logo.png.license", FileKind.CONFIG, "CC-BY-NC-4.0"),
        file("package.json", FileKind.CONFIG, "GPL-3.0-only"),
    ]
    sources = [DeclaredSource("package.json", "package.json", "GPL-3.0-only")]
    assert hits(compliant(files=files, sources=sources), os2, "file-license-conflict") == []


def test_inherited_licences_are_not_judged_again(os2) -> None:  # type: ignore[no-untyped-def]
    inherited = file("src/x.py", license="MPL-2.0", source=LicenseSource.DECLARED)
    assert hits(compliant(files=[licence_file(), inherited]), os2, "file-license-conflict") == []


def test_documentation_is_judged_against_documentation_licences(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file(),
        file("docs/guide.md", FileKind.DOCS, "CC-BY-SA-4.0", LicenseSource.HEADER),
        file("docs/img/a.svg", FileKind.CONTENT, "CC-BY-4.0", LicenseSource.REUSE),
        file("docs/notes.md", FileKind.DOCS, "CC-BY-NC-SA-4.0", LicenseSource.HEADER),
        file("src/snippet.py", FileKind.CODE, "CC-BY-SA-4.0", LicenseSource.HEADER),
    ]
    found = {v.path: v for v in hits(compliant(files=files), os2, "file-license-conflict")}
    assert set(found) == {"docs/notes.md", "src/snippet.py"}
    assert "denied" in found["docs/notes.md"].message
    assert "does not fit" in found["src/snippet.py"].message


# --- copyright-holder and copyright-holder-expected ----------------------------------------------


def test_a_real_holder_passes(os2) -> None:  # type: ignore[no-untyped-def]
    assert hits(compliant(holders=("Magenta ApS",)), os2, "copyright-holder") == []


def test_no_holder_is_an_error(os2) -> None:  # type: ignore[no-untyped-def]
    [violation] = hits(compliant(holders=()), os2, "copyright-holder")
    assert violation.severity is Severity.ERROR
    assert "names no copyright holder" in violation.message


def test_template_placeholders_are_no_holder(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(holders=("[name of copyright owner]", "<OWNER>"))
    [violation] = hits(repo, os2, "copyright-holder")
    assert "placeholders" in violation.message
    assert "[name of copyright owner]" in violation.message
    assert hits(repo, os2, "copyright-holder-expected") == []  # one finding, not two


@pytest.mark.parametrize(
    "holders", [("OS2",), ("Magenta ApS", "Aarhus Kommune"), ("Region Midtjylland",)]
)
def test_os2_or_a_member_among_the_holders_passes(os2, holders) -> None:  # type: ignore[no-untyped-def]
    assert hits(compliant(holders=holders), os2, "copyright-holder-expected") == []


def test_a_vendor_as_only_holder_is_a_warning(os2) -> None:  # type: ignore[no-untyped-def]
    [violation] = hits(
        compliant(holders=("Magenta ApS", "Netcompany A/S")), os2, "copyright-holder-expected"
    )
    assert violation.severity is Severity.WARNING
    assert "Magenta ApS, Netcompany A/S" in violation.message


# --- docs-license --------------------------------------------------------------------------------


def test_documentation_covered_in_every_way_passes(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file(),
        file("docs/a.md", FileKind.DOCS, "CC-BY-SA-4.0", LicenseSource.HEADER),
        file("docs/b.md", FileKind.DOCS, "CC-BY-SA-4.0", LicenseSource.REUSE),
        file("img/logo.png", FileKind.CONTENT),
        file("img/logo.png.license", FileKind.CONFIG),
        file("manual/c.rst", FileKind.DOCS),
    ]
    repo = compliant(
        files=files, documentation_license=None, reuse_annotations=(("manual/**", "CC-BY-SA-4.0"),)
    )
    assert hits(repo, os2, "docs-license") == []


def test_a_declared_documentation_licence_covers_every_document(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file(),
        file("README.md", FileKind.DOCS, "CC-BY-SA-4.0", LicenseSource.DECLARED),
    ]
    assert (
        hits(compliant(files=files, documentation_license="CC-BY-SA-4.0"), os2, "docs-license")
        == []
    )


def test_uncovered_documentation_is_one_warning_per_repository_listing_the_files(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file(),
        file("README.md", FileKind.DOCS, "MPL-2.0", LicenseSource.DECLARED),
        file("docs/img/diagram.png", FileKind.CONTENT),
        good_code(),
    ]
    (found,) = hits(compliant(files=files, documentation_license=None), os2, "docs-license")
    assert found.severity is Severity.WARNING
    assert found.path is None
    assert found.files == ("README.md", "docs/img/diagram.png")
    assert found.message == "2 documentation files are not covered by a documentation licence."


def test_one_uncovered_documentation_file_is_named_as_the_finding_s_path(os2) -> None:  # type: ignore[no-untyped-def]
    files = [licence_file(), file("README.md", FileKind.DOCS), good_code()]
    (found,) = hits(compliant(files=files, documentation_license=None), os2, "docs-license")
    assert (found.path, found.files) == ("README.md", ())


def test_an_accepted_but_not_standard_documentation_licence_is_a_warning(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file(),
        file("docs/a.md", FileKind.DOCS, "CC-BY-4.0", LicenseSource.HEADER),
        file("docs/b.md", FileKind.DOCS, "CC-BY-4.0", LicenseSource.HEADER),
    ]
    found = hits(compliant(files=files, documentation_license="CC0-1.0"), os2, "docs-license")
    messages = sorted(v.message for v in found)
    assert messages == [
        "2 documentation files are under CC-BY-4.0, which the policy accepts but is not its "
        "standard (CC-BY-SA-4.0).",
        "The repository's documentation licence CC0-1.0 is accepted by the policy but not its "
        "standard (CC-BY-SA-4.0).",
    ]


# --- file-header ---------------------------------------------------------------------------------


def test_code_with_reuse_headers_or_annotations_passes(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file(),
        good_code("src/a.py"),
        file("src/b.py", license="MPL-2.0", source=LicenseSource.REUSE),
        file("vendor/x.js", FileKind.VENDORED),
        file("docs/a.md", FileKind.DOCS, "CC-BY-SA-4.0", LicenseSource.HEADER),
        file("src/huge.sql", skipped="too large"),
    ]
    assert hits(compliant(files=files), os2, "file-header") == []


def test_code_without_headers_is_info(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file(),
        file("src/a.py", license="MPL-2.0", source=LicenseSource.DECLARED),
        file("src/b.py", license="MPL-2.0", source=LicenseSource.HEADER, spdx_header=True),
    ]
    (found,) = hits(compliant(files=files), os2, "file-header")
    assert found.severity is Severity.INFO
    assert found.path is None
    assert found.files == ("src/a.py", "src/b.py")
    assert found.message == (
        "2 source files lack SPDX headers (1 without SPDX-License-Identifier and copyright; "
        "1 without copyright)."
    )


def test_one_file_without_headers_is_named(os2) -> None:  # type: ignore[no-untyped-def]
    files = [licence_file(), file("src/a.py", license="MPL-2.0", source=LicenseSource.DECLARED)]
    (found,) = hits(compliant(files=files), os2, "file-header")
    assert found.path == "src/a.py"
    assert found.message == (
        "src/a.py has no SPDX-License-Identifier and no copyright line in its header."
    )


# --- restrictive-notice --------------------------------------------------------------------------


def test_an_open_file_with_a_bsd_style_copyright_line_passes(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        licence_file(),
        file("src/a.c", license="BSD-3-Clause", notices=("All rights reserved",)),
        file("vendor/b.c", FileKind.VENDORED, notices=("Confidential",)),
    ]
    assert hits(compliant(files=files), os2, "restrictive-notice") == []


def test_a_restrictive_notice_in_own_files_is_a_warning(os2) -> None:  # type: ignore[no-untyped-def]
    notice = Detection(
        "LicenseRef-scancode-proprietary-license",
        80.0,
        2,
        2,
        matched_text="Confidential - Magenta internal",
    )
    files = [
        licence_file(),
        file(
            "src/a.py",
            license="MPL-2.0",
            source=LicenseSource.DECLARED,
            notices=("all rights reserved",),
        ),
        file("src/b.py", notices=("confidential",), detections=(notice,)),
    ]
    found = {v.path: v for v in hits(compliant(files=files), os2, "restrictive-notice")}
    assert set(found) == {"src/a.py", "src/b.py"}
    assert found["src/b.py"].line == 2
    assert found["src/a.py"].severity is Severity.WARNING
    assert "'all rights reserved'" in found["src/a.py"].message


# --- publiccode ----------------------------------------------------------------------------------


def test_a_matching_publiccode_passes(os2) -> None:  # type: ignore[no-untyped-def]
    assert hits(compliant(publiccode={"license": "mpl-2.0"}), os2, "publiccode") == []


def test_a_missing_publiccode_is_info(os2) -> None:  # type: ignore[no-untyped-def]
    repo = compliant(files=[licence_file(), good_code()], publiccode=None, sources=[])
    [violation] = hits(repo, os2, "publiccode")
    assert violation.severity is Severity.INFO
    assert "no publiccode.yml" in violation.message


def test_a_publiccode_licence_that_differs_is_info(os2) -> None:  # type: ignore[no-untyped-def]
    [violation] = hits(compliant(publiccode={"license": "EUPL-1.2"}), os2, "publiccode")
    assert violation.path == "publiccode.yml"
    assert "EUPL-1.2" in violation.message
    assert "MPL-2.0" in violation.message


def test_a_publiccode_without_a_licence_is_info(os2) -> None:  # type: ignore[no-untyped-def]
    [violation] = hits(compliant(publiccode={"mainCopyrightOwner": "OS2"}), os2, "publiccode")
    assert "no legal.license" in violation.message


def test_every_rule_fails_somewhere_in_a_neglected_repository(os2) -> None:  # type: ignore[no-untyped-def]
    files = [
        file("src/app.py", license="GPL-3.0-only", notices=("proprietary",)),
        file("README.md", FileKind.DOCS),
    ]
    sources = [
        DeclaredSource("package.json", "package.json", "MIT"),
        DeclaredSource("setup.cfg", "setup.cfg", "Apache-2.0"),
    ]
    repo = scan(files, declared="MIT", sources=sources, holders=("Magenta ApS",))
    assert rules_hit(evaluate(repo, os2, TODAY)) == sorted(
        [
            "license-file",
            "declared-license-allowed",
            "declared-license-consistent",
            "file-license-conflict",
            "copyright-holder-expected",
            "docs-license",
            "file-header",
            "restrictive-notice",
            "publiccode",
        ]
    )
