"""Which files are licence files: the one answer the inventory, the declared licence and the
rules all use.

A licence file is named LICENSE, LICENCE, COPYING or UNLICENSE (UNLICENCE), in any case, alone
or followed by an extension or a suffix after `-`, `_`, `.` or a space (LICENSE.md, LICENSE-MIT,
COPYING.LESSER, "LICENSE MIT"), unless the name ends like a program or a data file (license.py,
licenses.json), and lies at the repository root; or it is a REUSE licence text,
`LICENSES/<ID>.<ext>`.
"""

from __future__ import annotations

import re

_LICENSE_NAME = re.compile(r"^(?:LICEN[CS]E|COPYING|UNLICEN[CS]E)(?:[-._ ].*)?$", re.IGNORECASE)

#: Endings of program files, in any folder: a LICENSE- or README-like name with one of them is
#: code (licence.py), and a licence name inside one can be a string rather than a licence.
PROGRAM_EXTENSIONS = frozenset(
    {".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".rs", ".java", ".kt", ".c",
     ".h", ".cc", ".cpp", ".hpp", ".cs", ".rb", ".php", ".pl", ".pm", ".sh", ".swift", ".scala",
     ".vue", ".svelte", ".ex", ".exs", ".erl", ".hs", ".lua", ".r", ".sql", ".dart"}
)  # fmt: skip

#: Endings of data, style and picture files, which a licence text does not have either.
_DATA_EXTENSIONS = frozenset(
    {".json", ".yaml", ".yml", ".toml", ".xml", ".css", ".scss", ".lock", ".cfg", ".ini",
     ".png", ".svg", ".jpg", ".jpeg", ".gif"}
)  # fmt: skip


def _ends_like_program_or_data(name: str) -> bool:
    """license.py, licenses.json, licence.png: a licence-like name that is not a licence text."""
    _, dot, extension = name.rpartition(".")
    return bool(dot) and "." + extension.lower() in PROGRAM_EXTENSIONS | _DATA_EXTENSIONS


def is_license_file_name(name: str) -> bool:
    """LICENSE, LICENCE.md, COPYING.LESSER, LICENSE-MIT, "LICENSE MIT", UNLICENSE.txt, ...;
    not license.py or licenses.json. `name` is a file name, without folders."""
    return bool(_LICENSE_NAME.match(name)) and not _ends_like_program_or_data(name)


def is_root_license_file(path: str) -> bool:
    """A licence file at the repository root (`path` is relative, with forward slashes)."""
    return "/" not in path and is_license_file_name(path)


def is_reuse_license_text(path: str) -> bool:
    """LICENSES/<ID>.<ext>, as REUSE lays licence texts out (only directly in LICENSES/)."""
    folder, _, name = path.partition("/")
    return folder == "LICENSES" and "/" not in name and "." in name


def is_license_file(path: str) -> bool:
    """A root licence file or a REUSE licence text."""
    return is_root_license_file(path) or is_reuse_license_text(path)
