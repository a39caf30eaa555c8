"""The file inventory of a checkout: every file, its git blob SHA, its size and its kind.

In a git checkout the blob SHAs come from the index (`git ls-files -s`), so an unchanged file is
never read; a file whose size or modification time no longer matches the index is hashed again
from disk, so the SHA always names the content that will be scanned. Outside git the tree is
walked and hashed the way git hashes blobs, which keeps the detection cache shared between the
two.

Git runs with hooks and fsmonitor disabled, no pager and no prompt, and the repository's own
configuration cannot make it execute anything. Symbolic links are listed (flagged) but never
followed; submodules are skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scanner.analysis.readable import looks_like_text
from scanner.kernel.license_files import PROGRAM_EXTENSIONS, is_license_file_name
from scanner.kernel.models import GENERATED_NAMES, FileKind

# --- classification tables -------------------------------------------------------------------

#: Directory names (any path segment) that hold third-party code.
VENDORED_DIRS = frozenset(
    {
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "vendors",
        "third_party",
        "third-party",
        "thirdparty",
        "3rdparty",
        "external",
        "externals",
        "extern",
        ".yarn",
        ".pnpm-store",
        "site-packages",
        ".venv",
        "venv",
        "Pods",
        "Carthage",
        "webjars",
    }
)

#: Directory names (any path segment) that hold tests and their data.
TEST_DIRS = frozenset({"tests", "test", "__tests__", "spec", "fixtures", "testdata", "test-data"})

#: Files os2scan itself reads or writes in a checked repository: never scanned, never findings.
OWN_NAMES = frozenset({".os2scan.yml", ".os2scan.yaml"})
#: The mark of an os2scan baseline file in its first bytes (see rules/baseline.py).
BASELINE_MARK = b'"os2scan_baseline"'


#: File name endings of minified, bundled or mapped output.
GENERATED_SUFFIXES = (
    ".min.js",
    ".min.mjs",
    ".min.css",
    ".map",
    ".bundle.js",
    ".bundle.css",
    ".chunk.js",
    ".chunk.css",
    "-bundle.js",
    ".pb.go",
    "_pb2.py",
)

#: Markers in the first bytes of a file that say a tool wrote it.
GENERATED_MARKERS = re.compile(rb"@generated\b|Code generated .{0,80}DO NOT EDIT", re.IGNORECASE)

#: Content that readers look at: binary formats, but documents rather than program parts.
CONTENT_EXTENSIONS = frozenset(
    {
        # images
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".ico", ".svg",
        ".svgz", ".avif", ".heic", ".psd", ".xcf", ".ai", ".eps",
        # documents
        ".pdf", ".odt", ".ods", ".odp", ".odg", ".doc", ".docx", ".xls", ".xlsx", ".ppt",
        ".pptx", ".rtf", ".epub", ".pages", ".key", ".numbers",
        # audio and video
        ".mp3", ".wav", ".ogg", ".oga", ".flac", ".m4a", ".aac", ".opus", ".mp4", ".m4v",
        ".webm", ".mov", ".avi", ".mkv", ".ogv", ".wmv",
    }
)  # fmt: skip

#: Compiled objects, archives, fonts, databases: binary program parts.
BINARY_EXTENSIONS = frozenset(
    {
        ".o", ".obj", ".a", ".lib", ".so", ".dylib", ".dll", ".exe", ".bin", ".elf", ".ko",
        ".class", ".jar", ".war", ".ear", ".aar", ".apk", ".dex", ".pyc", ".pyo", ".pyd",
        ".wasm", ".node", ".beam",
        ".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".lz", ".lzma",
        ".whl", ".egg", ".deb", ".rpm", ".msi", ".dmg", ".iso", ".img", ".gem", ".nupkg",
        ".ttf", ".otf", ".woff", ".woff2", ".eot", ".pfb", ".pfm",
        ".sqlite", ".sqlite3", ".db", ".mdb", ".pickle", ".pkl", ".npy", ".npz", ".h5",
        ".parquet", ".avro", ".onnx", ".pt", ".ckpt",
    }
)  # fmt: skip

#: Besides licence files: names of copyright files (compared lower-cased, before the first dot).
COPYRIGHT_STEMS = frozenset({"copyright"})
LICENSE_METADATA_NAMES = frozenset({"reuse.toml", "dep5"})
LICENSE_METADATA_DIRS = frozenset({"LICENSES", ".reuse"})

DOCS_DIRS = frozenset({"doc", "docs", "documentation"})
DOCS_EXTENSIONS = frozenset({".md", ".markdown", ".rst", ".txt", ".adoc", ".asciidoc", ".rdoc"})
DOCS_STEMS = frozenset(
    {"readme", "changelog", "changes", "history", "news", "authors", "contributors",
     "contributing", "notice", "code_of_conduct", "security", "governance", "maintainers"}
)  # fmt: skip

CONFIG_EXTENSIONS = frozenset(
    {".yml", ".yaml", ".json", ".jsonc", ".json5", ".toml", ".ini", ".cfg", ".conf", ".xml",
     ".properties", ".env", ".editorconfig", ".plist", ".mk", ".cmake", ".lock"}
)  # fmt: skip
CONFIG_NAMES = frozenset(
    {"dockerfile", "containerfile", "makefile", "gnumakefile", "jenkinsfile", "vagrantfile",
     "procfile", "gemfile", "pipfile", "cmakelists.txt", "manifest.in", "setup.cfg",
     "tox.ini", "requirements.txt", "codeowners", "brewfile", "justfile", "make.bat",
     "runtime.txt", "constraints.txt", "robots.txt", ".readthedocs.yml", ".readthedocs.yaml"}
)  # fmt: skip
#: Build and configuration files named by pattern: requirements-dev.txt, Dockerfile.prod, ...
CONFIG_NAME_PATTERN = re.compile(
    r"^(?:requirements|constraints)[\w.-]*\.(?:txt|in)$|^(?:dockerfile|containerfile|makefile)"
    r"(?:[.-].*)?$|.*\.(?:dockerfile|mk)$",
    re.IGNORECASE,
)

#: Endings of program files: a LICENSE- or README-like name with one of them is code.
CODE_EXTENSIONS = PROGRAM_EXTENSIONS

#: How many bytes of a file's start `classify` expects (more is fine, fewer is fine too).
HEAD_BYTES = 8192

#: A git-lfs pointer: a small text file that names content stored elsewhere.
LFS_POINTER_START = b"version https://git-lfs.github.com/spec/"
LFS_POINTER_MAX = 1024

#: The start of every SQLite database, and what os2scan's detection cache holds.
SQLITE_MAGIC = b"SQLite format 3\0"
_SCAN_DATABASE_MARKS = (b"detections", b"detector_version", b"result_json")
_SCHEMA_BYTES = 256 * 1024


# --- inventory -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InventoryEntry:
    """One file of a checkout: its posix path relative to the root and its git blob SHA."""

    path: str
    blob_sha: str
    size: int
    is_symlink: bool = False
    unreadable: str | None = None  # why the file (or folder) could not be read: it is recorded


_GIT_SAFETY = (
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.fsmonitor=false",
    "-c", "core.untrackedCache=false",
    "-c", "core.quotePath=false",
    # Reading an index is safe with hooks and fsmonitor off, so a checkout owned by another
    # user (a mounted volume in CI) is read instead of refused.
    "-c", "safe.directory=*",
    "--no-pager",
)  # fmt: skip

_GIT_ENV_DROP = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES",
    "GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
)  # fmt: skip


def _git(root: Path, *args: str) -> bytes | None:
    """Run a read-only git command in `root`; None when git is missing or fails."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV_DROP}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_CONFIG_NOSYSTEM="1")
    try:
        proc = subprocess.run(
            ["git", *_GIT_SAFETY, *args],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    return proc.stdout if proc.returncode == 0 else None


def git_blob_sha(data: bytes) -> str:
    """The git blob SHA-1 of `data`."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def hash_file(path: Path) -> tuple[str, int, bool]:
    """(git blob SHA-1, size, is_symlink) of the file at `path`, never following a symlink."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        target = os.fsencode(os.readlink(path))
        return git_blob_sha(target), len(target), True
    digest = hashlib.sha1(b"blob %d\0" % st.st_size)
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    if size != st.st_size:  # the file changed while it was read: hash what was read
        with open(path, "rb") as handle:
            data = handle.read()
        return git_blob_sha(data), len(data), False
    return digest.hexdigest(), size, False


_LS_ENTRY = re.compile(rb"\A((?:  [^\n]*\n)*)(\d{6}) ([0-9a-f]{40,64}) (\d)\t(.*)\Z", re.DOTALL)
_MTIME = re.compile(rb"  mtime: (\d+):(\d+)")
_SIZE = re.compile(rb"  size: (\d+)")


def _list_git(root: Path) -> list[InventoryEntry] | None:  # noqa: C901 - one pass, one case per index line shape
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.strip() != b"true":
        return None
    out = _git(root, "ls-files", "-s", "--debug", "-z")
    if not out:
        return None
    index_path = _git(root, "rev-parse", "--path-format=absolute", "--git-path", "index")
    index_mtime_ns = 0
    if index_path:
        with contextlib.suppress(OSError):
            index_mtime_ns = os.stat(os.fsdecode(index_path.strip())).st_mtime_ns
    chunks = out.split(b"\0")
    # With --debug, each entry's stat lines follow its NUL: they belong to the entry before.
    parsed: list[tuple[bytes, bytes, bytes, bytes]] = []  # mode, sha, path, debug lines
    for chunk in chunks:
        match = _LS_ENTRY.match(chunk)
        if match is None:
            if parsed and chunk.startswith(b"  "):
                mode, sha, path, _ = parsed[-1]
                parsed[-1] = (mode, sha, path, chunk)
            continue
        if parsed:
            mode, sha, path, _ = parsed[-1]
            parsed[-1] = (mode, sha, path, match.group(1))
        if match.group(4) not in (b"0", b"2"):  # conflicted entries: keep "ours" only
            continue
        parsed.append((match.group(2), match.group(3), match.group(5), b""))

    entries: dict[str, InventoryEntry] = {}
    linked: dict[str, bool] = {}
    for mode, sha, raw_path, debug in parsed:
        if mode == b"160000":  # a submodule: another repository
            continue
        rel = os.fsdecode(raw_path)
        full = root / rel
        if _behind_link(root, rel, linked):
            # A folder on the way was replaced by a symlink: what lies there is outside the
            # checkout. Listed as a link (recorded, never read), with the index's blob.
            entries[rel] = InventoryEntry(rel, sha.decode(), 0, is_symlink=True)
            continue
        try:
            st = os.lstat(full)
        except FileNotFoundError:  # deleted in the working tree, or a sparse checkout
            continue
        except OSError as exc:  # a name too long, a folder that cannot be entered
            entries[rel] = InventoryEntry(rel, sha.decode(), 0, unreadable=_reason(exc))
            continue
        is_link = stat.S_ISLNK(st.st_mode)
        if not is_link and not stat.S_ISREG(st.st_mode):
            continue
        blob = sha.decode()
        size = st.st_size
        if (mode == b"120000") != is_link or _stale(st, debug, index_mtime_ns):
            try:
                blob, size, is_link = hash_file(full)
            except OSError as exc:  # chmod 000: recorded with the index's blob, never dropped
                entries[rel] = InventoryEntry(rel, blob, size, unreadable=_reason(exc))
                continue
        elif not os.access(full, os.R_OK) and not is_link:
            entries[rel] = InventoryEntry(rel, blob, size, unreadable="permission denied")
            continue
        entries[rel] = InventoryEntry(path=rel, blob_sha=blob, size=size, is_symlink=is_link)
    return [entries[p] for p in sorted(entries)]


def _behind_link(root: Path, rel: str, linked: dict[str, bool]) -> bool:
    """True when a folder between `root` and the file `rel` is a symbolic link (`linked`
    remembers the answer for each folder)."""
    folder = os.path.dirname(rel)
    todo = []
    while folder and folder not in linked:
        todo.append(folder)
        folder = os.path.dirname(folder)
    above = linked.get(folder, False) if folder else False
    for folder in reversed(todo):
        above = above or os.path.islink(root / folder)
        linked[folder] = above
    parent = os.path.dirname(rel)
    return linked[parent] if parent else False


def _stale(st: os.stat_result, debug: bytes, index_mtime_ns: int) -> bool:
    """True when the file on disk may differ from what the index recorded for it."""
    size = _SIZE.search(debug)
    mtime = _MTIME.search(debug)
    if size is None or mtime is None:
        return True
    if int(size.group(1)) != (st.st_size & 0xFFFFFFFF):
        return True
    sec, nsec = int(mtime.group(1)), int(mtime.group(2))
    if sec != st.st_mtime_ns // 1_000_000_000:
        return True
    if nsec and nsec != st.st_mtime_ns % 1_000_000_000:
        return True
    # "Racily clean": written in the same instant as the index, git itself would re-check it.
    return st.st_mtime_ns >= index_mtime_ns


_WALK_SKIP_DIRS = frozenset({".git", ".hg", ".svn"})
#: Python's bytecode cache folder: written beside the sources by any run or install (pip
#: compiles the bundled demo's modules when it installs os2scan's wheel), never by a person.
_BYTECODE_CACHE = "__pycache__"

#: The blob SHA recorded for a file that could not be read (no content, so no real SHA).
UNREAD_SHA = "0" * 40


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _only_bytecode(folder: Path) -> bool:
    """Whether `folder` holds nothing but compiled Python files (`*.pyc`, no folder, no link):
    a bytecode cache to skip. One that holds anything else is walked, so nothing hides in it."""
    try:
        with os.scandir(folder) as entries:
            return all(
                entry.name.endswith(".pyc") and entry.is_file(follow_symlinks=False)
                for entry in entries
            )
    except OSError:
        return False  # walked, and what cannot be read is recorded as unreadable


def _list_walk(root: Path) -> list[InventoryEntry]:
    entries = []

    def unreadable_folder(exc: OSError) -> None:
        # A folder os.walk cannot list (chmod 000, a name too long): recorded, never dropped.
        if exc.filename is not None:
            rel = Path(os.fsdecode(exc.filename)).relative_to(root).as_posix()
            entries.append(InventoryEntry(rel, UNREAD_SHA, 0, unreadable=_reason(exc)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable_folder):
        here = Path(dirpath)
        keep = []
        for name in dirnames:
            if name in _WALK_SKIP_DIRS or (name == _BYTECODE_CACHE and _only_bytecode(here / name)):
                continue
            if os.path.islink(here / name):
                filenames.append(name)  # a symlink to a directory is listed, not entered
            else:
                keep.append(name)
        dirnames[:] = sorted(keep)
        for name in filenames:
            full = here / name
            rel = full.relative_to(root).as_posix()
            try:
                st = os.lstat(full)
                if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
                    continue  # a named pipe, a socket or a device is never opened
                sha, size, is_link = hash_file(full)
            except OSError as exc:
                entries.append(InventoryEntry(rel, UNREAD_SHA, 0, unreadable=_reason(exc)))
                continue
            entries.append(InventoryEntry(path=rel, blob_sha=sha, size=size, is_symlink=is_link))
    entries.sort(key=lambda e: e.path)
    return entries


def is_scan_database(path: Path) -> bool:
    """True when the file at `path` is an os2scan database (a SQLite file whose schema, kept
    in its first pages, has the detection cache's table). Only bytes are compared: the file is
    never opened as a database."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return False
            head = handle.read(_SCHEMA_BYTES)
    except OSError:
        return False
    return all(mark in head for mark in _SCAN_DATABASE_MARKS)


def is_tracked(root: Path, path: Path) -> bool:
    """True when git tracks the file at `path` in the work tree at `root`."""
    try:
        relative = Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return False
    listed = _git(root, "ls-files", "-z", "--", f":(literal){relative.as_posix()}")
    return bool(listed)


def is_own_file(path: str, head: bytes) -> bool:
    """True for os2scan's own files in a repository: `.os2scan/`, `.os2scan.yml` and a baseline
    file (recognised by its content, whatever its name). A committed os2scan database is never
    one of them: it is reported wherever it lies."""
    if head.startswith(SQLITE_MAGIC):
        return False
    if path.startswith(".os2scan/") or PurePosixPath(path).name in OWN_NAMES:
        return True
    return path.endswith(".json") and BASELINE_MARK in head[:256]


def list_submodules(root: Path) -> list[tuple[str, str, str | None]]:
    """The git submodules of a checkout: (path, commit, URL from .gitmodules) of each gitlink."""
    root = Path(root)
    if not (root / ".gitmodules").is_file() or (root / ".gitmodules").is_symlink():
        return []
    out = _git(root, "ls-files", "-s", "-z")
    if not out:
        return []
    links = []
    for chunk in out.split(b"\0"):
        match = _LS_ENTRY.match(chunk)
        if match and match.group(2) == b"160000":
            links.append((os.fsdecode(match.group(5)), match.group(3).decode()))
    urls: dict[str, str] = {}
    config = _git(
        root, "config", "-f", ".gitmodules", "-z", "--get-regexp", r"^submodule\..*\.(path|url)$"
    )
    paths: dict[str, str] = {}
    for item in (config or b"").split(b"\0"):
        key, _, value = os.fsdecode(item).partition("\n")
        name, _, field = key.rpartition(".")
        if field == "path":
            paths[name] = value
        elif field == "url":
            urls[name] = value
    url_by_path = {path: urls.get(name) for name, path in paths.items()}
    return [(path, sha, url_by_path.get(path)) for path, sha in links]


def list_files(root: Path) -> list[InventoryEntry]:
    """Every file under `root`, sorted by path.

    A git checkout is listed from its index (tracked files only); anything else is walked,
    skipping `.git`. Symlinks are listed with `is_symlink` set and never followed.
    """
    root = Path(root)
    listed = _list_git(root)
    return listed if listed is not None else _list_walk(root)


# --- classification --------------------------------------------------------------------------


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def is_license_metadata(path: str) -> bool:
    """True for LICENSE*, COPYING*, LICENSES/*, REUSE.toml, .reuse/dep5 and *.license files."""
    parts = PurePosixPath(path).parts
    name = parts[-1].lower()
    if name in LICENSE_METADATA_NAMES or name.endswith(".license"):
        return True
    if any(part in LICENSE_METADATA_DIRS for part in parts[:-1]):
        return True
    if is_license_file_name(name):
        return True
    stem = name.split(".", 1)[0]
    if _suffix(name) in CODE_EXTENSIONS:
        return False
    return stem in COPYRIGHT_STEMS or any(
        stem.startswith(s + sep) for s in COPYRIGHT_STEMS for sep in "-_"
    )


def classify(path: str, head: bytes) -> FileKind:
    """The kind of the file at the relative posix `path` whose first bytes are `head`.

    First match wins: vendored, test data, licence metadata (docs), generated, content,
    binary, build and configuration files, docs, other config, and code for everything else.
    """
    parts = PurePosixPath(path).parts
    if not parts:
        return FileKind.CODE
    dirs, name = parts[:-1], parts[-1]
    lower = name.lower()
    suffix = _suffix(lower)

    if any(part in VENDORED_DIRS for part in dirs):
        return FileKind.VENDORED
    if any(part.lower() in TEST_DIRS for part in dirs):
        return FileKind.TEST
    if is_license_metadata(path):
        return FileKind.DOCS
    by_content = _kind_by_content(lower, suffix, head)
    if by_content is not None:
        return by_content
    return _kind_by_name(dirs, lower, suffix)


def _kind_by_content(lower: str, suffix: str, head: bytes) -> FileKind | None:
    """Generated, content or binary, from the name's ending and the first bytes; else None."""
    if lower in GENERATED_NAMES or lower.endswith(GENERATED_SUFFIXES):
        return FileKind.GENERATED
    if suffix in CONTENT_EXTENSIONS:
        return FileKind.CONTENT
    if suffix in BINARY_EXTENSIONS:
        return FileKind.BINARY
    if b"\0" in head[:HEAD_BYTES] and not looks_like_text(head):  # UTF-16 text is text
        return FileKind.BINARY
    if GENERATED_MARKERS.search(head[:1024]):
        return FileKind.GENERATED
    return None


def _kind_by_name(dirs: tuple[str, ...], lower: str, suffix: str) -> FileKind:
    """Config, docs or code, from the file's name and folders. Build and configuration files
    are config wherever they lie (a Makefile or requirements.txt in docs/ is not documentation)."""
    if lower in CONFIG_NAMES or CONFIG_NAME_PATTERN.match(lower):
        return FileKind.CONFIG
    if suffix in CONFIG_EXTENSIONS and suffix not in (".xml", ".json"):
        return FileKind.CONFIG
    if any(part.lower() in DOCS_DIRS for part in dirs):
        return FileKind.DOCS
    if suffix in DOCS_EXTENSIONS:
        return FileKind.DOCS
    if lower.split(".", 1)[0] in DOCS_STEMS and suffix not in CODE_EXTENSIONS:
        return FileKind.DOCS
    if suffix in CONFIG_EXTENSIONS or lower.startswith("."):
        return FileKind.CONFIG
    if lower.startswith(("dockerfile.", "makefile.")) or lower.endswith(".dockerfile"):
        return FileKind.CONFIG
    return FileKind.CODE
