"""The one error tree of os2scan.

Library code raises these; only the command line turns them into a line on stderr and an exit
code. Keeping the mapping in one place is what guarantees "one line, no traceback".
"""

from __future__ import annotations


class Os2scanError(Exception):
    """Base of every error os2scan expects and reports without a traceback."""

    exit_code = 2

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.source:
            where = f"{self.source}:{self.line}: " if self.line else f"{self.source}: "
        return f"{where}{self.message}"


class InputError(Os2scanError):
    """Bad input from the user: a file that cannot be read or does not validate (exit 2)."""


class PortfolioError(InputError):
    """The portfolio file is not valid."""


class StoreError(Os2scanError):
    """The database cannot be opened or written (read-only, full disk, corrupt)."""


class CollectorError(Os2scanError):
    """A repository could not be collected. Recorded on its Checkout, the scan goes on."""

    exit_code = 3


class ClusterError(Os2scanError):
    """The Dask cluster cannot be reached, or it failed a batch beyond its retries (exit 2)."""
