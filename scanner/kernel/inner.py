"""Files inside an archive, as findings of their own addressed `ARCHIVE!/INNER`.

An archive is one file of the checkout (and one row of the file counts); what was read inside
it is kept in its `ContentReading`. Rules and reports that judge or list files one by one see
those inner files through `with_inner`, under the path Java's jar URLs use:
`lib/theme.jar!/META-INF/LICENSE.txt`. Inner files are third-party by nature: they are
VENDORED, and carry the archive's blob SHA (they live in that blob).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scanner.kernel.models import ARCHIVE_SEPARATOR, FileFinding, FileKind, LicenseSource

SEPARATOR = ARCHIVE_SEPARATOR


def inner_findings(finding: FileFinding) -> tuple[FileFinding, ...]:
    """The files read inside `finding` (an archive), empty for any other file."""
    if finding.content is None:
        return ()
    return tuple(
        FileFinding(
            path=f"{finding.path}{SEPARATOR}{member.path}",
            blob_sha=finding.blob_sha,
            size=member.size,
            kind=FileKind.VENDORED,
            license_expression=member.license_expression,
            license_source=LicenseSource.DETECTED if member.license_expression else None,
            copyrights=member.copyrights,
            holders=member.holders,
            notices=member.notices,
            skipped=member.incomplete,
        )
        for member in finding.content.members
    )


def with_inner(files: Iterable[FileFinding]) -> Iterator[FileFinding]:
    """Each file, followed by the files read inside it."""
    for finding in files:
        yield finding
        yield from inner_findings(finding)


def is_inner(path: str | None) -> bool:
    return path is not None and SEPARATOR in path
