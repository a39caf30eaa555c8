"""scancode's licence index in this process: loading it, warming it up, fingerprinting it,
and the scancode API calls the detector makes.

The index takes seconds and over a gigabyte to load, so it is loaded once, in the process
that owns the detector pool, and only when a file actually needs detecting (a rescan served
from the cache never loads it). scancode is imported inside the functions for the same reason.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import hashlib
import importlib.util
import os
import pickle
import re
import sys
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

    scancode's own pickle is read, but without building the automaton for unknown-licence
    matching (`_IndexUnpickler`); when that is not possible scancode loads (or builds) it.
    """
    from licensedcode import cache

    _forget_scancode_temp_dir()
    if cache._LICENSE_CACHE is not None:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        loaded = _load_without_unknown_automaton(cache)
        if loaded is not None:
            cache._LICENSE_CACHE = loaded
        else:
            cache.get_index()
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class _IndexUnpickler(pickle.Unpickler):
    """Reads scancode's licence cache without building its unknown-licence automaton.

    scancode keeps two Aho-Corasick automata in its index: one that matches rules, used on
    every file, and one for "unknown licence" matching, used only when scancode is asked to
    look for unknown licences (`--unknown-licenses`, off by default), which os2scan never
    asks. Building that second automaton from the pickle takes a sixth of the load time and
    about 140 MB that every detector process would otherwise share. It is the only automaton
    that stores integers (`STORE_INTS`), so it is recognised by that and left empty.

    The counter of skipped automata is kept outside the unpickler: the unpickler's memo holds
    what `find_class` returns, and a bound method would tie the memo (a reference to every
    object loaded) into a cycle that the frozen collector would never free.
    """

    def __init__(self, file: Any, skipped: list[int]):
        super().__init__(file)
        self._make_automaton = functools.partial(_automaton_unless_unknown, skipped)

    def find_class(self, module: str, name: str) -> Any:
        found = super().find_class(module, name)
        if module == "ahocorasick" and name == "Automaton":
            return self._make_automaton
        return found


def _automaton_unless_unknown(skipped: list[int], *state: Any) -> Any:
    """An Aho-Corasick automaton rebuilt from its pickled `state`, or an empty one in place
    of the unknown-licence automaton (counted in `skipped`)."""
    import ahocorasick

    if len(state) > 2 and state[2] == ahocorasick.STORE_INTS:
        skipped.append(1)
        return ahocorasick.Automaton(ahocorasick.STORE_INTS, ahocorasick.KEY_SEQUENCE)
    return ahocorasick.Automaton(*state)


def _load_without_unknown_automaton(cache: Any) -> Any | None:
    """scancode's LicenseCache read by `_IndexUnpickler`, or None when scancode should load
    it itself: no cache file yet (scancode builds one), or not exactly what is expected."""
    folder = Path(cache.licensedcode_cache_dir) / cache.LICENSE_INDEX_DIR
    path = folder / cache.LICENSE_INDEX_FILENAME
    try:
        if not path.is_file() or not path.stat().st_size:
            return None
        skipped: list[int] = []
        with open(path, "rb") as handle:
            loaded = _IndexUnpickler(handle, skipped).load()
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        TypeError,
        ValueError,
        MemoryError,
    ):
        return None  # scancode reports (and rebuilds) a damaged cache in its own words
    index = getattr(loaded, "index", None)
    if len(skipped) != 1 or index is None or not len(index.rules_automaton):
        return None
    return loaded


_WARM_UP_TEXT = (
    "# SPDX-License-Identifier: MIT\n# Copyright (c) 2020 Example ApS. All rights reserved.\n"
    "# Permission is hereby granted, free of charge, to any person obtaining a copy\n"
)
_warmed_up: set[str] = set()


def warm_up(*, index: bool = True, copyrights: bool = True) -> None:
    """Load the index (unless `index` is False: no file to detect needs it) and build
    scancode's lazily made parts once (the modules its licence detection imports on first use,
    its Licensing and, unless `copyrights` is False, the copyright grammar), so forked workers
    inherit them and no file pays for them. The sample goes through exact matching only: the
    approximate matcher builds nothing lazily, and comparing the sample with its candidate
    rules would cost a tenth of a second for nothing."""
    import tempfile

    parts = ({"licences"} if index else set()) | ({"copyrights"} if copyrights else set())
    if parts <= _warmed_up:
        return
    with tempfile.TemporaryDirectory(prefix="os2scan-") as folder:
        sample = Path(folder) / "warm-up.py"
        sample.write_text(_WARM_UP_TEXT, encoding="utf-8")
        if "licences" in parts - _warmed_up:
            load_index()
            licenses_of(str(sample), time.time() + 60, approximate=False)
        if "copyrights" in parts - _warmed_up:
            _forget_scancode_temp_dir()
            copyrights_of(str(sample), time.time() + 60)
    _warmed_up.update(parts)


def index_loaded() -> bool:
    """Whether this process holds the licence index (without importing scancode to ask: a
    process that never imported its cache module never loaded the index)."""
    cache = sys.modules.get("licensedcode.cache")
    return cache is not None and getattr(cache, "_LICENSE_CACHE", None) is not None


def licenses_of(path: str, deadline: float, approximate: bool) -> dict[str, Any]:
    """scancode's licence detections of one file (approximate matching when asked), in the
    shape of scancode's `get_licenses` result.

    It is made here from `detect_licenses`, as `get_licenses` makes it, because
    `get_licenses` imports scancode's package-manifest readers (a third of a second, every
    cold run) only to combine the expressions, which license-expression does itself.
    """
    from license_expression import combine_expressions
    from licensedcode.cache import build_spdx_license_expression, get_cache
    from licensedcode.detection import detect_licenses

    detections = []
    clues: list[dict[str, Any]] = []
    expressions = []
    for detection in detect_licenses(
        location=path, deadline=deadline, unknown_licenses=False, approximate=approximate
    ):
        found = detection.to_dict(
            include_text=False, license_text_diagnostics=False, license_diagnostics=False
        )
        if detection.license_expression is None:
            clues.extend(found["matches"])
        else:
            expressions.append(detection.license_expression)
            detections.append(found)
    combined = spdx = None
    if expressions:
        licensing = get_cache().licensing
        combined = str(
            combine_expressions(expressions, relation="AND", unique=True, licensing=licensing)
        )
        spdx = str(build_spdx_license_expression(combined, licensing=licensing))
    return {
        "detected_license_expression": combined,
        "detected_license_expression_spdx": spdx,
        "license_detections": detections,
        "license_clues": clues,
    }


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
