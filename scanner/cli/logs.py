"""Logging for the command line: `-v` shows os2scan's own progress with timestamps and the
time each phase took, `-vv` its debug messages, `-vvv` every library's too.

Third-party loggers (matplotlib's font manager, binaryornot, the HTTP clients) stay at
WARNING unless `-vvv` asks for them, so `-v` is about os2scan. `-v` may be given before the
command or after it (`os2scan -v scan` and `os2scan scan -v` are the same), and counts add up.
"""

from __future__ import annotations

import logging
import sys

import click

#: os2scan's own top-level packages: their loggers are the ones -v and -vv open up
OWN_LOGGERS = ("scanner", "rules", "reports")
FORMAT = "%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
_COUNT = "os2scan.verbosity"


def configure(verbosity: int) -> None:
    """Route log records to stderr for this verbosity (0: warnings and errors only)."""
    logging.basicConfig(
        level=logging.DEBUG if verbosity >= 3 else logging.WARNING,
        format=FORMAT,
        datefmt=DATE_FORMAT,
        stream=sys.stderr,
        force=True,
    )
    own = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(own)
    # The HTTP clients log every retry; os2scan reports the outcome once, in one line.
    logging.getLogger("urllib3").setLevel(logging.DEBUG if verbosity >= 3 else logging.ERROR)


def _more(ctx: click.Context, _param: click.Parameter, value: int) -> None:
    if value:
        total = ctx.meta.get(_COUNT, 0) + value
        ctx.meta[_COUNT] = total
        configure(total)


def start(ctx: click.Context, verbosity: int) -> None:
    """The group's own -v: configure logging before any command runs."""
    ctx.meta[_COUNT] = verbosity
    configure(verbosity)


def verbose_option() -> click.Option:
    """`-v/--verbose` for a subcommand; adds to the count given before the command."""
    return click.Option(
        ["-v", "--verbose"],
        count=True,
        expose_value=False,
        is_eager=True,
        callback=_more,
        help="More log output on stderr: -v progress and phase timings, -vv debug, -vvv "
        "libraries too.",
    )


def add_to_every_command(group: click.Group) -> None:
    """Give every command (and every command of a nested group) the -v option."""
    for command in group.commands.values():
        if not any(isinstance(p, click.Option) and "-v" in p.opts for p in command.params):
            command.params.append(verbose_option())
        if isinstance(command, click.Group):
            add_to_every_command(command)
