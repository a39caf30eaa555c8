"""The check of components: each one judged once, at its root, with its files in the detail."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.base import Finding
from rules.compatibility import Fit, judge
from rules.policy import Policy
from rules.texts import msg, msgn
from scanner.kernel import licenses
from scanner.kernel.inner import SEPARATOR, with_inner
from scanner.kernel.models import Component, ComponentKind, Message, RepoScan, Severity

#: Components that are references to other repositories: judged where they are scanned.
_JUDGED_ELSEWHERE = frozenset({ComponentKind.SUBMODULE})

_FIX = {
    Fit.DENIED: msg(
        "Remove the component or replace it with one under an open licence; if governance has "
        "approved its use, record that as a waiver in the policy."
    ),
    Fit.CONFLICT: msg(
        "Replace the component with one under a licence that fits the product's, ship it as a "
        "separate work outside the product, or relicense the product; an approved exception "
        "belongs in the policy as a waiver (path: the component's folder)."
    ),
    Fit.REVIEW: msg(
        "Find out the component's licence terms; state them with a curation (`components:` in "
        ".os2scan.yml) or replace the component."
    ),
}
_NO_LICENCE_FIX = msg(
    "Add the component's licence file next to it (as its authors publish it), or name its "
    "licence with a curation in .os2scan.yml (`- path: <folder>`, `license: <SPDX id>`, "
    "`reason: ...`)."
)


def describe(component: Component) -> Message:
    """'Component quillwork 2.1.0 (web/static/vendor/quillwork, 25 files)'; an archive counts
    its entries: 'Component nordlys-theme 4.2.0 (lib/nordlys-theme.jar, 4 entries)'."""
    name = f"{component.name} {component.version}" if component.version else component.name
    if component.kind is ComponentKind.ARCHIVE:
        return msgn(
            "Component {name} ({path}, {n} entry)",
            "Component {name} ({path}, {n} entries)",
            component.files,
            name=name,
            path=component.path,
        )
    return msgn(
        "Component {name} ({path}, {n} file)",
        "Component {name} ({path}, {n} files)",
        component.files,
        name=name,
        path=component.path,
    )


def component_files(scan: RepoScan, component: Component) -> tuple[str, ...]:
    """The paths of the files a component holds (nested components' files included), and of
    the files read inside an archive, as `ARCHIVE!/INNER`."""
    return tuple(f.path for f in with_inner(scan.files) if component.contains(f.path))


def stated_in(component: Component) -> str | None:
    """The files inside an archive that state the licence it is judged by, as inner paths
    ("lib/theme.jar!/META-INF/LICENSE.txt"); None for other components."""
    if component.kind is not ComponentKind.ARCHIVE or component.license_source in ("", "files"):
        return None
    return ", ".join(
        f"{component.path}{SEPARATOR}{p}" for p in component.license_source.split(", ")
    )


def _no_licence(component: Component) -> Message:
    """'... states no licence.', naming the owner an archive's manifest gives."""
    if component.kind is ComponentKind.ARCHIVE and component.holders:
        return msg(
            "{component} states no licence ({holders} named as its owner).",
            component=describe(component),
            holders=", ".join(component.holders),
        )
    return msg("{component} states no licence.", component=describe(component))


def check_component_license(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """Each component's licence is allowed and fits the repository's declared licence.

    A component is judged once, at its root: its own licence file or manifest, else what its
    files say. A licence that does not fit is one error, one that needs review a warning, and a
    component that states no licence at all is one warning. Its files are in the detail.
    Submodules are other repositories, judged when they are scanned themselves.
    """
    declared = scan.facts.declared_license
    documentation = [*policy.licenses.documentation]
    if scan.facts.documentation_license:
        documentation.extend(licenses.license_keys(scan.facts.documentation_license))
    for component in scan.facts.components:
        if component.kind in _JUDGED_ELSEWHERE or component.files == 0:
            continue
        files = component_files(scan, component)
        if not component.license:
            unread = component.kind is ComponentKind.LICENSED_FOLDER
            yield Finding(
                msg(
                    "{component} has a licence file, {evidence}, whose licence was not "
                    "recognised.",
                    component=describe(component),
                    evidence=component.evidence,
                )
                if unread
                else _no_licence(component),
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
            # third-party content may carry a documentation licence, as content does
            documentation=documentation if component.kind is ComponentKind.CONTENT else None,
        )
        if verdict.fit is Fit.FITS:
            continue
        where = stated_in(component)
        if verdict.fit is Fit.REVIEW or verdict.fit is Fit.DENIED:
            reason = verdict.why if verdict.why else verdict.reason
            message = (
                msg(
                    "{component} is under {license} (stated in {where}): {reason}.",
                    component=describe(component),
                    license=component.license,
                    where=where,
                    reason=reason,
                )
                if where
                else msg(
                    "{component} is under {license}: {reason}.",
                    component=describe(component),
                    license=component.license,
                    reason=reason,
                )
            )
        elif where:
            message = msg(
                "{component} is under {license} (stated in {where}), which does not fit "
                "{declared}.",
                component=describe(component),
                license=component.license,
                where=where,
                declared=declared,
            )
        else:
            message = msg(
                "{component} is under {license}, which does not fit {declared}.",
                component=describe(component),
                license=component.license,
                declared=declared,
            )
        yield Finding(
            message,
            path=component.path,
            license=verdict.license or component.license,
            severity=Severity.WARNING if verdict.fit is Fit.REVIEW else None,
            how_to_fix=_FIX[verdict.fit],
            files=files,
        )
