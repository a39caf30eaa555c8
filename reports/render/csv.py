"""CSV tables: products.csv, repositories.csv, violations.csv, files.csv, content.csv and
components.csv (see docs/architecture.md, "Output contracts").

UTF-8 with a header row of machine column names (the same in every language, so scripts can
rely on them); lists (declared licences, holders) are joined with "; ". A text cell
that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return: a file named `=HYPERLINK(...)`, a holder `@SUM(...)`) gets a leading apostrophe, as
OWASP recommends against CSV injection; the rest of the text is kept as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from reports.components import COMPONENT_COLUMNS, component_rows
from reports.summary import (
    FILE_COLUMNS,
    PRODUCT_COLUMNS,
    REPOSITORY_COLUMNS,
    VIOLATION_COLUMNS,
)

if TYPE_CHECKING:
    from reports.report import Report


def join_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with list values written as "a; b"."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list)).any():
            out[column] = out[column].map(lambda v: "; ".join(v) if isinstance(v, list) else v)
    return out


def tables(report: Report) -> dict[str, pd.DataFrame]:
    """The tables, with the columns they are written with."""
    s = report.summary
    return {
        "products": join_lists(s.products[PRODUCT_COLUMNS]),
        "repositories": s.repositories[REPOSITORY_COLUMNS],
        "violations": s.violations[VIOLATION_COLUMNS],
        "files": s.files[FILE_COLUMNS],
        "content": s.content,
        "components": pd.DataFrame(component_rows(report.result), columns=list(COMPONENT_COLUMNS)),
    }


#: What makes a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet will show as text, never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> str:
    """The one way os2scan writes a table as CSV: with formula-like cells neutralised."""
    safe = frame.astype(object).map(neutralise)
    safe.columns = [neutralise(c) for c in frame.columns]
    return str(safe.to_csv(index=False))


def csv_files(report: Report) -> dict[str, str | bytes]:
    return {f"{name}.csv": to_csv(frame) for name, frame in tables(report).items()}
