"""What a scan loads: nothing of scancode when every blob is cached, and not the licence index
when the files to detect carry only SPDX tags. Checked in fresh processes through sys.modules,
the only honest witness of what was imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_repo
from perf_helpers import scan_paths
from texts import MIT

from scanner.analysis.detect import detect_file, needs_index
from scanner.kernel.ownership import clean_holders

pytestmark = pytest.mark.scancode

#: Top-level modules of scancode-toolkit's data and matchers.
SCANCODE_MODULES = ("licensedcode", "scancode", "scancode_config", "cluecode", "packagedcode")
#: Libraries only reports and a terminal need: a check in CI never imports them (pandas and
#: numpy alone cost a warm check a fifth of a second).
REPORT_MODULES = ("pandas", "numpy", "rich", "babel", "jinja2", "openpyxl")

REUSE_MODULE = (
    "# SPDX-FileCopyrightText: 2024 Aarhus Kommune <os2@aarhus.dk>\n"
    "#\n# SPDX-License-Identifier: MPL-2.0\n\nVALUE = 1\n"
)
MIGRATION = (
    "-- SPDX-FileCopyrightText: {year} Magenta ApS\n-- SPDX-License-Identifier: {licence}\n"
    "CREATE TABLE sag_{n} (id BIGSERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL);\n\n"
)
LOADED = (
    "import json, sys\n"
    "def loaded():\n"
    f"    return sorted({{m.split('.')[0] for m in sys.modules}} & set({SCANCODE_MODULES!r}))\n"
    "def loaded_for_reports():\n"
    f"    return sorted({{m.split('.')[0] for m in sys.modules}} & set({REPORT_MODULES!r}))\n"
)


def _run(code: str, cwd: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", LOADED + code], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_check_of_cached_blobs_loads_nothing_of_scancode(
    scancode_index: object, tmp_path: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "LICENSE": MIT,
            "setup.py": "from setuptools import setup\nsetup(name='x', license='BSD License')\n",
            "src/app.py": REUSE_MODULE,
        },
    )
    db = tmp_path / "db.sqlite"
    scan_paths([repo], db, tmp_path)  # every blob is now in the cache
    check = (
        "from scanner.cli import main\n"
        "try:\n"
        f"    main(['check', {str(repo)!r}, '--db', {str(db)!r}, '--fail-on', 'never'])\n"
        "except SystemExit as done:\n"
        "    print(json.dumps({'code': done.code, 'loaded': loaded(),"
        " 'for_reports': loaded_for_reports()}))\n"
    )
    _run(check, tmp_path)  # builds the licence snapshots if this machine has none yet

    warm = _run(check, tmp_path)

    assert warm == {"code": 0, "loaded": [], "for_reports": []}


def test_files_with_only_spdx_tags_are_detected_without_the_licence_index(
    scancode_index: object, tmp_path: Path
) -> None:
    module = tmp_path / "app.py"
    module.write_text(REUSE_MODULE, encoding="utf-8")
    schema = tmp_path / "schema.sql"
    schema.write_text(
        "".join(
            MIGRATION.format(n=n, year=2016 + n % 8, licence="MPL-2.0" if n % 3 else "MIT")
            for n in range(60)
        ),
        encoding="utf-8",
    )
    assert not needs_index(str(module))
    assert not needs_index(str(schema))
    detect = (
        "from scanner.analysis.index import index_loaded\n"
        "from scanner.analysis.pool import DetectorPool\n"
        "with DetectorPool(jobs=1) as pool:\n"
        f"    found = dict(pool.detect([('a', {str(module)!r}, 1), ('b', {str(schema)!r}, 2)]))\n"
        "grammar = 'cluecode.copyrights' in sys.modules\n"
        "print(json.dumps({'index': index_loaded(), 'copyright detector': grammar,"
        " 'a': found['a'].license_expression, 'b': found['b'].license_expression,"
        " 'holders': found['b'].holders, 'statements': found['b'].copyrights}))\n"
    )

    result = _run(detect, tmp_path)

    assert result == {
        "index": False,
        "copyright detector": False,  # the SPDX-FileCopyrightText lines are read directly
        "a": "MPL-2.0",
        "b": "MIT AND MPL-2.0",
        "holders": ["Magenta ApS"],
        "statements": [f"Copyright {2016 + n} Magenta ApS" for n in range(8)],
    }
    # What scancode itself, with its index, makes of the same files: the same licences, and
    # the same holder once os2scan has cut the next tag line scancode runs into it.
    from scancode.api import get_copyrights, get_licenses

    theirs = [h["holder"] for h in get_copyrights(str(schema))["holders"]]
    assert clean_holders(theirs) == ("Magenta ApS",)
    for path, expression in ((module, "MPL-2.0"), (schema, "MIT AND MPL-2.0")):
        assert get_licenses(str(path))["detected_license_expression_spdx"] == expression
        assert detect_file(str(path)).license_expression == expression


GPL_MODULE = (
    "# SPDX-FileCopyrightText: 2021 Some Contributor\n"
    "# SPDX-License-Identifier: GPL-3.0-only\n"
    "def helper():\n    return 1\n"
)
APACHE_NOTICE = (
    "# Copyright 2019 Example A/S\n#\n"
    '# Licensed under the Apache License, Version 2.0 (the "License");\n'
    "# you may not use this file except in compliance with the License.\n"
    "# You may obtain a copy of the License at\n#\n"
    "#     http://www.apache.org/licenses/LICENSE-2.0\n"
)
DETECT_ALL = (
    "import json, sys, time\n"
    "from licensedcode.cache import get_index\n"
    "{load}\n"
    "index = get_index()\n"
    "found = {{p: ({detect})(p) for p in sys.argv[1:]}}\n"
    "print(json.dumps({{'unknown': len(index.unknown_automaton),"
    " 'rules': len(index.rules_automaton), 'found': found}}))\n"
)


def test_the_index_is_read_without_the_unknown_licence_automaton_and_finds_the_same(
    scancode_index: object, tmp_path: Path
) -> None:
    files = {
        "LICENSE": MIT,
        "notice.py": APACHE_NOTICE,
        "gpl.py": GPL_MODULE,
        "README.md": "# Sag\n\nReleased under the MIT licence, see LICENSE.\n",
    }
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))

    def run(load: str, detect: str) -> dict[str, object]:
        code = DETECT_ALL.format(load=load, detect=detect)
        done = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True,
                              text=True, timeout=120, cwd=tmp_path)  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))

    ours = run(
        "from scanner.analysis.index import load_index, licenses_of\nload_index()",
        "lambda p: licenses_of(p, time.time() + 60, approximate=True)",
    )
    scancodes = run("from scancode.api import get_licenses", "get_licenses")

    assert ours["unknown"] == 0 < int(scancodes["unknown"])  # type: ignore[call-overload]
    assert ours["rules"] == scancodes["rules"]
    for path in paths:
        mine, theirs = ours["found"][path], scancodes["found"][path]  # type: ignore[index]
        for key in ("detected_license_expression_spdx", "license_detections", "license_clues"):
            assert mine[key] == theirs[key], (path, key)
    assert ours["found"][paths[0]]["detected_license_expression_spdx"] == "MIT"  # type: ignore[index]


def test_the_os2scan_program_exits_with_its_code_output_and_exit_handlers_run(
    scancode_index: object, tmp_path: Path
) -> None:
    """With the licence index loaded, the program ends without freeing it object by object;
    what it wrote, its exit code and its exit handlers (scancode's temporary folder is
    removed by one) are as with an ordinary exit."""
    repo = make_repo(tmp_path / "repo", {"LICENSE": MIT, "src/gpl.py": GPL_MODULE})
    assert needs_index(str(repo / "LICENSE"))  # so the index is in memory at the end
    temp = tmp_path / "temp"
    temp.mkdir()
    report = tmp_path / "check.json"

    done = subprocess.run(
        [sys.executable, "-m", "scanner", "check", str(repo), "--db", str(tmp_path / "db"),
         "--jobs", "2", "--format", "json", "--output", str(report)],
        capture_output=True, text=True, timeout=180, cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(temp)},
    )  # fmt: skip

    assert done.returncode == 1, done.stderr[-2000:]  # the GPL module in an MIT repository
    findings = json.loads(report.read_text(encoding="utf-8"))
    assert any(v["path"] == "src/gpl.py" for v in findings["violations"])
    assert list(temp.iterdir()) == []
