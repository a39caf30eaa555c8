"""SARIF and GitLab Code Quality as files of a report folder (the renderers live in sarif.py
and codequality.py)."""

from __future__ import annotations

from typing import Any


def sarif_files(report: Any) -> dict[str, str | bytes]:
    from reports.render.sarif import render_sarif

    return {"report.sarif": render_sarif(report.result)}


def codequality_files(report: Any) -> dict[str, str | bytes]:
    from reports.render.codequality import render_codequality

    return {"codequality.json": render_codequality(report.result)}
