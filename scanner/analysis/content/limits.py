"""The bounds every content reader keeps, whatever a hostile file claims about itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentLimits:
    """How far a reader goes before it stops and records the reading as incomplete.

    An archive's entries are counted and its members decompressed through bounded reads, so a
    zip bomb costs at most `max_total_bytes` of decompression and `max_member_bytes` of memory;
    the compression ratio is checked from each entry's header before anything is read.
    """

    max_blob_bytes: int = 256 * 1024 * 1024  # an archive, font, image or document itself
    max_entries: int = 20_000  # entries of one archive
    max_total_bytes: int = 256 * 1024 * 1024  # decompressed bytes read from one archive
    max_ratio: int = 200  # uncompressed / compressed size of one zip entry
    max_depth: int = 3  # archives inside archives
    max_member_bytes: int = 1024 * 1024  # one inner text file handed to the detector
    max_members_detected: int = 200  # inner files handed to the detector per archive
    max_xml_bytes: int = 4 * 1024 * 1024  # one XML part (XMP, SVG, docProps)
    max_pixels: int = 100_000_000  # an image's declared width x height
    max_font_bytes: int = 64 * 1024 * 1024  # a font's decompressed tables (WOFF, WOFF2)


DEFAULT_LIMITS = ContentLimits()
