"""`os2scan report`: render a stored scan into a folder of reports."""

from __future__ import annotations

from pathlib import Path

import click

from reports.i18n import LANGUAGES
from reports.render import DEFAULT_REPORT_FORMATS, OutputFormat
from scanner.cli.common import chosen_scan, db_option, scan_option
from scanner.kernel.models import ScanKind, ScanResult
from scanner.store import Store

#: how many earlier scans the trend chart shows
HISTORY = 10


def load_history(store: Store, scan_id: int) -> list[ScanResult]:
    """Up to HISTORY earlier complete scans of the same portfolio, oldest first."""
    earlier: list[ScanResult] = []
    current = store.previous_scan_id(scan_id)
    while current is not None and len(earlier) < HISTORY:
        earlier.append(store.load_result(current))
        current = store.previous_scan_id(current)
    return earlier[::-1]


@click.command()
@scan_option("render")
@click.option(
    "--any-kind",
    is_flag=True,
    help="Let the latest scan be a check run too (`os2scan check`), not only a portfolio scan.",
)
@db_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write the reports into.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice([f.value for f in OutputFormat]),
    help="A format to write (repeatable; default: "
    + ", ".join(f.value for f in DEFAULT_REPORT_FORMATS)
    + ").",
)
@click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=None,
    help="Language of the reports (default: da for the OS2 policy, else en).",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="Print nothing when the reports are written (errors still)."
)
def report(
    scan_id: int | None,
    any_kind: bool,
    db_path: Path | str,
    out: Path,
    formats: tuple[str, ...],
    lang: str | None,
    quiet: bool,
) -> None:
    """Render a stored scan (see `os2scan scans`) into OUT."""
    from reports.write import write_reports

    with Store.open(db_path, read_only=True) as store:
        chosen = chosen_scan(store, scan_id, db_path, None if any_kind else ScanKind.PORTFOLIO)
        result = store.load_result(chosen)
        history = load_history(store, chosen)
    previous = history[-1] if history else None
    written = write_reports(result, previous, out, formats or None, lang, history=history)
    if quiet:
        return
    click.echo(f"Scan {chosen}: {len(written)} files written to {out}/")
    if (out / "index.html").exists():
        click.echo(f"Open {out / 'index.html'}")
