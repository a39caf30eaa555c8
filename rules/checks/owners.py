"""Checks of who owns the code: a real copyright holder, and the one the policy expects."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.base import Finding
from rules.policy import Policy
from rules.texts import msg
from scanner.kernel.models import RepoScan
from scanner.kernel.ownership import clean_holders


def check_copyright_holder(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """The repository names at least one real copyright holder (placeholders do not count)."""
    named = scan.facts.copyright_holders
    if clean_holders(named):
        return
    if named:
        shown = ", ".join(f"'{h}'" for h in named[:3])
        yield Finding(
            msg(
                "The repository names only template placeholders as copyright holder "
                "({holders}).",
                holders=shown,
            ),
            how_to_fix=msg(
                "Fill in the copyright line of the licence file and the file headers with the "
                "real owner, e.g. `SPDX-FileCopyrightText: 2024 OS2 - Offentligt "
                "digitaliseringsfællesskab`."
            ),
        )
    else:
        yield Finding(msg("The repository names no copyright holder."))


def check_copyright_holder_expected(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """At least one holder matches the policy's expected owners (OS2 or a member organisation)."""
    holders = clean_holders(scan.facts.copyright_holders)
    if not holders or not policy.owners.expected:
        return  # no holder at all is copyright-holder's finding
    if any(policy.owners.matches(holder) for holder in holders):
        return
    yield Finding(
        msg("No copyright holder is one the policy expects: {holders}.", holders=", ".join(holders))
    )
