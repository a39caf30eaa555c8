"""What made a part of a repository a component (`Component.evidence`), as words with fields.

The analysis writes an evidence from one of these templates (`VENDOR_FOLDER.format(...)`);
the reports read it back with `parse` into its template and fields, to say it in the report's
language (each template is a msgid of the catalogues). A path or a URL is evidence by itself
and is kept as it is.
"""

from __future__ import annotations

import re
import string

VENDOR_FOLDER = "vendor folder {folder}/"
FONT_FILES = "{n} font files"
BANNER = "header of {file}"
LICENSE_TAG = "@license header of {file}"
RELEASE_FILE = "release file in {folder}/"
MERGED = "merged: {paths}"
DECLARED_IN = "declared in {origin}"
DECLARED = "declared"
GITLINK = "gitlink"
GITMODULES = ".gitmodules: {url}"
ARCHIVE = "{format} archive"
ARCHIVE_INCOMPLETE = "{format} archive (not read in full: {reason})"
CONTENT_METADATA = "{format} metadata"

#: every template, in the order `parse` tries them
TEMPLATES = (
    VENDOR_FOLDER, FONT_FILES, BANNER, LICENSE_TAG, RELEASE_FILE, MERGED, DECLARED_IN,
    DECLARED, GITLINK, GITMODULES, ARCHIVE_INCOMPLETE, ARCHIVE, CONTENT_METADATA,
)  # fmt: skip


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field:
            parts.append(f"(?P<{field}>.+)")
    return re.compile("".join(parts), re.DOTALL)


_PATTERNS = tuple((template, _pattern(template)) for template in TEMPLATES)


def parse(evidence: str) -> tuple[str, dict[str, str]] | None:
    """The template an evidence was written from and its fields; None for a path or URL."""
    for template, pattern in _PATTERNS:
        found = pattern.fullmatch(evidence)
        if found:
            return template, found.groupdict()
    return None
