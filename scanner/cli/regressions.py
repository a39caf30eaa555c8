"""`os2scan regressions`: which products turned non-compliant since the previous scan, as the
text of an issue for the scheduled publish workflows to open."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.cli.common import db_option
from scanner.kernel.errors import InputError
from scanner.store import Store


@click.command()
@click.option(
    "--scan",
    "scan_id",
    type=int,
    default=None,
    help="The scan to judge (default: the latest complete scan).",
)
@db_option
@click.option(
    "--site-url",
    default=None,
    metavar="URL",
    help="Where the report is published; the issue links each product's page there.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Write the issue here (Markdown, its title as the first line) when a product turned "
    "non-compliant; nothing is written otherwise.",
)
def regressions(scan_id: int | None, db_path: Path, site_url: str | None, output: Path) -> None:
    """Compare a scan with the one before it of the same portfolio and write an issue naming
    the products that turned non-compliant, with their new errors."""
    from reports.regressions import find_regressions, issue_body

    if not db_path.is_file():
        raise InputError("no such database (run `os2scan scan` first)", source=str(db_path))
    with Store.open(db_path) as store:
        chosen = scan_id if scan_id is not None else store.latest_scan_id()
        if chosen is None:
            raise InputError("the database holds no complete scan", source=str(db_path))
        before = store.previous_scan_id(chosen)
        if before is None:
            click.echo(f"Scan {chosen} is the first of its portfolio: nothing to compare.")
            return
        result, previous = store.load_result(chosen), store.load_result(before)
    found = find_regressions(result, previous)
    if not found:
        click.echo(f"No product turned non-compliant between scan {before} and scan {chosen}.")
        return
    try:
        output.write_text(issue_body(found, result, previous, site_url), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the issue: {exc.strerror or exc}", str(output)) from exc
    names = ", ".join(r.product for r in found)
    click.echo(f"Turned non-compliant since scan {before}: {names}; issue written to {output}")
