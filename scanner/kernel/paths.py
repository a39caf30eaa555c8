"""Where os2scan keeps its files unless told otherwise: one answer for every command and the
pipeline."""

from __future__ import annotations

from pathlib import Path

#: Where collected checkouts live.
DEFAULT_WORKSPACE = Path(".os2scan/workspace")

#: The scan database.
DEFAULT_DB = Path(".os2scan/os2scan.sqlite")
