"""SPDX copyright tags read the way the REUSE tool reads them (`tagged_copyrights`): what a
REUSE-style file says of its copyright, without scancode's copyright detector."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scanner.analysis.spdx_tags import TaggedCopyrights, tagged_copyrights

REUSE_HEADERS = {
    "plain.py": "# SPDX-FileCopyrightText: 2016 Magenta ApS\n# SPDX-License-Identifier: MPL-2.0\n",
    "sign.py": (
        "# SPDX-FileCopyrightText: © 2016 Magenta ApS <info@magenta.dk>\n#\n"
        "# SPDX-License-Identifier: MPL-2.0\nx = 1\n"
    ),
    "two.c": (
        "// SPDX-FileCopyrightText: Copyright (c) 2016-2020 Aarhus Kommune\n"
        "// SPDX-FileCopyrightText: 2021 Jane Doe <jane@example.com>\n//\n"
        "// SPDX-License-Identifier: MPL-2.0\nint x;\n"
    ),
}


def test_a_reuse_header_gives_its_statement_and_holder() -> None:
    found = tagged_copyrights(REUSE_HEADERS["two.c"])

    assert found == TaggedCopyrights(
        statements=(
            "Copyright (c) 2016-2020 Aarhus Kommune",
            "Copyright 2021 Jane Doe <jane@example.com>",
        ),
        holders=("Aarhus Kommune", "Jane Doe"),
    )


def test_the_next_tag_line_is_never_part_of_a_holder_and_danish_letters_stay() -> None:
    schema = (
        "-- SPDX-FileCopyrightText: 2019 Københavns Kommune\n-- SPDX-License-Identifier: MIT\n"
        "CREATE TABLE sag (id int);\n\n"
        "-- SPDX-FileCopyrightText: 2020 Magenta ApS\n-- SPDX-License-Identifier: MPL-2.0\n"
        "CREATE TABLE akt (id int);\n\n"
        "-- SPDX-FileCopyrightText: 2021 Magenta ApS\n-- SPDX-License-Identifier: MPL-2.0\n"
    )

    found = tagged_copyrights(schema)

    assert found is not None
    assert found.holders == ("Københavns Kommune", "Magenta ApS")
    assert found.statements == (
        "Copyright 2019 Københavns Kommune",
        "Copyright 2020 Magenta ApS",
        "Copyright 2021 Magenta ApS",
    )


@pytest.mark.parametrize(
    ("line", "statement", "holder"),
    [
        ("/* SPDX-FileCopyrightText: 2020 Ærø Kommune */", "Copyright 2020 Ærø Kommune",
         "Ærø Kommune"),
        ("<!-- SPDX-FileCopyrightText: Copyright 2020 Foo A/S. All rights reserved. -->",
         "Copyright 2020 Foo A/S. All rights reserved.", "Foo A/S"),
        ("{# SPDX-SnippetCopyrightText: 2022 Region Midtjylland #}",
         "Copyright 2022 Region Midtjylland", "Region Midtjylland"),
        ("; spdx-filecopyrighttext:   (c)  2018   Syddjurs Kommune",
         "Copyright (c) 2018 Syddjurs Kommune", "Syddjurs Kommune"),
    ],
)  # fmt: skip
def test_comment_closers_years_and_rights_are_not_part_of_the_holder(
    line: str, statement: str, holder: str
) -> None:
    assert tagged_copyrights(line + "\n") == TaggedCopyrights((statement,), (holder,))


@pytest.mark.parametrize(
    "text",
    [
        "# SPDX-FileCopyrightText: 2020 Magenta ApS\n# Copyright (c) 2019 Someone Else\n",
        "# Copyright 2019 Someone Else  # SPDX-FileCopyrightText: 2020 Magenta ApS\n",
        '"""(c) Someone Else"""\n# SPDX-FileCopyrightText: 2020 Magenta ApS\n',
        "# SPDX-FileCopyrightText:\n",
        "x = 1\n",
    ],
)
def test_a_copyright_word_outside_a_tag_leaves_the_file_to_scancodes_detector(
    text: str,
) -> None:
    assert tagged_copyrights(text) is None


@pytest.mark.scancode
@pytest.mark.parametrize("name", sorted(REUSE_HEADERS))
def test_plain_headers_give_what_scancodes_detector_gives(name: str, tmp_path: Path) -> None:
    from scancode.api import get_copyrights

    path = tmp_path / name
    path.write_text(REUSE_HEADERS[name], encoding="utf-8")
    theirs = get_copyrights(str(path))

    found = tagged_copyrights(REUSE_HEADERS[name])

    assert found is not None
    assert found.statements == tuple(c["copyright"] for c in theirs["copyrights"])
    assert found.holders == tuple(h["holder"] for h in theirs["holders"])


def test_a_tag_inside_a_string_literal_gives_the_holder_without_the_literals_end() -> None:
    test_data = '    "# SPDX-FileCopyrightText: 2024 Magenta ApS\\n",\n'

    assert tagged_copyrights(test_data) == TaggedCopyrights(
        ("Copyright 2024 Magenta ApS",), ("Magenta ApS",)
    )


def test_a_tag_line_built_to_make_patterns_backtrack_is_read_in_bounded_time() -> None:
    hostile = "# SPDX-FileCopyrightText: 2024 " + ", \\n" * 60_000 + "Magenta ApS" + " ;" * 60_000

    started = time.monotonic()
    found = tagged_copyrights(hostile + "\n")

    assert time.monotonic() - started < 2
    assert found is not None
    assert len(found.statements[0]) <= 520  # cut to the longest statement a holder can be
