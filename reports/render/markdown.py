"""report.md: the summary as Markdown for a wiki page or a README (Jinja2 template)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

from reports.components import component_rows
from reports.render.html import _number, _percent, generated_line, records
from scanner.kernel.models import ScanResult

#: Characters a Markdown renderer would read as HTML or as a link, written as entities.
_MARKUP = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;", "[": "&#91;", "]": "&#93;"})


def _cell(value: object) -> str:
    """Text safe inside a Markdown table cell: no HTML (`<img onerror=...>` from a manifest
    stays text), no links, no line breaks, no column breaks."""
    if value is None:
        return ""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return text.translate(_MARKUP)


def _code(value: object) -> str:
    """A code span holding `value` verbatim: fenced with more backticks than it contains, so
    a file name with backticks cannot close the span and smuggle in HTML."""
    text = " ".join(str(value).split("\n")).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _href(url: object) -> str:
    """A link target that cannot end the Markdown link early: spaces, brackets and angle
    brackets percent-encoded."""
    return quote(str(url), safe=":/?#@!$&'*+,;=%-._~")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(cell=_cell, code=_code, href=_href, percent=_percent, number=_number)
    return env


def render_markdown(report: Any) -> str:
    s, t, result = report.summary, report.t, report.result
    status_counts = s.products["status"].value_counts()
    governance = records(report.governance)
    for row in governance:
        row["evidence_text"] = t(
            f"gov.evidence.{row['criterion']}", n=row["n"], a=row["a"], b=row["b"],
            detail=row["detail"] or "–",
        )  # fmt: skip
    violations = records(s.violations)
    return (
        _environment()
        .get_template("markdown/report.md.j2")
        .render(
            t=t,
            portfolio=_cell(result.portfolio or result.policy_name),
            generated=generated_line(report),
            glance={
                "products": len(s.products),
                "non_compliant": int(status_counts.get("non-compliant", 0)),
                "warnings": int(status_counts.get("warnings", 0)),
                "compliant": int(status_counts.get("compliant", 0)),
                "not_scanned": int(status_counts.get("not-scanned", 0)),
            },
            products=records(s.products),
            repositories=records(s.repositories),
            governance=governance,
            violations=[v for v in violations if not v["waived"] and v["severity"] != "info"],
            licenses=records(s.licenses),
            changes=records(s.changes) if s.changes is not None else None,
            components=component_rows(result),
        )
    )


def render_markdown_result(result: ScanResult) -> str:
    """report.md for a scan on its own (the language the policy defaults to)."""
    from reports.i18n import default_language
    from reports.write import Report

    return render_markdown(Report(result=result, lang=default_language(result.policy_name)))


def markdown_files(report: Any) -> dict[str, str | bytes]:
    return {"report.md": render_markdown(report)}
