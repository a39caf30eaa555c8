"""Content fixtures built in the tests: archives, fonts, images, PDFs and office documents.

Each builder returns the file's bytes (or writes a large file streaming), made with the same
libraries os2scan reads them with, so the fixtures are real files of their format.
"""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

from texts import MIT

#: A commercial, non-redistributable licence as vendors ship them with UI themes.
COMMERCIAL_LICENSE = """\
Nordlys UI Theme Commercial License Agreement

Copyright (c) 2023 Nordlys Design A/S. All rights reserved.

This is a commercial license. This software is proprietary and confidential. It is
licensed, not sold, to the licensee named on the invoice for use in one product.
You may not copy, modify, sublicense, distribute or redistribute the software or any part
of it. Redistribution in source or binary form is strictly prohibited.
"""

MIT_LICENSE = MIT  # the MIT text the other tests use

OFL_DESCRIPTION = (
    "This Font Software is licensed under the SIL Open Font License, Version 1.1. "
    "This license is available with a FAQ at: https://openfontlicense.org"
)


def zip_bytes(members: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_bytes(members: dict[str, bytes | str], mode: str = "w:gz") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:  # type: ignore[call-overload]
        for name, data in members.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
    return buffer.getvalue()


def commercial_jar() -> bytes:
    """A UI theme JAR whose META-INF/LICENSE.txt is a commercial, non-redistributable licence."""
    manifest = (
        "Manifest-Version: 1.0\r\n"
        "Implementation-Title: nordlys-theme\r\n"
        "Implementation-Version: 4.2.0\r\n"
        "Implementation-Vendor: Nordlys Design A/S\r\n\r\n"
    )
    return zip_bytes(
        {
            "META-INF/MANIFEST.MF": manifest,
            "META-INF/LICENSE.txt": COMMERCIAL_LICENSE,
            "dk/nordlys/theme/Theme.class": b"\xca\xfe\xba\xbe" + bytes(200),
            "dk/nordlys/theme/theme.css": "body { color: #123456; }\n",
        }
    )


def osgi_jar() -> bytes:
    """An OSGi bundle with Maven metadata, licensed Apache-2.0 in its manifest and pom."""
    manifest = (
        "Manifest-Version: 1.0\r\n"
        "Bundle-SymbolicName: org.example.widgets\r\n"
        "Bundle-License: https://www.apache.org/licenses/LICENSE-2.0.txt;description=Apache\r\n"
        "Bundle-Vendor: Example Widgets ApS\r\n\r\n"
    )
    pom = (
        '<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">'
        "<groupId>org.example</groupId><artifactId>widgets</artifactId><version>1.0</version>"
        "<organization><name>Example Widgets ApS</name></organization>"
        "<licenses><license><name>Apache License, Version 2.0</name></license></licenses>"
        "</project>"
    )
    return zip_bytes(
        {
            "META-INF/MANIFEST.MF": manifest,
            "META-INF/maven/org.example/widgets/pom.xml": pom,
            "META-INF/maven/org.example/widgets/pom.properties": (
                "groupId=org.example\nartifactId=widgets\nversion=1.0\n"
            ),
        }
    )


def npm_package() -> bytes:
    return tar_bytes(
        {
            "package/package.json": json.dumps(
                {"name": "left-pad", "version": "1.3.0", "license": "WTFPL", "author": "azer"}
            ),
            "package/index.js": "module.exports = leftPad;\n",
        }
    )


def ttf_font(
    *,
    family: str = "Fjord Sans",
    copyright_notice: str = "Copyright 2019 The Fjord Type Foundry (https://fjord.example)",
    licence: str = OFL_DESCRIPTION,
    licence_url: str = "https://openfontlicense.org",
    manufacturer: str = "The Fjord Type Foundry",
) -> bytes:
    """A small, valid TrueType font (one empty glyph) with the given name table."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable(
        {
            "copyright": copyright_notice,
            "familyName": family,
            "styleName": "Regular",
            "manufacturer": manufacturer,
            "licenseDescription": licence,
            "licenseInfoURL": licence_url,
        }
    )
    builder.setupOS2()
    builder.setupPost()
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()


def jpeg_with_exif(copyright_notice: str, artist: str = "") -> bytes:
    from PIL import Image

    image = Image.new("RGB", (8, 8), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8298] = copyright_notice
    if artist:
        exif[0x013B] = artist
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def xmp_packet(rights: str, licence_url: str, creator: str = "") -> str:
    creator_xml = (
        f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>" if creator else ""
    )
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:cc="http://creativecommons.org/ns#"'
        ' xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"'
        f' xmpRights:WebStatement="{licence_url}">'
        f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>'
        f"{creator_xml}"
        f'<cc:license rdf:resource="{licence_url}"/>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def png_with_xmp(packet: str) -> bytes:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    image = Image.new("RGB", (8, 8), (30, 30, 200))
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", packet)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def pdf_with_info(info: dict[str, str]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata(info)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_with_properties(
    *, creator: str, company: str, custom: dict[str, str] | None = None
) -> bytes:
    """A minimal WordprocessingML package with core, app and custom properties."""
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>Brugervejledning</dc:title><dc:creator>{creator}</dc:creator>"
        f"<cp:lastModifiedBy>{creator}</cp:lastModifiedBy></cp:coreProperties>"
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'extended-properties"><Application>Microsoft Office Word</Application>'
        f"<Company>{company}</Company></Properties>"
    )
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"/>',
        "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
        'openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
        "docProps/core.xml": core,
        "docProps/app.xml": app,
    }
    if custom:
        properties = "".join(
            f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i + 2}" '
            f'name="{name}"><vt:lpwstr>{value}</vt:lpwstr></property>'
            for i, (name, value) in enumerate(custom.items())
        )
        members["docProps/custom.xml"] = (
            '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/'
            'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org'
            f'/officeDocument/2006/docPropsVTypes">{properties}</Properties>'
        )
    return zip_bytes(members)


def zeros_zip(path: Path, size: int = 1 << 30) -> Path:
    """A zip holding `size` bytes of zeros, written streaming (about 1 MB on disk for 1 GiB)."""
    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("zeros.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return path
