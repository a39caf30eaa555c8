"""Products that turned non-compliant since the previous scan, written as an issue.

The scheduled publish workflows scan the portfolio, then run `os2scan regressions`: when a
product is non-compliant now and was not in the scan before (or is new), they open an issue
with this text, so governance staff hear of it the week it happens.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reports.links import SiteLinks
from reports.status import NON_COMPLIANT
from reports.summary import summarise
from scanner.kernel.models import ScanResult

#: an issue lists at most this many new errors per product (the site lists them all)
MAX_ERRORS_LISTED = 50


@dataclass(frozen=True)
class NewError:
    repository: str
    path: str | None
    rule: str
    message: str


@dataclass(frozen=True)
class Regression:
    """A product that is non-compliant now and was not in the previous scan."""

    product: str
    status_before: str | None  # None: the product was not in the previous scan
    score: int | None
    errors: tuple[NewError, ...]  # unwaived errors the previous scan did not have


def find_regressions(result: ScanResult, previous: ScanResult) -> list[Regression]:
    """The products of `result` that turned non-compliant since `previous`, by name."""
    summary = summarise(result, previous)
    scores, changes = summary.score_changes, summary.changes
    assert scores is not None
    assert changes is not None
    turned = scores[
        (scores["status"] == NON_COMPLIANT) & (scores["status_before"] != NON_COMPLIANT)
    ]
    new_errors = changes[(changes["change"] == "new") & (changes["severity"] == "error")]
    found = []
    for row in turned.itertuples(index=False):
        errors = new_errors[new_errors["product"] == row.product]
        found.append(
            Regression(
                product=str(row.product),
                status_before=None if pd.isna(row.status_before) else str(row.status_before),
                score=None if pd.isna(row.score) else int(row.score),
                errors=tuple(
                    NewError(
                        str(e.repository),
                        None if pd.isna(e.path) else str(e.path),
                        str(e.rule),
                        str(e.message),
                    )
                    for e in errors.itertuples(index=False)
                ),
            )
        )
    return found


def _text(value: object) -> str:
    """Text that renders as itself in a GitHub or GitLab issue: no HTML, no table breaks."""
    text = " ".join(str(value).split())
    for raw, escaped in (("\\", "\\\\"), ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(raw, escaped)
    for special in "|`*_[]()#@!":
        text = text.replace(special, "\\" + special)
    return text


def issue_title(regressions: list[Regression], result: ScanResult) -> str:
    """One line of plain text (an issue title is not Markdown): no line breaks, no tags."""
    names = ", ".join(r.product for r in regressions)
    title = f"Licence compliance: {names} turned non-compliant (scan {result.scan_id})"
    return " ".join(title.replace("<", "").replace(">", "").split())


def issue_body(
    regressions: list[Regression],
    result: ScanResult,
    previous: ScanResult,
    site_url: str | None = None,
) -> str:
    """The issue in Markdown: its title as the first line (`# ...`), then one section per
    product with its new errors and, given the site's address, a link to its page."""
    links = SiteLinks.of(
        [(r.checkout.spec.product, r.checkout.name) for r in result.repositories],
        [g.product for g in regressions],
    )
    lines = [
        f"# {issue_title(regressions, result)}",
        "",
        f"Scan {result.scan_id} ({result.started_at or 'undated'}) of the portfolio "
        f"{_text(result.portfolio or result.policy_name)} compared with scan "
        f"{previous.scan_id} ({previous.started_at or 'undated'}).",
    ]
    for regression in regressions:
        before = regression.status_before or "not in the previous scan"
        score = "–" if regression.score is None else str(regression.score)
        lines += ["", f"## {_text(regression.product)}", ""]
        lines.append(f"Status: {before} → non-compliant; score {score}.")
        if site_url:
            page = f"{site_url.rstrip('/')}/{links.product_page(regression.product)}"
            lines.append(f"Details: {page}")
        if regression.errors:
            lines += ["", "| repository | file | rule | finding |", "|---|---|---|---|"]
            for error in regression.errors[:MAX_ERRORS_LISTED]:
                cells = (error.repository, error.path or "", error.rule, error.message)
                lines.append("| " + " | ".join(_text(c) for c in cells) + " |")
            if len(regression.errors) > MAX_ERRORS_LISTED:
                lines.append(f"\n… and {len(regression.errors) - MAX_ERRORS_LISTED} more.")
    return "\n".join(lines) + "\n"
