"""How long each phase of a scan takes, logged for `-v`: collect, inventory, detect, rules and
render.

`timed("detect", "borger-api")` logs "detect borger-api: 1.234 s" at INFO on the
`scanner.phases` logger when the block ends (also when it fails), and adds the time to the
totals of the scan around it, if one is `counting()`: `run_scan` logs the totals per phase
when the scan ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: The phases of a scan, in the order they run.
PHASES = ("collect", "inventory", "detect", "rules", "render")

log = logging.getLogger("scanner.phases")
_totals: ContextVar[dict[str, float] | None] = ContextVar("phase_totals", default=None)


@contextmanager
def timed(phase: str, subject: str = "") -> Iterator[None]:
    """Time the block as `phase` (of `subject`, a repository or a format)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - started
        totals = _totals.get()
        if totals is not None:
            totals[phase] = totals.get(phase, 0.0) + elapsed
        log.info("%s%s: %.3f s", phase, f" {subject}" if subject else "", elapsed)


@contextmanager
def counting() -> Iterator[dict[str, float]]:
    """Collect the seconds of every `timed` phase inside the block, per phase."""
    totals: dict[str, float] = {}
    token = _totals.set(totals)
    try:
        yield totals
    finally:
        _totals.reset(token)


def summary(totals: dict[str, float]) -> str:
    """"collect 0.10 s, inventory 0.02 s, ..." in the order of PHASES."""
    order = [p for p in PHASES if p in totals] + sorted(set(totals) - set(PHASES))
    return ", ".join(f"{phase} {totals[phase]:.2f} s" for phase in order)
