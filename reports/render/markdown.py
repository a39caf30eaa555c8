"""report.md: the summary as Markdown for a wiki page or a README (Jinja2 template).

Every value from a scan (product and repository names, paths, messages, holders) is escaped
before it reaches the page: Markdown's punctuation is backslash-escaped, `<` and `&` become
entities so no HTML passes through, and code spans get a fence longer than any run of
backticks inside them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

from reports.components import component_rows, evidence_words
from reports.governance import standard_license
from reports.render.common import (
    code_spans,
    evidence_rows,
    generated_line,
    missing,
    records,
    status_counts,
)
from scanner.kernel.models import ScanResult

if TYPE_CHECKING:
    from reports.i18n import Catalogue
    from reports.report import Report

#: Rows of the content table on the page (each archive, font, image, document and file read
#: inside an archive); content.csv and report.xlsx hold them all.
MAX_CONTENT_ROWS = 500

#: Characters a Markdown renderer would read as HTML or as a link, written as entities.
_MARKUP = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;", "[": "&#91;", "]": "&#93;"})
#: Markdown's emphasis, code and table punctuation, backslash-escaped.
_SPECIAL = re.compile(r"([\\`*_|~])")


def cell(value: object) -> str:
    """Text shown as itself in Markdown and safe inside a table cell: no HTML
    (`<img onerror=...>` from a manifest stays text), no links, no emphasis, one line."""
    if value is None:
        return ""
    text = _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(value)))
    return text.translate(_MARKUP)


def href(url: object) -> str:
    """A link target that cannot end the Markdown link early: spaces, brackets and angle
    brackets percent-encoded."""
    return quote(str(url), safe=":/?#@!$&'*+,;=%-._~")


def prose(value: object) -> str:
    """Text with `code spans` (how-to-fix texts): the spans stay code, the rest is escaped."""
    return "".join(code(part) if is_code else cell(part) for is_code, part in code_spans(value))


def code(value: object) -> str:
    """A code span holding `value` verbatim, safe inside a table cell."""
    text = " ".join(str(value or "").split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _environment(t: Catalogue) -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cell=cell,
        code=code,
        prose=prose,
        href=href,
        percent=lambda v: "–" if missing(v) else t.percent(float(v)),
        number=lambda v: "–" if missing(v) else t.number(int(v)),
        evidence=lambda v: evidence_words(v, t),
    )
    return env


def render_markdown(report: Report) -> str:
    s, t, result = report.summary, report.t, report.result
    violations = records(report.violations)
    return (
        _environment(t)
        .get_template("markdown/report.md.j2")
        .render(
            t=t,
            portfolio=result.portfolio or result.policy_name,
            generated=generated_line(report),
            standard=standard_license(report.policy_terms) or "–",
            glance=status_counts(report),
            products=records(s.products),
            repositories=records(s.repositories),
            governance=evidence_rows(report),
            violations=[v for v in violations if not v["waived"] and v["severity"] != "info"],
            licenses=records(s.licenses),
            changes=records(s.changes) if s.changes is not None else None,
            components=component_rows(result),
            content=records(s.content.head(MAX_CONTENT_ROWS)),
            total_content=len(s.content),
        )
    )


def render_markdown_result(result: ScanResult) -> str:
    """report.md for a scan on its own (the language the policy defaults to)."""
    from reports.i18n import default_language
    from reports.report import Report

    return render_markdown(Report(result=result, lang=default_language(result.policy_name)))


def markdown_files(report: Report) -> dict[str, str | bytes]:
    return {"report.md": render_markdown(report)}
