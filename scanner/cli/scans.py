"""`os2scan scans` and `os2scan prune`: the history of scans in the database."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scanner.cli.common import db_option, format_option
from scanner.kernel.errors import InputError
from scanner.kernel.models import ScanKind
from scanner.store import Store

COLUMNS = (
    "id", "kind", "started_at", "finished_at", "status", "portfolio", "policy", "tool_version",
)  # fmt: skip


def _open(db_path: Path | str) -> Store:
    if not Store.exists(db_path):
        raise InputError("no such database (run `os2scan scan` first)", source=str(db_path))
    return Store.open(db_path)


@click.command()
@db_option
@click.option("--all", "show_all", is_flag=True,
              help="Also list the check runs (`os2scan check`), not only portfolio scans.")
@format_option
@click.option("--json", "as_json", is_flag=True, hidden=True)
def scans(db_path: Path | str, show_all: bool, output_format: str, as_json: bool) -> None:
    """List the portfolio scans stored in the database, oldest first."""
    with Store.open(db_path, read_only=True) as store:
        records = store.list_scans(None if show_all else ScanKind.PORTFOLIO)
    rows = [
        {c: (getattr(r, c).value if c == "kind" else getattr(r, c)) for c in COLUMNS}
        for r in records
    ]
    if as_json or output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No scans yet.")
        return
    table = [COLUMNS, *[tuple("" if r[c] is None else str(r[c]) for c in COLUMNS) for r in rows]]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    for row in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


@click.command()
@db_option
@click.option("--keep", type=click.IntRange(min=1), required=True, envvar="OS2SCAN_KEEP_SCANS",
              show_envvar=True,
              help="How many newest scans of each portfolio (and check runs of each folder) "
              "to keep.")  # fmt: skip
@click.option("--kind", type=click.Choice([k.value for k in ScanKind]), default=None,
              help="Prune only portfolio scans or only check runs (default: both).")
@format_option
def prune(db_path: Path | str, keep: int, kind: str | None, output_format: str) -> None:
    """Delete old scans with their repositories, files and violations (the detection cache
    stays), keeping the newest KEEP of each portfolio."""
    with _open(db_path) as store:
        deleted = store.prune(keep, ScanKind(kind) if kind else None)
    if output_format == "json":
        click.echo(json.dumps({"deleted": deleted}))
    else:
        listed = f": {', '.join(map(str, deleted))}" if deleted else "."
        click.echo(f"Pruned {len(deleted)} scans{listed}")
