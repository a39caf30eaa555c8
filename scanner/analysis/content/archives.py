"""Archives read in memory with zipfile and tarfile: never unpacked to disk.

jar, war, ear, aar, zip, nupkg, whl and egg are zip files; tar, tar.gz/tgz (npm packages too),
tar.bz2 and tar.xz are tar files. What is read inside:

- licence and notice files, and other text files that mention a licence or a copyright, each
  through the scan's own detector (`TextDetector`);
- manifests: META-INF/MANIFEST.MF (Bundle-License, Bundle-Vendor, Implementation-Vendor),
  META-INF/maven/**/pom.xml and pom.properties, package.json, *.nuspec, METADATA and PKG-INFO;
- fonts, images and documents inside, through their own readers;
- archives inside, to `max_depth`.

Every limit is kept whatever the archive claims: entries are counted, a zip entry whose
declared compression ratio is above `max_ratio` is not decompressed at all, every read is
bounded, and a tar stream is decompressed through a counter that stops at `max_total_bytes`.
Encrypted entries and names that would climb out of a folder (`../`, absolute paths) are
recorded, never read or followed. A limit that was hit makes the reading incomplete, with
the reason.
"""

from __future__ import annotations

import bz2
import functools
import gzip
import io
import lzma
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import IO, Any

from scanner.analysis.content import formats, manifests, statements
from scanner.analysis.content.limits import DEFAULT_LIMITS, ContentLimits
from scanner.analysis.content.statements import TextDetector
from scanner.kernel import licenses, ownership
from scanner.kernel.models import (
    ContentReading,
    Evidence,
    EvidenceKind,
    MemberFinding,
)

ZIP_SUFFIXES = formats.ZIP_SUFFIXES
TAR_SUFFIXES = formats.TAR_SUFFIXES
ARCHIVE_SUFFIXES = ZIP_SUFFIXES + TAR_SUFFIXES

#: Names of legal files inside an archive (compared lower-cased, before the first dot).
LEGAL_STEMS = frozenset(
    {"license", "licence", "copying", "copyright", "notice", "notices", "legal", "eula",
     "unlicense", "patents", "third-party-notices", "thirdpartynotices"}
)  # fmt: skip

#: Members read as text must not look like these (binary program parts and media).
_NOT_TEXT = (
    ".class", ".so", ".dll", ".dylib", ".exe", ".pyc", ".o", ".a", ".dex", ".bin", ".png",
    ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".mp3", ".mp4", ".wasm", ".node",
)  # fmt: skip

#: Reads an inner font, image or document: (member name, bytes) -> a reading, None if not one.
InnerReader = Callable[[str, bytes], ContentReading | None]


class LimitReached(Exception):
    """A bound on the whole archive was reached; the reason is the message."""


@dataclass
class _Budget:
    """What one archive (with everything nested in it) may still cost."""

    limits: ContentLimits
    entries: int = 0
    decompressed: int = 0
    detected: int = 0
    reasons: list[str] = field(default_factory=list)

    def note(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def count_entry(self) -> None:
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise LimitReached(f"more than {self.limits.max_entries} entries")

    def spend(self, size: int) -> None:
        self.decompressed += size
        if self.decompressed > self.limits.max_total_bytes:
            raise LimitReached(f"more than {self.limits.max_total_bytes} bytes decompressed")


def archive_format(name: str, head: bytes) -> str | None:
    """ "zip", "jar", "tar", "tgz", ... for an archive name with a matching signature."""
    lower = name.lower()
    for suffix in ZIP_SUFFIXES:
        if lower.endswith(suffix):
            return suffix[1:] if head[:2] == b"PK" else None
    for suffix in TAR_SUFFIXES:
        if lower.endswith(suffix):
            return "tar" if suffix == ".tar" else suffix.lstrip(".")
    return None


def read_archive(
    name: str,
    source: bytes | IO[bytes],
    detect: TextDetector | None = None,
    inner: InnerReader | None = None,
    limits: ContentLimits = DEFAULT_LIMITS,
) -> ContentReading:
    """Licence, holders and member findings of the archive `name` (its bytes or a binary file)."""
    budget = _Budget(limits)
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    kind = archive_format(name, _peek(stream, 4)) or "archive"
    return _read(name, kind, stream, detect, inner, budget, depth=0)


def _peek(stream: IO[bytes], size: int) -> bytes:
    position = stream.tell()
    head = stream.read(size)
    stream.seek(position)
    return head


def _read(
    name: str,
    kind: str,
    stream: IO[bytes],
    detect: TextDetector | None,
    inner: InnerReader | None,
    budget: _Budget,
    depth: int,
) -> ContentReading:
    reader = _Reader(name, detect, inner, budget, depth)
    try:
        if _peek(stream, 2) == b"PK":
            reader.read_zip(stream)
        else:
            reader.read_tar(stream)
    except LimitReached as limit:
        budget.note(str(limit))
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, lzma.LZMAError) as error:
        budget.note(f"malformed archive: {type(error).__name__}: {error}"[:200])
    except (ValueError, RuntimeError, NotImplementedError) as error:  # zipfile's odd methods
        budget.note(f"unreadable archive: {type(error).__name__}: {error}"[:200])
    return reader.reading("npm" if reader.npm else kind)


class _Reader:
    """Reads one archive level; nested archives get a reader of their own (same budget)."""

    def __init__(
        self,
        name: str,
        detect: TextDetector | None,
        inner: InnerReader | None,
        budget: _Budget,
        depth: int,
    ) -> None:
        self.name = name
        self.detect = detect
        self.inner = inner
        self.budget = budget
        self.depth = depth
        self.entries = 0
        self.npm = False
        self.members: list[MemberFinding] = []
        self.evidence: list[Evidence] = []
        self.legal: list[MemberFinding] = []

    # -- formats

    def read_zip(self, stream: IO[bytes]) -> None:
        limits = self.budget.limits
        with zipfile.ZipFile(stream) as archive:
            for info in archive.infolist():
                self.entries += 1
                self.budget.count_entry()
                if info.is_dir():
                    continue
                if not self._admissible(info.filename, encrypted=bool(info.flag_bits & 0x1)):
                    continue
                ratio = info.file_size / max(1, info.compress_size)
                if info.file_size > limits.max_member_bytes and ratio > limits.max_ratio:
                    reason = (
                        f"{info.filename}: compression ratio {ratio:.0f}:1 is above "
                        f"{limits.max_ratio}:1, not decompressed"
                    )
                    self.budget.note(reason)
                    self.members.append(
                        MemberFinding(info.filename, info.file_size, incomplete=reason)
                    )
                    continue
                read = functools.partial(self._read_zip, archive, info)
                self._entry(info.filename, info.file_size, read)

    def read_tar(self, stream: IO[bytes]) -> None:
        counted = _Counted(_decompressed(stream), self.budget)
        with tarfile.open(fileobj=counted, mode="r|") as archive:
            for member in archive:
                self.entries += 1
                self.budget.count_entry()
                if member.name.startswith("package/") and member.name == "package/package.json":
                    self.npm = True
                if not member.isfile():
                    if (member.issym() or member.islnk()) and _role(member.name):
                        self.members.append(
                            MemberFinding(member.name, 0, incomplete="link not followed")
                        )
                    continue
                if not self._admissible(member.name, encrypted=False):
                    continue
                self._entry(member.name, member.size, functools.partial(_read_tar, archive, member))

    # -- members

    def _read_zip(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
        with archive.open(info) as handle:
            data = handle.read(cap + 1)
        self.budget.spend(len(data))
        return data

    def _entry(self, name: str, size: int, read: Callable[[int], bytes]) -> None:
        """Read one entry of `size` bytes, if it is one we read, with `read(at_most)`."""
        role = _role(name)
        if role is None:
            return
        cap = self._cap(role)
        if size > cap:
            self._too_large(name, size, cap)
            return
        self._member(name, role, read(cap))

    def _admissible(self, name: str, *, encrypted: bool) -> bool:
        if _unsafe(name):
            reason = "unsafe path not followed"
            self.budget.note(f"{name!r}: {reason}")
            self.members.append(MemberFinding(name, 0, incomplete=reason))
            return False
        if encrypted:
            self.budget.note("encrypted entries not read")
            self.members.append(MemberFinding(name, 0, incomplete="encrypted, not read"))
            return False
        return True

    def _cap(self, role: str) -> int:
        limits = self.budget.limits
        return (
            limits.max_member_bytes
            if role in ("legal", "manifest", "text")
            else limits.max_blob_bytes // 4
        )

    def _too_large(self, name: str, size: int, cap: int) -> None:
        reason = f"too large to read ({size} bytes, limit {cap})"
        self.members.append(MemberFinding(name, size, incomplete=reason))

    def _member(self, name: str, role: str, data: bytes) -> None:
        if role == "manifest":
            self.evidence.extend(
                manifests.read_manifest(name, data, self.budget.limits, self.detect)
            )
            if PurePosixPath(name).name.lower() == "package.json" and name.count("/") <= 1:
                self.npm = self.npm or name.startswith("package/")
            return
        if role == "archive":
            self._nested(name, data)
            return
        if role == "content":
            reading = self.inner(name, data) if self.inner else None
            if reading is not None:
                self.members.append(_from_reading(name, len(data), reading))
            return
        self._detect(name, role, data)

    def _detect(self, name: str, role: str, data: bytes) -> None:
        if self.detect is None:
            return
        if role == "text" and (b"\0" in data[:8192] or not _has_hint(data)):
            return
        if self.budget.detected >= self.budget.limits.max_members_detected:
            self.budget.note(
                f"only the first {self.budget.limits.max_members_detected} inner text files "
                "were read"
            )
            return
        self.budget.detected += 1
        found = self.detect(PurePosixPath(name).name or "member", data)
        member = MemberFinding(
            path=name,
            size=len(data),
            license_expression=found.license_expression or found.spdx_header,
            copyrights=found.copyrights,
            holders=ownership.clean_holders(found.holders),  # as the archive's own holders
            notices=found.notices,
            incomplete=found.incomplete,
        )
        self.members.append(member)
        if role == "legal":
            self.legal.append(member)

    def _nested(self, name: str, data: bytes) -> None:
        limits = self.budget.limits
        if self.depth + 1 > limits.max_depth:
            reason = f"nested deeper than {limits.max_depth} archives, not read"
            self.budget.note(f"{name}: {reason}")
            self.members.append(MemberFinding(name, len(data), incomplete=reason))
            return
        kind = archive_format(name, data[:4]) or "archive"
        nested = _read(
            name, kind, io.BytesIO(data), self.detect, self.inner, self.budget, self.depth + 1
        )
        self.members.append(_from_reading(name, len(data), nested))
        self.members.extend(replace(m, path=f"{name}!/{m.path}") for m in nested.members)

    # -- conclusion

    def reading(self, kind: str) -> ContentReading:
        expression, holders = statements.conclude(self.evidence)
        legal_expressions = [m.license_expression for m in self.legal if m.license_expression]
        if legal_expressions:
            both = ([expression] if expression else []) + legal_expressions
            unique = list(dict.fromkeys(both))
            joined = " AND ".join(f"({x})" if " " in x else x for x in unique)
            expression = licenses.simplify(joined) or joined
        legal_holders = [h for m in self.legal for h in m.holders]
        if not holders and not legal_holders:
            # an archive's own manifest naming its vendor is the publisher's statement
            legal_holders = [e.value for e in self.evidence if e.kind is EvidenceKind.ORGANISATION]
        holders = ownership.clean_holders([*holders, *legal_holders])
        incomplete = "; ".join(self.budget.reasons)[:500] or None
        return ContentReading(
            format=kind,
            license_expression=expression,
            holders=holders,
            evidence=tuple(dict.fromkeys(self.evidence)),
            members=tuple(self.members),
            entries=self.entries,
            incomplete=incomplete if self.depth == 0 else _own_reasons(self),
        )


def _own_reasons(reader: _Reader) -> str | None:
    reasons = [m.incomplete for m in reader.members if m.incomplete]
    return "; ".join(dict.fromkeys(r for r in reasons if r))[:500] or None


def _from_reading(name: str, size: int, reading: ContentReading) -> MemberFinding:
    return MemberFinding(
        path=name,
        size=size,
        license_expression=reading.license_expression,
        holders=reading.holders,
        copyrights=tuple(e.value for e in reading.evidence if e.kind is EvidenceKind.COPYRIGHT),
        incomplete=reading.incomplete,
    )


# --- helpers ---------------------------------------------------------------------------------


def _read_tar(archive: tarfile.TarFile, member: tarfile.TarInfo, cap: int) -> bytes:
    """A tar member's bytes; what is read is charged to the budget by the stream itself."""
    handle = archive.extractfile(member)
    return handle.read(min(member.size, cap)) if handle is not None else b""


def is_legal_name(name: str) -> bool:
    """A licence or notice file by its name (LICENSE, NOTICE.txt, COPYING, x.license)."""
    base = PurePosixPath(name).name.lower()
    return base.split(".", 1)[0] in LEGAL_STEMS or base.endswith((".license", ".licence"))


def _role(name: str) -> str | None:
    """What a member is to us: legal, manifest, archive, content, text, or None (skipped)."""
    path = PurePosixPath(name)
    base = path.name.lower()
    if not base:
        return None
    if manifests.is_manifest(name):
        return "manifest"
    found = formats.content_format(base)
    if found == "archive":
        return "archive"
    if is_legal_name(base):
        return "legal"
    if found is not None:
        return "content"
    if base.endswith(_NOT_TEXT):
        return None
    return "text"


def _has_hint(data: bytes) -> bool:
    from scanner.analysis.prefilter import COPYRIGHT_HINT, LICENSE_HINT

    text = data.decode("utf-8", errors="ignore")
    return bool(LICENSE_HINT.search(text) or COPYRIGHT_HINT.search(text))


def _unsafe(name: str) -> bool:
    """A name that would land outside the folder it was extracted into."""
    if "\0" in name:
        return True
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return True
    return ".." in normal.split("/")


def _decompressed(stream: IO[bytes]) -> Any:
    head = _peek(stream, 6)
    if head[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=stream, mode="rb")
    if head[:3] == b"BZh":
        return bz2.BZ2File(stream, mode="rb")
    if head[:6] == b"\xfd7zXZ\x00":
        return lzma.LZMAFile(stream, mode="rb")
    return stream


class _Counted(io.RawIOBase):
    """A decompressed stream that charges every byte to the budget and stops a bomb: more
    than `max_ratio` times the compressed bytes read, once past `max_member_bytes`."""

    def __init__(self, inner: IO[bytes], budget: _Budget) -> None:
        self._inner = inner
        self._budget = budget
        self._raw: Any = getattr(inner, "fileobj", None) or getattr(inner, "_fp", None)
        self._start = self._position()
        self.produced = 0
        self.bomb: str | None = None

    def _position(self) -> int:
        try:
            return int(self._raw.tell()) if self._raw is not None else 0
        except (OSError, ValueError, AttributeError):
            return 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.produced += size
        self._budget.spend(size)
        limits = self._budget.limits
        if self._raw is not None and self.produced > limits.max_member_bytes:
            consumed = max(1, self._position() - self._start)
            if self.produced > limits.max_ratio * consumed:
                self.bomb = (
                    f"compression ratio above {limits.max_ratio}:1 "
                    f"({self.produced} bytes from {consumed}), not decompressed further"
                )
                raise LimitReached(self.bomb)
        return size
