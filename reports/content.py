"""Content as the reports show it: each archive, font, image and document with its licence,
holders and the metadata evidence behind them, and each file read inside an archive under its
`ARCHIVE!/INNER` path.

One place builds these records; report.json, content.csv and the HTML repository pages all
take them from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scanner.kernel.inner import inner_findings
from scanner.kernel.models import ContentReading, Evidence, FileFinding, RepoScan, ScanResult

if TYPE_CHECKING:  # pandas is imported where a frame is built: report.json and check need none
    import pandas as pd

CONTENT_COLUMNS = [
    "product",
    "repository",
    "path",
    "format",
    "license",
    "holders",
    "evidence",
    "incomplete",
]


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    return {
        "kind": evidence.kind.value,
        "field": evidence.field,
        "value": evidence.value,
        "license": evidence.expression,
        "holder": evidence.holder,
    }


def evidence_text(reading: ContentReading) -> str:
    """The evidence on one line: "copyright: (c) 2022 Ritzau Scanpix [EXIF Copyright]; ..."."""
    return "; ".join(f"{e.kind.value}: {e.value} [{e.field}]" for e in reading.evidence)


def content_dict(finding: FileFinding) -> dict[str, Any]:
    """One content file for report.json, with the files read inside it (archives)."""
    reading = finding.content
    assert reading is not None
    return {
        "path": finding.path,
        "format": reading.format,
        "license": finding.license_expression,
        "holders": list(finding.holders),
        "evidence": [evidence_dict(e) for e in reading.evidence],
        "incomplete": reading.incomplete,
        "entries": reading.entries,
        "inner_files": [
            {
                "path": inner.path,
                "license": inner.license_expression,
                "holders": list(inner.holders),
                "incomplete": inner.skipped,
            }
            for inner in inner_findings(finding)
        ],
    }


def content_records(repo: RepoScan) -> list[dict[str, Any]]:
    """Every content file of a repository that was read, for report.json."""
    return [content_dict(f) for f in repo.files if f.content is not None]


def content_frame(result: ScanResult) -> pd.DataFrame:
    """One row per content file and per file read inside an archive (content.csv, HTML)."""
    import pandas as pd

    rows = []
    for repo in result.repositories:
        key = {"product": repo.checkout.spec.product, "repository": repo.checkout.name}
        for f in repo.files:
            if f.content is None:
                continue
            rows.append(
                {
                    **key,
                    "path": f.path,
                    "format": f.content.format,
                    "license": f.license_expression,
                    "holders": "; ".join(f.holders),
                    "evidence": evidence_text(f.content),
                    "incomplete": f.content.incomplete,
                }
            )
            rows.extend(
                {
                    **key,
                    "path": inner.path,
                    "format": "",
                    "license": inner.license_expression,
                    "holders": "; ".join(inner.holders),
                    "evidence": "",
                    "incomplete": inner.skipped,
                }
                for inner in inner_findings(f)
            )
    return pd.DataFrame(rows, columns=CONTENT_COLUMNS)
