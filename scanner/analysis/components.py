"""Components: the parts of a repository that are not its own work, or are licensed apart.

A repository is its first-party files plus components. `detect_components` finds them, from
the strongest evidence to the weakest; a file belongs to the innermost component holding it
(`component_of`):

1. git submodules: the gitlinks of the index, named and located by `.gitmodules`;
2. a subfolder with its own licence file or package manifest (package.json, composer.json,
   bower.json, pom.xml, *.nuspec, *.csproj, setup.py, setup.cfg, pyproject.toml, Cargo.toml,
   go.mod, *.gemspec) whose licence or holders differ from the repository's, or that lies in
   a vendor folder. Manifests are read by scancode-toolkit's packagedcode (*.csproj, which it
   does not read, by the same reader the declared licence uses). A subfolder that only repeats
   the repository's licence and owner is a first-party part (a monorepo's frontend/);
3. conventional vendor folders (vendor/, third_party/, 3rdparty/, external/, node_modules/,
   bower_components/, webjars, static/vendor/, ...): each folder directly inside one is a
   component, each file directly inside one a single-file component;
4. folders of font files;
5. single-file libraries: a minified or versioned file in lib/ or libs/, and a script or style
   sheet whose header names another project (`/*! jQuery v3.6.0 | (c) OpenJS Foundation */`)
   or carries an `@license` block with a licence or holder that is not the repository's;
6. archives (jar, war, zip, whl, npm tgz, ...), each a package of its own, named by its
   manifests, with the licence and holders read inside it (test data excepted: it is judged
   as test data); and third-party content (a font, image or document whose metadata states a
   licence and names a holder that is not the repository's, or states other terms).

A component's licence is its own licence file's, else its manifest's, else what its files say
(their own detections, without mentions). Curations (`curate`) then name, merge, ignore or
declare components, as a person decided.
"""

from __future__ import annotations

import contextlib
import logging
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from scanner.analysis.content.formats import content_format
from scanner.analysis.content.identity import archive_identity
from scanner.analysis.expressions import declared_expression
from scanner.analysis.inventory import VENDORED_DIRS, list_submodules
from scanner.analysis.manifests import parse_csproj
from scanner.analysis.smallfile import read_small_text
from scanner.kernel import evidence, licenses
from scanner.kernel.inner import inner_findings
from scanner.kernel.license_files import is_license_file_name
from scanner.kernel.models import (
    DOCUMENT_KINDS,
    Component,
    ComponentCuration,
    ComponentIndex,
    ComponentKind,
    CurationAction,
    FileFinding,
    FileKind,
    LicenseSource,
    RepoFacts,
)
from scanner.kernel.ownership import clean_holders, holder_key

log = logging.getLogger(__name__)

#: Manifest file names scancode's packagedcode reads (compared lower-cased).
MANIFEST_NAMES = frozenset(
    {"package.json", "composer.json", "bower.json", "pom.xml", "setup.py", "setup.cfg",
     "pyproject.toml", "cargo.toml", "go.mod"}
)  # fmt: skip
MANIFEST_SUFFIXES = (".nuspec", ".gemspec", ".csproj")

#: Folders whose every file is a font make a font component.
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2", ".eot", ".pfb", ".pfm")
#: Files a font folder may hold besides its fonts.
FONT_COMPANIONS = (".css", ".scss", ".less", ".txt", ".md", ".html", ".json", ".svg")

#: Folders that hold copied-in libraries when the files in them look like releases.
LIBRARY_DIRS = frozenset({"lib", "libs"})

#: Kinds that are never part of a component's evidence: test data describes, it does not ship.
_NOT_EVIDENCE = frozenset({FileKind.TEST})
#: Kinds whose holders say nothing about who owns the repository's own work.
_NOT_OWN_WORK = frozenset({FileKind.VENDORED, FileKind.GENERATED, FileKind.TEST})

#: How much of a script's start is read for a library header.
HEADER_BYTES = 2048
_SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".css")
_BANNER = re.compile(
    r"/\*[!*]?\s*(?:@preserve\s+|@license\s+)?"
    r"(?P<name>[A-Za-z][\w.\-]*(?:\s[A-Z][\w.\-]*)?)\s+v?(?P<version>\d+\.\d+(?:\.\d+)?"
    r"(?:[-+][\w.]+)?)\b"
)
_LICENSE_TAG = re.compile(r"@license\b")
_VERSIONED_NAME = re.compile(
    r"^(?P<name>[A-Za-z][\w.]*?)[-_.]v?(?P<version>\d+\.\d+(?:\.\d+)?)(?:[.-](?:min|slim|umd))*"
    r"\.(?:js|mjs|css)$",
    re.IGNORECASE,
)
_WEBJARS = ("META-INF/resources/webjars/",)


@dataclass
class _Draft:
    """A component while it is being worked out (mutable, unlike the Component it becomes)."""

    path: str
    kind: ComponentKind
    name: str
    evidence: str
    version: str | None = None
    license: str | None = None
    license_source: str = ""
    holders: tuple[str, ...] = ()
    files: int | None = None  # set when not the count of checkout files (an archive's entries)


def detect_components(
    root: Path,
    files: Sequence[FileFinding],
    facts: RepoFacts,
    curations: Sequence[ComponentCuration] = (),
) -> tuple[Component, ...]:
    """The components of the checkout at `root`, given its files and first view of its facts."""
    root = Path(root)
    drafts: dict[str, _Draft] = {}
    for draft in _submodules(root):
        drafts.setdefault(draft.path, draft)
    for draft in _archives(files):  # before vendor folders: a vendored JAR is an archive
        drafts.setdefault(draft.path, draft)
    for draft in _folders_with_own_terms(root, files, facts):
        drafts.setdefault(draft.path, draft)
    for draft in _vendor_folders(root, files):
        drafts.setdefault(draft.path, draft)
    for draft in _font_folders(files, drafts):
        drafts.setdefault(draft.path, draft)
    for draft in _single_file_libraries(root, files, facts, drafts):
        drafts.setdefault(draft.path, draft)
    for draft in _third_party_content(files, facts, drafts):
        drafts.setdefault(draft.path, draft)
    components = [_finish(d, files) for d in drafts.values()]
    components = curate(components, curations, files)
    return tuple(sorted(components, key=lambda c: c.path))


def first_party(
    files: Iterable[FileFinding], components: Sequence[Component]
) -> tuple[FileFinding, ...]:
    """The files of the repository's own work: those in no component."""
    index = ComponentIndex(components)
    return tuple(f for f in files if index.owner(f.path) is None)


# --- evidence ----------------------------------------------------------------------------------


def _submodules(root: Path) -> Iterable[_Draft]:
    for path, commit, url in list_submodules(root):
        name = (url or path).rstrip("/").rsplit("/", 1)[-1]
        name = name[:-4] if name.endswith(".git") else name
        yield _Draft(
            path=path,
            kind=ComponentKind.SUBMODULE,
            name=name or path,
            evidence=evidence.GITMODULES.format(url=url) if url else evidence.GITLINK,
            version=commit[:12] if commit else None,
        )


def _folder(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _is_manifest(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return name in MANIFEST_NAMES or name.endswith(MANIFEST_SUFFIXES)


def _in_vendor_folder(path: str) -> bool:
    return any(part in VENDORED_DIRS for part in PurePosixPath(path).parts[:-1]) or any(
        w in path for w in _WEBJARS
    )


def _folders_with_own_terms(
    root: Path, files: Sequence[FileFinding], facts: RepoFacts
) -> Iterable[_Draft]:
    """Subfolders whose licence file or manifest states terms (or an owner) of their own."""
    by_folder = _folder_evidence(root, files)
    if not by_folder:
        return
    kinds: dict[str, set[FileKind]] = {}
    for f in files:  # the kinds of files in each candidate folder, walking up each path
        folder = _folder(f.path)
        while folder not in ("", "."):
            if folder in by_folder:
                kinds.setdefault(folder, set()).add(f.kind)
            folder = folder.rpartition("/")[0]
    own_declared = licenses.simplify(facts.declared_license)
    for folder, draft in sorted(by_folder.items()):
        if kinds.get(folder, set()) <= DOCUMENT_KINDS:
            continue  # a documentation folder's licence: the docs-license rule's matter
        if (
            _in_vendor_folder(folder + "/x")
            or (draft.license is not None and not _same_terms(draft.license, own_declared, facts))
            or (bool(draft.holders) and not _shares_owner(draft, files, facts))
        ):
            yield draft


def _folder_evidence(root: Path, files: Sequence[FileFinding]) -> dict[str, _Draft]:
    """A draft per subfolder holding a licence file or a readable package manifest."""
    by_folder: dict[str, _Draft] = {}
    for f in files:
        if "/" not in f.path or f.kind in _NOT_EVIDENCE or f.path.startswith(("LICENSES/", ".")):
            continue
        if f.kind is FileKind.BINARY:
            continue
        folder = _folder(f.path)
        if is_license_file_name(PurePosixPath(f.path).name):
            by_folder[folder] = _with_licence_file(by_folder.get(folder), folder, f)
        elif _is_manifest(f.path):
            package = read_manifest(root, f.path)
            if package is not None:
                by_folder[folder] = _with_manifest(by_folder.get(folder), folder, f.path, package)
    return by_folder


def _with_licence_file(draft: _Draft | None, folder: str, f: FileFinding) -> _Draft:
    """The folder's draft with what its licence file says (a manifest's licence gives way)."""
    expression = licenses.simplify(f.license_expression) if f.license_expression else None
    ignorable = licenses.ignorable_holders(expression)
    holders = clean_holders(h for h in f.holders if h.lower() not in ignorable)
    if draft is not None and (draft.kind is not ComponentKind.PACKAGE or draft.license):
        return draft
    return _Draft(
        path=folder,
        kind=ComponentKind.LICENSED_FOLDER if draft is None else draft.kind,
        name=draft.name if draft else PurePosixPath(folder).name,
        evidence=f.path,
        version=draft.version if draft else None,
        license=expression or (draft.license if draft else None),
        license_source=PurePosixPath(f.path).name if expression else "",
        holders=holders or (draft.holders if draft else ()),
    )


def _with_manifest(draft: _Draft | None, folder: str, path: str, package: Package) -> _Draft:
    """The folder's draft with what its manifest says (name and version; the licence and
    holders where no licence file gave them)."""
    if draft is None:
        return _Draft(
            path=folder,
            kind=ComponentKind.PACKAGE,
            name=package.name or PurePosixPath(folder).name,
            evidence=path,
            version=package.version,
            license=package.license,
            license_source=PurePosixPath(path).name if package.license else "",
            holders=package.holders,
        )
    draft.name = package.name or draft.name
    draft.version = draft.version or package.version
    if not draft.license and package.license:
        draft.license = package.license
        draft.license_source = PurePosixPath(path).name
    draft.holders = draft.holders or package.holders
    return draft


def _same_terms(expression: str, declared: str | None, facts: RepoFacts) -> bool:
    """True when a folder's licence is the repository's own (or its documentation licence)."""
    mine = {c for c in licenses.choices(declared)} if declared else set()
    theirs = set(licenses.choices(expression))
    if mine and theirs == mine:
        return True
    docs = facts.documentation_license
    return bool(docs) and theirs == set(licenses.choices(docs))


def _shares_owner(draft: _Draft, files: Sequence[FileFinding], facts: RepoFacts) -> bool:
    """True when one of the folder's holders also holds first-party work outside the folder."""
    theirs = {holder_key(h) for h in draft.holders}
    inside = draft.path + "/"
    for f in files:
        if not f.holders or f.path.startswith(inside) or f.kind in _NOT_OWN_WORK:
            continue
        if theirs & {holder_key(h) for h in f.holders}:
            return True
    return False


def _vendor_root(path: str) -> str | None:
    """The component root of a file in a vendor folder: the folder right inside the vendor
    folder (two for an npm scope, @scope/name), or the file itself when it lies directly in it."""
    for marker in _WEBJARS:  # META-INF/resources/webjars/<name>/<version>/...
        at = path.find(marker)
        if at >= 0:
            rest = path[at + len(marker) :].split("/")
            return path[: at + len(marker)] + rest[0] if len(rest) > 1 else None
    parts = PurePosixPath(path).parts
    last = None
    for i, part in enumerate(parts[:-1]):
        if part in VENDORED_DIRS:
            last = i
    if last is None:
        return None
    inside = parts[last + 1 :]
    depth = 2 if inside and inside[0].startswith("@") and len(inside) > 2 else 1
    return "/".join(parts[: last + 1 + depth])


def _vendor_folders(root: Path, files: Sequence[FileFinding]) -> Iterable[_Draft]:
    seen: set[str] = set()
    for f in files:
        if f.kind is FileKind.TEST and not _in_vendor_folder(f.path):
            continue
        top = _vendor_root(f.path)
        if top is None or top in seen:
            continue
        seen.add(top)
        name = PurePosixPath(top).name
        version = None
        if top == f.path:  # a single file: its banner names it best, else its file name
            banner = _BANNER.search(_head(root / top)[:400])
            if banner:
                name, version = banner.group("name"), banner.group("version")
            else:
                name, version = _name_from_file_name(name)
        yield _Draft(
            path=top,
            kind=ComponentKind.VENDORED,
            name=name,
            evidence=evidence.VENDOR_FOLDER.format(folder=_folder(top)),
            version=version,
        )


def _name_from_file_name(name: str) -> tuple[str, str | None]:
    match = _VERSIONED_NAME.match(name)
    if match:
        return match.group("name"), match.group("version")
    stem = name
    for suffix in (".min.js", ".min.css", ".js", ".mjs", ".css", ".py", ".php"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return stem, None


def _font_folders(files: Sequence[FileFinding], known: dict[str, _Draft]) -> Iterable[_Draft]:
    by_folder: dict[str, list[str]] = {}
    for f in files:
        if "/" in f.path:
            by_folder.setdefault(_folder(f.path), []).append(f.path.lower())
    index = ComponentIndex(_as_probe(d) for d in known.values())
    for folder, paths in sorted(by_folder.items()):
        fonts = [p for p in paths if p.endswith(FONT_SUFFIXES)]
        if not fonts or not all(p.endswith(FONT_SUFFIXES + FONT_COMPANIONS) for p in paths):
            continue
        if index.owner(folder) is not None:
            continue
        yield _Draft(
            path=folder,
            kind=ComponentKind.FONTS,
            name=PurePosixPath(folder).name,
            evidence=evidence.FONT_FILES.format(n=len(fonts)),
        )


def _as_probe(draft: _Draft) -> Component:
    return Component(name=draft.name, path=draft.path, kind=draft.kind)


def _single_file_libraries(
    root: Path, files: Sequence[FileFinding], facts: RepoFacts, known: dict[str, _Draft]
) -> Iterable[_Draft]:
    index = ComponentIndex(_as_probe(d) for d in known.values())
    own_holders = {holder_key(h) for h in facts.copyright_holders}
    own_declared = licenses.simplify(facts.declared_license)
    for f in files:
        lower = f.path.lower()
        if not lower.endswith(_SCRIPT_SUFFIXES) or f.kind in (FileKind.TEST, FileKind.BINARY):
            continue
        if index.owner(f.path) is not None:
            continue
        name = PurePosixPath(f.path).name
        folders = {p.lower() for p in PurePosixPath(f.path).parts[:-1]}
        head = _head(root / f.path)
        banner = _BANNER.search(head[:400])
        if banner and not _names_the_repository(banner.group("name"), root):
            yield _Draft(
                path=f.path,
                kind=ComponentKind.LIBRARY,
                name=banner.group("name"),
                version=banner.group("version"),
                evidence=evidence.BANNER.format(file=name),
            )
            continue
        if _LICENSE_TAG.search(head):
            expression = (
                f.license_expression if f.license_source is LicenseSource.DETECTED else None
            )
            other_terms = expression and not _same_terms(expression, own_declared, facts)
            other_owner = f.holders and not {holder_key(h) for h in f.holders} & own_holders
            if other_terms or other_owner:
                yield _library_file(f.path, evidence.LICENSE_TAG.format(file=name))
                continue
        if folders & LIBRARY_DIRS and (".min." in lower or _VERSIONED_NAME.match(name)):
            yield _library_file(f.path, evidence.RELEASE_FILE.format(folder=_folder(f.path)))


def _library_file(path: str, found_by: str) -> _Draft:
    """A single-file library named after its file (`select2-4.0.13.js`: select2, 4.0.13)."""
    label, version = _name_from_file_name(PurePosixPath(path).name)
    return _Draft(
        path=path, kind=ComponentKind.LIBRARY, name=label, version=version, evidence=found_by
    )


def _archives(files: Sequence[FileFinding]) -> Iterable[_Draft]:
    """Each archive, a package named by its own manifests (test data excepted: it is judged as
    test data)."""
    for f in files:
        reading = f.content
        if reading is None or f.kind is FileKind.TEST or content_format(f.path) != "archive":
            continue
        identity = archive_identity(f.path, reading)
        license_expression = reading.license_expression
        sources = ", ".join(identity.license_sources)
        if not license_expression:
            license_expression = _files_licence(inner_findings(f))
            sources = "files" if license_expression else ""
        yield _Draft(
            path=f.path,
            kind=ComponentKind.ARCHIVE,
            name=identity.name,
            evidence=(
                evidence.ARCHIVE_INCOMPLETE.format(format=reading.format, reason=reading.incomplete)
                if reading.incomplete
                else evidence.ARCHIVE.format(format=reading.format)
            ),
            version=identity.version,
            license=license_expression,
            license_source=sources,
            holders=reading.holders or _files_holders(inner_findings(f)),
            files=reading.entries,
        )


def _third_party_content(
    files: Sequence[FileFinding], facts: RepoFacts, known: dict[str, _Draft]
) -> Iterable[_Draft]:
    """Each font, image or document not in another component whose metadata states a licence
    and names a holder that is not the repository's (or, naming none, states other terms)."""
    index = ComponentIndex(_as_probe(d) for d in known.values())
    own_declared = licenses.simplify(facts.declared_license)
    own_holders = {holder_key(h) for h in facts.copyright_holders}
    for f in files:
        reading = f.content
        if reading is None or not reading.license_expression or f.kind is FileKind.TEST:
            continue
        if index.owner(f.path) is not None:
            continue
        theirs = {holder_key(h) for h in reading.holders}
        if theirs & own_holders:
            continue  # content of the repository's own owners, under whatever licence
        if not theirs and _same_terms(reading.license_expression, own_declared, facts):
            continue
        stated = [e.field for e in reading.evidence if e.expression]
        yield _Draft(
            path=f.path,
            kind=ComponentKind.CONTENT,
            name=PurePosixPath(f.path).name,
            evidence=evidence.CONTENT_METADATA.format(format=reading.format),
            license=reading.license_expression,
            license_source=", ".join(dict.fromkeys(stated)),
            holders=reading.holders,
        )


def _names_the_repository(name: str, root: Path) -> bool:
    return name.lower().replace("-", "") == root.name.lower().replace("-", "")


def _head(path: Path) -> str:
    try:
        if path.is_symlink():
            return ""
        with open(path, "rb") as handle:
            return handle.read(HEADER_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


# --- manifests -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    """What a package manifest says about the package it describes."""

    name: str | None
    version: str | None
    license: str | None
    holders: tuple[str, ...]


def read_manifest(root: Path, rel: str) -> Package | None:
    """The package a manifest describes, read by scancode's packagedcode; None when unreadable.

    Only the manifest is parsed (`package_only`): no licence detection runs, so the licence
    index is never loaded for this. The licence statement is normalised to SPDX here.
    """
    path = root / rel
    if path.is_symlink() or not path.is_file():
        return None
    if rel.lower().endswith(".csproj"):
        return _csproj_package(path)
    try:
        from packagedcode.recognize import recognize_package_data

        found = recognize_package_data(str(path), package_only=True)
    except Exception:
        log.debug("cannot read manifest %s", rel, exc_info=True)
        return None
    for package in found or ():
        data = package.to_dict()
        holders = clean_holders(
            str(party.get("name"))
            for party in data.get("parties") or ()
            if party.get("name")
            and party.get("role") in (None, "author", "owner", "vendor", "maintainer")
            and party.get("type") != "url"
        )
        return Package(
            name=_text(data.get("name")),
            version=_text(data.get("version")),
            license=statement_expression(data.get("extracted_license_statement")),
            holders=holders,
        )
    return None


def _csproj_package(path: Path) -> Package | None:
    """A .csproj's PackageLicenseExpression, by the reader the declared licence uses."""
    try:
        expression, _raw = parse_csproj(read_small_text(path))
    except (OSError, ValueError, ElementTree.ParseError):
        return None
    return Package(name=path.stem, version=None, license=expression, holders=())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def statement_expression(statement: Any) -> str | None:
    """An SPDX expression for a manifest's licence statement (text, a list, or packagedcode's
    YAML rendering of a structured one); None when it names no licence."""
    if statement is None:
        return None
    if isinstance(statement, (list, tuple)):
        parts = [statement_expression(s) for s in statement]
        known = [p for p in parts if p]
        return licenses.simplify(" OR ".join(f"({p})" for p in known)) if known else None
    if isinstance(statement, dict):
        for key in ("#text", "type", "name", "license", "spdx"):
            value = statement_expression(statement.get(key))
            if value:
                return value
        return None
    text = str(statement).strip()
    if text.startswith("- ") or "\n" in text:  # packagedcode dumps lists and mappings as YAML
        import yaml

        with contextlib.suppress(yaml.YAMLError):
            loaded = yaml.safe_load(text)
            if not isinstance(loaded, str):
                return statement_expression(loaded)
    return declared_expression(text)


# --- finishing -----------------------------------------------------------------------------------


def _finish(draft: _Draft, files: Sequence[FileFinding]) -> Component:
    """The component with its licence, holders and file count worked out from its files."""
    probe = _as_probe(draft)
    mine = [f for f in files if probe.contains(f.path)]
    license_expression, source = draft.license, draft.license_source
    if not license_expression:
        license_expression = _files_licence(mine)
        source = "files" if license_expression else ""
    holders = draft.holders or _files_holders(mine)
    return Component(
        name=draft.name,
        path=draft.path,
        kind=draft.kind,
        version=draft.version,
        license=license_expression,
        license_source=source,
        holders=holders,
        files=len(mine) if draft.files is None else draft.files,
        evidence=draft.evidence,
    )


def _files_licence(files: Sequence[FileFinding]) -> str | None:
    found: dict[str, None] = {}
    for f in files:
        if f.license_expression and f.license_source in (
            LicenseSource.HEADER,
            LicenseSource.DETECTED,
        ):
            found.setdefault(f.license_expression, None)
    if not found:
        return None
    return licenses.simplify(" AND ".join(f"({e})" for e in found))


def _files_holders(files: Sequence[FileFinding]) -> tuple[str, ...]:
    counts: Counter[str] = Counter()
    for f in files:
        counts.update(dict.fromkeys(f.holders, 1))
    return clean_holders(h for h, _ in counts.most_common())


# --- curations -----------------------------------------------------------------------------------


def curate(
    components: Sequence[Component],
    curations: Sequence[ComponentCuration],
    files: Sequence[FileFinding],
) -> list[Component]:
    """Components as the curations say, applied in order (the policy's, then the repository's)."""
    result = list(components)
    for curation in curations:
        matches = [c for c in result if _glob(curation.path, c.path)]
        if curation.action is CurationAction.IGNORE:
            result = [c for c in result if c not in matches]
        elif curation.action is CurationAction.NAME:
            result = [_named(c, curation) if c in matches else c for c in result]
        elif curation.action is CurationAction.MERGE and matches:
            root = _common_folder([c.path for c in matches])
            merged = _Draft(
                path=root,
                kind=matches[0].kind,
                name=curation.name or PurePosixPath(root).name,
                evidence=evidence.MERGED.format(paths=", ".join(c.path for c in matches)),
                version=curation.version,
                license=curation.license,
                license_source="curation" if curation.license else "",
            )
            component = replace(_finish(merged, files), curation=curation.reason)
            result = [c for c in result if c not in matches and not component.contains(c.path)]
            result.append(component)
        elif curation.action is CurationAction.DECLARE:
            path = curation.path.rstrip("/")
            declared = _Draft(
                path=path,
                kind=ComponentKind.DECLARED,
                name=curation.name or PurePosixPath(path).name,
                evidence=(
                    evidence.DECLARED_IN.format(origin=curation.origin)
                    if curation.origin
                    else evidence.DECLARED
                ),
                version=curation.version,
                license=curation.license,
                license_source="curation" if curation.license else "",
            )
            component = replace(_finish(declared, files), curation=curation.reason)
            result = [c for c in result if c.path != path]
            result.append(component)
    return result


def _named(component: Component, curation: ComponentCuration) -> Component:
    return replace(
        component,
        name=curation.name or component.name,
        version=curation.version or component.version,
        license=curation.license or component.license,
        license_source="curation" if curation.license else component.license_source,
        curation=curation.reason,
    )


def _glob(pattern: str, path: str) -> bool:
    from fnmatch import fnmatchcase

    pattern = pattern.rstrip("/")
    return fnmatchcase(path, pattern.replace("**", "*"))


def _common_folder(paths: Sequence[str]) -> str:
    split = [PurePosixPath(p).parts for p in paths]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    if len(paths) > 1 or not common:
        return "/".join(common) or "."
    return paths[0]
