"""The check of components: each one judged once, at its root, with its files in the detail."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.base import Finding
from rules.compatibility import Fit, judge
from rules.policy import Policy
from scanner.kernel.models import Component, ComponentKind, RepoScan, Severity

#: Components that are references to other repositories: judged where they are scanned.
_JUDGED_ELSEWHERE = frozenset({ComponentKind.SUBMODULE})

_FIX = {
    Fit.DENIED: "Remove the component or replace it with one under an open licence; if "
    "governance has approved its use, record that as a waiver in the policy.",
    Fit.CONFLICT: "Replace the component with one under a licence that fits the product's, "
    "ship it as a separate work outside the product, or relicense the product; an approved "
    "exception belongs in the policy as a waiver (path: the component's folder).",
    Fit.REVIEW: "Find out the component's licence terms; state them with a curation "
    "(`components:` in .os2scan.yml) or replace the component.",
}
_NO_LICENCE_FIX = (
    "Add the component's licence file next to it (as its authors publish it), or name its "
    "licence with a curation in .os2scan.yml (`- path: <folder>`, `license: <SPDX id>`, "
    "`reason: ...`)."
)


def describe(component: Component) -> str:
    """'Component quillwork 2.1.0 (web/static/vendor/quillwork, 25 files)'."""
    version = f" {component.version}" if component.version else ""
    count = "1 file" if component.files == 1 else f"{component.files} files"
    return f"Component {component.name}{version} ({component.path}, {count})"


def component_files(scan: RepoScan, component: Component) -> tuple[str, ...]:
    """The paths of the files a component holds (nested components' files included)."""
    return tuple(f.path for f in scan.files if component.contains(f.path))


def check_component_license(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """Each component's licence is allowed and fits the repository's declared licence.

    A component is judged once, at its root: its own licence file or manifest, else what its
    files say. A licence that does not fit is one error, one that needs review a warning, and a
    component that states no licence at all is one warning. Its files are in the detail.
    Submodules are other repositories, judged when they are scanned themselves.
    """
    declared = scan.facts.declared_license
    for component in scan.facts.components:
        if component.kind in _JUDGED_ELSEWHERE or component.files == 0:
            continue
        files = component_files(scan, component)
        if not component.license:
            unread = component.kind is ComponentKind.LICENSED_FOLDER
            yield Finding(
                f"{describe(component)} has a licence file, {component.evidence}, whose "
                "licence was not recognised."
                if unread
                else f"{describe(component)} states no licence.",
                path=component.path,
                severity=Severity.WARNING,
                how_to_fix=_NO_LICENCE_FIX,
                files=files,
            )
            continue
        verdict = judge(
            component.license,
            declared,
            denied=policy.licenses.denied,
            denied_categories=policy.licenses.denied_categories,
        )
        if verdict.fit is Fit.FITS:
            continue
        if verdict.fit is Fit.REVIEW or verdict.fit is Fit.DENIED:
            message = f"{describe(component)} is under {component.license}: {verdict.reason}."
        else:
            message = (
                f"{describe(component)} is under {component.license}, which does not fit "
                f"{declared}."
            )
        yield Finding(
            message,
            path=component.path,
            license=verdict.license or component.license,
            severity=Severity.WARNING if verdict.fit is Fit.REVIEW else None,
            how_to_fix=_FIX[verdict.fit],
            files=files,
        )
