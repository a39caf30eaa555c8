"""Detection of one file: licences only named are mentions, holders keep the file's spelling.

Real scancode on small files shaped like the code that tripped the scanner: a list of licence
names offered to a user, a test opening /usr/share/common-licenses/GPL-3, a PHP test asserting a
'license' field, and copyright lines with Danish letters and contact details.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.analysis.detect import detect_file
from scanner.analysis.holder_text import restore_holder
from scanner.kernel.ownership import clean_holders, tidy_holder

pytestmark = pytest.mark.scancode

MENTIONS = {
    "choices.py": (
        'LICENSES = [\n    "MIT License",\n    "GNU General Public License v3.0",\n'
        '    "Apache License 2.0",\n    "GNU Affero General Public License v3.0",\n]\n'
    ),
    "test_system.py": (
        "def test_reads_the_gpl_text():\n"
        '    with open("/usr/share/common-licenses/GPL-3") as handle:\n'
        "        assert handle.read()\n"
    ),
    "RowTest.php": (
        "<?php\n$this->assertEquals(['license' => 'Free CC', 'name' => 'x'], $row);\n"
        "$data = ['license' => 'GPL-3.0'];\n"
    ),
    "licences.json": '[{"id": "GPL-3.0-only", "name": "GNU General Public License v3.0"}]\n',
}


@pytest.mark.parametrize("name", sorted(MENTIONS))
def test_a_licence_only_named_in_data_is_a_recorded_mention_not_the_file_s_licence(
    scancode_index: object, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(MENTIONS[name], encoding="utf-8")
    found = detect_file(str(path), 60)
    assert found.license_expression is None
    assert found.detections
    assert all(d.mention for d in found.detections)


@pytest.mark.parametrize(
    ("name", "text", "expression"),
    [
        ("export.sh", "#!/bin/sh\n# license: GNU General Public License\nset -e\n",
         "GPL-1.0-or-later"),
        ("jquery.js", "/*! jQuery v3.6.0 | (c) OpenJS Foundation | jquery.org/license */\n",
         "MIT"),
        ("editor.js", "/**\n * @license GPL-2.0-or-later\n */\nvar a = 1;\n", "GPL-2.0-or-later"),
        ("setup.py", "from setuptools import setup\nsetup(name='x', license='GPL-3.0')\n",
         "GPL-3.0-only"),
    ],
)  # fmt: skip
def test_a_licence_stated_in_a_comment_or_assigned_to_a_package_stays_a_licence(
    scancode_index: object, tmp_path: Path, name: str, text: str, expression: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    found = detect_file(str(path), 60)
    assert found.license_expression == expression
    assert not any(d.mention for d in found.detections)


def test_a_file_with_a_licence_and_a_mention_keeps_only_its_licence(
    scancode_index: object, tmp_path: Path
) -> None:
    path = tmp_path / "picker.py"
    path.write_text(
        "# SPDX-License-Identifier: MPL-2.0\n"
        'CHOICES = ["GNU Affero General Public License v3.0"]\n',
        encoding="utf-8",
    )
    found = detect_file(str(path), 60)
    assert found.license_expression == "MPL-2.0"
    assert [d.mention for d in found.detections] == [False, True]


def test_holders_keep_their_danish_letters_and_lose_their_contact_details(
    scancode_index: object, tmp_path: Path
) -> None:
    path = tmp_path / "form.py"
    path.write_text(
        "# Copyright (C) 2022 OS2 - Offentligt digitaliseringsfællesskab\n"
        "# Copyright (C) 2020 Københavns Kommune\n"
        "# Copyright 2021 Magenta ApS, Contact: info@magenta.example\n"
        "# Copyright (c) 2019-2022 Magenta Aps <info@magenta.example>\n"
        "x = 1\n",
        encoding="utf-8",
    )
    found = detect_file(str(path), 60)
    assert clean_holders(found.holders) == (
        "OS2 - Offentligt digitaliseringsfællesskab",
        "Københavns Kommune",
        "Magenta ApS",
    )


def _ascii(char: str) -> str:
    return {"æ": "ae", "ø": "o", "å": "a", "Æ": "AE", "Ø": "O"}.get(char, char)


@pytest.mark.parametrize(
    ("holder", "line", "restored"),
    [
        ("Kobenhavns Kommune", "# (c) 2020 Københavns Kommune", "Københavns Kommune"),
        ("OS2 - Offentligt", "# (c) OS2 - Offentligt digitaliseringsfællesskab",
         "OS2 - Offentligt digitaliseringsfællesskab"),
        ("Jorgen", "Copyright 2019 Jørgen Ærø", "Jørgen Ærø"),
        ("Foo Inc.", "Copyright 2019 Foo Inc. This program is free", "Foo Inc."),
        ("Not There", "Copyright 2019 Someone", "Not There"),
    ],
)  # fmt: skip
def test_a_holder_is_restored_from_its_line(holder: str, line: str, restored: str) -> None:
    assert restore_holder(holder, [line], 1, 1, _ascii) == restored


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Magenta ApS, Contact", "Magenta ApS"),
        ("Region Midtjylland (https://www.rm.dk)", "Region Midtjylland"),
        ("2019-2023 Aarhus Kommune", "Aarhus Kommune"),
        ("Jane Roe 2021, 2022", "Jane Roe"),
        ("Foo Inc. All rights reserved.", "Foo Inc."),
        ("Jane Roe (jane@example.org)", "Jane Roe"),
        ("Contact Software GmbH", "Contact Software GmbH"),
    ],
)
def test_a_holder_is_only_its_name(raw: str, clean: str) -> None:
    assert tidy_holder(raw) == clean
