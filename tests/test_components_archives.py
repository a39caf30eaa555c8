"""Archives and third-party content as components: each archive is a package named by its own
manifests, with the licence and holders read inside it; a font or image under an open licence
of its own, held by someone else, is a component too. The rules judge them once, at the
archive, with the files inside it in the detail as `ARCHIVE!/INNER`.

Readings are made by the real content readers from archives, fonts and images built in the
tests; licence texts inside archives (which need scancode) are covered end to end in
test_content_scan.py, so here a commercial licence file is a reading made directly.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from content_helpers import (
    npm_package,
    osgi_jar,
    png_with_xmp,
    ttf_font,
    xmp_packet,
    zeros_zip,
    zip_bytes,
)
from rules_helpers import file, good_code, licence_file, scan

from rules.engine import evaluate
from rules.policy import Policy, load_policy
from scanner.analysis.components import detect_components
from scanner.analysis.content import read_bytes
from scanner.analysis.content.identity import archive_identity
from scanner.kernel.models import (
    Component,
    ComponentIndex,
    ComponentKind,
    ContentReading,
    Evidence,
    EvidenceKind,
    FileFinding,
    FileKind,
    LicenseSource,
    MemberFinding,
    RepoFacts,
    RepoScan,
    Severity,
)

TODAY = date(2025, 1, 1)
OS2 = "OS2 - Offentligt digitaliseringsfællesskab"
FACTS = RepoFacts(declared_license="MPL-2.0", copyright_holders=(OS2,))


@pytest.fixture(scope="module")
def os2() -> Policy:
    return load_policy(today=TODAY)


def content_file(path: str, data: bytes, kind: FileKind = FileKind.BINARY) -> FileFinding:
    """A checkout file as the analysis records it, with the real reader's reading."""
    reading = read_bytes(path, data)
    assert reading is not None
    source = LicenseSource.DETECTED if reading.license_expression else None
    return replace(
        file(path, kind),
        license_expression=reading.license_expression,
        license_source=source,
        holders=reading.holders,
        content=reading,
        skipped=reading.incomplete,
    )


def components_of(*files: FileFinding, facts: RepoFacts = FACTS) -> dict[str, Component]:
    found = detect_components(Path("."), files, facts)
    return {c.path: c for c in found}


def wheel() -> bytes:
    metadata = (
        "Metadata-Version: 2.1\nName: pyrad\nVersion: 2.4\nLicense: BSD-3-Clause\n"
        "Author: Wichert Akkerman\n\n"
    )
    return zip_bytes({"pyrad/__init__.py": "", "pyrad-2.4.dist-info/METADATA": metadata})


# --- detection ----------------------------------------------------------------------------------


def test_a_jar_is_a_component_named_by_its_maven_coordinates_with_its_manifest_licence() -> None:
    found = components_of(content_file("lib/widgets-1.0.jar", osgi_jar()), good_code())

    jar = found["lib/widgets-1.0.jar"]
    assert jar.kind is ComponentKind.ARCHIVE
    assert (jar.name, jar.version) == ("widgets", "1.0")
    assert jar.license == "Apache-2.0"
    assert jar.license_source == "META-INF/MANIFEST.MF, META-INF/maven/org.example/widgets/pom.xml"
    assert jar.holders == ("Example Widgets ApS",)  # the manifest's vendor: no inner holder
    assert jar.files == 3  # its entries
    assert set(found) == {"lib/widgets-1.0.jar"}  # first-party code is no component


def test_an_npm_package_and_a_wheel_are_named_by_package_json_and_metadata() -> None:
    found = components_of(
        content_file("vendor/left-pad-1.3.0.tgz", npm_package(), FileKind.VENDORED),
        content_file("wheels/pyrad-2.4-py3-none-any.whl", wheel()),
    )
    npm = found["vendor/left-pad-1.3.0.tgz"]
    assert (npm.name, npm.version, npm.license) == ("left-pad", "1.3.0", "WTFPL")
    assert npm.license_source == "package/package.json"
    wheel_component = found["wheels/pyrad-2.4-py3-none-any.whl"]
    assert (wheel_component.name, wheel_component.version) == ("pyrad", "2.4")
    assert wheel_component.license == "BSD-3-Clause"


def test_an_archive_without_manifests_is_named_by_its_file_name() -> None:
    identity = archive_identity(
        "lib/commons-lang3-3.12.0.jar", ContentReading(format="jar", entries=1)
    )
    assert (identity.name, identity.version) == ("commons-lang3", "3.12.0")
    nuget = archive_identity("pkg/Newtonsoft.Json.13.0.1.nupkg", ContentReading(format="nupkg"))
    assert (nuget.name, nuget.version) == ("Newtonsoft.Json", "13.0.1")
    plain = archive_identity("data/zeros.zip", ContentReading(format="zip"))
    assert (plain.name, plain.version) == ("zeros", None)


def _identity(path: str, members: dict[str, bytes | str]) -> tuple[str, str | None]:
    reading = read_bytes(path, zip_bytes(members))
    assert reading is not None
    identity = archive_identity(path, reading)
    return identity.name, identity.version


def test_an_archive_s_version_is_read_from_its_manifest_not_its_file_name() -> None:
    bundle = "Bundle-SymbolicName: org.example.widgets;singleton:=true\r\nBundle-Version: 2.3.1\r\n"
    nuspec = (
        '<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/'
        'nuspec.xsd"><metadata><id>Nordlys.Icons</id><version>5.0.2</version>'
        "<authors>Nordlys Design A/S</authors></metadata></package>"
    )
    metadata = "Metadata-Version: 2.1\nName: pyrad\nVersion: 2.4\n\n"
    pkg_info = "Metadata-Version: 1.1\nName: pyrad\nVersion: 2.4.1\n\n"

    assert _identity("lib/widgets.jar", {"META-INF/MANIFEST.MF": bundle}) == (
        "org.example.widgets",
        "2.3.1",
    )
    assert _identity("lib/widgets-9.9.jar", {"META-INF/MANIFEST.MF": bundle})[1] == "2.3.1"
    assert _identity("pkg/icons.nupkg", {"Nordlys.Icons.nuspec": nuspec}) == (
        "Nordlys.Icons",
        "5.0.2",
    )
    assert _identity("wheels/pyrad.whl", {"pyrad-2.4.dist-info/METADATA": metadata}) == (
        "pyrad",
        "2.4",
    )
    assert _identity("eggs/pyrad.egg", {"EGG-INFO/PKG-INFO": pkg_info}) == ("pyrad", "2.4.1")


def test_the_files_inside_an_archive_belong_to_its_component() -> None:
    jar = Component(name="theme", path="lib/theme.jar", kind=ComponentKind.ARCHIVE)
    index = ComponentIndex([jar])
    assert index.owner("lib/theme.jar!/META-INF/LICENSE.txt") is jar
    assert index.owner("lib/theme.jar!/lib/inner.jar!/NOTICE") is jar
    assert index.owner("lib/theme.jar") is jar
    assert index.owner("lib/theme.jarx/LICENSE") is None
    assert jar.contains("lib/theme.jar!/a/b.css")
    assert not jar.contains("lib/theme.jar2")


def test_third_party_content_under_an_open_licence_is_a_component_and_own_content_is_not() -> None:
    photo = png_with_xmp(
        xmp_packet(
            "Copyright 2021 Nordisk Billedbureau", "https://creativecommons.org/licenses/by/4.0/"
        )
    )
    own = png_with_xmp(
        xmp_packet(f"Copyright 2024 {OS2}", "https://creativecommons.org/licenses/by-sa/4.0/")
    )
    found = components_of(
        content_file("img/havn.png", photo, FileKind.CONTENT),
        content_file("img/logo.png", own, FileKind.CONTENT),
        content_file("assets/FjordSans.ttf", ttf_font(), FileKind.BINARY),
        content_file("tests/fixtures/sample.zip", osgi_jar(), FileKind.TEST),
    )
    harbour = found["img/havn.png"]
    assert harbour.kind is ComponentKind.CONTENT
    assert (harbour.license, harbour.holders) == ("CC-BY-4.0", ("Nordisk Billedbureau",))
    assert "cc:license" in harbour.license_source
    assert "img/logo.png" not in found  # OS2's own picture is first-party work
    assert "tests/fixtures/sample.zip" not in found  # test data is judged as test data
    font = found["assets"]  # a folder of fonts, with the font's own licence and foundry
    assert (font.kind, font.license, font.holders) == (
        ComponentKind.FONTS,
        "OFL-1.1",
        ("The Fjord Type Foundry",),
    )


# --- the rules ---------------------------------------------------------------------------------


MANIFEST = "META-INF/MANIFEST.MF"
VENDOR = "Nordlys Design A/S"


def commercial_theme() -> FileFinding:
    """A UI theme JAR whose META-INF/LICENSE.txt is a commercial, non-redistributable licence
    (the reading scancode gives for it; see test_content_scan for the real detection)."""
    commercial = "LicenseRef-scancode-commercial-license"
    reading = ContentReading(
        format="jar",
        license_expression=commercial,
        holders=(VENDOR,),
        evidence=(
            Evidence(EvidenceKind.ORGANISATION, f"{MANIFEST} Implementation-Vendor", VENDOR),
            Evidence(EvidenceKind.METADATA, f"{MANIFEST} Implementation-Title", "nordlys-theme"),
            Evidence(EvidenceKind.METADATA, f"{MANIFEST} Implementation-Version", "4.2.0"),
        ),
        members=(
            MemberFinding("META-INF/LICENSE.txt", 400, commercial, holders=(VENDOR,)),
            MemberFinding("dk/nordlys/theme/theme.css", 30),
        ),
        entries=4,
    )
    return replace(
        file("lib/nordlys-theme.jar", FileKind.BINARY, commercial),
        holders=reading.holders,
        content=reading,
    )


def judged(repo: RepoScan, policy: Policy) -> RepoScan:
    """The scan with its components detected as the analysis does."""
    components = detect_components(Path("."), repo.files, repo.facts)
    return replace(repo, facts=replace(repo.facts, components=components))


def test_a_commercial_jar_is_one_error_at_the_jar_naming_its_inner_licence_file(
    os2: Policy,
) -> None:
    repo = judged(scan([licence_file(), good_code(), commercial_theme()]), os2)
    violations = evaluate(repo, os2, TODAY)

    errors = [v for v in violations if v.severity is Severity.ERROR]
    assert [(v.rule, v.path) for v in errors] == [("component-license", "lib/nordlys-theme.jar")]
    (error,) = errors
    assert error.message.startswith(
        "Component nordlys-theme 4.2.0 (lib/nordlys-theme.jar, 4 entries) is under "
        "LicenseRef-scancode-commercial-license (stated in "
        "lib/nordlys-theme.jar!/META-INF/LICENSE.txt)"
    )
    assert "lib/nordlys-theme.jar!/META-INF/LICENSE.txt" in error.files
    assert not [v for v in violations if v.path and "!/" in v.path]  # aggregated at the JAR


def test_an_open_font_and_a_cc_by_photo_raise_nothing(os2: Policy) -> None:
    photo = png_with_xmp(
        xmp_packet(
            "Copyright 2021 Nordisk Billedbureau", "https://creativecommons.org/licenses/by/4.0/"
        )
    )
    repo = judged(
        scan(
            [
                licence_file(),
                good_code(),
                content_file("static/FjordSans.ttf", ttf_font(), FileKind.BINARY),
                file("static/app.js", FileKind.CODE, "MPL-2.0", LicenseSource.HEADER),
                content_file("img/havn.png", photo, FileKind.CONTENT),
            ]
        ),
        os2,
    )
    kinds = {c.path: c.kind for c in repo.facts.components}
    assert kinds == {
        "static/FjordSans.ttf": ComponentKind.CONTENT,
        "img/havn.png": ComponentKind.CONTENT,
    }
    assert [v for v in evaluate(repo, os2, TODAY) if v.severity is not Severity.INFO] == []


def test_an_archive_owned_by_a_vendor_without_a_licence_is_one_warning(os2: Policy) -> None:
    manifest = "Manifest-Version: 1.0\r\nImplementation-Vendor: Nordlys Design A/S\r\n\r\n"
    jar = content_file("lib/skin.jar", zip_bytes({"META-INF/MANIFEST.MF": manifest}))
    repo = judged(scan([licence_file(), good_code(), jar]), os2)

    found = [
        (v.rule, v.severity, v.path, v.message)
        for v in evaluate(repo, os2, TODAY)
        if v.severity is not Severity.INFO
    ]
    assert found == [
        (
            "component-license",
            Severity.WARNING,
            "lib/skin.jar",
            "Component skin (lib/skin.jar, 1 entry) states no licence (Nordlys Design A/S "
            "named as its owner).",
        )
    ]


def test_an_archive_not_read_in_full_is_still_reported_unchecked(
    os2: Policy, tmp_path: Path
) -> None:
    bomb = content_file("data/zeros.zip", zeros_zip(tmp_path / "z.zip", 64 << 20).read_bytes())
    repo = judged(scan([licence_file(), good_code(), bomb]), os2)

    found = {v.rule: v for v in evaluate(repo, os2, TODAY)}
    assert "compression ratio" in found["unchecked-file"].message
    assert found["unchecked-file"].path == "data/zeros.zip"
    assert found["component-license"].path == "data/zeros.zip"
