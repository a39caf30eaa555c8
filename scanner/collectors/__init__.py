"""Collectors: one per source kind, found through a registry.

`collect(spec, workspace)` is what the pipeline calls. It never raises for a repository's own
failure: a repository that cannot be collected comes back as a Checkout whose `error` is one
redacted line. Built-in collectors live in the modules named in `_MODULE_OF`; each exposes
`COLLECTORS: dict[SourceKind, Collector]`. A caller may pass its own `collector` instead.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scanner.collectors.base import Collector, failed
from scanner.kernel.errors import Os2scanError
from scanner.kernel.models import Checkout, RepositorySpec, SourceKind
from scanner.kernel.redact import one_line, strip_url_credentials

__all__ = ["Collector", "ProgressCallback", "collect", "get_collector"]

ProgressCallback = Callable[[str], None]


#: The built-in module that collects each kind. It is imported when its kind is first
#: collected: the forge clients take a few hundred milliseconds to import, and a scan of local
#: paths and git URLs never needs them.
_MODULE_OF = {
    SourceKind.PATH: "local",
    SourceKind.GIT: "git",
    SourceKind.GITHUB: "github",
    SourceKind.GITHUB_ORG: "github",
    SourceKind.GITLAB: "gitlab",
    SourceKind.GITLAB_GROUP: "gitlab",
}

_builtin: dict[SourceKind, Collector] = {}


def get_collector(kind: SourceKind) -> Collector:
    """The built-in collector for `kind`, importing its module on first use."""
    if kind not in _builtin:
        module = importlib.import_module(f"{__name__}.{_MODULE_OF[kind]}")
        _builtin.update(getattr(module, "COLLECTORS", {}))
    return _builtin[kind]


def collect(
    spec: RepositorySpec,
    workspace: Path,
    *,
    collector: Collector | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[Checkout]:
    """The checkouts of one portfolio entry; failures are Checkouts with `error`, not exceptions.

    `collector` replaces the built-in collector of the entry's kind."""
    if on_progress:
        on_progress(f"collecting {strip_url_credentials(spec.locator)}")
    try:
        checkouts = (collector or get_collector(spec.kind)).collect(spec, workspace)
    except Os2scanError as exc:
        checkouts = [failed(spec, exc.message)]
    except Exception as exc:  # noqa: BLE001 - a repository's failure must not end the scan
        checkouts = [failed(spec, f"unexpected {type(exc).__name__}: {exc}")]
    cleaned = [_clean(checkout) for checkout in checkouts]
    if on_progress:
        for checkout in cleaned:
            state = checkout.error or f"commit {checkout.commit or 'none (not a git checkout)'}"
            on_progress(f"{checkout.name}: {state}")
    return cleaned


def _clean(checkout: Checkout) -> Checkout:
    """Make sure nothing secret or multi-line leaves a collector."""
    changes: dict[str, Any] = {}
    if checkout.error is not None:
        error = one_line(checkout.error) or "collection failed"
        if error != checkout.error:
            changes["error"] = error
    if checkout.remote_url:
        url = strip_url_credentials(checkout.remote_url)
        if url != checkout.remote_url:
            changes["remote_url"] = url
    return dataclasses.replace(checkout, **changes) if changes else checkout
