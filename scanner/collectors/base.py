"""The collector interface: turn one portfolio entry into checkouts on local disk."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from scanner.kernel.models import Checkout, RepositorySpec


@runtime_checkable
class Collector(Protocol):
    """Makes the repositories of one portfolio entry available on local disk.

    `collect` returns one Checkout per repository: one for a single repository, many for an
    organisation or group. It may raise an Os2scanError (usually CollectorError) when the entry
    as a whole cannot be collected; `scanner.collectors.collect` turns that into a Checkout
    with the error. A failure of one repository among many should be returned as that
    repository's Checkout with `error` set, so the others still get scanned.
    """

    def collect(self, spec: RepositorySpec, workspace: Path) -> list[Checkout]: ...


def failed(spec: RepositorySpec, error: str, *, name: str | None = None) -> Checkout:
    """A Checkout for `spec` that could not be collected."""
    return Checkout(spec=spec, name=name or spec.name, path=None, error=error)

