"""Which paths os2scan accepts as input files, folders to scan and the database.

A named pipe blocks whoever opens it until someone writes; a device such as /dev/zero never
ends; /proc and /sys hold files that block (/proc/kmsg) or change as they are read, and
folder loops (/proc/self). None of them is a portfolio, a policy, a baseline, a database or a
checkout, so they are refused up front with one line instead of hanging or eating memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from scanner.kernel.errors import InputError

#: Folders of pseudo files: never read as input nor walked.
SYSTEM_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def system_folder(path: Path) -> Path | None:
    """The system folder (/proc, /sys, /dev) that `path` resolves into, or None."""
    resolved = Path(os.path.realpath(path))
    for folder in SYSTEM_FOLDERS:
        if resolved == folder or folder in resolved.parents:
            return folder
    return None


def special_kind(path: Path) -> str | None:
    """What `path` is when it is not a regular file or folder ("a named pipe", ...); None for
    regular files, folders and paths that do not exist. Never opens the path."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    for test, name in _KINDS:
        if test(mode):
            return name
    return None


def refuse_special(path: Path, what: str) -> None:
    """Raise InputError when `path` (a `what`: "portfolio", "baseline", ...) is a special file
    or lies in /proc, /sys or /dev. A path that does not exist passes (the caller decides)."""
    kind = special_kind(path)
    if kind is not None:
        raise InputError(f"the {what} is {kind}, not a regular file", source=str(path))
    folder = system_folder(path)
    if folder is not None and os.path.lexists(path):
        raise InputError(f"the {what} lies in the system folder {folder}", source=str(path))


def refuse_scan_root(path: Path, what: str = "folder to scan") -> None:
    """Raise InputError for a folder that must not be walked: a system folder, or the root
    of the file system (which holds them)."""
    resolved = Path(os.path.realpath(path))
    folder = system_folder(resolved)
    if folder is not None:
        raise InputError(f"the {what} lies in the system folder {folder}", source=str(path))
    if resolved == Path(resolved.anchor):
        raise InputError(
            f"the {what} is the root of the file system, which holds /proc, /sys and /dev",
            source=str(path),
        )
