"""scancode's licence index in this process: loading it, warming it up, fingerprinting it,
and the scancode API calls the detector makes.

The index takes seconds and over a gigabyte to load, so it is loaded once, in the process
that owns the detector pool, and only when a file actually needs detecting (a rescan served
from the cache never loads it). scancode is imported inside the functions for the same reason.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import importlib.util
import os
import re
import time
from pathlib import Path
from typing import Any

#: Lines kept on each side of a copyright sign when only a file's lines near one are read.
COPYRIGHT_CONTEXT = 5


def _index_file() -> Path | None:
    """Where scancode's licence index pickle is, found the way scancode_config finds it but
    without importing scancode (which makes a temporary folder and costs a warm scan time)."""
    spec = importlib.util.find_spec("scancode_config")
    if spec is None or spec.origin is None:
        return None
    folder = os.environ.get("SCANCODE_LICENSE_INDEX_CACHE") or (
        Path(spec.origin).parent / "licensedcode" / "data" / "cache"
    )
    return Path(folder) / "license_index" / "index_cache"


def index_fingerprint() -> str:
    """A short fingerprint of the licence index file: its size and its first and last MiB."""
    cache = _index_file()
    if cache is None:
        return "noindex"
    try:
        size = cache.stat().st_size
        digest = hashlib.sha1(str(size).encode())
        with open(cache, "rb") as handle:
            digest.update(handle.read(1 << 20))
            handle.seek(max(0, size - (1 << 20)))
            digest.update(handle.read(1 << 20))
        return digest.hexdigest()[:12]
    except OSError:
        return "noindex"


_temp_dirs_registered = False


def _forget_scancode_temp_dir() -> None:
    """Remove the empty `scancode-tk-*` folder that importing scancode leaves, at exit."""
    global _temp_dirs_registered
    if _temp_dirs_registered:
        return
    _temp_dirs_registered = True
    import scancode_config

    temp_dir = scancode_config.scancode_temp_dir
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:
            with contextlib.suppress(OSError):
                os.rmdir(temp_dir)  # only if empty

    atexit.register(remove)


def load_index() -> None:
    """Load scancode's licence index into this process (a no-op when it is loaded).

    The index is one large pickle of millions of small objects: with the garbage collector
    on, unpickling it triggers collection after collection over a heap that only grows, which
    more than doubles the load time. Collection is off while it loads, and what was loaded is
    then frozen (moved out of the collector's sight), so later collections do not walk it and
    forked workers do not copy its pages by touching them.
    """
    from licensedcode import cache

    _forget_scancode_temp_dir()
    if cache._LICENSE_CACHE is not None:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        cache.get_index()
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


_WARM_UP_TEXT = (
    "# SPDX-License-Identifier: MIT\n# Copyright (c) 2020 Example ApS. All rights reserved.\n"
    "# Permission is hereby granted, free of charge, to any person obtaining a copy\n"
)
_warmed_up: set[str] = set()


def warm_up(*, index: bool = True) -> None:
    """Load the index (unless `index` is False: no file to detect needs it) and build
    scancode's lazily made parts once (the modules its licence detection imports on first use,
    its Licensing, the copyright grammar), so forked workers inherit them and no file pays
    for them. The sample goes through exact matching only: the approximate matcher builds
    nothing lazily, and comparing the sample with its candidate rules would cost a tenth of
    a second for nothing."""
    import tempfile

    parts = {"copyrights", "licences"} if index else {"copyrights"}
    if parts <= _warmed_up:
        return
    with tempfile.TemporaryDirectory(prefix="os2scan-") as folder:
        sample = Path(folder) / "warm-up.py"
        sample.write_text(_WARM_UP_TEXT, encoding="utf-8")
        if index and "licences" not in _warmed_up:
            load_index()
            licenses_of(str(sample), time.time() + 60, approximate=False)
        if "copyrights" not in _warmed_up:
            _forget_scancode_temp_dir()
            copyrights_of(str(sample), time.time() + 60)
    _warmed_up.update(parts)


def index_loaded() -> bool:
    from licensedcode import cache

    return cache._LICENSE_CACHE is not None


def licenses_of(path: str, deadline: float, approximate: bool) -> dict[str, Any]:
    """scancode's licence detections of one file (approximate matching when asked)."""
    from scancode.api import get_licenses

    found: dict[str, Any] = get_licenses(path, deadline=deadline, approximate=approximate)
    return found


def copyrights_of(path: str, deadline: float) -> dict[str, Any]:
    """scancode's copyright statements, holders and authors of one file."""
    from scancode.api import get_copyrights

    found: dict[str, Any] = get_copyrights(path, deadline=deadline)
    return found


def copyrights_near(path: str, deadline: float, sign: re.Pattern[str]) -> dict[str, Any]:
    """scancode's copyright detection on the lines of a file near a copyright `sign` only.

    The detector reads the lines scancode would (markup stripped, long lines broken), but is
    handed only those within COPYRIGHT_CONTEXT lines of a sign instead of every line: on a
    large file that is most of the time it takes.
    """
    from cluecode.copyrights import Detection as CopyrightDetection
    from cluecode.copyrights import detect_copyrights_from_lines
    from cluecode.linux_credits import detect_credits_authors
    from textcode.analysis import numbered_text_lines

    detections = list(detect_credits_authors(path))
    if not detections:
        lines = list(numbered_text_lines(path, demarkup=True))
        span = 2 * COPYRIGHT_CONTEXT + 1
        keep = bytearray(len(lines) + span)
        for index, (_number, line) in enumerate(lines):
            if sign.search(line):
                keep[index : index + span] = b"\1" * span
        near = [item for index, item in enumerate(lines) if keep[index + COPYRIGHT_CONTEXT]]
        detections = list(
            detect_copyrights_from_lines(
                near,
                include_copyrights=True,
                include_holders=True,
                include_authors=True,
                include_copyright_years=True,
                include_copyright_allrights=False,
                deadline=deadline,
            )
        )
    copyrights, holders, authors = CopyrightDetection.split(detections, to_dict=True)
    return {"copyrights": copyrights, "holders": holders, "authors": authors}

