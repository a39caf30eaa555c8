"""`os2scan scan`: collect, analyse, evaluate and store a whole portfolio, then report it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from reports.render.json import scan_dict
from reports.render.text import summary_line
from reports.status import status_from_violations
from rules.engine import evaluate
from rules.policy import load_policy
from scanner.analysis.analyse import AnalysisOptions
from scanner.cli.common import (
    db_option,
    exit_code_for,
    fail_on_option,
    format_option,
    jobs_option,
    keep_option,
    no_wait_option,
    policy_option,
    quiet_option,
    retry_incomplete_option,
    workspace_option,
)
from scanner.cli.terminal import TerminalProgress, paint
from scanner.kernel.errors import InputError
from scanner.kernel.limits import DETECTION_BUDGET
from scanner.kernel.models import ScanKind, ScanResult
from scanner.kernel.redact import printable
from scanner.pipeline import PolicyInfo, ScanOptions, run_scan
from scanner.portfolio import load_portfolio
from scanner.store import Store

#: The portfolio `os2scan scan` uses when given none: small sample projects, scanned offline.
DEMO_PORTFOLIO = Path(__file__).resolve().parents[1] / "demo" / "portfolio.yaml"


@click.command()
@click.argument("portfolio", required=False, type=click.Path(path_type=Path))
@policy_option
@db_option
@workspace_option
@jobs_option
@click.option("--timeout", type=click.FloatRange(min=1), default=DETECTION_BUDGET,
              show_default=True,
              help="Seconds of detection per file before it is recorded as incomplete.")
@retry_incomplete_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write every report format into this folder.")
@click.option("--lang", type=click.Choice(["da", "en"]), default=None,
              help="Language of the HTML and Markdown reports (default: da for the OS2 policy).")
@click.option("--dask", "scheduler", default=None, envvar="OS2SCAN_DASK", metavar="ADDRESS|FILE",
              help="Detect on a Dask cluster: its scheduler (tcp://HOST:PORT) or scheduler "
              "file. --jobs then sets the detector processes of each worker (default 1).")
@click.option("--batch-files", type=click.IntRange(min=1), default=40, show_default=True,
              help="Files per detection batch sent to a Dask worker.")
@click.option("--plan-window", type=click.IntRange(min=1), default=200, show_default=True,
              help="Repositories whose missing files are detected together on a Dask cluster "
              "before they are stored (smaller: finished repositories are stored sooner).")
@no_wait_option
@fail_on_option("never")
@keep_option
@format_option
@quiet_option
def scan(
    portfolio: Path | None,
    policy: str | None,
    db_path: Path | str,
    workspace: Path,
    jobs: int,
    timeout: float,
    retry_incomplete: bool,
    out: Path | None,
    lang: str | None,
    scheduler: str | None,
    batch_files: int,
    plan_window: int,
    no_wait: bool,
    fail_on: str,
    keep: int | None,
    output_format: str,
    quiet: bool,
) -> None:
    """Scan a PORTFOLIO file (default: the bundled demo portfolio, offline)."""
    portfolio_path = portfolio or DEMO_PORTFOLIO
    if not portfolio_path.exists():
        raise InputError("no such portfolio file", source=str(portfolio_path))
    loaded = load_portfolio(portfolio_path)
    loaded_policy = load_policy(policy)
    today = dt.date.today()
    progress = TerminalProgress.for_terminal(quiet)
    detector = _cluster_detector(scheduler, jobs, timeout, batch_files) if scheduler else None
    try:
        store = Store.open(db_path)
    except BaseException:
        if detector is not None:
            detector.close()
        raise
    with store:
        try:
            result = run_scan(
                loaded.specs,
                store,
                lambda repo: evaluate(repo, loaded_policy, today),
                portfolio=loaded.name or str(portfolio_path),
                policy=PolicyInfo(loaded_policy.name, loaded_policy.source, loaded_policy.terms),
                options=ScanOptions(workspace=workspace, jobs=jobs, timeout=timeout,
                                    no_wait=no_wait, plan_window=plan_window,
                                    retry_incomplete=retry_incomplete,
                                    analysis=AnalysisOptions(curations=loaded_policy.components)),
                progress=progress,
                detector=detector,
            )
        finally:
            progress.close()
        if keep is not None:
            store.prune(keep, ScanKind.PORTFOLIO)
        if out is not None:
            from reports.write import write_reports
            from scanner.cli.report import load_history

            history = load_history(store, result.scan_id or 0)
            previous = history[-1] if history else None
            write_reports(result, previous, out, lang=lang, history=history)
    if output_format == "json":
        click.echo(json.dumps({
            "scan": scan_dict(result),
            "products": product_rows(result),
            "summary": summary_line(result),
            "reports": str(out) if out is not None else None,
        }, indent=2, ensure_ascii=False))  # fmt: skip
        raise SystemExit(exit_code_for(result, fail_on))
    click.echo(product_table(result))
    click.echo(summary_line(result))
    if out is not None:
        click.echo(f"Reports written to {out}/ (open {out}/index.html)")
    raise SystemExit(exit_code_for(result, fail_on))


def _cluster_detector(scheduler: str, jobs: int, timeout: float, batch_files: int) -> Any:
    """Connect to the Dask cluster (the `cluster` extra is imported only when asked for)."""
    from scanner.cluster.batches import BatchLimits
    from scanner.cluster.client import ClusterDetector, ClusterOptions

    return ClusterDetector.connect(ClusterOptions(
        scheduler=scheduler,
        limits=BatchLimits(files=batch_files),
        jobs_per_worker=jobs or 1,
        timeout=timeout,
    ))


def product_rows(result: ScanResult) -> list[dict[str, object]]:
    """Per product: repositories scanned of all, unwaived errors and warnings, status."""
    rows: list[dict[str, object]] = []
    for product in sorted({r.checkout.spec.product for r in result.repositories}):
        repos = [r for r in result.repositories if r.checkout.spec.product == product]
        found = [v for v in result.violations if v.product == product and not v.waived]
        scanned = [r for r in repos if r.checkout.ok]
        rows.append({
            "product": product,
            "repositories": len(repos),
            "scanned": len(scanned),
            "errors": sum(v.severity.value == "error" for v in found),
            "warnings": sum(v.severity.value == "warning" for v in found),
            "status": status_from_violations(found) if scanned else "not-scanned",
        })  # fmt: skip
    return rows


def product_table(result: ScanResult) -> str:
    """A plain-text table, one line per product: repositories, errors, warnings, status (in
    its colour on a terminal)."""
    rows = [("product", "repositories", "errors", "warnings", "status")]
    for product in product_rows(result):
        rows.append((
            printable(str(product["product"])),
            f"{product['scanned']}/{product['repositories']}",
            str(product["errors"]),
            str(product["warnings"]),
            str(product["status"]),
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        if index:
            cells[-1] = paint(row[-1])
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
