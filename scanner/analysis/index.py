"""scancode's licence index in this process: loading it, warming it up, fingerprinting it,
and the two scancode API calls the detector makes.

The index takes seconds and over a gigabyte to load, so it is loaded once, in the process
that owns the detector pool, and only when a file actually needs detecting (a rescan served
from the cache never loads it). scancode is imported inside the functions for the same reason.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import time
from pathlib import Path
from typing import Any


def index_fingerprint() -> str:
    """A short fingerprint of the licence index file: its size and its first and last MiB."""
    import scancode_config

    _forget_scancode_temp_dir()
    cache = Path(scancode_config.licensedcode_cache_dir) / "license_index" / "index_cache"
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
    """Load scancode's licence index into this process (a no-op when it is loaded)."""
    from licensedcode import cache

    _forget_scancode_temp_dir()
    cache.get_index()


_WARM_UP_TEXT = (
    "# SPDX-License-Identifier: MIT\n# Copyright (c) 2020 Example ApS. All rights reserved.\n"
    "# Permission is hereby granted, free of charge, to any person obtaining a copy\n"
)
_warmed_up = False


def warm_up() -> None:
    """Load the index and build scancode's lazily made matchers (the copyright grammar takes
    most of a second) once, so forked workers inherit them and no file pays for them."""
    global _warmed_up
    if _warmed_up:
        return
    load_index()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="os2scan-") as folder:
        sample = Path(folder) / "warm-up.py"
        sample.write_text(_WARM_UP_TEXT, encoding="utf-8")
        licenses_of(str(sample), time.time() + 60, approximate=True)
        copyrights_of(str(sample), time.time() + 60)
    _warmed_up = True


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
