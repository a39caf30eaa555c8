"""Checks of the files themselves: their licences, documentation coverage, headers, notices."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from rules.checks.base import Finding, first_line, first_party_files, is_metadata_file
from rules.compatibility import VERSION_NOT_STATED, Fit, judge, load_table
from rules.policy import Policy
from rules.texts import msg, msgn, unchecked_reason
from scanner.kernel import licenses
from scanner.kernel.globs import reuse_glob_match
from scanner.kernel.inner import inner_findings, with_inner
from scanner.kernel.models import (
    DOCUMENT_KINDS,
    GENERATED_NAMES,
    ComponentKind,
    FileFinding,
    FileKind,
    LicenseSource,
    Message,
    RepoScan,
    Severity,
    Unchecked,
)

#: Licence information a file carries itself (or REUSE gives it), as opposed to inheriting it.
OWN_SOURCES = frozenset({LicenseSource.HEADER, LicenseSource.DETECTED, LicenseSource.REUSE})

_FIX = {
    Fit.DENIED: msg(
        "Remove the file or replace it with one under an open licence; if governance has "
        "approved its use, record that as a waiver in the policy."
    ),
    Fit.CONFLICT: msg(
        "Replace the file with one under a licence that fits the repository's, keep it as a "
        "separately licensed component outside the product, or relicense the repository; an "
        "approved exception belongs in the policy as a waiver."
    ),
    Fit.REVIEW: msg(
        "Find out the file's licence and state it with an SPDX-License-Identifier header or a "
        "REUSE.toml annotation."
    ),
}


def check_file_license_conflict(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """Each first-party file's own licence is allowed and fits the repository's declared licence.

    Denied licences (the policy's `denied` ids and `denied_categories`) and strong copyleft
    that does not fit the declared licence are errors; an unknown licence reference or a
    licence whose version is not stated is a warning. Components are judged once at their
    root (component-license), test data by test-data-license; generated and minified files on
    the licences in their header and licence comments (where bundled code states its licence;
    lock files list other packages' licences and are not judged); licence metadata is not;
    documentation and content are judged against the documentation licences first. A licence
    only mentioned (named in a string or in data) is not a licence.
    """
    yield from _conflicts(scan, policy, test_data=False)


def check_test_data_license(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """Test data (tests/, test/, __tests__/, spec/, fixtures/, testdata/) fits the declared licence.

    Judged like other files, but test data is not what the product ships: a warning by
    default, which a policy may raise to an error or turn off.
    """
    yield from _conflicts(scan, policy, test_data=True)


def _conflicts(scan: RepoScan, policy: Policy, *, test_data: bool) -> Iterator[Finding]:
    facts = scan.facts
    unstated: dict[str, list[FileFinding]] = {}  # licence named without a version -> files
    for f in with_inner(first_party_files(scan)):
        if (f.kind is FileKind.TEST) is not test_data:
            continue
        if is_metadata_file(f.path, facts) or f.license_source is LicenseSource.DECLARED:
            continue
        expression = _judged_expression(f)
        if not expression:
            continue
        documentation: list[str] | None = None
        if f.kind in DOCUMENT_KINDS:
            documentation = list(policy.licenses.documentation)
            if facts.documentation_license:
                documentation.extend(licenses.license_keys(facts.documentation_license))
        verdict = judge(
            expression,
            facts.declared_license,
            denied=policy.licenses.denied,
            denied_categories=policy.licenses.denied_categories,
            documentation=documentation,
        )
        if verdict.fit is Fit.FITS or _reported_inside(f, verdict.license):
            continue
        if verdict.code == VERSION_NOT_STATED and verdict.license:
            unstated.setdefault(verdict.license, []).append(f)
            continue
        yield Finding(
            msg(
                "{path} is under {license}: {reason}.",
                path=f.path,
                license=expression,
                reason=verdict.why if verdict.why else verdict.reason,
            ),
            path=f.path,
            line=first_line(f, verdict.license),
            license=verdict.license or expression,
            severity=Severity.WARNING if verdict.fit is Fit.REVIEW else None,
            how_to_fix=_FIX[verdict.fit],
        )
    for licence, found in sorted(unstated.items()):
        yield _version_not_stated(licence, found)


def _version_not_stated(licence: str, found: list[FileFinding]) -> Finding:
    """One warning for the files that name a GNU licence without its version."""
    first = found[0]
    family = _FAMILY.get(licence, licence)
    return Finding(
        msg(
            "Licence version not stated: {path} names the {family} without a version "
            "(read as {license}).",
            path=first.path,
            family=family,
            license=licence,
        )
        if len(found) == 1
        else msgn(
            "Licence version not stated: {n} file names the {family} without a version "
            "(read as {license}).",
            "Licence version not stated: {n} files name the {family} without a version "
            "(read as {license}).",
            len(found),
            family=family,
            license=licence,
        ),
        path=first.path if len(found) == 1 else None,
        line=first_line(first, licence) if len(found) == 1 else None,
        license=licence,
        severity=Severity.WARNING,
        how_to_fix=msg(
            "State the licence version in each file, best as an SPDX header "
            "(`SPDX-License-Identifier: GPL-3.0-or-later`)."
        ),
        files=tuple(f.path for f in found) if len(found) > 1 else (),
    )


#: The licence a GNU licence id named without a version stands for, for messages.
_FAMILY = {
    "GPL-1.0-or-later": "GNU General Public License",
    "LGPL-2.0-or-later": "GNU Lesser General Public License",
    "AGPL-1.0-or-later": "GNU Affero General Public License",
}


def check_docs_license(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """Documentation and content are covered by a licence, preferably the policy's standard one.

    Covered means an SPDX header or licence text in the file, a `.license` sidecar, a REUSE.toml
    or .reuse/dep5 annotation, or a documentation licence the repository declares.
    """
    facts = scan.facts
    paths = {f.path for f in scan.files}
    standard = {licenses.license_info(i).spdx_id for i in policy.licenses.documentation_allowed}
    accepted = {licenses.license_info(i).spdx_id for i in policy.licenses.documentation_accepted}
    documentation_licences = set(load_table().documentation)
    not_standard: dict[str, list[str]] = {}
    uncovered: list[str] = []
    for f in first_party_files(scan):
        if f.kind not in DOCUMENT_KINDS or is_metadata_file(f.path, facts):
            continue
        if not _covered(f, facts.documentation_license, paths, facts.reuse_annotations):
            uncovered.append(f.path)
        elif f.license_expression and f.license_source in OWN_SOURCES and standard:
            used = _licence_set(f.license_expression)
            if used and not used & standard and used & (accepted | documentation_licences):
                not_standard.setdefault(f.license_expression, []).append(f.path)
    if len(uncovered) == 1:
        yield Finding(
            msg("{path} is not covered by a documentation licence.", path=uncovered[0]),
            path=uncovered[0],
        )
    elif uncovered:
        yield Finding(
            msgn(
                "{n} documentation file is not covered by a documentation licence.",
                "{n} documentation files are not covered by a documentation licence.",
                len(uncovered),
            ),
            files=tuple(sorted(uncovered)),
        )
    declared = facts.documentation_license
    if declared and standard and not _licence_set(declared) & standard:
        wanted = ", ".join(sorted(standard))
        text = (
            msg(
                "The repository's documentation licence {declared} is accepted by the policy "
                "but not its standard ({standard}).",
                declared=declared,
                standard=wanted,
            )
            if _licence_set(declared) & accepted
            else msg(
                "The repository's documentation licence {declared} is not a documentation "
                "licence the policy lists (its standard is {standard}).",
                declared=declared,
                standard=wanted,
            )
        )
        yield Finding(text, license=declared)
    for expression, files in sorted(not_standard.items()):
        wanted = ", ".join(sorted(standard))
        text = (
            msgn(
                "{n} documentation file is under {license}, which the policy accepts but is "
                "not its standard ({standard}).",
                "{n} documentation files are under {license}, which the policy accepts but is "
                "not its standard ({standard}).",
                len(files),
                license=expression,
                standard=wanted,
            )
            if _licence_set(expression) & accepted
            else msgn(
                "{n} documentation file is under {license}, which is not a documentation "
                "licence the policy lists (its standard is {standard}).",
                "{n} documentation files are under {license}, which is not a documentation "
                "licence the policy lists (its standard is {standard}).",
                len(files),
                license=expression,
                standard=wanted,
            )
        )
        yield Finding(
            text,
            path=files[0],
            license=expression,
            files=tuple(files) if len(files) > 1 else (),
        )


def check_file_header(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """Source files carry an SPDX-License-Identifier and a copyright line (REUSE style).

    A file REUSE.toml, .reuse/dep5 or a `.license` sidecar covers counts as having both.
    One finding per repository, with the count and the files in the detail.
    """
    lacking: dict[str, list[str]] = {}
    for f in first_party_files(scan):
        if f.kind is not FileKind.CODE or f.skipped or is_metadata_file(f.path, scan.facts):
            continue
        if f.license_source is LicenseSource.REUSE:
            continue
        missing = []
        if not f.spdx_header:
            missing.append("SPDX-License-Identifier")
        if not f.copyright_header:
            missing.append("copyright")
        if missing:
            lacking.setdefault(" and no ".join(missing), []).append(f.path)
    if not lacking:
        return
    paths = sorted(p for group in lacking.values() for p in group)
    if len(paths) == 1:
        yield Finding(_HEADER_LACKS_ONE[next(iter(lacking))](paths[0]), path=paths[0])
        return
    parts = [_HEADER_LACKS_MANY[what](len(group)) for what, group in sorted(lacking.items())]
    yield Finding(
        msgn(
            "{n} source file lacks SPDX headers ({parts}).",
            "{n} source files lack SPDX headers ({parts}).",
            len(paths),
            parts=_joined(parts),
        ),
        files=tuple(paths),
    )


#: What a source file's header lacks, said of one file and of a count of files.
_HEADER_LACKS_ONE = {
    "SPDX-License-Identifier": lambda path: msg(
        "{path} has no SPDX-License-Identifier line in its header.", path=path
    ),
    "SPDX-License-Identifier and no copyright": lambda path: msg(
        "{path} has no SPDX-License-Identifier and no copyright line in its header.", path=path
    ),
    "copyright": lambda path: msg("{path} has no copyright line in its header.", path=path),
}
_HEADER_LACKS_MANY = {
    "SPDX-License-Identifier": lambda n: msg("{n} without SPDX-License-Identifier", n=n),
    "SPDX-License-Identifier and no copyright": lambda n: msg(
        "{n} without SPDX-License-Identifier and copyright", n=n
    ),
    "copyright": lambda n: msg("{n} without copyright", n=n),
}


def _joined(parts: list[Message]) -> Message:
    """Texts joined with semicolons, each translated on its own."""
    fields = {f"part{i}": part for i, part in enumerate(parts)}
    return Message.of("; ".join(f"{{{name}}}" for name in fields), **fields)


def check_restrictive_notice(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """The repository's own files do not say "all rights reserved", "proprietary", "confidential".

    Third-party (vendored) and generated files are left out. "All rights reserved" next to an
    open licence the file states itself is the customary copyright line of BSD-style licences
    and is not reported.
    """
    for f in first_party_files(scan):
        if f.kind in (FileKind.VENDORED, FileKind.GENERATED, FileKind.TEST) or not f.notices:
            continue
        if is_metadata_file(f.path, scan.facts):
            continue
        own_open = (
            f.license_source in OWN_SOURCES
            and f.license_expression is not None
            and licenses.is_open(f.license_expression)
        )
        notices = [n for n in f.notices if not (own_open and "all rights reserved" in n.lower())]
        if not notices:
            continue
        yield Finding(
            msg("{path} says {notices}.", path=f.path, notices=", ".join(repr(n) for n in notices)),
            path=f.path,
            line=_notice_line(f, notices[0]),
        )


def check_unchecked_file(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """Every file is judged or reported: a file os2scan could not read in full (too large,
    binary, a git-lfs pointer, unreadable, out of time, a detector error) is reported once,
    with the reason, because its licence is unknown.

    Symbolic links are not content and a committed os2scan database has a rule of its own.
    A component's files are covered by the component's own licence (component-license),
    except an archive's: the archive is the component, and what was not read in it (a zip
    bomb's entry, an encrypted entry) may hold the licence it is judged by.
    """
    archives = {c.path for c in scan.facts.components if c.kind is ComponentKind.ARCHIVE}
    judged = (*first_party_files(scan), *(f for f in scan.files if f.path in archives))
    for f in judged:
        if not f.skipped or f.skipped in (Unchecked.SYMLINK, Unchecked.SCAN_DATABASE):
            continue
        yield Finding(
            msg(
                "{path} was not checked: {reason}.", path=f.path, reason=unchecked_reason(f.skipped)
            ),
            path=f.path,
        )


def check_scan_database(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """The repository holds no os2scan database: a committed detection cache could vouch for
    files it does not describe, so it is never read and always reported."""
    for f in scan.files:
        if f.skipped == Unchecked.SCAN_DATABASE:
            yield Finding(
                msg("{path} is an os2scan database committed to the repository.", path=f.path),
                path=f.path,
            )


# --- helpers -----------------------------------------------------------------------------------

#: The lines of a generated or minified file whose licences are judged: its header comments.
GENERATED_HEADER_LINES = 20


def _judged_expression(f: FileFinding) -> str | None:
    """The licence a file is judged on: its own, or for a generated file the licences found in
    its header (a minified bundle names its licence in its first comment)."""
    if f.kind is not FileKind.GENERATED:
        return f.license_expression
    if PurePosixPath(f.path).name.lower() in GENERATED_NAMES:
        return None
    header = [
        d.expression
        for d in f.detections
        if d.expression and 0 < d.start_line <= GENERATED_HEADER_LINES
    ]
    if not header and f.spdx_header and f.license_expression:
        header = [f.license_expression]
    unique = list(dict.fromkeys(header))
    if len(unique) > 1:
        return " AND ".join(f"({e})" if " " in e else e for e in unique)
    return unique[0] if unique else None


def _reported_inside(archive: FileFinding, license_id: str | None) -> bool:
    """An archive whose offending licence comes from a file inside it is reported at that
    file (`ARCHIVE!/INNER`), once, not again at the archive."""
    if archive.content is None or not license_id:
        return False
    return any(
        license_id.lower() in (inner.license_expression or "").lower()
        for inner in inner_findings(archive)
    )


def _covered(
    f: FileFinding,
    declared_documentation: str | None,
    paths: set[str],
    annotations: tuple[tuple[str, str], ...],
) -> bool:
    if f.license_expression and f.license_source in OWN_SOURCES:
        return True
    if declared_documentation:
        return True
    if f"{f.path}.license" in paths:
        return True
    return any(reuse_glob_match(pattern, f.path) for pattern, _ in annotations)


def _licence_set(expression: str) -> set[str]:
    return {
        licenses.license_info(k).spdx_id
        for k in licenses.license_keys(expression)
        if not licenses.license_info(k).is_exception
    }


def _notice_line(f: FileFinding, notice: str) -> int | None:
    for d in f.detections:
        if d.matched_text and notice.lower() in d.matched_text.lower():
            return d.start_line or None
    return None
