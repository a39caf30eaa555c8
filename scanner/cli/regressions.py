"""`os2scan regressions`: which products turned non-compliant since the previous scan, as the
text of an issue for the scheduled publish workflows to open."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.cli.common import chosen_scan, db_option, scan_option, write_output
from scanner.store import Store


@click.command()
@scan_option("judge")
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
def regressions(
    scan_id: int | None, db_path: Path | str, site_url: str | None, output: Path
) -> None:
    """Compare a scan with the one before it of the same portfolio and write an issue naming
    the products that turned non-compliant, with their new errors."""
    from reports.regressions import find_regressions, issue_body

    with Store.open(db_path, read_only=True) as store:
        chosen = chosen_scan(store, scan_id, db_path)
        before = store.previous_scan_id(chosen)
        if before is None:
            click.echo(f"Scan {chosen} is the first of its portfolio: nothing to compare.")
            return
        result, previous = store.load_result(chosen), store.load_result(before)
    found = find_regressions(result, previous)
    if not found:
        click.echo(f"No product turned non-compliant between scan {before} and scan {chosen}.")
        return
    write_output(output, issue_body(found, result, previous, site_url))
    names = ", ".join(r.product for r in found)
    click.echo(f"Turned non-compliant since scan {before}: {names}; issue written to {output}")
