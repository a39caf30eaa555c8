"""`os2scan scans`: the history of scans in the database."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scanner.cli.common import db_option
from scanner.store import Store

COLUMNS = ("id", "started_at", "finished_at", "status", "portfolio", "policy", "tool_version")


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
def scans(db_path: Path | str, as_json: bool) -> None:
    """List the scans stored in the database, oldest first."""
    with Store.open(db_path, read_only=True) as store:
        records = store.list_scans()
    rows = [{c: getattr(r, c) for c in COLUMNS} for r in records]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No scans yet.")
        return
    table = [COLUMNS, *[tuple("" if r[c] is None else str(r[c]) for c in COLUMNS) for r in rows]]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    for row in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
