"""Fonts, images, PDFs and office documents: the licence and owners their metadata states.

The fixtures are real files made with fontTools, Pillow and pypdf; no detector is needed for
what these readers find in metadata fields.
"""

from __future__ import annotations

from content_helpers import (
    docx_with_properties,
    jpeg_with_exif,
    pdf_with_info,
    png_with_xmp,
    ttf_font,
    xmp_packet,
    zip_bytes,
)

from scanner.analysis.content import read_bytes
from scanner.analysis.content.statements import creative_commons_id, licence_from_statement
from scanner.kernel.models import ContentReading, EvidenceKind


def _read(name: str, data: bytes) -> ContentReading:
    reading = read_bytes(name, data)
    assert reading is not None
    return reading


def _fields(reading: ContentReading, kind: EvidenceKind) -> dict[str, str]:
    return {e.field: e.value for e in reading.evidence if e.kind is kind}


def test_a_font_states_its_licence_and_its_foundry_in_the_name_table() -> None:
    reading = _read("fonts/FjordSans-Regular.ttf", ttf_font())

    assert reading.format == "ttf"
    assert reading.license_expression == "OFL-1.1"
    assert reading.holders == ("The Fjord Type Foundry",)
    assert _fields(reading, EvidenceKind.ORGANISATION) == {
        "name ID 8 (manufacturer)": "The Fjord Type Foundry"
    }
    assert reading.incomplete is None


def test_a_font_licence_url_alone_names_the_licence() -> None:
    apache = _read(
        "a.ttf", ttf_font(licence="", licence_url="http://www.apache.org/licenses/LICENSE-2.0")
    )
    ubuntu = _read(
        "u.ttf",
        ttf_font(
            licence="", licence_url="https://ubuntu.com/legal/terms-and-policies/font-licence"
        ),
    )

    assert apache.license_expression == "Apache-2.0"
    assert ubuntu.license_expression == "Ubuntu-font-1.0"


def test_an_exif_copyright_names_the_holder_and_the_artist_is_only_a_creator() -> None:
    reading = _read(
        "img/borgerservice.jpg", jpeg_with_exif("Copyright 2022 Ritzau Scanpix", "Jens Hansen")
    )

    assert reading.format == "jpeg"
    assert reading.holders == ("Ritzau Scanpix",)
    assert reading.license_expression is None
    assert _fields(reading, EvidenceKind.CREATOR) == {"EXIF Artist": "Jens Hansen"}


def test_an_exif_copyright_written_with_markup_names_the_holder_and_keeps_the_statement() -> None:
    statement = "Foto*Nord* | <b>Nordlys Billeder ApS</b> 2021"
    reading = _read("img/foto.jpg", jpeg_with_exif(statement))

    assert reading.holders == ("FotoNord | Nordlys Billeder ApS",)
    (evidence,) = [e for e in reading.evidence if e.kind is EvidenceKind.COPYRIGHT]
    assert (evidence.value, evidence.holder) == (statement, "FotoNord | Nordlys Billeder ApS")


def test_xmp_rights_and_a_creative_commons_licence_in_a_png() -> None:
    packet = xmp_packet(
        "Copyright 2021 Nordisk Billedbureau",
        "https://creativecommons.org/licenses/by/4.0/",
        creator="Mette Holm",
    )
    reading = _read("img/havn.png", png_with_xmp(packet))

    assert reading.license_expression == "CC-BY-4.0"
    assert reading.holders == ("Nordisk Billedbureau",)
    assert "XMP cc:license" in _fields(reading, EvidenceKind.LICENSE)
    assert _fields(reading, EvidenceKind.CREATOR) == {"XMP dc:creator": "Mette Holm"}


def test_svg_metadata_in_inkscape_style_gives_holder_and_licence() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
        'syntax-ns#" xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/'
        'elements/1.1/"><metadata><rdf:RDF><cc:Work rdf:about="">'
        "<dc:rights><cc:Agent><dc:title>(c) 2020 Aarhus Kommune</dc:title></cc:Agent></dc:rights>"
        '<cc:license rdf:resource="http://creativecommons.org/licenses/by-sa/4.0/"/>'
        "</cc:Work></rdf:RDF></metadata><rect width='1' height='1'/></svg>"
    )
    reading = _read("logo.svg", svg.encode())

    assert reading.license_expression == "CC-BY-SA-4.0"
    assert reading.holders == ("Aarhus Kommune",)


def test_a_pdf_shows_author_and_company_as_evidence_but_not_as_holders() -> None:
    reading = _read(
        "docs/vejledning.pdf",
        pdf_with_info({"/Author": "Jens Jensen", "/Company": "Konsulenthuset ApS"}),
    )

    assert reading.format == "pdf"
    assert _fields(reading, EvidenceKind.CREATOR) == {"PDF Author": "Jens Jensen"}
    assert _fields(reading, EvidenceKind.ORGANISATION) == {"PDF Company": "Konsulenthuset ApS"}
    assert reading.holders == ()


def test_a_pdf_copyright_entry_is_a_holder() -> None:
    reading = _read("a.pdf", pdf_with_info({"/Copyright": "(c) 2023 Region Midtjylland"}))

    assert reading.holders == ("Region Midtjylland",)


def test_a_docx_shows_creator_and_company_and_a_custom_copyright_property() -> None:
    reading = _read(
        "docs/manual.docx",
        docx_with_properties(
            creator="Jens Jensen",
            company="Konsulenthuset ApS",
            custom={"Copyright": "(c) 2024 Aarhus Kommune", "License": "CC-BY-SA-4.0"},
        ),
    )

    assert reading.format == "docx"
    assert _fields(reading, EvidenceKind.CREATOR)["core dc:creator"] == "Jens Jensen"
    assert _fields(reading, EvidenceKind.ORGANISATION) == {"app Company": "Konsulenthuset ApS"}
    assert reading.holders == ("Aarhus Kommune",)
    assert reading.license_expression == "CC-BY-SA-4.0"


def test_an_opendocument_text_shows_its_initial_creator() -> None:
    meta = (
        '<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:'
        'opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:'
        'meta:1.0"><office:meta><meta:initial-creator>Anne Berg</meta:initial-creator>'
        '<meta:user-defined meta:name="Rettighedshaver">x</meta:user-defined>'
        "</office:meta></office:document-meta>"
    )
    data = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "meta.xml": meta})
    reading = _read("notat.odt", data)

    assert reading.format == "odt"
    assert _fields(reading, EvidenceKind.CREATOR) == {"meta:initial-creator": "Anne Berg"}


def test_creative_commons_urls_map_to_spdx_ids() -> None:
    assert (
        creative_commons_id("https://creativecommons.org/licenses/by-sa/4.0/deed.da")
        == "CC-BY-SA-4.0"
    )
    assert (
        creative_commons_id("http://creativecommons.org/licenses/by-nc-nd/3.0/")
        == "CC-BY-NC-ND-3.0"
    )
    assert creative_commons_id("https://creativecommons.org/publicdomain/zero/1.0/") == "CC0-1.0"
    assert creative_commons_id("https://creativecommons.org/licenses/nope/9.9/") is None
    assert (
        licence_from_statement(
            "Released under CC BY 4.0, see https://creativecommons.org/licenses/by/4.0/"
        )
        == "CC-BY-4.0"
    )


def test_files_that_are_not_content_are_not_read() -> None:
    assert read_bytes("src/main.py", b"print(1)\n") is None
