"""CSV tables: products.csv, repositories.csv, violations.csv and files.csv (DESIGN.md).

UTF-8 with a header row; lists (declared licences, holders) are joined with "; ".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reports.summary import (
    FILE_COLUMNS,
    PRODUCT_COLUMNS,
    REPOSITORY_COLUMNS,
    VIOLATION_COLUMNS,
)


def _join_lists(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list)).any():
            out[column] = out[column].map(lambda v: "; ".join(v) if isinstance(v, list) else v)
    return out


def tables(report: Any) -> dict[str, pd.DataFrame]:
    """The four tables, with the columns they are written with."""
    s = report.summary
    return {
        "products": _join_lists(s.products[PRODUCT_COLUMNS]),
        "repositories": s.repositories[REPOSITORY_COLUMNS],
        "violations": s.violations[VIOLATION_COLUMNS],
        "files": s.files[FILE_COLUMNS],
    }


def csv_files(report: Any) -> dict[str, str | bytes]:
    return {f"{name}.csv": frame.to_csv(index=False) for name, frame in tables(report).items()}
