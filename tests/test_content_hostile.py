"""Hostile content: bombs, malformed files, entity expansion and absurd dimensions are recorded
as incomplete with a reason, in bounded time and memory, and never raise."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from content_helpers import MIT_LICENSE, docx_with_properties, ttf_font, zeros_zip, zip_bytes

from scanner.analysis.content import ContentLimits, read_bytes, read_content
from scanner.kernel.models import ContentReading

pytestmark = pytest.mark.security

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def _read(name: str, data: bytes, limits: ContentLimits | None = None) -> ContentReading:
    reading = read_bytes(name, data, None, limits) if limits else read_bytes(name, data)
    assert reading is not None
    return reading


@pytest.fixture(scope="module")
def gigabyte_of_zeros(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zeros_zip(tmp_path_factory.mktemp("bomb") / "zeros.zip")


def test_a_zip_of_a_gibibyte_of_zeros_is_incomplete_in_bounded_time_and_memory(
    gigabyte_of_zeros: Path,
) -> None:
    assert gigabyte_of_zeros.stat().st_size < 2_000_000
    program = (
        "import sys, time\n"
        "from scanner.analysis.content import read_content\n"
        "started = time.monotonic()\n"
        "reading = read_content(sys.argv[1])\n"
        "print(reading.incomplete)\n"
        "print(time.monotonic() - started)\n"
        # VmHWM: this process's peak resident memory (ru_maxrss would carry the parent's)
        "status = open('/proc/self/status').read()\n"
        "print(next(l.split()[1] for l in status.splitlines() if l.startswith('VmHWM')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", program, str(gigabyte_of_zeros)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.splitlines()
    reason, seconds, peak_kib = out[0], float(out[1]), int(out[2])
    assert "compression ratio" in reason
    assert "zeros.bin" in reason
    assert seconds < 10
    assert peak_kib < 300 * 1024  # the interpreter, Pillow and fontTools imports, no gigabyte


def test_a_tarball_bomb_stops_decompressing_early() -> None:
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("zeros.bin")
        info.size = 64 << 20
        archive.addfile(info, io.BytesIO(bytes(info.size)))
    started = time.monotonic()
    reading = _read("bomb.tar.gz", buffer.getvalue())

    assert "compression ratio above 200:1" in (reading.incomplete or "")
    assert time.monotonic() - started < 5


def test_archives_nested_deeper_than_the_limit_are_not_read() -> None:
    data = zip_bytes({"LICENSE": MIT_LICENSE})
    for level in range(5):
        data = zip_bytes({f"level{level}.zip": data})
    reading = _read("nested.zip", data)

    assert "nested deeper than 3 archives" in (reading.incomplete or "")
    assert any(m.path.count("!/") == 3 and m.incomplete for m in reading.members)


def test_entry_count_and_total_size_limits() -> None:
    many = zip_bytes({f"f{i}.txt": "x" for i in range(30)})
    limited = _read("many.zip", many, ContentLimits(max_entries=10))
    assert limited.incomplete == "more than 10 entries"

    big = zip_bytes({f"LICENSE{i}": MIT_LICENSE for i in range(5)})
    spent = _read("big.zip", big, ContentLimits(max_total_bytes=3000))
    assert spent.incomplete == "more than 3000 bytes decompressed"


def test_path_traversal_and_encrypted_entries_are_recorded_not_followed() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/LICENSE", MIT_LICENSE)
        archive.writestr("/abs/NOTICE", "x")
        archive.writestr("secret/LICENSE", b"\x00" * 40)
    reading = _read("evil.zip", _mark_encrypted(buffer.getvalue(), b"secret/LICENSE"))

    reasons = {m.path: m.incomplete for m in reading.members}
    assert reasons == {
        "../../etc/LICENSE": "unsafe path not followed",
        "/abs/NOTICE": "unsafe path not followed",
        "secret/LICENSE": "encrypted, not read",
    }
    assert reading.license_expression is None
    assert "encrypted entries not read" in (reading.incomplete or "")


def _mark_encrypted(data: bytes, name: bytes) -> bytes:
    """Set the "encrypted" flag of entry `name` in its local and central headers (zipfile
    cannot write encrypted entries; the reader must not try to read them either way)."""
    patched = bytearray(data)
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = patched.find(signature)
        while start != -1:
            if patched[start + name_at : start + name_at + len(name)] == name:
                patched[start + flags_at] |= 0x1
            start = patched.find(signature, start + 4)
    return bytes(patched)


def test_entity_expansion_is_refused_in_svg_xmp_and_office_xml() -> None:
    svg = (BILLION_LAUGHS + "<svg><metadata>&lol3;</metadata></svg>").encode()
    assert "XML refused" in (_read("bomb.svg", svg).incomplete or "")

    from content_helpers import png_with_xmp

    png = png_with_xmp(BILLION_LAUGHS + "<x>&lol3;</x>")
    assert "XML refused" in (_read("bomb.png", png).incomplete or "")

    docx = docx_with_properties(creator="&lol3;", company="x")
    poisoned = zip_bytes(
        {
            "word/document.xml": "<w/>",
            "docProps/core.xml": BILLION_LAUGHS + "<core>&lol3;</core>",
        }
    )
    assert _read("ok.docx", docx).incomplete is not None  # an undefined entity: malformed
    assert "XML refused" in (_read("bomb.docx", poisoned).incomplete or "")


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


def test_absurd_image_dimensions_are_refused_before_any_pixel_is_decoded() -> None:
    reading = _read("huge.png", _png_header(100_000, 100_000))

    assert (reading.incomplete or "").startswith("image too large")


def test_malformed_images_fonts_pdfs_and_documents_are_incomplete() -> None:
    garbage = bytes(range(256)) * 8
    cases = {
        "broken.jpg": b"\xff\xd8\xff\xe1" + garbage,
        "broken.png": b"\x89PNG\r\n\x1a\n" + garbage,
        "broken.ttf": b"\x00\x01\x00\x00" + garbage,
        "broken.woff2": b"wOF2" + garbage,
        "broken.pdf": b"%PDF-1.7\n" + garbage,
        "broken.docx": b"PK\x03\x04" + garbage,
        "broken.svg": b"<svg><metadata>",
    }
    for name, data in cases.items():
        reading = _read(name, data)
        assert reading.incomplete, name


def test_a_woff_table_that_inflates_past_its_declared_size_is_refused() -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(ttf_font()))
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer)
    data = bytearray(buffer.getvalue())
    # WOFF table directory entries (20 bytes each, from byte 44): tag, offset, compLength,
    # origLength, checksum. Declare the name table a byte long: it inflates to far more.
    for entry in range(44, 44 + 20 * struct.unpack(">H", data[12:14])[0], 20):
        if data[entry : entry + 4] == b"name":
            data[entry + 12 : entry + 16] = struct.pack(">I", 1)
    reading = _read("bomb.woff", bytes(data))

    assert reading.incomplete is not None
    assert reading.license_expression is None


def test_read_content_never_raises_on_unreadable_paths(tmp_path: Path) -> None:
    missing = read_content(str(tmp_path / "gone.zip"))
    assert missing is not None
    assert (missing.incomplete or "").startswith("error:")
