"""What every command shares: the error boundary, exit codes, options and progress output."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from scanner.kernel.errors import InputError, Os2scanError
from scanner.kernel.models import ScanKind, ScanResult, Severity
from scanner.kernel.paths import DEFAULT_WORKSPACE, default_database
from scanner.kernel.redact import printable, redact
from scanner.postgres import is_database_url

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_NOT_SCANNED = 3

FAIL_ON_LEVELS = ("error", "warning", "info", "never")

log = logging.getLogger("scanner.cli")


def run_guarded(command: click.Command, args: Sequence[str] | None = None) -> None:
    """Run the click command; turn every expected error into one line and its exit code.

    Always ends with SystemExit, so tests can call it with `args` and read the code."""
    try:
        command.main(args=list(args) if args is not None else None, standalone_mode=False,
                     prog_name="os2scan")
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"os2scan: {printable(redact(exc.format_message()))}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.Abort:
        click.echo("os2scan: interrupted", err=True)
        sys.exit(130)
    except Os2scanError as exc:
        click.echo(f"os2scan: {printable(redact(str(exc)))}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("os2scan: interrupted; finished repositories and files are stored", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except SystemExit:
        raise
    except Exception as exc:
        log.debug("internal error", exc_info=True)
        message = redact(f"{type(exc).__name__}: {exc}".splitlines()[0])
        click.echo(f"os2scan: internal error: {message} (run with -v for details)", err=True)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_OK)


def exit_now(done: SystemExit) -> NoReturn:
    """End the process with `done`'s exit code after the exit handlers, without freeing
    every object first (see `scanner.cli.console`)."""
    code = done.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code or 0)


class DatabaseParam(click.ParamType):  # type: ignore[type-arg]  # generic only in click stubs
    """A SQLite file path, or a `postgresql://` URL kept as text."""

    name = "PATH|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Path) or is_database_url(value):
            return value
        return click.Path(dir_okay=False, path_type=Path).convert(value, param, ctx)


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=DatabaseParam(),
        default=default_database,
        show_default="os2scan.sqlite in the user's cache folder",
        envvar="OS2SCAN_DB",
        help="The database of scans and the detection cache: a SQLite file, or a "
        "postgresql://user@host:port/name URL (the password from PGPASSWORD or ~/.pgpass).",
    )(func)


def scan_option(verb: str) -> Callable[[F], F]:
    """`--scan ID`: which stored scan a command works on (default: the latest complete
    portfolio scan)."""
    return click.option(
        "--scan",
        "scan_id",
        type=int,
        default=None,
        help=f"The scan to {verb} (default: the latest complete portfolio scan).",
    )


def chosen_scan(
    store: Any,
    scan_id: int | None,
    db_path: Path | str,
    kind: ScanKind | None = ScanKind.PORTFOLIO,
) -> int:
    """`scan_id`, or the latest complete scan of `kind` (a portfolio scan unless None: any)
    in the database; one line when there is none."""
    chosen = scan_id if scan_id is not None else store.latest_scan_id(kind=kind)
    if chosen is None:
        what = "scan" if kind is None else f"{kind.value} scan"
        raise InputError(f"the database holds no complete {what}", source=str(db_path))
    return int(chosen)


def database_files(db_path: Path | str) -> tuple[Path, ...]:
    """The database file and the journal files SQLite keeps beside it, as absolute paths
    (none for a PostgreSQL URL)."""
    if is_database_url(db_path):
        return ()
    main = Path(os.path.realpath(db_path))
    return (main, *(main.with_name(main.name + s) for s in ("-wal", "-shm", "-journal")))


def write_output(path: Path, content: str | bytes) -> None:
    """Write a report the user named; a failure (a full disk, /dev/full, a folder in the way)
    is one line and exit 2."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot write the output: {exc.strerror or exc}", source=str(path)
        ) from None


def format_option(func: F) -> F:
    """The one `--format text|json` of every command that prints data."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Print as a table for people or as JSON for scripts.",
    )(func)


def keep_option(func: F) -> F:
    """How many finished scans of each portfolio (and check runs of each folder) to keep."""
    return click.option(
        "--keep",
        type=click.IntRange(min=1),
        default=None,
        envvar="OS2SCAN_KEEP_SCANS",
        show_envvar=True,
        help="Keep only this many newest scans of each portfolio and kind; older ones are "
        "pruned after the run (default: keep all).",
    )(func)


def workspace_option(func: F) -> F:
    return click.option(
        "--workspace",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_WORKSPACE,
        show_default=True,
        help="Where repositories are cloned.",
    )(func)


def no_wait_option(func: F) -> F:
    return click.option(
        "--no-wait", is_flag=True, help="Fail fast on forge rate limits instead of waiting."
    )(func)


def policy_option(func: F) -> F:
    return click.option(
        "--policy",
        default=None,
        envvar="OS2SCAN_POLICY",
        help="A policy file, or a built-in policy name (default: os2).",
    )(func)


def jobs_option(func: F) -> F:
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=0,
        show_default="all cores",
        help="Detection worker processes (0: one per core).",
    )(func)


def fail_on_option(default: str) -> Callable[[F], F]:
    return click.option(
        "--fail-on",
        type=click.Choice(FAIL_ON_LEVELS),
        default=default,
        show_default=True,
        help="Exit 1 when an unwaived violation at or above this severity remains.",
    )


def retry_incomplete_option(func: F) -> F:
    return click.option(
        "--retry-incomplete",
        is_flag=True,
        help="Detect again the files an earlier scan left not fully checked (a timeout, an "
        "error); otherwise only a larger --timeout retries a timeout.",
    )(func)


def quiet_option(func: F) -> F:
    return click.option("--quiet", "-q", is_flag=True, help="No progress output.")(func)


def exit_code_for(result: ScanResult, fail_on: str) -> int:
    """The documented exit codes (README, "Exit codes"): 3 when a repository could not be
    scanned (an incomplete scan proves nothing), else 1 when an unwaived violation at or above
    `fail_on` remains, else 0."""
    if result.failed:
        return EXIT_NOT_SCANNED
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on).rank
    if any(not v.waived and v.severity.rank >= threshold for v in result.violations):
        return EXIT_VIOLATIONS
    return EXIT_OK
