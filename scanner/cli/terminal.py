"""What os2scan draws on a terminal: a progress bar with percentage and time left while
`scan` and `check` run, and colours, both only for a person at a terminal.

No bar is drawn in CI (the `CI` variable is set), into a pipe or a file, or with `--quiet`;
colours are left out there too and whenever `NO_COLOR` is set (https://no-color.org).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, TextIO

import click

from scanner.kernel.models import RepoScan
from scanner.kernel.redact import printable
from scanner.pipeline import Progress

if TYPE_CHECKING:  # rich is imported when a bar is drawn: a CI run or --quiet never needs it
    from rich.progress import Progress as Bar
    from rich.progress import TaskID

#: status and severity words and their colours
COLOURS = {
    "error": "red",
    "non-compliant": "red",
    "failed": "red",
    "warning": "yellow",
    "warnings": "yellow",
    "info": "cyan",
    "compliant": "green",
    "not-scanned": "bright_black",
}


def interactive(stream: TextIO) -> bool:
    """A person is watching `stream`: it is a terminal and this is not a CI job."""
    return stream.isatty() and not os.environ.get("CI")


def colour_on(stream: TextIO) -> bool:
    return interactive(stream) and "NO_COLOR" not in os.environ


def paint(word: str, stream: TextIO | None = None) -> str:
    """`word` in its colour (COLOURS) when `stream` (stdout) shows colours, else as it is."""
    colour = COLOURS.get(word)
    if colour is None or not colour_on(stream or sys.stdout):
        return word
    return click.style(word, fg=colour)


class TerminalProgress(Progress):
    """A progress bar on stderr: repositories done, the current one's files as a fraction of
    the next, the percentage, the time taken and the time left."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.total = 0
        self.done = 0
        self.current = ""
        self._bar: Bar | None = None
        self._task: TaskID | None = None

    @classmethod
    def for_terminal(cls, quiet: bool) -> TerminalProgress:
        return cls(enabled=interactive(sys.stderr) and not quiet)

    def _update(self, completed: float, text: str) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            console = Console(stderr=True, no_color="NO_COLOR" in os.environ)
            self._bar = Bar(
                TextColumn("[{task.fields[step]}]"),
                TextColumn("{task.description}", style="bold"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=max(self.total, 1), step="")
        assert self._task is not None
        step = f"{min(self.done + 1, max(self.total, 1))}/{max(self.total, self.done + 1)}"
        self._bar.update(
            self._task,
            completed=completed,
            total=max(self.total, self.done + 1),
            description=text[:60],
            step=step,
        )

    def repositories_found(self, total: int) -> None:
        self.total = total

    def repository_started(self, name: str) -> None:
        self.current = printable(name)
        self._update(self.done, name)

    def files(self, done: int, total: int) -> None:
        share = done / total if total else 0.0
        self._update(self.done + share, f"{self.current}: {done}/{total} files")

    def repository_done(self, repo: RepoScan) -> None:
        self.done += 1
        self._update(self.done, printable(repo.checkout.name))
        if not repo.checkout.ok:
            name, error = printable(repo.checkout.name), printable(repo.checkout.error or "")
            self._print(f"os2scan: {name}: {error}")

    def message(self, text: str) -> None:
        self._update(self.done, printable(text))

    def notice(self, text: str) -> None:
        self._print(f"os2scan: {printable(text)}")

    def _print(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            click.echo(text, err=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
