"""Archives read in memory: inner licence files through the scan's own detector, manifests,
nested archives, and findings addressed as ARCHIVE!/INNER."""

from __future__ import annotations

import pytest
from content_helpers import (
    COMMERCIAL_LICENSE,
    MIT_LICENSE,
    commercial_jar,
    npm_package,
    osgi_jar,
    tar_bytes,
    ttf_font,
    zip_bytes,
)

from scanner.analysis.content import read_bytes
from scanner.analysis.content.detector import text_detector
from scanner.kernel.models import ContentReading, EvidenceKind

pytestmark = pytest.mark.usefixtures("scancode_index")


def _read(name: str, data: bytes) -> ContentReading:
    reading = read_bytes(name, data, text_detector(120))
    assert reading is not None
    return reading


def _member(reading: ContentReading, path: str):  # type: ignore[no-untyped-def]
    return next(m for m in reading.members if m.path == path)


def test_a_commercial_licence_inside_a_jar_is_its_licence() -> None:
    reading = _read("lib/nordlys-theme.jar", commercial_jar())

    assert reading.format == "jar"
    assert "LicenseRef-scancode-commercial-license" in (reading.license_expression or "")
    licence = _member(reading, "META-INF/LICENSE.txt")
    assert "commercial" in (licence.license_expression or "")
    assert "strictly prohibited" in licence.notices
    assert any("Nordlys Design" in h for h in reading.holders)
    vendor = {e.field: e.value for e in reading.evidence if e.kind is EvidenceKind.ORGANISATION}
    assert vendor == {"META-INF/MANIFEST.MF Implementation-Vendor": "Nordlys Design A/S"}


def test_manifests_declare_an_osgi_bundle_licence_and_vendor() -> None:
    reading = _read("lib/widgets.jar", osgi_jar())

    assert reading.license_expression == "Apache-2.0"
    assert reading.holders == ("Example Widgets ApS",)  # the manifest's vendor: no copyright
    fields = {e.field for e in reading.evidence}
    assert "META-INF/MANIFEST.MF Bundle-License" in fields
    assert "META-INF/maven/org.example/widgets/pom.xml license" in fields


def test_an_npm_package_tarball_reads_its_package_json() -> None:
    reading = _read("vendor/left-pad-1.3.0.tgz", npm_package())

    assert reading.format == "npm"
    assert reading.license_expression == "WTFPL"


def test_a_wheel_declares_its_licence_in_metadata() -> None:
    metadata = "Metadata-Version: 2.4\nName: tiny\nVersion: 1.0\nLicense-Expression: MIT\n\n"
    reading = _read(
        "dist/tiny-1.0-py3-none-any.whl", zip_bytes({"tiny-1.0.dist-info/METADATA": metadata})
    )

    assert reading.license_expression == "MIT"


def test_a_nuget_package_declares_licence_and_copyright_in_its_nuspec() -> None:
    nuspec = (
        '<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/'
        'nuspec.xsd"><metadata><id>Tiny</id><authors>Jane</authors>'
        '<license type="expression">MIT</license>'
        "<copyright>Copyright 2022 Tiny Software Ltd</copyright></metadata></package>"
    )
    reading = _read("packages/tiny.1.0.0.nupkg", zip_bytes({"tiny.nuspec": nuspec}))

    assert reading.license_expression == "MIT"
    assert reading.holders == ("Tiny Software Ltd",)


def test_nested_archives_and_inner_fonts_are_read_with_their_inner_paths() -> None:
    outer = zip_bytes(
        {
            "LICENSE": MIT_LICENSE,
            "lib/theme.jar": commercial_jar(),
            "fonts/FjordSans.ttf": ttf_font(),
            "src/app.js": "// SPDX-License-Identifier: GPL-3.0-or-later\nrun();\n",
            "src/plain.js": "run();\n",
        }
    )
    reading = _read("bundle.zip", outer)

    assert reading.license_expression == "MIT"  # the archive's own licence file
    paths = {m.path: m for m in reading.members}
    assert "commercial" in (paths["lib/theme.jar"].license_expression or "")
    assert "commercial" in (paths["lib/theme.jar!/META-INF/LICENSE.txt"].license_expression or "")
    assert paths["fonts/FjordSans.ttf"].license_expression == "OFL-1.1"
    assert paths["src/app.js"].license_expression == "GPL-3.0-or-later"
    assert "src/plain.js" not in paths  # no licence or copyright hint: nothing to detect


def test_a_tarball_with_a_licence_file_and_a_link() -> None:
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:bz2") as archive:
        raw = COMMERCIAL_LICENSE.encode()
        info = tarfile.TarInfo("theme/LICENSE")
        info.size = len(raw)
        archive.addfile(info, io.BytesIO(raw))
        link = tarfile.TarInfo("theme/COPYING")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    reading = _read("theme.tar.bz2", buffer.getvalue())

    assert reading.format == "tar.bz2"
    assert "commercial" in (reading.license_expression or "")
    assert _member(reading, "theme/COPYING").incomplete == "link not followed"


def test_a_plain_tar_is_read_too() -> None:
    reading = _read("x.tar", tar_bytes({"LICENSE": MIT_LICENSE}, mode="w"))

    assert reading.license_expression == "MIT"
