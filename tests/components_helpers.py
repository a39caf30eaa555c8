"""Fixture repositories of the shapes public-sector repositories have, built in the tests.

Each builder returns {path: content} for `make_repo`. They are small (scancode runs on every
file) but shaped like the real thing: a municipality's MPL-2.0 application vendoring a GPL
editor under web/static/vendor/, a GPL-3.0 tool whose scripts only say "GNU General Public
License", test code that names licences, a committed baseline file, a font folder.
"""

from __future__ import annotations

import json

from texts import MIT as MIT_TEXT
from texts import MPL_NOTICE

MUNICIPALITY = "Aarhus Kommune"
EDITOR = "quillwork"
EDITOR_ROOT = f"web/static/vendor/{EDITOR}"
EDITOR_FILES = 25  # LICENSE.md, package.json and 23 scripts
EDITOR_HOLDER = "Quill Works Ltd."

GPL2_OR_LATER_NOTICE = """\
Quillwork is free software; you can redistribute it and/or modify it under the terms of
the GNU General Public License as published by the Free Software Foundation; either
version 2 of the License, or (at your option) any later version.

Quillwork is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY;
without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.
See the GNU General Public License for more details.
"""

GPL3_OR_LATER_NOTICE = """\
This program is free software: you can redistribute it and/or modify it under the terms of
the GNU General Public License as published by the Free Software Foundation, either version
3 of the License, or (at your option) any later version.

This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY;
without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.
See the GNU General Public License for more details.
"""

_EDITOR_MODULES = (
    "core", "toolbar", "selection", "history", "clipboard", "keyboard", "formats/bold",
    "formats/italic", "formats/link", "formats/list", "formats/header", "formats/image",
    "themes/snow", "themes/bubble", "ui/picker", "ui/tooltip", "ui/icons", "blots/block",
    "blots/inline", "blots/text", "blots/embed", "modules/syntax", "modules/table",
)  # fmt: skip


def _own_python(name: str, body: str) -> str:
    return (
        f"# SPDX-FileCopyrightText: 2023 {MUNICIPALITY}\n"
        "# SPDX-License-Identifier: MPL-2.0\n"
        f'"""{name}."""\n\n{body}\n'
    )


def municipal_editor_repo() -> dict[str, str]:
    """An MPL-2.0 municipal web application that vendors a GPL-2.0-or-later rich-text editor."""
    files: dict[str, str] = {
        "LICENSE": f"Copyright (c) 2023 {MUNICIPALITY}\n\n{MPL_NOTICE}",
        "README.md": "# Borgerbooking\n\nBooking of municipal rooms.\n",
        "requirements.txt": "django==4.2\npsycopg==3.1\n",
        "docs/Makefile": "html:\n\tsphinx-build -b html . _build\n",
        "docs/requirements.txt": "sphinx==7.2\n",
        ".readthedocs.yaml": "version: 2\nbuild:\n  os: ubuntu-22.04\n",
        "booking/__init__.py": _own_python("Room booking", "VERSION = '1.4.0'"),
        "booking/models.py": _own_python("Rooms and bookings", "class Room:\n    pass"),
        "booking/views.py": _own_python("Booking pages", "def index():\n    return 'ok'"),
        "web/static/js/booking.js": (
            f"// SPDX-FileCopyrightText: 2023 {MUNICIPALITY}\n// SPDX-License-Identifier: MPL-2.0\n"
            "export function book(room) { return fetch(`/book/${room}`); }\n"
        ),
        f"{EDITOR_ROOT}/LICENSE.md": (
            f"Quillwork rich-text editor\n\nCopyright (C) 2015-2023 {EDITOR_HOLDER}\n\n"
            + GPL2_OR_LATER_NOTICE
        ),
        f"{EDITOR_ROOT}/package.json": json.dumps(
            {
                "name": EDITOR,
                "version": "2.1.0",
                "license": "GPL-2.0-or-later",
                "author": "Quill Works Ltd. <hello@quillworks.example>",
            },
            indent=2,
        ),
    }
    for module in _EDITOR_MODULES:
        files[f"{EDITOR_ROOT}/src/{module}.js"] = (
            "/**\n"
            f" * Quillwork editor 2.1.0: {module}\n"
            " * @license GPL-2.0-or-later\n"
            f" * Copyright (c) 2015-2023 {EDITOR_HOLDER}\n"
            " */\n"
            f"export default function {module.replace('/', '_')}(editor) {{\n"
            f"  return editor.register('{module}');\n"
            "}\n"
        )
    return files


def gpl_scripts_repo() -> dict[str, str]:
    """A GPL-3.0-or-later tool whose scripts say only "license: GNU General Public License"."""
    script = (
        "#!/bin/sh\n# Nightly export of the booking data\n"
        "# license: GNU General Public License\n"
        "set -e\npg_dump booking > /var/backups/booking.sql\n"
    )
    return {
        "COPYING": f"Copyright (C) 2022 {MUNICIPALITY}\n\n{GPL3_OR_LATER_NOTICE}",
        "README.md": "# export-tools\n",
        "scripts/export.sh": script,
        "scripts/cleanup.sh": script.replace("Nightly export", "Weekly cleanup"),
        "scripts/lib.sh": script.replace("Nightly export of the booking data", "Shared helpers"),
    }


BASELINE = json.dumps(
    {
        "os2scan_baseline": 1,
        "violations": [
            {"rule": "file-license-conflict", "path": "legacy/gpl.py", "license": "GPL-3.0-only"},
            {"rule": "file-license-conflict", "path": "legacy/agpl.py",
             "license": "AGPL-3.0-only"},
        ],
    },
    indent=2,
)  # fmt: skip


def mentions_repo() -> dict[str, str]:
    """An MPL-2.0 licence tool whose code and tests name licences without being under them."""
    return {
        "LICENSE": f"Copyright (c) 2024 {MUNICIPALITY}\n\n{MPL_NOTICE}",
        "licensetool/__init__.py": _own_python("Licence tool", ""),
        "licensetool/choices.py": _own_python(
            "The licences a user can pick",
            'LICENSES = [\n    "MIT License",\n    "GNU General Public License v3.0",\n'
            '    "Apache License 2.0",\n    "GNU Affero General Public License v3.0",\n'
            '    "Mozilla Public License 2.0",\n]',
        ),
        "tests/test_system_licences.py": (
            "import unittest\n\n\nclass SystemLicences(unittest.TestCase):\n"
            "    def test_reads_the_gpl_text(self):\n"
            '        with open("/usr/share/common-licenses/GPL-3") as handle:\n'
            "            self.assertIn('GNU', handle.read())\n"
        ),
        "tests/RowTest.php": (
            "<?php\nfinal class RowTest extends TestCase {\n"
            "    public function testRow(): void {\n"
            "        $this->assertEquals(['license' => 'Free CC', 'name' => 'x'], $this->row());\n"
            "    }\n}\n"
        ),
        ".os2scan-baseline.json": BASELINE,
    }


def font_repo() -> dict[str, str | bytes]:
    """An MPL-2.0 site with a vendored font family and no licence file for it."""
    files: dict[str, str | bytes] = {
        "LICENSE": f"Copyright (c) 2024 {MUNICIPALITY}\n\n{MPL_NOTICE}",
        "site/app.py": _own_python("The site", "TITLE = 'Borger'"),
        "site/static/fonts/opensans/opensans.css": (
            "@font-face { font-family: 'Open Sans'; src: url(OpenSans-Regular.woff2); }\n"
        ),
    }
    for weight in ("Regular", "Bold", "Italic", "Light"):
        files[f"site/static/fonts/opensans/OpenSans-{weight}.woff2"] = (
            b"wOF2\x00\x01\x00\x00" + weight.encode() * 64 + b"\x00" * 32
        )
    return files


def portal_repo() -> dict[str, str | bytes]:
    """A municipal self-service portal (PHP and JavaScript) the way many are shaped: third-party
    scripts in 3rdparty/, a copied-in RADIUS library with its own licence, a font folder, test
    fixtures that list licence names, build files in docs/, and holder lines with contact
    details and Danish letters."""
    holder_line = "Copyright (c) 2021 Magenta ApS, Contact: info@magenta.example"
    files: dict[str, str | bytes] = {
        "LICENSE": f"{holder_line}\n\n{MPL_NOTICE}",
        "composer.json": json.dumps({"name": "kommune/portal", "license": "MPL-2.0"}),
        "README.md": "# Selvbetjeningsportal\n",
        "docs/Makefile": "html:\n\tsphinx-build -b html . _build\n",
        "docs/requirements-docs.txt": "sphinx==7.2\nfuro\n",
        "docs/index.md": "# Portal\n",
        "src/Portal.php": (
            "<?php\n// SPDX-FileCopyrightText: 2021 Magenta Aps <info@magenta.example>\n"
            "// SPDX-License-Identifier: MPL-2.0\nfinal class Portal {}\n"
        ),
        "src/Form.php": (
            "<?php\n// Copyright (C) 2022 OS2 - Offentligt digitaliseringsfællesskab\n"
            "// SPDX-License-Identifier: MPL-2.0\nfinal class Form {}\n"
        ),
        "src/Radius/LICENSE": (
            "Copyright (c) 2002-2020 Wichert Akkerman. All rights reserved.\n\n"
            "Redistribution and use in source and binary forms, with or without modification, are "
            "permitted provided that the following conditions are met: redistributions of source "
            "code must retain the above copyright notice, this list of conditions and the "
            "following disclaimer.\n"
        ),
        "src/Radius/Client.php": "<?php\n// Copyright (c) Wichert Akkerman\nclass Client {}\n",
        "src/Radius/Packet.php": "<?php\n// Copyright (c) Wichert Akkerman\nclass Packet {}\n",
        "web/3rdparty/jquery.min.js": (
            "/*! jQuery v3.6.0 | (c) OpenJS Foundation and other contributors | "
            'jquery.org/license */\n!function(e,t){"use strict";}(this);\n'
        ),
        "web/3rdparty/select2/LICENSE.md": MIT_TEXT.replace(
            "2024 Aarhus Kommune", "2012-2017 Kevin Brown, Igor Vaynberg"
        ),
        "web/3rdparty/select2/select2.js": "/*! Select2 4.0.13 | https://github.com/select2 */\n",
        "web/3rdparty/select2/select2.css": ".select2{display:block}\n",
        "tests/fixtures/licences.json": json.dumps(
            [
                {"id": "GPL-3.0-only", "name": "GNU General Public License v3.0"},
                {"id": "AGPL-3.0-only", "name": "GNU Affero General Public License v3.0"},
            ]
        ),
        "tests/FormTest.php": (
            "<?php\nfinal class FormTest extends TestCase {\n  public function testLicence() {\n"
            "    $this->assertEquals(['license' => 'GPL-3.0'], $this->meta());\n  }\n}\n"
        ),
    }
    for weight in ("Regular", "Bold"):
        files[f"web/assets/fonts/roboto/Roboto-{weight}.woff2"] = (
            b"wOF2\x00\x01\x00\x00" + weight.encode() * 64
        )
    return files
