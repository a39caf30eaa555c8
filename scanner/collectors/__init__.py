"""Collectors: one per source kind, found through a registry.

`collect(spec, workspace)` is what the pipeline calls. It never raises for a repository's own
failure: a repository that cannot be collected comes back as a Checkout whose `error` is one
redacted line. Built-in collectors live in the modules named in `_BUILTIN_MODULES`; each
exposes `COLLECTORS: dict[SourceKind, Collector]`. Kinds without a module get a placeholder
that reports them as not available. `register()` adds or replaces a collector.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scanner.collectors.base import Collector, Unavailable, failed
from scanner.kernel.errors import Os2scanError
from scanner.kernel.models import Checkout, RepositorySpec, SourceKind
from scanner.kernel.redact import one_line, strip_url_credentials

__all__ = ["Collector", "ProgressCallback", "collect", "get_collector", "register"]

ProgressCallback = Callable[[str], None]

_BUILTIN_MODULES = ("local", "git", "github", "gitlab")
_PLACEHOLDERS = {
    SourceKind.GITHUB: "github",
    SourceKind.GITHUB_ORG: "github",
    SourceKind.GITLAB: "gitlab",
    SourceKind.GITLAB_GROUP: "gitlab",
}

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

_registered: dict[SourceKind, Collector] = {}
_builtin: dict[SourceKind, Collector] | None = None
_imported: set[str] = set()


def register(kind: SourceKind, collector: Collector) -> None:
    """Use `collector` for `kind`, in place of the built-in one."""
    _registered[kind] = collector


def get_collector(kind: SourceKind) -> Collector:
    """The collector for `kind` (every SourceKind has one, if only a placeholder)."""
    if kind in _registered:
        return _registered[kind]
    return _builtins(_MODULE_OF.get(kind))[kind]


def _builtins(only: str | None = None) -> dict[SourceKind, Collector]:
    """The built-in collectors, importing the module `only` (default: all of them) if needed."""
    global _builtin
    if _builtin is None:
        _builtin = {kind: Unavailable(platform) for kind, platform in _PLACEHOLDERS.items()}
    for name in (only,) if only else _BUILTIN_MODULES:
        if name in _imported:
            continue
        _imported.add(name)
        module_name = f"{__name__}.{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        _builtin.update(getattr(module, "COLLECTORS", {}))
    return _builtin


def collect(
    spec: RepositorySpec,
    workspace: Path,
    *,
    on_progress: ProgressCallback | None = None,
) -> list[Checkout]:
    """The checkouts of one portfolio entry; failures are Checkouts with `error`, not exceptions."""
    if on_progress:
        on_progress(f"collecting {strip_url_credentials(spec.locator)}")
    try:
        checkouts = get_collector(spec.kind).collect(spec, workspace)
    except Os2scanError as exc:
        checkouts = [failed(spec, exc.message)]
    except Exception as exc:  # a repository's failure must not end the scan
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
