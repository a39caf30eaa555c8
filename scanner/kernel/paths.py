"""Where os2scan keeps its files unless told otherwise: one answer for every command and the
pipeline."""

from __future__ import annotations

from pathlib import Path

import platformdirs

#: Where collected checkouts live.
DEFAULT_WORKSPACE = Path(".os2scan/workspace")



def default_database() -> Path:
    """The scan database used when none is named: in the user's cache folder
    ($XDG_CACHE_HOME/os2scan or ~/.cache/os2scan on Linux), never inside a checkout, so a
    repository cannot bring its own detection cache."""
    return platformdirs.user_cache_path("os2scan", appauthor=False) / "os2scan.sqlite"
