"""Licence and copyright detection with the real scancode index on tiny files."""

from __future__ import annotations

import json
import multiprocessing
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest
from perf_helpers import rule_kinds
from texts import MIT, MPL_NOTICE

from scanner.analysis import detect
from scanner.analysis.detect import CopyrightFindings, detect_file, with_copyrights
from scanner.analysis.pool import DetectorPool
from scanner.analysis.prefilter import (
    COPYRIGHT_HINT,
    LICENSE_HINT,
    find_notices,
    header_facts,
    hint_windows,
    licence_hints,
)
from scanner.kernel.limits import MAX_FILE_SIZE
from scanner.kernel.models import FileDetections

GPL3_HEADER = """#!/usr/bin/env python3
# Copyright (C) 2023 Københavns Kommune
#
# This program is free software: you can redistribute it and/or modify
# it under the terms of the GNU General Public License as published by
# the Free Software Foundation, either version 3 of the License, or
# (at your option) any later version.
#
# This program is distributed in the hope that it will be useful,
# but WITHOUT ANY WARRANTY; without even the implied warranty of
# MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
# GNU General Public License for more details.
#
# You should have received a copy of the GNU General Public License
# along with this program.  If not, see <https://www.gnu.org/licenses/>.

print("hello")
"""

# The MIT permission text with every form of the word "license" taken out (an edited text).
MIT_WITHOUT_LICENSE_WORD = MIT.split("\n", 4)[4].replace("sublicense, ", "")

TRICKY = {
    "mit/LICENSE": MIT,
    "gpl_header.py": GPL3_HEADER,
    "query.sql": "-- SPDX-License-Identifier: MPL-2.0\nSELECT 1;\n",
    "page.html": "<!-- SPDX-License-Identifier: GPL-3.0-or-later OR MIT -->\n<p>hej</p>\n",
    "lib.c": "/* SPDX-License-Identifier: Apache-2.0 */\nint x;\n",
    "copyright_only.py": "# Copyright 2019 Magenta ApS\n\nx = 1\n",
    "notes.txt": MIT_WITHOUT_LICENSE_WORD,
    "closed.c": "/*\n * Copyright (C) 2021 Acme ApS. All rights reserved.\n"
    " * Proprietary and confidential. Copying is strictly prohibited.\n */\nint main;\n",
    "plain.py": "def limit(commit):\n    return commit\n",
}


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tricky")
    paths = {}
    for rel, text in TRICKY.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths[rel] = path
    return paths


# --- the cheap pre-filters (no index needed) ------------------------------------------------


def test_licence_hint_uses_word_boundaries() -> None:
    assert not LICENSE_HINT.search("def limit(commit): submit(permit)")
    assert LICENSE_HINT.search("Released under the MIT terms")
    assert LICENSE_HINT.search("Licensed under the Apache License")
    assert LICENSE_HINT.search("Permission is hereby granted, free of charge")


def test_a_copyright_statements_own_words_are_not_licence_words() -> None:
    def words(text: str) -> list[str]:
        return [m.group(0) for m in licence_hints(text)]

    assert words("# Copyright (c) 2024 Magenta ApS. All rights reserved.\nx = 1\n") == []
    assert words("(c) 2020 Vejle Kommune, all rights reserved\n") == []
    assert words("/* © 2021 Odense Kommune */\n") == []
    assert words("# Ophavsret (c) 2022 Aarhus Kommune. Alle rettigheder forbeholdes.\n") == []
    assert words("# Copyright 2024 X\n# SPDX-License-Identifier: MIT\n") == [
        "SPDX", "Licens", "MIT"
    ]
    # A statement that names a licence, or waives copyright, keeps its words.
    assert words("# Copyright 2020 Vejle Kommune, licensed under the MIT license\n") == [
        "Copyright", "licens", "MIT", "licens"
    ]
    assert words("Copyright waived: use it as you like.\n") == ["Copyright"]
    assert words("Copyright disclaimed.\n") == ["Copyright"]
    # The word mid-sentence is not a statement.
    assert words("Do not remove the copyright notice.\n") == ["copyright"]


def test_licence_words_are_read_in_linear_time_on_one_long_line() -> None:
    # A minified file: one line of a megabyte and a half with 150,000 licence words, behind a
    # copyright statement's start; each word must not read its line again.
    hostile = "/* Copyright 2024 Magenta ApS " + "license " * 150_000 + "*/"

    started = time.monotonic()
    words = licence_hints(hostile)

    assert time.monotonic() - started < 2
    assert len(words) == 150_001  # "Copyright" too: the line names licences


def test_copyright_hint() -> None:
    assert COPYRIGHT_HINT.search("(C) 2020 Foo")
    assert COPYRIGHT_HINT.search("© Aarhus Kommune")
    assert not COPYRIGHT_HINT.search("def right(a, c): return a")


def test_notices_are_found_case_insensitively_and_in_danish() -> None:
    text = "Foo. ALL RIGHTS RESERVED.\nProprietary\nAlle rettigheder forbeholdes.\n"
    assert find_notices(text) == (
        "all rights reserved",
        "proprietary",
        "alle rettigheder forbeholdes",
    )
    assert find_notices("Not for redistribution.") == ("not for redistribution",)
    assert find_notices("a proprietary word inside licence text", covered=[(1, 1)]) == ()
    assert find_notices("nothing restrictive here") == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("-- SPDX-License-Identifier: MPL-2.0", "MPL-2.0"),
        ("<!-- SPDX-License-Identifier: MIT -->", "MIT"),
        ("/* SPDX-License-Identifier: Apache-2.0 OR MIT */", "Apache-2.0 OR MIT"),
        ("{# SPDX-License-Identifier: EUPL-1.2 #}", "EUPL-1.2"),
        ('"""SPDX-License-Identifier: GPL-2.0-only"""', "GPL-2.0-only"),
    ],
)
def test_spdx_header_is_read_from_odd_comment_styles(line: str, expected: str) -> None:
    assert header_facts(line + "\ncode\n") == (expected, False)


def test_copyright_header_needs_a_copyright_line_near_the_top() -> None:
    assert header_facts("# SPDX-FileCopyrightText: 2024 OS2\n")[1]
    assert header_facts(" * Copyright (c) 2020 X\n")[1]
    assert not header_facts("\n" * 30 + "# Copyright 2020 X\n")[1]
    assert not header_facts("# see the copyright notice\n")[1]


def test_too_large_and_unreadable_files_are_not_scanned(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_SIZE + 1)  # sparse: never read
    assert detect_file(str(big), 10).incomplete == "too large"
    small = tmp_path / "small.txt"
    small.write_text("SPDX-License-Identifier: MIT\n" * 10)
    assert detect_file(str(small), 10, max_size=100).incomplete == "too large"
    missing = detect_file(str(tmp_path / "missing.txt"), 10)
    assert missing.incomplete is not None
    assert missing.incomplete.startswith("error: ")
    assert missing.license_expression is None


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("SPDX-License-Identifier: GPL-3.0-only\n")
    link = tmp_path / "checkout" / "link.txt"
    link.parent.mkdir()
    link.symlink_to(outside)

    found = detect_file(str(link), 10)

    assert found.incomplete == "error: symlink not followed"
    assert found.spdx_header is None


def test_detector_version_names_scancode_and_our_logic() -> None:
    version = detect.DETECTOR_VERSION
    assert version.startswith("scancode-32.")
    assert f"os2scan-{detect.LOGIC_VERSION}" in version
    assert "+index-" in version
    assert "noindex" not in version


# --- real detection ------------------------------------------------------------------------


@pytest.mark.scancode
def test_mit_licence_file(scancode_index: object, tricky: dict[str, Path]) -> None:
    found = detect_file(str(tricky["mit/LICENSE"]), 30)
    assert found.license_expression == "MIT"
    assert found.holders == ("Aarhus Kommune",)
    assert found.copyrights == ("Copyright (c) 2024 Aarhus Kommune",)
    assert found.detections[0].rule.startswith("mit")
    assert found.incomplete is None
    assert found.notices == ()


@pytest.mark.scancode
def test_gpl3_header(scancode_index: object, tricky: dict[str, Path]) -> None:
    found = detect_file(str(tricky["gpl_header.py"]), 30)
    assert found.license_expression == "GPL-3.0-or-later"
    assert found.holders == ("Kobenhavns Kommune",) or found.holders == ("Københavns Kommune",)
    assert found.copyright_header
    assert found.spdx_header is None


@pytest.mark.scancode
@pytest.mark.parametrize(
    ("name", "expression"),
    [
        ("query.sql", "MPL-2.0"),
        ("page.html", "GPL-3.0-or-later OR MIT"),
        ("lib.c", "Apache-2.0"),
    ],
)
def test_spdx_headers_in_odd_comments(
    scancode_index: object, tricky: dict[str, Path], name: str, expression: str
) -> None:
    found = detect_file(str(tricky[name]), 30)
    assert found.spdx_header == expression
    assert found.license_expression == expression
    assert found.detections[0].start_line == 1


@pytest.mark.scancode
def test_copyright_only_file(scancode_index: object, tricky: dict[str, Path]) -> None:
    found = detect_file(str(tricky["copyright_only.py"]), 30)
    assert found.license_expression is None
    assert found.holders == ("Magenta ApS",)
    assert found.copyright_header
    assert found.incomplete is None


@pytest.mark.scancode
def test_licence_text_without_the_word_licence(
    scancode_index: object, tricky: dict[str, Path]
) -> None:
    assert "licen" not in TRICKY["notes.txt"].lower()
    found = detect_file(str(tricky["notes.txt"]), 30)
    assert found.license_expression == "MIT"


@pytest.mark.scancode
def test_restrictive_notices(scancode_index: object, tricky: dict[str, Path]) -> None:
    found = detect_file(str(tricky["closed.c"]), 30)
    assert found.notices == (
        "all rights reserved",
        "proprietary",
        "confidential",
        "strictly prohibited",
    )
    assert "proprietary" in (found.license_expression or "")
    assert found.holders == ("Acme ApS.",)


@pytest.mark.scancode
def test_the_gpl_text_itself_is_not_a_proprietary_notice(
    scancode_index: object, tmp_path: Path
) -> None:
    from licensedcode.models import licenses_data_dir

    raw = (Path(licenses_data_dir) / "gpl-3.0.LICENSE").read_text(encoding="utf-8")
    text = raw.split("---\n", 2)[2]
    assert "proprietary" in text.lower()
    path = tmp_path / "COPYING"
    path.write_text(text, encoding="utf-8")

    found = detect_file(str(path), 30)

    assert found.license_expression == "GPL-3.0-only"
    assert "proprietary" not in found.notices


@pytest.mark.scancode
@pytest.mark.parametrize("name", sorted(TRICKY))
def test_fast_path_agrees_with_plain_scancode(
    scancode_index: object, tricky: dict[str, Path], name: str
) -> None:
    from scancode.api import get_copyrights, get_licenses

    from scanner.analysis.holder_text import holders_as_written

    path = str(tricky[name])
    fast = detect_file(path, 30)
    full = detect_file(path, 30, exact_first=False)

    assert fast.license_expression == get_licenses(path)["detected_license_expression_spdx"]
    assert rule_kinds(fast) == rule_kinds(full)
    # scancode's holders, in the file's own spelling (it reads ASCII: Kobenhavns for Københavns)
    text = tricky[name].read_text(encoding="utf-8")
    assert fast.holders == tuple(
        dict.fromkeys(holders_as_written(text, get_copyrights(path)["holders"]))
    )


def _long_module_with_notices() -> str:
    """A 300-line module: an MPL notice on top, an edited BSD clause deep inside."""
    code = "".join(
        f"def function_{i}(value):\n    return value * {i} + OFFSET_{i % 7}\n\n" for i in range(100)
    )
    lines = code.splitlines(keepends=True)
    edited_bsd = "".join(
        "# " + line + "\n"
        for line in (
            "Redistribution and use in source and binary forms, with or without",
            "modification, are permitted provided that the following conditions are met:",
            "1. Redistributions of source code must retain the above copyright notice,",
            "   this list of conditions and the following disclaimer.",
            "2. Redistributions in binary form must reproduce the above copyright notice,",
            "   this list of conditions and the following disclaimer in the documentation",
            "   and/or other materials provided with the municipal distribution.",
            "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS AS IS",
            "AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE",
            "IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE",
            "ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE",
            "LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR",
            "CONSEQUENTIAL DAMAGES HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY.",
        )
    )
    header = "".join("# " + line + "\n" for line in MPL_NOTICE.splitlines())
    return header + "".join(lines[:150]) + edited_bsd + "".join(lines[150:])


@pytest.mark.scancode
@pytest.mark.parametrize("large", [False, True], ids=["module", "as-a-large-file"])
def test_windowed_approximate_matching_agrees_with_full_detection(
    scancode_index: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    path = tmp_path / "module.py"
    text = _long_module_with_notices()
    path.write_text(text, encoding="utf-8")
    assert hint_windows(str(path), text.encode(), text)  # the windowed path is taken
    if large:  # read as a large file is: exact matching first, windows around the rest
        monkeypatch.setattr(detect, "LARGE_FILE", len(text) // 2)

    fast = detect_file(str(path), 60)
    full = detect_file(str(path), 60, exact_first=False)

    assert fast == full
    assert fast.license_expression == "MPL-2.0 AND BSD-2-Clause"
    assert fast.detections[-1].start_line > 150  # the edited text deep inside was found


def _large_licence_soup(path: Path) -> None:
    paragraph = (
        "Licensed under terms similar to {n}: redistribution and use of the software {n} "
        "is permitted provided that the warranty {n} disclaimer is kept; see the GNU "
        "General Public License version {n} and the Apache License {n} for more.\n"
    )
    path.write_text("".join(paragraph.format(n=n) for n in range(4000)), encoding="utf-8")


@pytest.mark.scancode
def test_timeout_is_recorded_never_reported_as_no_licence(
    scancode_index: object, tmp_path: Path
) -> None:
    path = tmp_path / "soup.txt"
    _large_licence_soup(path)

    started = time.monotonic()
    found = detect_file(str(path), 0.05)

    assert found.incomplete == "timeout"
    assert time.monotonic() - started < 10  # cut short, not run to the end


def _licence_list(entries: int) -> str:
    """A licence list as license-expression ships one: licence words on every other line."""
    return json.dumps(
        [
            {
                "license_key": f"example-{n}",
                "category": "Copyleft Limited" if n % 3 else "Permissive",
                "spdx_license_key": f"LicenseRef-scancode-example-{n}",
                "other_spdx_license_keys": [],
                "is_exception": False,
                "license": f"example-{n}.LICENSE",
            }
            for n in range(entries)
        ],
        indent=2,
    )


@pytest.mark.scancode
def test_a_large_licence_dense_data_file_is_read_in_bounded_time_and_recorded_as_partial(
    scancode_index: object, tmp_path: Path
) -> None:
    from scancode.api import get_licenses

    path = tmp_path / "index.json"
    path.write_text(_licence_list(500), encoding="utf-8")
    assert path.stat().st_size > detect.LARGE_FILE

    started = time.monotonic()
    found = detect_file(str(path), 120)

    assert time.monotonic() - started < 30  # the approximate matcher alone takes minutes
    assert found.incomplete is not None
    assert found.incomplete.startswith("partial: ")
    assert found.budget == 120
    exact = get_licenses(str(path), approximate=False)  # what exact matching finds is kept
    assert found.license_expression == exact["detected_license_expression_spdx"]


def _items(paths: dict[str, Path]) -> list[tuple[str, str, int]]:
    return [(f"sha-{name}", str(path), path.stat().st_size) for name, path in paths.items()]


@pytest.mark.scancode
def test_pool_in_process_detects_largest_first_and_counts(
    scancode_index: object, tricky: dict[str, Path]
) -> None:
    items = _items(tricky)

    with DetectorPool(jobs=1, timeout=60) as pool:
        results = list(pool.detect(items))

    assert [sha for sha, _ in results] == [
        sha for sha, _, _ in sorted(items, key=lambda item: item[2], reverse=True)
    ]
    assert pool.files_detected == len(items)
    assert dict(results)["sha-query.sql"].license_expression == "MPL-2.0"


@pytest.mark.scancode
def test_pool_with_two_workers_matches_in_process_detection(
    scancode_index: object, tricky: dict[str, Path]
) -> None:
    items = _items(tricky)

    with DetectorPool(jobs=2, timeout=60) as pool:
        results = dict(pool.detect(items))
        assert pool.files_detected == len(items)
        assert len(multiprocessing.active_children()) == 2
        assert pool.workers_renewed == 0  # a handful of small files stays far below the limit

    assert not multiprocessing.active_children()
    for name, path in tricky.items():
        assert results[f"sha-{name}"] == detect_file(str(path), 60), name


POOL_IN_A_FRESH_PROCESS = """
import json, sys
from dataclasses import asdict
from scanner.analysis.pool import DetectorPool
items = [(p, p, i) for i, p in enumerate(sys.argv[1:])]
with DetectorPool(jobs=2, timeout=60) as pool:
    found = {sha: asdict(result) for sha, result in pool.detect(items)}
print(json.dumps({"helped": pool.helped, "found": found}))
"""


@pytest.mark.scancode
def test_while_the_index_loads_a_helper_does_what_needs_no_index_and_nothing_changes(
    scancode_index: object, tricky: dict[str, Path], tmp_path: Path
) -> None:
    """In a process that has not loaded the index, a pool of two workers first forks a helper
    that detects SPDX-tagged files whole and finds the others' copyrights while the index
    loads; every result is what detect_file gives in one go."""
    headers = tmp_path / "headers"
    headers.mkdir()
    for n in range(6):  # REUSE-style modules: no index needed, each with a holder to find
        (headers / f"m{n}.py").write_text(
            f"# SPDX-FileCopyrightText: 202{n} Aarhus Kommune\n"
            "# SPDX-License-Identifier: MPL-2.0\n\nVALUE = 1\n",
            encoding="utf-8",
        )
    paths = [str(p) for p in (*tricky.values(), *sorted(headers.iterdir()))]

    done = subprocess.run(
        [sys.executable, "-c", POOL_IN_A_FRESH_PROCESS, *paths],
        capture_output=True, text=True, timeout=180, cwd=tmp_path,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["helped"] >= 6  # at least the tagged modules, done long before the index
    for path in paths:
        expected = json.loads(json.dumps(asdict(detect_file(path, 60))))
        assert report["found"][path] == expected, path


def test_copyrights_found_apart_join_a_result_and_an_unfinished_part_makes_it_incomplete() -> None:
    licences = FileDetections(license_expression="MIT", spdx_header="MIT")
    found = CopyrightFindings(copyrights=("Copyright 2024 Magenta ApS",), holders=("Magenta ApS",))

    joined = with_copyrights(licences, found, 60)
    cut_short = with_copyrights(licences, CopyrightFindings(incomplete="timeout"), 60)

    assert joined == FileDetections(
        license_expression="MIT",
        spdx_header="MIT",
        copyrights=("Copyright 2024 Magenta ApS",),
        holders=("Magenta ApS",),
    )
    assert (cut_short.incomplete, cut_short.budget) == ("timeout", 60)
    assert cut_short.license_expression == "MIT"  # what was found is kept


INTERRUPTED_WHILE_LOADING = """
import json, multiprocessing, sys
from scanner.analysis import pool

def interrupted(**_parts):
    raise KeyboardInterrupt  # what Ctrl-C does while the index loads

pool.warm_up = interrupted
items = [(p, p, i) for i, p in enumerate(sys.argv[1:])]
try:
    with pool.DetectorPool(jobs=2, timeout=60) as detectors:
        list(detectors.detect(items))
except KeyboardInterrupt:
    print(json.dumps({"interrupted": True, "left": len(multiprocessing.active_children())}))
"""


@pytest.mark.scancode
def test_an_interrupt_while_the_index_loads_leaves_no_helper_behind(
    scancode_index: object, tricky: dict[str, Path], tmp_path: Path
) -> None:
    paths = [str(p) for p in tricky.values()]

    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WHILE_LOADING, *paths],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"interrupted": True, "left": 0}


@pytest.mark.scancode
def test_a_worker_whose_memory_grew_is_replaced_and_no_file_is_lost(
    scancode_index: object, tricky: dict[str, Path]
) -> None:
    items = _items(tricky)

    # Every worker is past a one-byte limit after its first file, and its memory is read then.
    with DetectorPool(jobs=2, timeout=60, max_worker_memory=1, memory_check_interval=0) as pool:
        results = dict(pool.detect(items))
        assert len(multiprocessing.active_children()) <= 2

    assert pool.workers_renewed == len(items)
    assert not multiprocessing.active_children()
    for name, path in tricky.items():
        assert results[f"sha-{name}"] == detect_file(str(path), 60), name


@pytest.mark.scancode
@pytest.mark.parametrize("jobs", [1, 2])
def test_pool_records_timeouts_in_process_and_in_workers(
    scancode_index: object, tricky: dict[str, Path], tmp_path: Path, jobs: int
) -> None:
    soup = tmp_path / "soup.txt"
    _large_licence_soup(soup)
    items = _items({"soup": soup, "query.sql": tricky["query.sql"]})

    started = time.monotonic()
    with DetectorPool(jobs=jobs, timeout=0.5) as pool:
        results = dict(pool.detect(items))

    assert results["sha-soup"].incomplete == "timeout"
    assert time.monotonic() - started < 20
    assert not multiprocessing.active_children()


@pytest.mark.scancode
def test_stopping_midway_leaves_no_worker_processes(
    scancode_index: object, tricky: dict[str, Path]
) -> None:
    items = [(f"sha-{name}", str(path), path.stat().st_size) for name, path in tricky.items()]
    pool = DetectorPool(jobs=2, timeout=30)
    results = pool.detect(items)
    next(results)
    assert multiprocessing.active_children()

    results.close()  # what an interrupt (Ctrl-C) in the consumer does to the generator
    pool.close()

    assert not multiprocessing.active_children()
    assert pool.files_detected >= 1


def test_nothing_to_detect_loads_nothing() -> None:
    with DetectorPool(jobs=2, timeout=30) as pool:
        assert list(pool.detect([])) == []
    assert pool.files_detected == 0
    assert not multiprocessing.active_children()


def test_a_per_file_alarm_swallowed_once_rings_again() -> None:
    """A timeout raised where it cannot propagate (a garbage-collector callback swallows it) is
    not lost: the alarm rings again until the detection stops."""
    from scanner.analysis.detect import DetectionTimeout, _Alarm

    swallowed = 0
    started = time.monotonic()

    def detection() -> None:
        nonlocal swallowed
        with _Alarm(0.2):
            while time.monotonic() - started < 10:
                try:
                    time.sleep(0.01)
                except DetectionTimeout:
                    swallowed += 1  # what a callback that cannot raise does with it
                    if swallowed > 1:
                        raise

    with pytest.raises(DetectionTimeout):
        detection()
    assert swallowed == 2
    assert time.monotonic() - started < 5
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # silenced on the way out
