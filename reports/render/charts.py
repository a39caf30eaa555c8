"""Charts as inline SVG, drawn with matplotlib's SVG backend (no network, no display).

Each chart is returned as an `<svg>` element string to embed in a page, with a `<title>` for
screen readers. Element ids are salted per chart so several charts can share a page.
"""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

#: status colours, readable on white and for the common colour-vision deficiencies
STATUS_COLOURS = {
    "non-compliant": "#b3261e",
    "warnings": "#8a5a00",
    "compliant": "#1b6e3a",
    "failed": "#5f6368",
    "not-scanned": "#5f6368",
}
BAR_COLOUR = "#1f4e79"
MAX_LICENCES = 12
#: leave out matplotlib's <metadata> block (it holds the time of drawing)
_NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


def _svg(figure: Figure, salt: str, title: str) -> str:
    buffer = io.StringIO()
    with plt.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata=_NO_METADATA)
    plt.close(figure)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # scale with the page: keep the viewBox, drop the fixed size
    text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", text, count=1)
    safe = title.replace("&", "&amp;").replace("<", "&lt;")
    return text.replace("<svg", f'<svg role="img" aria-label="{safe}" class="chart"', 1).replace(
        ">", f"><title>{safe}</title>", 1
    )


def _figure(height: float) -> tuple[Figure, Axes]:
    with plt.rc_context({"font.size": 10, "font.family": "DejaVu Sans"}):
        figure, axes = plt.subplots(figsize=(6.4, height))
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def licence_chart(licenses: pd.DataFrame, title: str, files_label: str, none_label: str) -> str:
    """Horizontal bars: files per SPDX id, the most common first; files without a licence
    are labelled `none_label`, as the tables of the same report say it."""
    top = licenses.head(MAX_LICENCES).iloc[::-1]
    figure, axes = _figure(0.35 * max(len(top), 2) + 0.8)
    labels = top["license_id"].astype(str).replace({"none": none_label})
    axes.barh(labels, top["files"], color=BAR_COLOUR)
    axes.set_xlabel(files_label)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # files come whole
    for y, value in enumerate(top["files"]):
        axes.annotate(str(int(value)), (value, y), xytext=(3, 0), textcoords="offset points",
                      va="center")  # fmt: skip
    return _svg(figure, "licences", title)


def score_chart(products: pd.DataFrame, title: str, score_label: str) -> str:
    """Horizontal bars: each product's score, coloured by status."""
    frame = products.iloc[::-1]
    scores = frame["score"].astype("Float64").fillna(0).astype(float)
    colours = frame["status"].map(STATUS_COLOURS).fillna(BAR_COLOUR)
    figure, axes = _figure(0.35 * max(len(frame), 2) + 0.8)
    axes.barh(frame["product"].astype(str), scores, color=list(colours))
    axes.set_xlim(0, 100)
    axes.set_xlabel(score_label)
    for y, (value, raw) in enumerate(zip(scores, frame["score"], strict=True)):
        label = "–" if pd.isna(raw) else str(int(value))
        axes.annotate(label, (value, y), xytext=(3, 0), textcoords="offset points", va="center")
    return _svg(figure, "scores", title)


def trend_chart(trend: pd.DataFrame, title: str, scan_label: str, score_label: str) -> str:
    """One line per product: its score in each scan."""
    table = trend.pivot_table(index="scan", columns="product", values="score", aggfunc="mean")
    figure, axes = _figure(2.8)
    for product in table.columns:
        axes.plot(table.index.astype(str), table[product].astype(float), marker="o",
                  label=str(product))  # fmt: skip
    axes.set_ylim(0, 105)
    axes.set_xlabel(scan_label)
    axes.set_ylabel(score_label)
    if len(table.columns):
        axes.legend(loc="lower left", fontsize=8, frameon=False)
    return _svg(figure, "trend", title)
