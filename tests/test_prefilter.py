"""The fast detection path changes no result: a whole repository of tricky files, analysed
through the real pipeline once with the pre-filters (exact matching first, approximate and
copyright detection only where hinted) and once with plain full scancode detection, must give
identical findings file by file.

tests/test_detect.py compares single files; this adds files that defeat a naive keyword
filter (licence texts that never say "license", SPDX tags in unusual comment syntaxes,
copyright lines without the word "copyright") and compares the stored findings end to end.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import make_repo
from perf_helpers import RecordingPool, analyse, rule_kinds

from scanner.analysis.spdx_tags import tagged_copyrights
from scanner.kernel.models import LicenseSource
from scanner.store import Store

pytestmark = [pytest.mark.scancode, pytest.mark.perf]

BSD_2_BODY = """Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

ISC_BODY = """Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
"""

ZLIB_BODY = """This software is provided 'as-is', without any express or implied
warranty. In no event will the authors be held liable for any damages
arising from the use of this software.

Permission is granted to anyone to use this software for any purpose,
including commercial applications, and to alter it and redistribute it
freely, subject to the following restrictions:

1. The origin of this software must not be misrepresented; you must not
   claim that you wrote the original software. If you use this software
   in a product, an acknowledgment in the product documentation would be
   appreciated but is not required.
2. Altered source versions must be plainly marked as such, and must not be
   misrepresented as being the original software.
3. This notice may not be removed or altered from any source distribution.
"""

UNLICENSE_BODY = """This is free and unencumbered software released into the public domain.

Anyone is free to copy, modify, publish, use, compile, sell, or
distribute this software, either in source code form or as a compiled
binary, for any purpose, commercial or non-commercial, and by any
means.
"""


def commented(prefix: str, text: str) -> str:
    return "".join(f"{prefix} {line}".rstrip() + "\n" for line in text.splitlines())


TRICKY_FILES: dict[str, str | bytes] = {
    # Licence texts that never use the word "license".
    "third_party/bsd/NOTES": BSD_2_BODY,
    "src/isc_module.c": "/*\n" + commented(" *", ISC_BODY) + " */\nint isc;\n",
    "src/inflate.h": commented("//", ZLIB_BODY) + "#define INFLATE 1\n",
    "tools/snippet.py": commented("#", UNLICENSE_BODY) + "SNIPPET = True\n",
    # SPDX identifiers in comment syntaxes a line-comment regex would miss.
    "paper/main.tex": "% SPDX-License-Identifier: CC-BY-4.0\n\\section{Intro}\n",
    "emacs/init.el": ";; SPDX-License-Identifier: GPL-3.0-or-later\n(setq x 1)\n",
    "build.bat": "REM SPDX-License-Identifier: MPL-2.0\necho build\n",
    "templates/page.jinja2": "{# SPDX-License-Identifier: EUPL-1.2 #}\n<p>{{ x }}</p>\n",
    "ocaml/main.ml": "(* SPDX-License-Identifier: ISC *)\nlet () = ()\n",
    "lua/init.lua": "--[[ SPDX-License-Identifier: Apache-2.0 ]]\nlocal x = 1\n",
    "docs/index.rst": ".. SPDX-License-Identifier: CC0-1.0\n\nTitle\n=====\n",
    "web/page.jsp": "<%-- SPDX-License-Identifier: BSD-3-Clause --%>\n<p>x</p>\n",
    # Copyright lines only, some without the word "copyright".
    "src/symbol.py": "# \u00a9 2021 Odense Kommune\nVALUE = 1\n",
    "src/paren.js": "// (c) 2020 Magenta ApS\nvar v = 1;\n",
    "src/latin1.c": b"/* \xa9 2018 Vejle Kommune */\nint v;\n",
    "src/ophavsret.py": "# Ophavsret (C) 2022 Aarhus Kommune\nX = 2\n",
    "src/reuse.py": "# SPDX-FileCopyrightText: 2023 K\u00f8benhavns Kommune\nY = 3\n",
    # Copyright statements, whose "Copyright" and "All rights reserved" name no licence, beside
    # an SPDX tag, alone, naming a licence, and waiving copyright.
    "src/stated.py": "# Copyright (c) 2024 Magenta ApS. All rights reserved.\n"
    "# SPDX-License-Identifier: MPL-2.0\nX = 1\n",
    "src/optparse_like.py": "# Copyright 2001-2006 Gregory P. Ward. All rights reserved.\n"
    "# Copyright 2002-2006 Python Software Foundation. All rights reserved.\nimport os\n",
    "src/licensed_line.js": "// Copyright 2020 Vejle Kommune, licensed under the MIT license\n"
    "var m;\n",
    "src/waived.c": "/* Copyright waived: this file is in the public domain. */\nint w;\n",
    "src/ophavsret_stated.py": "# Ophavsret (c) 2022 Aarhus Kommune. "
    "Alle rettigheder forbeholdes.\n# SPDX-License-Identifier: EUPL-1.2\nZ = 1\n",
    # No signal at all, with words a sloppy filter trips on.
    "src/limits.py": "def limit(commit, submit):\n    return commit + submit\n",
}


@pytest.fixture(scope="module")
def both_ways(
    scancode_index: object, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict, dict]:  # type: ignore[type-arg]
    tmp_path = tmp_path_factory.mktemp("prefilter")
    repo = make_repo(tmp_path / "tricky", TRICKY_FILES)
    results = []
    for exact_first in (True, False):
        with Store.open(tmp_path / f"db-{exact_first}.sqlite") as store:
            scan = analyse(repo, store, RecordingPool(exact_first=exact_first), tmp_path)
        results.append({f.path: f for f in scan.files})
    return results[0], results[1]


@pytest.mark.parametrize("path", sorted(TRICKY_FILES))
def test_the_fast_path_finds_what_full_detection_finds(both_ways, path: str) -> None:  # type: ignore[no-untyped-def]
    fast, full = both_ways
    mine, theirs = fast[path], full[path]
    content = TRICKY_FILES[path]
    tagged = tagged_copyrights(content) if isinstance(content, str) else None
    if tagged is not None:
        # Copyrights written as SPDX tags are read from the tags, in the file's own letters;
        # scancode's detector runs a tag into the next line ("Kobenhavns Kommune Y").
        assert (mine.copyrights, mine.holders) == (tagged.statements, tagged.holders)
        mine = replace(mine, copyrights=(), holders=())
        theirs = replace(theirs, copyrights=(), holders=())
    assert rule_kinds(mine) == rule_kinds(theirs)


def test_the_tricky_files_do_carry_the_signals_they_are_meant_to(both_ways) -> None:  # type: ignore[no-untyped-def]
    """Guards the comparison above: it would prove nothing if no file had anything to find."""
    fast, _full = both_ways
    own = {LicenseSource.HEADER, LicenseSource.DETECTED}  # not inherited from the repository
    licences = {p: f.license_expression for p, f in fast.items() if f.license_source in own}
    assert licences["third_party/bsd/NOTES"] == "BSD-2-Clause"
    assert licences["src/isc_module.c"] == "ISC"
    assert licences["src/inflate.h"] == "Zlib"
    assert licences["emacs/init.el"] == "GPL-3.0-or-later"
    assert licences["build.bat"] == "MPL-2.0"
    assert licences["lua/init.lua"] == "Apache-2.0"
    assert licences["web/page.jsp"] == "BSD-3-Clause"
    assert "src/limits.py" not in licences
    assert licences["src/stated.py"] == "MPL-2.0"
    assert licences["src/ophavsret_stated.py"] == "EUPL-1.2"
    assert licences["src/licensed_line.js"] == "MIT"
    assert "src/optparse_like.py" not in licences
    assert fast["src/optparse_like.py"].holders
    assert fast["src/paren.js"].holders or fast["src/paren.js"].copyrights
    assert fast["src/reuse.py"].copyright_header
