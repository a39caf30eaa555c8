"""The declared licence, its sources and the copyright holders of a repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from texts import MIT

from scanner.analysis.declared import read_facts
from scanner.analysis.reuse import apply_reuse
from scanner.kernel.models import FileFinding, FileKind, LicenseSource, RepoFacts


def finding(
    path: str,
    expression: str | None = None,
    kind: FileKind = FileKind.CODE,
    holders: tuple[str, ...] = (),
    source: LicenseSource | None = None,
    spdx_header: bool = False,
) -> FileFinding:
    return FileFinding(
        path=path,
        blob_sha="0" * 40,
        size=10,
        kind=kind,
        license_expression=expression,
        license_source=source or (LicenseSource.DETECTED if expression else None),
        holders=holders,
        spdx_header=spdx_header,
    )


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def source(facts: RepoFacts, name: str):  # type: ignore[no-untyped-def]
    found = [s for s in facts.declared_sources if s.source == name]
    assert len(found) == 1, [s.source for s in facts.declared_sources]
    return found[0]


# --- licence files ---------------------------------------------------------------------------


def test_licence_file_at_root_declares_the_licence_and_names_the_holder(tmp_path: Path) -> None:
    write(tmp_path, {"LICENSE": MIT, "main.py": "print()\n"})
    files = [
        finding("LICENSE", "MIT", FileKind.DOCS, holders=("Aarhus Kommune",)),
        finding("main.py"),
    ]
    facts = read_facts(tmp_path, files)
    assert facts.declared_license == "MIT"
    assert facts.license_files == ("LICENSE",)
    assert source(facts, "LICENSE").expression == "MIT"
    assert facts.copyright_holders == ("Aarhus Kommune",)


def test_licence_file_name_gives_the_id_when_nothing_was_detected(tmp_path: Path) -> None:
    write(tmp_path, {"LICENSE-MIT": "see the MIT terms\n"})
    facts = read_facts(tmp_path, [finding("LICENSE-MIT", None, FileKind.DOCS)])
    assert facts.declared_license == "MIT"


def test_copying_with_copying_lesser_is_the_lgpl(tmp_path: Path) -> None:
    write(tmp_path, {"COPYING": "gpl", "COPYING.LESSER": "lgpl"})
    files = [
        finding("COPYING", "GPL-3.0-only", FileKind.DOCS),
        finding("COPYING.LESSER", "LGPL-3.0-only", FileKind.DOCS),
    ]
    facts = read_facts(tmp_path, files)
    assert facts.declared_license == "LGPL-3.0-only"
    assert facts.license_files == ("COPYING", "COPYING.LESSER")


def test_two_licence_files_combine_as_the_manifest_says(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "LICENSE-MIT": "mit",
            "LICENSE-APACHE": "apache",
            "package.json": '{"name": "x", "license": "(MIT OR Apache-2.0)"}',
        },
    )
    files = [
        finding("LICENSE-MIT", "MIT", FileKind.DOCS),
        finding("LICENSE-APACHE", "Apache-2.0", FileKind.DOCS),
        finding("package.json", None, FileKind.CONFIG),
    ]
    assert read_facts(tmp_path, files).declared_license == "MIT OR Apache-2.0"


def test_two_licence_files_without_a_manifest_both_apply(tmp_path: Path) -> None:
    write(tmp_path, {"LICENSE-MIT": "mit", "LICENSE-APACHE": "apache"})
    files = [
        finding("LICENSE-MIT", "MIT", FileKind.DOCS),
        finding("LICENSE-APACHE", "Apache-2.0", FileKind.DOCS),
    ]
    assert read_facts(tmp_path, files).declared_license == "Apache-2.0 AND MIT"


def test_licence_file_wins_over_a_disagreeing_manifest(tmp_path: Path) -> None:
    write(tmp_path, {"LICENSE": MIT, "package.json": '{"license": "GPL-3.0-only"}'})
    facts = read_facts(tmp_path, [finding("LICENSE", "MIT", FileKind.DOCS)])
    assert facts.declared_license == "MIT"
    assert source(facts, "package.json").expression == "GPL-3.0-only"


def test_unidentified_licence_file_does_not_outvote_a_manifest(tmp_path: Path) -> None:
    unknown = "LicenseRef-scancode-unknown"
    write(tmp_path, {"LICENSE": "our own terms", "package.json": '{"license": "MIT"}'})
    facts = read_facts(tmp_path, [finding("LICENSE", unknown, FileKind.DOCS)])
    assert source(facts, "LICENSE").expression == unknown
    assert facts.declared_license == "MIT"

    (tmp_path / "package.json").unlink()
    facts = read_facts(tmp_path, [finding("LICENSE", unknown, FileKind.DOCS)])
    assert facts.declared_license == unknown  # alone, it is what the repository declares


# --- LICENSES/ (REUSE) -----------------------------------------------------------------------


def test_reuse_licenses_folder_picks_the_code_licence_and_the_docs_licence(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "LICENSES/MPL-2.0.txt": "mpl text",
            "LICENSES/CC-BY-SA-4.0.txt": "cc text",
            "app.py": "# SPDX-License-Identifier: MPL-2.0\n",
            "lib.py": "# SPDX-License-Identifier: MPL-2.0\n",
            "docs/index.md": "<!-- SPDX-License-Identifier: CC-BY-SA-4.0 -->\n",
        },
    )
    files = [
        finding("LICENSES/MPL-2.0.txt", "MPL-2.0", FileKind.DOCS),
        finding("LICENSES/CC-BY-SA-4.0.txt", "CC-BY-SA-4.0", FileKind.DOCS),
        finding("app.py", "MPL-2.0", source=LicenseSource.HEADER, spdx_header=True),
        finding("lib.py", "MPL-2.0", source=LicenseSource.HEADER, spdx_header=True),
        finding("docs/index.md", "CC-BY-SA-4.0", FileKind.DOCS, source=LicenseSource.HEADER),
    ]
    facts = read_facts(tmp_path, files)
    assert facts.declared_license == "MPL-2.0"
    assert facts.documentation_license == "CC-BY-SA-4.0"
    assert [s.expression for s in facts.declared_sources if s.source == "LICENSES"] == [
        "CC-BY-SA-4.0",
        "MPL-2.0",
    ]


def test_cc0_for_small_files_is_not_the_documentation_licence(tmp_path: Path) -> None:
    ids = ("MPL-2.0", "CC0-1.0", "CC-BY-SA-4.0")
    write(tmp_path, {f"LICENSES/{i}.txt": i for i in ids})
    files = [finding(f"LICENSES/{i}.txt", i, FileKind.DOCS) for i in ids]
    facts = read_facts(tmp_path, files)
    assert facts.declared_license == "MPL-2.0"
    assert facts.documentation_license == "CC-BY-SA-4.0"


def test_licenses_folder_file_name_is_the_id(tmp_path: Path) -> None:
    write(tmp_path, {"LICENSES/EUPL-1.2.txt": "text scancode did not recognise"})
    facts = read_facts(tmp_path, [finding("LICENSES/EUPL-1.2.txt", None, FileKind.DOCS)])
    assert facts.declared_license == "EUPL-1.2"
    assert facts.license_files == ("LICENSES/EUPL-1.2.txt",)


# --- manifests -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected", "raw"),
    [
        ("package.json", '{"license": "MIT"}', "MIT", "MIT"),
        (
            "package.json",
            '{"licenses": [{"type": "MIT"}, {"type": "GPLv3"}]}',
            "MIT OR GPL-3.0-only",
            None,
        ),
        ("package.json", '{"license": {"type": "ISC"}}', "ISC", "ISC"),
        ("package.json", '{"license": "UNLICENSED"}', None, "UNLICENSED"),
        (
            "package.json",
            '{"license": "SEE LICENSE IN LICENSE.txt"}',
            None,
            "SEE LICENSE IN LICENSE.txt",
        ),
        (
            "composer.json",
            '{"license": ["MIT", "GPL-3.0-or-later"]}',
            "MIT OR GPL-3.0-or-later",
            None,
        ),
        ("composer.json", '{"license": "EUPL-1.2"}', "EUPL-1.2", "EUPL-1.2"),
        ("pyproject.toml", '[project]\nname = "x"\nlicense = "MPL-2.0"\n', "MPL-2.0", None),
        (
            "pyproject.toml",
            '[project]\nlicense = {text = "Apache License 2.0"}\n',
            "Apache-2.0",
            None,
        ),
        (
            "pyproject.toml",
            '[project]\nclassifiers = ["License :: OSI Approved :: MIT License"]\n',
            "MIT",
            None,
        ),
        (
            "pyproject.toml",
            '[tool.poetry]\nlicense = "GPL-3.0-or-later"\n',
            "GPL-3.0-or-later",
            None,
        ),
        ("setup.cfg", "[metadata]\nname = x\nlicense = MPL 2.0\n", "MPL-2.0", "MPL 2.0"),
        (
            "setup.cfg",
            "[metadata]\nclassifiers =\n    Programming Language :: Python\n"
            "    License :: OSI Approved :: GNU General Public License v3 (GPLv3)\n",
            "GPL-3.0-only",
            None,
        ),
        (
            "pom.xml",
            '<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">'
            "<licenses><license><name>The Apache Software License, Version 2.0</name>"
            "</license></licenses></project>",
            "Apache-2.0",
            None,
        ),
    ],
)
def test_manifest_declarations(
    tmp_path: Path, name: str, text: str, expected: str | None, raw: str | None
) -> None:
    write(tmp_path, {name: text})
    facts = read_facts(tmp_path, [finding(name, None, FileKind.CONFIG)])
    declared = source(facts, name)
    assert declared.error is None
    if raw is not None:
        assert declared.raw == raw
    assert declared.expression == expected
    assert facts.declared_license == expected


def test_setup_py_is_read_without_running_it(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    write(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup\n"
                f"open({str(marker)!r}, 'w').write('x')\n"
                "setup(name='x', license='EUPL 1.2')\n"
            )
        },
    )
    facts = read_facts(tmp_path, [finding("setup.py")])
    assert source(facts, "setup.py").expression == "EUPL-1.2"
    assert facts.declared_license == "EUPL-1.2"
    assert not marker.exists()


def test_csproj_package_licence_expression(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "src/App/App.csproj": '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup>'
            "<PackageLicenseExpression>MPL-2.0</PackageLicenseExpression>"
            "</PropertyGroup></Project>"
        },
    )
    facts = read_facts(tmp_path, [finding("src/App/App.csproj", None, FileKind.CONFIG)])
    assert source(facts, "csproj").path == "src/App/App.csproj"
    assert facts.declared_license == "MPL-2.0"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("package.json", '{"license": "MIT",'),
        ("composer.json", "[1, 2"),
        ("pyproject.toml", "[project\nlicense = 'MIT'\n"),
        ("setup.cfg", "[metadata\nlicense = MIT\n"),
        ("setup.py", "setup(license='MIT'\n"),
        ("pom.xml", "<project><licenses></project>"),
        ("publiccode.yml", "legal: [unclosed\n  license: MIT\n"),
        ("REUSE.toml", "version = 1\n[[annotations]\n"),
    ],
)
def test_broken_files_are_recorded_not_raised(tmp_path: Path, name: str, text: str) -> None:
    write(tmp_path, {name: text})
    facts = read_facts(tmp_path, [finding(name, None, FileKind.CONFIG)])
    broken = [s for s in facts.declared_sources if s.path == name]
    assert len(broken) == 1
    assert broken[0].error
    assert broken[0].error.startswith("cannot be parsed")
    assert broken[0].expression is None
    assert facts.declared_license is None


def test_a_symlinked_manifest_is_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", {"secret.json": '{"license": "MIT"}'})
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "package.json").symlink_to(outside / "secret.json")
    facts = read_facts(repo, [finding("package.json", None, FileKind.CONFIG)])
    assert source(facts, "package.json").error == "cannot be parsed: is a symbolic link"
    assert facts.declared_license is None


# --- publiccode.yml --------------------------------------------------------------------------


def test_publiccode_legal_section(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "publiccode.yml": (
                "publiccodeYmlVersion: '0.4'\nname: OS2test\nlegal:\n  license: EUPL-1.2\n"
                "  mainCopyrightOwner: Aarhus Kommune\n  repoOwner: OS2\n"
                "  authorsFile: AUTHORS\n  since: 2021-03-01\n"
            )
        },
    )
    facts = read_facts(tmp_path, [finding("publiccode.yml", None, FileKind.CONFIG)])
    assert facts.declared_license == "EUPL-1.2"
    assert facts.publiccode == {
        "license": "EUPL-1.2",
        "mainCopyrightOwner": "Aarhus Kommune",
        "repoOwner": "OS2",
        "authorsFile": "AUTHORS",
        "since": "2021-03-01",  # a YAML date, kept as text so it can be stored
    }
    assert facts.copyright_holders == ("Aarhus Kommune",)


# --- REUSE.toml, dep5, sidecars, headers ------------------------------------------------------

REUSE_TOML = """version = 1

[[annotations]]
path = "**"
SPDX-FileCopyrightText = "2024 Magenta ApS <info@magenta.dk>"
SPDX-License-Identifier = "MPL-2.0"

[[annotations]]
path = ["docs/**", "*.md"]
SPDX-FileCopyrightText = ["2024 Aarhus Kommune", "[yyyy] [name of copyright owner]"]
SPDX-License-Identifier = "CC-BY-SA-4.0"
"""


def test_reuse_toml_annotations_apply_to_a_docs_file(tmp_path: Path) -> None:
    write(tmp_path, {"REUSE.toml": REUSE_TOML, "docs/guide.md": "# Guide\n", "app.py": "x = 1\n"})
    files = [
        finding("docs/guide.md", None, FileKind.DOCS),
        finding("app.py"),
        finding("own.py", "MIT", source=LicenseSource.HEADER),
    ]
    facts = read_facts(tmp_path, files)
    assert facts.reuse_annotations == (
        ("**", "MPL-2.0"),
        ("docs/**", "CC-BY-SA-4.0"),
        ("*.md", "CC-BY-SA-4.0"),
    )
    assert facts.declared_license == "MPL-2.0"
    assert source(facts, "REUSE.toml").expression == "MPL-2.0"
    assert facts.documentation_license == "CC-BY-SA-4.0"
    assert facts.copyright_holders == ("Magenta ApS", "Aarhus Kommune")

    applied = {f.path: f for f in apply_reuse(files, facts, tmp_path)}
    assert applied["docs/guide.md"].license_expression == "CC-BY-SA-4.0"
    assert applied["docs/guide.md"].license_source is LicenseSource.REUSE
    assert applied["app.py"].license_expression == "MPL-2.0"
    assert applied["own.py"].license_expression == "MIT"  # its own header stays
    assert applied["own.py"].license_source is LicenseSource.HEADER


def test_reuse_toml_without_an_annotation_for_every_file_declares_nothing(tmp_path: Path) -> None:
    toml = 'version = 1\n[[annotations]]\npath = "docs/**"\nSPDX-License-Identifier = "CC-BY-4.0"\n'
    write(tmp_path, {"REUSE.toml": toml})
    facts = read_facts(tmp_path, [finding("docs/a.md", None, FileKind.DOCS)])
    reuse = source(facts, "REUSE.toml")
    assert (reuse.expression, reuse.raw, reuse.error) == (None, "", None)
    assert facts.declared_license is None
    assert facts.documentation_license == "CC-BY-4.0"
    assert facts.reuse_annotations == (("docs/**", "CC-BY-4.0"),)


def test_dep5_stanzas(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".reuse/dep5": (
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                "Upstream-Name: os2test\n\n"
                "Files: *\nCopyright: 2023 OS2\nLicense: EUPL-1.2\n\n"
                "Files: docs/*\n"
                "Copyright: 2023 OS2\nLicense: CC-BY-4.0\n"
            )
        },
    )
    files = [finding("docs/deep/a.md", None, FileKind.DOCS), finding("src/x.py")]
    facts = read_facts(tmp_path, files)
    assert facts.reuse_annotations == (("**", "EUPL-1.2"), ("docs/**", "CC-BY-4.0"))
    assert facts.declared_license == "EUPL-1.2"
    assert facts.documentation_license == "CC-BY-4.0"
    assert facts.copyright_holders == ("OS2",)
    applied = {f.path: f.license_expression for f in apply_reuse(files, facts)}
    assert applied == {"docs/deep/a.md": "CC-BY-4.0", "src/x.py": "EUPL-1.2"}


def test_license_sidecar_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "img/logo.png.license": (
                "SPDX-FileCopyrightText: 2024 Aarhus Kommune\nSPDX-License-Identifier: CC0-1.0\n"
            ),
        },
    )
    (tmp_path / "img" / "logo.png").write_bytes(b"\x89PNG")
    files = [finding("img/logo.png", None, FileKind.BINARY), finding("img/logo.png.license")]
    facts = read_facts(tmp_path, files)
    logo = apply_reuse(files, facts, tmp_path)[0]
    assert logo.license_expression == "CC0-1.0"
    assert logo.license_source is LicenseSource.REUSE
    assert logo.holders == ("Aarhus Kommune",)


def test_spdx_headers_count_only_when_nothing_else_declares(tmp_path: Path) -> None:
    code = [
        finding(f"m{i}.py", "EUPL-1.2", source=LicenseSource.HEADER, spdx_header=True)
        for i in range(3)
    ]
    code.append(finding("odd.py", "MIT", source=LicenseSource.HEADER, spdx_header=True))
    facts = read_facts(tmp_path, code)
    assert facts.declared_license == "EUPL-1.2"
    assert source(facts, "SPDX headers").expression == "EUPL-1.2"

    write(tmp_path, {"package.json": '{"license": "MIT"}'})
    facts = read_facts(tmp_path, [*code, finding("package.json", None, FileKind.CONFIG)])
    assert facts.declared_license == "MIT"
    assert not [s for s in facts.declared_sources if s.source == "SPDX headers"]


# --- holders ---------------------------------------------------------------------------------


def test_placeholder_holders_and_licence_text_holders_are_left_out(tmp_path: Path) -> None:
    write(tmp_path, {"LICENSE": "apache", "COPYING": "gpl"})
    files = [
        finding("LICENSE", "Apache-2.0", FileKind.DOCS, holders=("[name of copyright owner]",)),
        finding(
            "COPYING", "GPL-3.0-only", FileKind.DOCS, holders=("Free Software Foundation, Inc.",)
        ),
        finding("a.py", holders=("<OWNER>",)),
        finding("vendor/x.js", kind=FileKind.VENDORED, holders=("Someone Else",)),
    ]
    facts = read_facts(tmp_path, files)
    assert facts.copyright_holders == ()


def test_holders_are_deduplicated_case_insensitively(tmp_path: Path) -> None:
    write(tmp_path, {"LICENSE": MIT})
    files = [
        finding("LICENSE", "MIT", FileKind.DOCS, holders=("Magenta ApS",)),
        finding("a.py", holders=("MAGENTA ApS", "Aarhus Kommune")),
        finding("b.py", holders=("aarhus kommune",)),
    ]
    assert read_facts(tmp_path, files).copyright_holders == ("Magenta ApS", "Aarhus Kommune")


def test_empty_repository_declares_nothing(tmp_path: Path) -> None:
    facts = read_facts(tmp_path, [])
    assert facts == RepoFacts(declared_license=None)


# --- with real scancode ------------------------------------------------------------------------


@pytest.mark.scancode
def test_real_scancode_finding_of_a_licence_file(tmp_path: Path) -> None:
    from scancode.api import get_copyrights, get_licenses

    write(tmp_path, {"LICENSE.md": MIT})
    location = str(tmp_path / "LICENSE.md")
    detected = get_licenses(location)
    holders = tuple(h["holder"] for h in get_copyrights(location)["holders"])
    found = finding(
        "LICENSE.md", detected["detected_license_expression_spdx"], FileKind.DOCS, holders=holders
    )
    facts = read_facts(tmp_path, [found])
    assert facts.declared_license == "MIT"
    assert facts.license_files == ("LICENSE.md",)
    assert facts.copyright_holders == ("Aarhus Kommune",)


def test_an_spdx_licence_tag_read_into_a_holder_is_cut_off() -> None:
    from scanner.kernel.ownership import clean_holders

    assert clean_holders(["Some Contributor SPDX-License-Identifier GPL-3.0-only"]) == (
        "Some Contributor",
    )
