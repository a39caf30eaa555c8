"""REUSE: REUSE.toml and .reuse/dep5 annotations, `.license` sidecars, and the licence they
give files that carry none of their own."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scanner.analysis.expressions import declared_expression, join_expressions
from scanner.analysis.smallfile import parse_error, read_small_text
from scanner.kernel.globs import reuse_glob_match
from scanner.kernel.models import DeclaredSource, FileFinding, LicenseSource, RepoFacts
from scanner.kernel.ownership import holder_from_statement


@dataclasses.dataclass(frozen=True)
class Annotation:
    """One path glob of a REUSE.toml annotation or dep5 stanza and what it declares."""

    glob: str  # REUSE.toml syntax: * within a folder, ** across folders
    expression: str | None
    copyrights: tuple[str, ...]
    override: bool = False  # REUSE.toml `precedence = "override"`: the files' own info is ignored


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def read_reuse_toml(root: Path, rel: str) -> tuple[DeclaredSource, list[Annotation]]:
    try:
        data = tomllib.loads(read_small_text(root / rel))
    except (OSError, ValueError, RecursionError, tomllib.TOMLDecodeError) as exc:
        return DeclaredSource("REUSE.toml", rel, None, error=parse_error(exc)), []
    items = data.get("annotations", [])
    if not isinstance(items, list):
        return DeclaredSource("REUSE.toml", rel, None, error="annotations is not a list"), []
    found: list[Annotation] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        raw = item.get("SPDX-License-Identifier")
        expression = declared_expression(raw) if isinstance(raw, str) else None
        copyrights = tuple(_as_list(item.get("SPDX-FileCopyrightText")))
        override = item.get("precedence") == "override"
        for glob in _as_list(item.get("path")):
            found.append(Annotation(glob, expression, copyrights, override))
    return _annotation_source("REUSE.toml", rel, found), found


def _dep5_glob(pattern: str) -> str:
    """A Debian copyright-format glob in REUSE.toml syntax. dep5's `*` crosses folders (REUSE's
    `**`); its `?` (one character) has no REUSE equivalent and becomes `*`; a backslash is
    literal."""
    escaped = pattern.removeprefix("./").replace("\\", "\\\\")
    return re.sub(r"\*+", "**", escaped).replace("?", "*")


def read_dep5(root: Path, rel: str) -> tuple[DeclaredSource, list[Annotation]]:
    try:
        text = read_small_text(root / rel)
    except (OSError, ValueError) as exc:
        return DeclaredSource("dep5", rel, None, error=parse_error(exc)), []
    found: list[Annotation] = []
    for paragraph in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        current = None
        for line in paragraph.splitlines():
            if line.startswith("#"):
                continue
            if line[:1] in (" ", "\t") and current:
                fields[current] += "\n" + line.strip()
            elif ":" in line:
                current, _, value = line.partition(":")
                current = current.strip().lower()
                fields[current] = value.strip()
        if "files" not in fields:
            continue
        raw = fields.get("license", "").split("\n", 1)[0].strip()
        expression = declared_expression(raw) if raw else None
        copyrights = tuple(c for c in fields.get("copyright", "").split("\n") if c.strip())
        for glob in fields["files"].split():
            found.append(Annotation(_dep5_glob(glob), expression, copyrights))
    if not found:
        return DeclaredSource("dep5", rel, None, error="no Files: stanza"), []
    return _annotation_source("dep5", rel, found), found


def _annotation_source(source: str, rel: str, found: list[Annotation]) -> DeclaredSource:
    """The annotation for every file, if any, is a declaration of the repository's licence.

    Without one the file declares nothing for the repository as a whole: the source is kept
    (it exists) with no expression and no raw text.
    """
    everything = [a for a in found if a.glob in ("**", "**/*", "*/**") and a.expression]
    if not everything:
        return DeclaredSource(source, rel, None)
    return DeclaredSource(source, rel, everything[-1].expression, raw=everything[-1].glob)


def _sidecar(root: Path, rel: str) -> tuple[str | None, tuple[str, ...]]:
    path = root / f"{rel}.license"
    try:
        text = read_small_text(path)
    except (OSError, ValueError):
        return None, ()
    # `(.*)` then strip, not `\s*(.+?)\s*$`, which backtracks quadratically on long lines
    ids = [i.strip() for i in re.findall(r"SPDX-License-Identifier:(.*)", text) if i.strip()]
    copyrights = [c.strip() for c in re.findall(r"SPDX-FileCopyrightText:(.*)", text) if c.strip()]
    expression = join_expressions([declared_expression(i) for i in ids], "AND") if ids else None
    holders = tuple(filter(None, (holder_from_statement(c) for c in copyrights)))
    return expression, holders


def apply_reuse(
    files: Sequence[FileFinding], facts: RepoFacts, root: Path | None = None
) -> tuple[FileFinding, ...]:
    """Files given the licence REUSE declares for them.

    A REUSE.toml annotation with `precedence = "override"` whose glob covers a file is its
    licence, whatever the file itself says (the last such annotation that matches wins): that
    is how a project says a file that quotes or names licences (a licence scanner's tests, a
    policy file) is under the project's licence. Otherwise only files without a licence of
    their own get one: a `<path>.license` sidecar next to the file (one of `files`, read under
    `root`), else the last REUSE.toml annotation or dep5 stanza whose glob covers the path
    (REUSE's rule: a later match wins). Such files get `license_source=REUSE`; a sidecar's
    copyright holders are added when the file names none.
    """
    result: list[FileFinding] = []
    sidecars = {f.path for f in files if f.path.endswith(".license")}
    for finding in files:
        override = _last_match(facts.reuse_overrides, finding.path)
        if override is not None and finding.path not in sidecars:
            result.append(_licensed(finding, override, ()))
            continue
        if finding.license_expression or finding.path in sidecars:
            result.append(finding)
            continue
        expression: str | None = None
        holders: tuple[str, ...] = ()
        if root is not None and f"{finding.path}.license" in sidecars:
            expression, holders = _sidecar(Path(root), finding.path)
        if expression is None:
            expression = _last_match(facts.reuse_annotations, finding.path)
        if expression is None:
            result.append(finding)
            continue
        result.append(_licensed(finding, expression, holders))
    return tuple(result)


def _last_match(annotations: Sequence[tuple[str, str]], path: str) -> str | None:
    """The expression of the last annotation whose glob covers `path`."""
    for glob, expression in reversed(annotations):
        if reuse_glob_match(glob, path):
            return expression
    return None


def _licensed(finding: FileFinding, expression: str, holders: tuple[str, ...]) -> FileFinding:
    return dataclasses.replace(
        finding,
        license_expression=expression,
        license_source=LicenseSource.REUSE,
        holders=finding.holders or holders,
    )
