"""The `os2scan` command line: a click group with one module per command.

Commands are thin: they parse, call the library, print and choose the exit code. Errors the
library raises (`scanner.kernel.errors.Os2scanError`) become one line on stderr and the exit
code the README documents, here, in one place, so no command can leak a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from scanner import __version__
from scanner.analysis.index import index_loaded
from scanner.cli import logs
from scanner.cli.check import check
from scanner.cli.collect import collect
from scanner.cli.common import exit_now, run_guarded
from scanner.cli.discover import discover
from scanner.cli.regressions import regressions
from scanner.cli.report import report
from scanner.cli.rules import rules
from scanner.cli.scan import scan
from scanner.cli.scans import prune, scans

#: the environment variables os2scan reads, shown at the end of `os2scan --help`
ENVIRONMENT = (
    ("GITHUB_TOKEN", "token for the GitHub API and for cloning (never printed or stored)"),
    ("GITLAB_TOKEN", "token for the GitLab API and for cloning (never printed or stored)"),
    ("GITHUB_API_URL", "GitHub (Enterprise) API base, default https://api.github.com"),
    ("GITLAB_URL", "GitLab instance, default https://gitlab.com"),
    ("OS2SCAN_DB", "the database: a SQLite file or a postgresql:// URL (--db)"),
    ("OS2SCAN_POLICY", "the policy file or built-in policy name (--policy)"),
    ("OS2SCAN_KEEP_SCANS", "how many scans of each portfolio and kind to keep (--keep)"),
    ("OS2SCAN_NO_WAIT", "fail fast on forge rate limits (--no-wait)"),
    ("OS2SCAN_DASK", "the Dask scheduler to detect on (scan --dask)"),
    ("NO_COLOR", "no colours on a terminal"),
    ("CI", "set by CI systems: no progress bar and no colours"),
)
EPILOG = "\b\nEnvironment variables:\n" + "\n".join(
    f"  {name:<19} {what}" for name, what in ENVIRONMENT
)

def _print_detector_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from scanner.analysis.detect import detector_version

        click.echo(detector_version())
        ctx.exit(0)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(__version__, prog_name="os2scan")
@click.option("--detector-version", is_flag=True, is_eager=True, expose_value=False,
              callback=_print_detector_version,
              help="Print what detection results are cached under (scancode, its licence index "
              "and os2scan's own detection logic) and exit; CI keys its cache on it.")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="More log output on stderr: -v progress and phase timings, -vv debug, -vvv "
    "libraries too (also after the command).",
)
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """os2scan: licence and ownership compliance for OS2's open-source portfolio."""
    logs.start(ctx, verbose)


cli.add_command(scan)
cli.add_command(check)
cli.add_command(rules)
cli.add_command(discover)
cli.add_command(collect)
cli.add_command(report)
cli.add_command(scans)
cli.add_command(regressions)
cli.add_command(prune)
logs.add_to_every_command(cli)


def main(args: Sequence[str] | None = None) -> None:
    """Run the command line with `args` (default: the process's). Always raises SystemExit."""
    run_guarded(cli, args)


def console() -> None:
    """The `os2scan` program (and `python -m scanner`): `main`, ending the process quickly
    when scancode's licence index is in memory.

    Python frees every object at exit; for a loaded licence index (millions of objects, over
    a gigabyte) that takes about a third of a second, a tenth of a small repository's cold
    check, and nothing needs it. When the command is done, its output flushed and the exit
    handlers run (logging, the worker pool's, the removal of scancode's temporary folder),
    the process ends without that teardown. `main` itself never does this: tests and other
    callers run it inside their own process.
    """
    try:
        main()
    except SystemExit as done:
        if index_loaded():
            exit_now(done)
        raise
