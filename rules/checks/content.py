"""Checks of content (images, fonts, media, documents, archives) by what its metadata says.

Content needs a licence the policy allows or an expected owner. Third-party content under an
open licence (an OFL font, a CC-BY photo, an Apache-2.0 JAR) is a component and fine; a
licence that is denied or does not fit is `file-license-conflict`'s finding. What this check
adds is the case no licence rule can see: content whose metadata names a holder that is not
an expected owner (a picture agency in EXIF, a vendor in a JAR manifest) and no licence. The
repository's own licence cannot cover it: OS2 can only publish what its owner allowed.
"""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.base import Finding
from rules.policy import Policy
from rules.texts import msg
from scanner.kernel.models import (
    ComponentKind,
    ContentReading,
    EvidenceKind,
    FileFinding,
    LicenseSource,
    RepoScan,
)


def check_content_owner(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """Content whose metadata names an owner the policy does not expect states a licence.

    An archive is a component, judged (and said to state no licence) by component-license.
    """
    archives = {c.path for c in scan.facts.components if c.kind is ComponentKind.ARCHIVE}
    for f in scan.files:
        reading = f.content
        if reading is None or reading.license_expression or f.path in archives:
            continue
        if f.license_source is LicenseSource.REUSE:  # a .license file or REUSE.toml says it
            continue
        holders = [h for h in reading.holders if not policy.owners.matches(h)]
        if not holders or len(holders) < len(reading.holders):
            continue  # nobody named, or an expected owner among them
        yield Finding(
            msg(
                "{path} is owned by {holders} ({where}) and states no licence.",
                path=f.path,
                holders=", ".join(holders),
                where=_where(reading, holders),
            ),
            path=f.path,
        )


def content_ownership(files: tuple[FileFinding, ...], policy: Policy) -> dict[str, int]:
    """How many content files are licensed, owned by an expected owner, owned by someone
    else without a licence, or say nothing about either: the governance report's counts."""
    counts = {"licensed": 0, "expected_owner": 0, "other_owner": 0, "unknown": 0}
    for f in files:
        reading = f.content
        if reading is None:
            continue
        if reading.license_expression:
            counts["licensed"] += 1
        elif any(policy.owners.matches(h) for h in reading.holders):
            counts["expected_owner"] += 1
        elif reading.holders:
            counts["other_owner"] += 1
        else:
            counts["unknown"] += 1
    return counts


def _where(reading: ContentReading, holders: list[str]) -> str:
    fields = [
        e.field
        for e in reading.evidence
        if e.kind in (EvidenceKind.COPYRIGHT, EvidenceKind.ORGANISATION)
        and (e.holder in holders or e.value in holders)
    ]
    return ", ".join(dict.fromkeys(fields)) or reading.format
