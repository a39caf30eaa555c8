"""The typed records passed between os2scan's stages.

Every stage (collect, analyse, evaluate, summarise, render) takes and returns these frozen
dataclasses, so a stage can be run alone, tested alone, and stored in SQLite without knowing
the internals of the stage before it. Partial failures are data: a repository that could not
be collected is a `Checkout` with an `error`, not a log line.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class SourceKind(str, enum.Enum):
    """Where a repository comes from, as written in the portfolio file."""

    PATH = "path"
    GIT = "git"
    GITHUB = "github"
    GITHUB_ORG = "github_org"
    GITLAB = "gitlab"
    GITLAB_GROUP = "gitlab_group"


class FileKind(str, enum.Enum):
    """What a file is, which decides how the rules judge it."""

    CODE = "code"
    DOCS = "docs"
    CONTENT = "content"
    CONFIG = "config"
    BINARY = "binary"
    VENDORED = "vendored"
    GENERATED = "generated"
    TEST = "test"  # test data: files under tests/, test/, __tests__/, spec/, fixtures/, testdata/


#: Kinds judged by the documentation licence rather than the code licence.
DOCUMENT_KINDS = frozenset({FileKind.DOCS, FileKind.CONTENT})

#: Kinds that are the repository's own work (not third-party, generated or opaque binaries).
OWN_KINDS = frozenset({FileKind.CODE, FileKind.DOCS, FileKind.CONTENT, FileKind.CONFIG})

#: File names (lower case) of lock files and other machine-written manifests: generated files
#: that list other packages and their licences.
GENERATED_NAMES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lockb",
        "composer.lock",
        "poetry.lock",
        "pipfile.lock",
        "pdm.lock",
        "uv.lock",
        "cargo.lock",
        "gemfile.lock",
        "go.sum",
        "mix.lock",
        "pubspec.lock",
        "packages.lock.json",
        "flake.lock",
    }
)


class Severity(str, enum.Enum):
    """How much a violation matters. Ordered: error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class LicenseSource(str, enum.Enum):
    """Where a file's licence information came from."""

    HEADER = "header"  # an SPDX-License-Identifier line in the file
    DETECTED = "detected"  # scancode found licence text or a notice
    REUSE = "reuse"  # REUSE.toml, .reuse/dep5 or a .license sidecar
    DECLARED = "declared"  # nothing in the file; the repository's declared licence applies


@dataclass(frozen=True)
class RepositorySpec:
    """One entry of a portfolio: which product a repository belongs to and where to find it.

    `github_org` and `gitlab_group` entries stand for many repositories and are expanded by
    their collector into one spec per repository before cloning.
    """

    product: str
    kind: SourceKind
    locator: str  # a path, a URL, "owner/name", "group/subgroup/project" or an organisation
    ref: str | None = None
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    api_url: str | None = None  # GitHub Enterprise API base or GitLab instance URL
    include_forks: bool = False
    include_archived: bool = False
    origin: str = ""  # "portfolio.yaml:12", for error messages
    entry: str = ""  # the source as written in the portfolio ("../borger-api")

    @property
    def shown(self) -> str:
        """Where the repository comes from, as reports may publish it: the entry as written
        for local folders (never the absolute path on the scanning machine), else the locator."""
        if self.entry:
            return self.entry
        if self.kind in (SourceKind.PATH, SourceKind.GIT) and self.locator.startswith("/"):
            return self.locator.rstrip("/").rsplit("/", 1)[-1]
        return self.locator

    @property
    def name(self) -> str:
        """A short, stable name for the repository (the last part of its locator)."""
        parts = [p for p in self.locator.replace("\\", "/").split("/") if p]
        while len(parts) > 1 and parts[-1] == ".git":  # file:///srv/x/.git names x
            parts.pop()
        tail = parts[-1] if parts else self.locator
        name = tail[:-4] if tail.endswith(".git") and len(tail) > 4 else tail
        return name.rsplit(":", 1)[-1] or self.locator


@dataclass(frozen=True)
class Portfolio:
    """A validated portfolio file."""

    name: str
    specs: tuple[RepositorySpec, ...]
    source: str = ""
    discover: tuple[RepositorySpec, ...] = ()  # organisations and groups to list again


@dataclass(frozen=True)
class ForgeMetadata:
    """What the forge (GitHub, GitLab) says about a repository, stored beside our findings."""

    platform: str  # "github" | "gitlab"
    web_url: str
    platform_license: str | None = None  # GitHub's license.spdx_id, GitLab's license key
    topics: tuple[str, ...] = ()
    archived: bool = False
    fork: bool = False
    default_branch: str | None = None
    last_push: str | None = None
    has_issues: bool | None = None
    visibility: str | None = None


@dataclass(frozen=True)
class Checkout:
    """A repository on local disk, ready to analyse, or the reason it is not."""

    spec: RepositorySpec
    name: str
    path: Path | None
    commit: str | None = None
    remote_url: str | None = None  # never carries credentials
    metadata: ForgeMetadata | None = None
    error: str | None = None
    subfolder: str = ""  # the checked folder inside its git repository ("services/api"), or ""

    @property
    def ok(self) -> bool:
        return self.error is None and self.path is not None


@dataclass(frozen=True)
class Detection:
    """One licence match scancode made in a file."""

    expression: str  # SPDX expression
    score: float
    start_line: int
    end_line: int
    rule: str = ""  # scancode rule identifier, e.g. "mit_14.RULE"
    matched_text: str = ""  # only kept for short notices such as "all rights reserved"
    # A licence named, not granted: a reference, tag or short name inside a string literal or a
    # data file (a list of licence names, a path such as /usr/share/common-licenses/GPL-3).
    mention: bool = False


class EvidenceKind(str, enum.Enum):
    """How a piece of metadata is weighed (docs/content.md explains why).

    Only LICENSE and COPYRIGHT evidence decide a file's licence and holders. An author, an
    artist, a creator, a company or a vendor is shown as metadata evidence but never made a
    copyright holder: the person who typed a document is often an employee or a contractor
    whose work belongs to someone else, and a company field is filled in by the office suite.
    """

    LICENSE = "license"  # a licence statement: an SPDX id, a licence URL, a licence name
    COPYRIGHT = "copyright"  # a copyright statement: "(c) 2024 Ritzau Scanpix"
    CREATOR = "creator"  # author, artist, dc:creator, last modified by
    ORGANISATION = "organisation"  # company, vendor, publisher, foundry
    METADATA = "metadata"  # anything else worth showing: a web statement, usage terms


@dataclass(frozen=True)
class Evidence:
    """One statement found in a file's metadata."""

    kind: EvidenceKind
    field: str  # where it was read, e.g. "EXIF Copyright", "name ID 13", "docProps/app.xml Company"
    value: str  # what it says, cut to a sensible length
    expression: str | None = None  # the SPDX expression a LICENSE statement maps to, if known
    holder: str | None = None  # the holder a COPYRIGHT statement names, if any


@dataclass(frozen=True)
class MemberFinding:
    """A file read inside an archive. `path` is inside the archive; a nested archive's files
    carry the nested archive's path before a `!/`: "lib/inner.jar!/META-INF/LICENSE"."""

    path: str
    size: int
    license_expression: str | None = None
    copyrights: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    incomplete: str | None = None


@dataclass(frozen=True)
class ContentReading:
    """Everything a content reader found in one blob.

    `license_expression` and `holders` are the reader's conclusion from the LICENSE and
    COPYRIGHT evidence (and, for an archive, from its members); `entries` is the number of
    entries an archive holds (0 for other formats).
    """

    format: str  # "jar", "zip", "tar", "ttf", "png", "pdf", "docx", ...
    license_expression: str | None = None
    holders: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    members: tuple[MemberFinding, ...] = ()
    entries: int = 0
    incomplete: str | None = None


@dataclass(frozen=True)
class LicenceStatement:
    """One of scancode's licence detections in a file, as it counts toward the file's licence.

    Kept only for a file where one of them refers to another file for its terms ("See LICENSE
    for the terms", `license_files = LICENSE`): the reference is resolved per path, after
    every file is detected, the way the scancode command resolves it
    (`scanner.analysis.references`), so the same blob in two folders can refer to two files.
    """

    expression: str | None  # SPDX, what the detection says on its own
    refers_to: tuple[str, ...] = ()  # the file names its rules point to: "LICENSE", "COPYING"
    #: Its matches' expressions without the references and the licence introductions: what
    #: stays of it once the referenced file's licence is added.
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileDetections:
    """What scancode found in one blob: the cacheable part of a file's analysis.

    Keyed in the cache by git blob SHA and the detector's version, so it holds nothing that
    depends on where the blob lives (no path, no repository).
    """

    license_expression: str | None  # SPDX; None when no licence was found
    detections: tuple[Detection, ...] = ()
    copyrights: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    spdx_header: str | None = None  # the expression of an SPDX-License-Identifier line
    copyright_header: bool = False  # an SPDX-FileCopyrightText or "Copyright" line at the top
    notices: tuple[str, ...] = ()  # restrictive phrases found: "all rights reserved", ...
    incomplete: str | None = None  # "timeout", "too large", "error: ...": results may be partial
    content: ContentReading | None = None  # what an archive, font, image or document holds
    budget: float | None = None  # the per-file time budget (s) detection had, when incomplete
    #: The file's licence detections, in order, when one of them refers to another file.
    statements: tuple[LicenceStatement, ...] = ()


class Unchecked:
    """Why a file was not read in full (`FileFinding.skipped`). Besides these, "timeout" and
    "error: ..." (the detector failed) and "unreadable: ..." (the file system refused) occur."""

    SYMLINK = "symlink"  # recorded, never followed: not content of the repository
    BINARY = "binary"
    TOO_LARGE = "too large"
    LFS_POINTER = "git-lfs pointer"  # the content lives on an LFS server, never fetched
    SCAN_DATABASE = "os2scan database"  # a detection cache committed to the repository
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class FileFinding:
    """One file of a checkout with what is known about its licence and copyright."""

    path: str
    blob_sha: str
    size: int
    kind: FileKind
    license_expression: str | None = None
    license_source: LicenseSource | None = None
    detections: tuple[Detection, ...] = ()
    copyrights: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    spdx_header: bool = False
    copyright_header: bool = False
    notices: tuple[str, ...] = ()
    skipped: str | None = None  # binary, too large, timeout, ...
    content: ContentReading | None = None  # an archive's, font's, image's or document's


@dataclass(frozen=True)
class DeclaredSource:
    """One place in a repository that declares its licence."""

    source: str  # "LICENSE", "package.json", "publiccode.yml", "REUSE.toml", ...
    path: str
    expression: str | None  # SPDX, None when it could not be read as a licence
    raw: str = ""  # what the file said, for messages
    error: str | None = None  # the file exists but could not be parsed


class ComponentKind(str, enum.Enum):
    """What made a part of a repository a component (a third-party or separately licensed part)."""

    PACKAGE = "package"  # a subfolder with its own package manifest
    LICENSED_FOLDER = "licensed-folder"  # a subfolder with its own licence file
    VENDORED = "vendored"  # a folder under a conventional vendor folder (vendor/, 3rdparty/, ...)
    LIBRARY = "library"  # one file whose header names another project (jquery.min.js)
    FONTS = "fonts"  # a folder of font files
    SUBMODULE = "submodule"  # a git submodule: another repository, referenced by commit
    DECLARED = "declared"  # declared by a curation in the policy or .os2scan.yml
    ARCHIVE = "archive"  # an archive (jar, zip, whl, npm tgz, ...): a package of its own
    CONTENT = "content"  # a font, image or document under a licence of its own, not ours


#: Between an archive's path and the path of a file inside it, as Java's jar URLs write it:
#: "lib/theme.jar!/META-INF/LICENSE.txt".
ARCHIVE_SEPARATOR = "!/"


@dataclass(frozen=True)
class Component:
    """A part of a repository that is not the repository's own work, or is licensed apart.

    A file belongs to the component with the longest `path` that is the file itself or one of
    its folders (see `component_of`). The rules judge a component once, at its root, instead of
    each of its files, and its holders are not the repository's.
    """

    name: str
    path: str  # the component's root folder (or the file, for a single-file library)
    kind: ComponentKind
    version: str | None = None
    license: str | None = None  # SPDX expression; None when nothing states one
    license_source: str = ""  # "LICENSE.md", "package.json", "files", "curation", ...
    holders: tuple[str, ...] = ()
    files: int = 0
    evidence: str = ""  # the file or reason that made it a component
    curation: str | None = None  # the reason given by a curation that named or declared it

    def contains(self, path: str) -> bool:
        """True when `path` is this component's root or lies under it (or inside it, when the
        component is an archive: "lib/theme.jar!/META-INF/LICENSE.txt")."""
        root = self.path.rstrip("/")
        return path == self.path or path.startswith((root + "/", root + ARCHIVE_SEPARATOR))


def component_of(path: str, components: Iterable[Component]) -> Component | None:
    """The innermost component holding `path`, or None for a first-party file."""
    return ComponentIndex(components).owner(path)


class ComponentIndex:
    """Which component holds a path, found by walking up the path's folders: a repository
    with thousands of vendored packages and files is answered in time linear in the files."""

    def __init__(self, components: Iterable[Component]) -> None:
        self._by_root = {c.path.rstrip("/"): c for c in components}

    def owner(self, path: str) -> Component | None:
        """The innermost component holding `path` (the path itself, or a folder above it)."""
        candidate = path
        while candidate:
            found = self._by_root.get(candidate)
            if found is None and candidate.endswith("!"):  # "lib/theme.jar!" of an inner path
                found = self._by_root.get(candidate.removesuffix("!"))
            if found is not None:
                return found
            candidate = candidate.rpartition("/")[0]
        return None


class CurationAction(str, enum.Enum):
    """What a component curation does to the components whose root matches its glob."""

    NAME = "name"  # set name, version or licence of the matching components
    MERGE = "merge"  # make the matching components one, rooted at their common folder
    IGNORE = "ignore"  # the matching components are not components: their files are first-party
    DECLARE = "declare"  # the folder or file at `path` is a component, detected or not


@dataclass(frozen=True)
class ComponentCuration:
    """A person's correction of component detection (policy `components:` or `.os2scan.yml`)."""

    action: CurationAction
    path: str  # a glob on the component root (`*` and `**` match across folders)
    reason: str
    name: str | None = None
    version: str | None = None
    license: str | None = None
    origin: str = ""  # "file:line", for messages


@dataclass(frozen=True)
class RepoFacts:
    """The repository-level view: what it declares and who owns it."""

    declared_license: str | None
    declared_sources: tuple[DeclaredSource, ...] = ()
    license_files: tuple[str, ...] = ()
    copyright_holders: tuple[str, ...] = ()
    publiccode: dict[str, object] | None = None  # the legal section of publiccode.yml
    reuse_annotations: tuple[tuple[str, str], ...] = ()  # (path glob, SPDX expression)
    #: REUSE.toml annotations with `precedence = "override"`: authoritative over the files
    reuse_overrides: tuple[tuple[str, str], ...] = ()  # (path glob, SPDX expression)
    documentation_license: str | None = None
    components: tuple[Component, ...] = ()  # third-party and separately licensed parts


@dataclass(frozen=True)
class RepoScan:
    """The analysis of one checkout: its facts and every file."""

    checkout: Checkout
    facts: RepoFacts
    files: tuple[FileFinding, ...]
    scanned_files: int = 0  # how many files the detector actually ran on (not from cache)


@dataclass(frozen=True)
class Waiver:
    """A time-limited exception granted by the policy."""

    rule: str
    repository: str = "*"
    path: str | None = None
    reason: str = ""
    expires: str | None = None  # YYYY-MM-DD
    approved_by: str | None = None
    decision: str | None = None
    expired: bool = False


class ViolationKey(NamedTuple):
    """What makes a violation the same one from run to run within its repository: the rule,
    the path and the licence, never the line (lines move) nor the message (wording changes).

    Baselines match on it; reports that hold several repositories add the product and the
    repository in front (`Violation.scoped_key`).
    """

    rule: str
    path: str | None
    license: str | None


#: The field names of a ViolationKey, as reports and baseline files name them.
VIOLATION_KEY_FIELDS: tuple[str, ...] = ViolationKey._fields


@dataclass(frozen=True)
class Message:
    """A text for people as a gettext msgid (its English wording, with `{name}` fields) and
    the values of those fields, so every report can say it in its own language.

    `plural` and `count` make it a text whose wording depends on a number (`ngettext`);
    `parts` are fields that are texts of their own (a reason inside a sentence), translated
    before they are filled in.
    """

    template: str
    params: tuple[tuple[str, str], ...] = ()
    plural: str | None = None
    count: int | None = None
    parts: tuple[tuple[str, Message], ...] = ()

    @classmethod
    def of(cls, template: str, **params: object) -> Message:
        """`params` that are Messages become parts; anything else is written as text."""
        return cls(
            template,
            params=tuple((k, str(v)) for k, v in params.items() if not isinstance(v, Message)),
            parts=tuple((k, v) for k, v in params.items() if isinstance(v, Message)),
        )

    def wording(self, singular: str, plural: str | None) -> str:
        """The singular or plural wording for `count` (English rules: 1 is singular)."""
        return plural if plural is not None and self.count != 1 else singular

    def english(self) -> str:
        fields = dict(self.params) | {k: part.english() for k, part in self.parts}
        text = self.wording(self.template, self.plural)
        return text.format(**fields) if fields else text


@dataclass(frozen=True)
class Violation:
    """One finding of the rules engine."""

    rule: str
    severity: Severity
    product: str
    repository: str
    path: str | None
    line: int | None
    license: str | None
    message: str
    how_to_fix: str
    waiver: Waiver | None = None
    message_text: Message | None = None  # `message` as msgid and parameters, for translation
    how_to_fix_text: Message | None = None
    files: tuple[str, ...] = ()  # the files one finding stands for (a component's, a rule's)

    @property
    def waived(self) -> bool:
        return self.waiver is not None and not self.waiver.expired

    @property
    def key(self) -> ViolationKey:
        """Its identity within its repository (see ViolationKey)."""
        return ViolationKey(self.rule, self.path, self.license)

    @property
    def scoped_key(self) -> tuple[str, str, str, str | None, str | None]:
        """Its identity within a portfolio: product, repository, then `key`."""
        return (self.product, self.repository, *self.key)


class ScanKind(str, enum.Enum):
    """Why a scan ran: a portfolio scan (`os2scan scan`) or a CI check of one checkout."""

    PORTFOLIO = "portfolio"
    CHECK = "check"


@dataclass(frozen=True)
class PolicyTerms:
    """What the policy a scan was judged by expects of every product, carried on the result so
    reports (the governance lights) judge by the same policy the rules did.

    `declared_allowed` lists the licences a product may declare, the standard one first;
    `owners` are the copyright-holder patterns of `owners.expected`; `organisations` the
    forge organisations or groups that count as the community's own.
    """

    declared_allowed: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.declared_allowed or self.owners or self.organisations)


@dataclass(frozen=True)
class ScanRecord:
    """A scan as stored in the database (the history `os2scan scans` lists)."""

    id: int
    portfolio: str
    policy: str
    started_at: str
    finished_at: str | None
    status: str  # running | complete | interrupted
    tool_version: str
    kind: ScanKind = ScanKind.PORTFOLIO


@dataclass
class ScanStats:
    """Counters a scan reports as it goes (mutable on purpose: it is filled during the run)."""

    repositories: int = 0
    repositories_failed: int = 0
    files: int = 0
    files_detected: int = 0  # files the detector actually ran on
    files_cached: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScanResult:
    """Everything one scan produced: what renderers and the CLI's exit code work from.

    A repository that could not be collected or analysed is still here, as a RepoScan whose
    checkout carries the error and whose file list is empty.
    """

    repositories: tuple[RepoScan, ...]
    violations: tuple[Violation, ...]
    policy_name: str = "os2"
    policy_source: str = "built-in"
    portfolio: str = ""
    scan_id: int | None = None
    started_at: str | None = None
    tool_version: str = ""
    finished_at: str | None = None
    kind: ScanKind = ScanKind.PORTFOLIO
    policy_terms: PolicyTerms = PolicyTerms()

    @property
    def failed(self) -> tuple[RepoScan, ...]:
        return tuple(r for r in self.repositories if not r.checkout.ok)
