"""Components as the reports show them: one record shape for JSON, CSV, Excel, HTML and Markdown.

The JSON report's `repositories[].components[]` is `component_dict`; the table of every
component of a scan (components.csv, the Excel sheet) is `component_rows`, the same keys with
the product and repository in front and lists joined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scanner.kernel.evidence import parse
from scanner.kernel.models import Component, Message, ScanResult

if TYPE_CHECKING:
    from reports.i18n import Catalogue

#: The columns of components.csv and of the Excel sheet, in order.
COMPONENT_COLUMNS = (
    "product", "repository", "name", "version", "path", "kind", "license", "license_source",
    "holders", "files", "evidence",
)  # fmt: skip


def component_dict(component: Component) -> dict[str, Any]:
    """One component: name, version, path, kind, license, license_source (the file, manifest
    or files its licence was read from; for an archive, paths inside it), holders, files,
    evidence."""
    data: dict[str, Any] = {
        "name": component.name,
        "version": component.version,
        "path": component.path,
        "kind": component.kind.value,
        "license": component.license,
        "license_source": component.license_source or None,
        "holders": list(component.holders),
        "files": component.files,
        "evidence": component.evidence,
    }
    if component.curation:
        data["curation"] = component.curation
    return data


def evidence_text(evidence: str) -> Message:
    """What made a part a component, as a text the catalogues translate (a path stays a path)."""
    parsed = parse(evidence)
    if parsed is None:
        return Message(evidence)
    template, fields = parsed
    return Message.of(template, **fields)


def evidence_words(evidence: object, t: Catalogue) -> str:
    """An evidence in the language of `t` (what the HTML and Markdown tables show)."""
    return t.text(evidence_text(str(evidence))) if evidence else ""


def component_rows(result: ScanResult) -> list[dict[str, Any]]:
    """Every component of every repository, as flat rows (holders joined with "; ")."""
    rows = []
    for repo in result.repositories:
        for component in repo.facts.components:
            data = component_dict(component)
            rows.append(
                {
                    "product": repo.checkout.spec.product,
                    "repository": repo.checkout.name,
                    **{k: data[k] for k in COMPONENT_COLUMNS[2:]},
                    "holders": "; ".join(component.holders),
                }
            )
    return rows
