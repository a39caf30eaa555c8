"""The repository-level view: which licence a repository declares, where, and who owns it.

`read_facts(root, files)` reads every place a repository can declare its licence and returns
a `RepoFacts`; this module decides what they add up to, while `manifests`, `publiccode` and
`reuse` each read one kind of file. Each place becomes a `DeclaredSource` (with `error` set,
never an exception, when the file is broken):

- licence files at the root: LICENSE, LICENCE, COPYING, UNLICENSE, with or without an
  extension or a suffix (LICENSE.md, LICENSE-MIT, COPYING.LESSER). Their expression is what
  scancode found in them (the `FileFinding` of that path); when scancode found nothing and the
  name carries an id (LICENSE-MIT), the name is used;
- LICENSES/<ID>.<ext> (the REUSE layout): the file name is the id;
- manifests at the root: package.json, composer.json, pyproject.toml, setup.cfg, setup.py
  (read with `ast`, never run), pom.xml, and *.csproj anywhere outside vendored code;
- publiccode.yml (or .yaml): legal.license, legal.mainCopyrightOwner (a holder);
- REUSE.toml and .reuse/dep5: their annotations become `RepoFacts.reuse_annotations`; an
  annotation for every file ("**") is also a declaration;
- SPDX-License-Identifier headers: the most common header expression among code files is a
  source ("SPDX headers") only when no other source declares a licence. A repository that
  puts headers in its files but has no licence file still declares something, but a header
  must not outvote a licence file or a manifest.

The declared licence is taken from the first of these that declares one:
1. the licence files at the root. Several files with different licences: a manifest whose
   expression names exactly those licences says how they combine (LICENSE-MIT +
   LICENSE-APACHE with "MIT OR Apache-2.0" in Cargo/package metadata); COPYING (GPL) beside
   COPYING.LESSER (LGPL) is the LGPL; otherwise all of them apply (AND). A licence file
   whose text scancode could not identify keeps its unknown licence as its expression, but
   does not outvote another source that names a known licence.
2. LICENSES/: one licence is it; with several (MPL-2.0 for code and CC-BY-SA-4.0 for
   documentation) the one most used by code files, else all of them (AND).
3. the manifests, in the order above; 4. publiccode.yml; 5. REUSE.toml / dep5 annotations
   for every file; 6. SPDX headers.

The documentation licence is a Creative Commons (or GFDL) licence declared for
documentation: the declared licence itself in a documentation repository, a CC licence in
LICENSES/ that is not the code licence (with several, the one most documentation files use,
else not CC0-1.0, which REUSE repositories use for small files), or a REUSE annotation
covering documentation files.

Copyright holders come from the licence files (without the holders of the licence text
itself, e.g. the FSF in a GPL text), publiccode.yml's mainCopyrightOwner, REUSE copyright
texts, then the other own files (not vendored, not generated), most frequent first; template
placeholders are removed (see `ownership`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scanner.analysis.expressions import (
    all_unknown,
    declared_expression,
    expression_keys,
    is_docs_licence,
    join_expressions,
)
from scanner.analysis.manifests import MANIFESTS, parse_csproj, read_manifest
from scanner.analysis.publiccode import read_publiccode
from scanner.analysis.reuse import Annotation, read_dep5, read_reuse_toml
from scanner.kernel import licenses
from scanner.kernel.globs import reuse_glob_match
from scanner.kernel.license_files import is_license_file
from scanner.kernel.models import (
    OWN_KINDS,
    DeclaredSource,
    FileFinding,
    FileKind,
    LicenseSource,
    RepoFacts,
)
from scanner.kernel.ownership import clean_holders, holder_from_statement
from scanner.kernel.redact import printable

_LICENSE_FILE_SUFFIX_ID = re.compile(
    r"^(?:LICEN[CS]E|COPYING)[-_.](.+?)(?:\.(?:md|txt|rst))?$", re.IGNORECASE
)
_DOC_PATTERNS = re.compile(r"^(?:docs?|documentation)/|\.(?:md|rst|adoc)$", re.IGNORECASE)


def _root_names(root: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(root) if e.is_file())
    except OSError:
        return []


def _licence_file_source(rel: str, finding: FileFinding | None) -> DeclaredSource:
    detected = finding.license_expression if finding else None
    # scancode's own result, unknown licences included: a licence file nobody can identify
    # is a finding in itself (unlike a manifest's "SEE LICENSE IN ...").
    expression = licenses.simplify(licenses.normalise(detected)) if detected else None
    raw = detected or ""
    if expression is None or all_unknown(expression):
        named = _LICENSE_FILE_SUFFIX_ID.match(rel)
        if named and not re.fullmatch(r"(?i)md|txt|rst|lesser|library", named.group(1)):
            expression = declared_expression(named.group(1)) or expression
            raw = raw or named.group(1)
    return DeclaredSource(rel, rel, expression, raw=raw)


def _licences_dir_source(rel: str, finding: FileFinding | None) -> DeclaredSource:
    stem = rel.split("/", 1)[1].rsplit(".", 1)[0]
    expression = declared_expression(stem)
    if expression is None and stem.startswith("LicenseRef-"):
        expression = stem
    return DeclaredSource("LICENSES", rel, expression, raw=stem)


def _most_used(ids: list[str], files: Sequence[FileFinding], kind: FileKind) -> str | None:
    """The id used by most files of a kind (None when none uses one, or on a tie)."""
    counts: Counter[str] = Counter()
    for f in files:
        if f.kind is kind and f.license_expression:
            keys = expression_keys(f.license_expression)
            for lic in ids:
                if lic in keys:
                    counts[lic] += 1
    if not counts:
        return None
    (best, n), *rest = counts.most_common()
    return None if rest and rest[0][1] == n else best


def _root_licence(
    sources: list[DeclaredSource], manifests: list[DeclaredSource], others_known: bool
) -> str | None:
    """The licence of the root licence files. Files scancode could not identify (only unknown
    licences) do not outvote another source that names a known licence."""
    expressions = list(dict.fromkeys(s.expression for s in sources if s.expression))
    if others_known:
        expressions = [e for e in expressions if not all_unknown(e)]
    if len(expressions) <= 1:
        return expressions[0] if expressions else None
    union = set().union(*(expression_keys(e) for e in expressions))
    for manifest in manifests:
        if manifest.expression and expression_keys(manifest.expression) == union:
            return manifest.expression
    lesser = [e for e in expressions if any(k.startswith("LGPL-") for k in expression_keys(e))]
    if lesser and all(
        e in lesser or all(k.startswith("GPL-") for k in expression_keys(e)) for e in expressions
    ):
        expressions = lesser
    return join_expressions(expressions, "AND")


def _header_source(files: Sequence[FileFinding]) -> DeclaredSource | None:
    counts = Counter(
        f.license_expression
        for f in files
        if f.kind is FileKind.CODE
        and f.license_expression
        and (f.spdx_header or f.license_source is LicenseSource.HEADER)
    )
    if not counts:
        return None
    expression, n = counts.most_common(1)[0]
    return DeclaredSource("SPDX headers", "", licenses.simplify(expression), raw=f"{n} files")


def _real_dir(path: Path) -> bool:
    """A folder of the checkout itself: a symlinked folder may lead out of it, never entered."""
    return path.is_dir() and not path.is_symlink()


def read_facts(root: Path, files: Sequence[FileFinding]) -> RepoFacts:
    """What the repository at `root` declares and who owns it (see the module docstring)."""
    root = Path(root)
    by_path = {f.path: f for f in files}
    paths = _candidate_paths(root, by_path)

    licence_paths = sorted(p for p in paths if is_license_file(p))
    root_files = [_licence_file_source(p, by_path.get(p)) for p in licence_paths if "/" not in p]
    reuse_files = [
        _licences_dir_source(p, by_path.get(p)) for p in licence_paths if p.startswith("LICENSES/")
    ]
    manifests = _manifests(root, paths, files)
    publiccode_source, legal = _publiccode(root, paths)
    annotation_sources, annotations = _reuse_annotations(root)

    reuse_ids = [
        s.expression
        for s in reuse_files
        if s.expression and not licenses.license_info(s.expression).is_exception
    ]
    sources: list[DeclaredSource] = [*root_files, *reuse_files, *manifests]
    if publiccode_source is not None:
        sources.append(publiccode_source)
    sources.extend(annotation_sources)
    declared = _declared_licence(
        root_files, reuse_files, reuse_ids, manifests, publiccode_source, annotation_sources, files
    )
    if declared is None and not any(s.expression for s in sources):
        header = _header_source(files)
        if header is not None:
            sources.append(header)
            declared = header.expression
    code_licence_ids = sorted(expression_keys(declared))

    documentation = _documentation_licence(
        declared, reuse_ids, code_licence_ids, annotations, files
    )
    holders = _holders(root_files, by_path, legal, annotations, files)
    return RepoFacts(
        declared_license=declared,
        declared_sources=tuple(_printable_source(s) for s in sources),
        license_files=tuple(licence_paths),
        copyright_holders=holders,
        publiccode=_printable(legal),
        reuse_annotations=tuple((a.glob, a.expression) for a in annotations if a.expression),
        reuse_overrides=tuple(
            (a.glob, a.expression) for a in annotations if a.expression and a.override
        ),
        documentation_license=documentation,
    )


def _candidate_paths(root: Path, by_path: dict[str, FileFinding]) -> set[str]:
    """The inventoried paths, the files at the root and those in LICENSES/."""
    paths = set(by_path) | set(_root_names(root))
    if _real_dir(root / "LICENSES"):
        with contextlib.suppress(OSError):
            paths |= {f"LICENSES/{e.name}" for e in os.scandir(root / "LICENSES") if e.is_file()}
    return paths


def _manifests(root: Path, paths: set[str], files: Sequence[FileFinding]) -> list[DeclaredSource]:
    """The manifests at the root that declare something, then *.csproj outside vendored code."""
    manifests: list[DeclaredSource] = []
    for name, parse in MANIFESTS:
        if name in paths and (root / name).is_file():
            found = read_manifest(root, name, name, parse)
            if found:
                manifests.append(found)
    vendored = {f.path for f in files if f.kind in (FileKind.VENDORED, FileKind.GENERATED)}
    for rel in sorted(p for p in paths if p.endswith(".csproj") and p not in vendored):
        if rel.count("/") <= 3 and (root / rel).is_file():
            found = read_manifest(root, rel, "csproj", parse_csproj)
            if found:
                manifests.append(found)
    return manifests


def _publiccode(
    root: Path, paths: set[str]
) -> tuple[DeclaredSource | None, dict[str, object] | None]:
    for name in ("publiccode.yml", "publiccode.yaml"):
        if name in paths and (root / name).is_file():
            return read_publiccode(root, name)
    return None, None


def _reuse_annotations(root: Path) -> tuple[list[DeclaredSource], list[Annotation]]:
    """The sources and annotations of .reuse/dep5 and REUSE.toml (later ones win)."""
    annotations: list[Annotation] = []
    annotation_sources: list[DeclaredSource] = []
    if _real_dir(root / ".reuse") and (root / ".reuse" / "dep5").is_file():
        source, found_annotations = read_dep5(root, ".reuse/dep5")
        annotation_sources.append(source)
        annotations.extend(found_annotations)
    if (root / "REUSE.toml").is_file():
        source, found_annotations = read_reuse_toml(root, "REUSE.toml")
        annotation_sources.append(source)
        annotations.extend(found_annotations)
    return annotation_sources, annotations


def _declared_licence(
    root_files: list[DeclaredSource],
    reuse_files: list[DeclaredSource],
    reuse_ids: list[str],
    manifests: list[DeclaredSource],
    publiccode_source: DeclaredSource | None,
    annotation_sources: list[DeclaredSource],
    files: Sequence[FileFinding],
) -> str | None:
    """The declared licence: the first kind of source that declares one (module docstring)."""
    others_known = any(
        s.expression and not all_unknown(s.expression)
        for s in [*reuse_files, *manifests, *([publiccode_source] if publiccode_source else [])]
    )
    declared = _root_licence(root_files, manifests, others_known)
    if declared is None and reuse_ids:
        if len(set(reuse_ids)) == 1:
            declared = reuse_ids[0]
        else:
            declared = _most_used(reuse_ids, files, FileKind.CODE)
            if declared is None:
                not_docs = [i for i in reuse_ids if not is_docs_licence(i)]
                declared = join_expressions(not_docs or reuse_ids, "AND")
    if declared is None:
        declared = next((m.expression for m in manifests if m.expression), None)
    if declared is None and publiccode_source is not None:
        declared = publiccode_source.expression
    if declared is None:
        declared = next((s.expression for s in annotation_sources if s.expression), None)
    return declared


def _printable(value: Any) -> Any:
    """`value` (text, or lists and mappings of it) with control characters shown as \\xNN: a
    manifest's text reaches messages and terminals, and must not drive them."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable(v) for v in value]
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    return value


def _printable_source(source: DeclaredSource) -> DeclaredSource:
    return dataclasses.replace(source, raw=_printable(source.raw), error=_printable(source.error))


def _documentation_licence(
    declared: str | None,
    reuse_ids: list[str],
    code_ids: list[str],
    annotations: list[Annotation],
    files: Sequence[FileFinding],
) -> str | None:
    if is_docs_licence(declared):
        return declared
    candidates = [i for i in reuse_ids if is_docs_licence(i) and i not in code_ids]
    if len(candidates) > 1:  # CC0-1.0 for small files beside CC-BY-SA-4.0 for the docs
        used = _most_used(candidates, files, FileKind.DOCS)
        if used:
            candidates = [used]
        else:
            candidates = [i for i in candidates if not i.startswith("CC0-")] or candidates
    docs_paths = [f.path for f in files if f.kind is FileKind.DOCS]
    for a in annotations:
        if not is_docs_licence(a.expression):
            continue
        covers_docs = _DOC_PATTERNS.search(a.glob.replace("**", "x")) or any(
            reuse_glob_match(a.glob, p) for p in docs_paths
        )
        if covers_docs:
            candidates.append(a.expression or "")
    return join_expressions(candidates, "AND")


def _holders(
    root_files: list[DeclaredSource],
    by_path: dict[str, FileFinding],
    legal: dict[str, object] | None,
    annotations: list[Annotation],
    files: Sequence[FileFinding],
) -> tuple[str, ...]:
    found: list[str] = []
    for source in root_files:
        finding = by_path.get(source.path)
        if finding is None:
            continue
        ignorable = licenses.ignorable_holders(source.expression or finding.license_expression)
        found.extend(h for h in finding.holders if h.lower() not in ignorable)
    if legal is not None:
        owner = legal.get("mainCopyrightOwner")
        if isinstance(owner, str):
            found.append(owner)
    for annotation in annotations:
        found.extend(filter(None, (holder_from_statement(c) for c in annotation.copyrights)))
    counts: Counter[str] = Counter()
    for f in files:
        if f.kind in OWN_KINDS and not is_license_file(f.path):
            # holders named in an image's or a font's metadata are its owners, not the
            # repository's: they are judged as content (rules.checks.content)
            metadata = set(f.content.holders) if f.content else set()
            counts.update(dict.fromkeys((h for h in f.holders if h not in metadata), 1))
    found.extend(h for h, _ in counts.most_common())
    return clean_holders(found)
