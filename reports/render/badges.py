"""SVG compliance badges for READMEs, one per product and per repository (like the REUSE
badge): a grey label and the status in its colour, with the score when there is one."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from reports.render.charts import STATUS_COLOURS

if TYPE_CHECKING:
    from reports.i18n import Catalogue
    from reports.report import Report

_CHAR_WIDTH = 6.6  # Verdana-ish 11px, wide enough for the widest common text
_PADDING = 12


def _width(text: str) -> int:
    return int(len(text) * _CHAR_WIDTH + _PADDING)


def render_badge(label: str, value: str, colour: str) -> str:
    """A flat badge: `label | value` with the value on `colour`."""
    left, right = _width(label), _width(value)
    total = left + right
    title = f"{label}: {value}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f"aria-label={quoteattr(title)}>"
        f"<title>{escape(title)}</title>"
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" '
        f'font-size="11">'
        f'<text x="{left / 2:.1f}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2:.1f}" y="14">{escape(value)}</text>'
        f"</g></svg>\n"
    )


def _value(t: Catalogue, status: str, score: object) -> str:
    text = t(f"status.{status}")
    if score is not None and not (isinstance(score, float) and score != score):
        try:
            return f"{text} · {int(score)}"  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return text
    return text


def badge_files(report: Report) -> dict[str, str | bytes]:
    """A badge in the folder of every product and of every repository."""
    summary, t, links = report.summary, report.t, report.links
    label = t("badge.label")
    outputs: dict[str, str | bytes] = {}
    products = summary.products.astype(object).where(summary.products.notna(), None)
    for row in products[["product", "status", "score"]].itertuples(index=False):
        outputs[links.badge(row.product)] = render_badge(
            label, _value(t, row.status, row.score), STATUS_COLOURS[row.status]
        )
    repos = summary.repositories.astype(object).where(summary.repositories.notna(), None)
    for row in repos[["product", "repository", "status", "score"]].itertuples(index=False):
        outputs[links.badge(row.product, row.repository)] = render_badge(
            label, _value(t, row.status, row.score), STATUS_COLOURS[row.status]
        )
    return outputs
