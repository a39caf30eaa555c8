"""Which content reader a file goes to, by its name: the one table of content formats."""

from __future__ import annotations

ZIP_SUFFIXES = (".jar", ".war", ".ear", ".aar", ".zip", ".nupkg", ".whl", ".egg")
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".woff", ".woff2")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".gif")
SVG_SUFFIXES = (".svg", ".svgz")
PDF_SUFFIXES = (".pdf",)
OFFICE_SUFFIXES = (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")

_TABLE: tuple[tuple[tuple[str, ...], str], ...] = (
    (ZIP_SUFFIXES + TAR_SUFFIXES, "archive"),
    (FONT_SUFFIXES, "font"),
    (IMAGE_SUFFIXES, "image"),
    (SVG_SUFFIXES, "svg"),
    (PDF_SUFFIXES, "pdf"),
    (OFFICE_SUFFIXES, "office"),
)

#: Formats whose text the detector reads as well (an SVG is XML, scancode reads a PDF's text).
ALSO_DETECTED = frozenset({"svg", "pdf"})


def content_format(name: str) -> str | None:
    """ "archive", "font", "image", "svg", "pdf" or "office" for a file name; None otherwise."""
    lower = name.lower()
    for suffixes, kind in _TABLE:
        if lower.endswith(suffixes):
            return kind
    return None
