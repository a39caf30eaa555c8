"""What every check shares: the Finding it yields and how files are told apart."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from scanner.kernel.license_files import is_reuse_license_text, is_root_license_file
from scanner.kernel.models import (
    ComponentIndex,
    Detection,
    FileFinding,
    Message,
    RepoFacts,
    RepoScan,
    Severity,
)

#: Files that declare licences rather than carry licensed content.
METADATA_NAMES = frozenset({"REUSE.toml", "publiccode.yml", "publiccode.yaml"})


@dataclass(frozen=True)
class Finding:
    """One problem a check found; the engine adds rule, product, repository and severity."""

    message: Message  # `rules.texts.msg(...)`: a msgid and its parameters
    path: str | None = None
    line: int | None = None
    license: str | None = None
    severity: Severity | None = None  # set when milder than the rule's default
    how_to_fix: Message | None = None  # set when more specific than the rule's text
    files: tuple[str, ...] = ()  # the files the finding stands for, shown in the detail


def first_party_files(scan: RepoScan) -> tuple[FileFinding, ...]:
    """The repository's own files: those in no component (components are judged at their root)."""
    components = scan.facts.components
    if not components:
        return scan.files
    index = ComponentIndex(components)
    return tuple(f for f in scan.files if index.owner(f.path) is None)


def is_metadata_file(path: str, facts: RepoFacts) -> bool:
    """Licence declarations, not licensed content: root licence files, LICENSES/, REUSE.toml,
    .reuse/dep5, publiccode.yml, `.license` sidecars, and the manifests that declared a licence.

    A licence file in a subfolder (vendor/lib/LICENSE) is not metadata: it is how vendored code
    states its licence, and it is judged like that code.
    """
    name = PurePosixPath(path).name
    return (
        is_root_license_file(path)
        or is_reuse_license_text(path)
        or path == ".reuse/dep5"
        or name in METADATA_NAMES
        or path.endswith(".license")
        or any(source.path == path for source in facts.declared_sources)
    )


def first_line(finding: FileFinding, license_id: str | None = None) -> int | None:
    """The first line a licence was detected on (the one naming `license_id` if given)."""
    detections: list[Detection] = list(finding.detections)
    if license_id:
        named = [d for d in detections if license_id.lower() in d.expression.lower()]
        detections = named or detections
    lines = [d.start_line for d in detections if d.start_line]
    return min(lines) if lines else None
