"""`os2scan check`: CI mode for one checkout; exit 1 on violations at or above --fail-on."""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import replace
from pathlib import Path

import click

from reports.render import DOCUMENT_FORMATS, OutputFormat, render_document
from reports.render.text import render_text, summary_line
from rules.baseline import apply_baseline, load_baseline, without_own_files, write_baseline
from rules.engine import evaluate
from rules.policy import load_policy
from scanner.analysis.analyse import AnalysisOptions
from scanner.analysis.inventory import is_tracked
from scanner.analysis.repo_config import read_repository_curations
from scanner.cli.common import (
    database_files,
    db_option,
    exit_code_for,
    fail_on_option,
    jobs_option,
    keep_option,
    policy_option,
    quiet_option,
    retry_incomplete_option,
    write_output,
)
from scanner.cli.terminal import TerminalProgress, colour_on, paint
from scanner.kernel.errors import InputError
from scanner.kernel.inputs import refuse_scan_root
from scanner.kernel.models import RepositorySpec, ScanKind, SourceKind
from scanner.pipeline import PolicyInfo, ScanOptions, run_scan
from scanner.store import Store

CHECK_FORMATS = tuple(fmt.value for fmt in DOCUMENT_FORMATS)


@click.command()
@click.argument("path", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@policy_option
@db_option
@jobs_option
@click.option("--format", "output_format", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="Report format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file and print only the summary.")
@click.option("--product", default=None,
              help="Product name to report (default: the folder's name).")
@fail_on_option("error")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Fail only on violations not in this baseline file; the ones "
              "in it are still reported, marked as waived by the baseline.")
@click.option("--write-baseline", "write_baseline_path", default=None,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Record today's unwaived violations in this baseline file (they then pass).")
@retry_incomplete_option
@keep_option
@click.option("--show-info", is_flag=True, default=False,
              help="List info findings in the text output too (they are always counted).")
@quiet_option
def check(
    path: Path,
    policy: str | None,
    db_path: Path | str,
    jobs: int,
    output_format: str,
    output: Path | None,
    product: str | None,
    fail_on: str,
    baseline_path: Path | None,
    write_baseline_path: Path | None,
    retry_incomplete: bool,
    keep: int | None,
    show_info: bool,
    quiet: bool,
) -> None:
    """Check one checkout at PATH (default: the current folder) against the policy."""
    refuse_scan_root(path)
    if not path.is_dir():
        raise InputError("no such folder", source=str(path))
    root = path.resolve()
    loaded_policy = load_policy(policy)
    read_repository_curations(root)  # a malformed .os2scan.yml is an input error: exit 2
    baseline = load_baseline(baseline_path) if baseline_path is not None else None
    today = dt.date.today()
    entry = root.name if str(path) in (".", "") else str(path)
    spec = RepositorySpec(
        product=product or root.name, kind=SourceKind.PATH, locator=str(root), entry=entry
    )
    database = database_files(db_path)
    if database and is_tracked(root, database[0]):
        raise InputError(
            "the database is part of the repository being checked; a repository cannot "
            "vouch for itself: use a database outside it (the default) or an untracked file",
            source=str(db_path),
        )
    progress = TerminalProgress.for_terminal(quiet)
    with Store.open(db_path) as store:
        try:
            result = run_scan(
                [spec],
                store,
                lambda repo: evaluate(repo, loaded_policy, today),
                portfolio=f"check:{root.name}",
                policy=PolicyInfo(loaded_policy.name, loaded_policy.source, loaded_policy.terms),
                options=ScanOptions(
                    jobs=jobs,
                    analysis=AnalysisOptions(
                        own_files=frozenset(map(str, database)),
                        curations=loaded_policy.components,
                    ),
                    retry_incomplete=retry_incomplete,
                ),
                progress=progress,
                kind=ScanKind.CHECK,
            )
        finally:
            progress.close()
        if keep is not None:
            store.prune(keep, ScanKind.CHECK)
    own_files = (baseline_path, write_baseline_path, output, *database)
    result = replace(result, violations=without_own_files(result.violations, root, own_files))
    if write_baseline_path is not None and not result.failed:
        count = write_baseline(write_baseline_path, result.violations)
        if not quiet:
            click.echo(f"os2scan: wrote {count} violations to {write_baseline_path}", err=True)
        baseline = load_baseline(write_baseline_path)
    if baseline is not None:
        result = replace(result, violations=apply_baseline(result.violations, baseline))
        note = baseline.stale_note(result.violations)
        if note and not quiet and write_baseline_path is None:
            click.echo(f"os2scan: {note}", err=True)
    if output_format == "text":
        report = render_text(result, show_info=show_info)
    else:
        report = render_document(OutputFormat(output_format), result)
    if output is not None:
        write_output(output, report)
        if not quiet:
            click.echo(summary_line(result), err=output_format != "text")
    else:
        if output_format == "text":
            report = _coloured(report)
        click.echo(report, nl=not report.endswith("\n"))
    raise SystemExit(exit_code_for(result, fail_on))


_SEVERITY_WORD = re.compile(r"^(.*?: )(error|warning|info)( )", re.MULTILINE)


def _coloured(text: str) -> str:
    """The text report with each finding's severity in its colour, on a terminal."""
    if not colour_on(sys.stdout):
        return text
    return _SEVERITY_WORD.sub(lambda m: m.group(1) + paint(m.group(2)) + m.group(3), text)
