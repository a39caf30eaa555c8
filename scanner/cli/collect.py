"""`os2scan collect`: clone or update every repository of a portfolio, without analysing them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scanner.cli.common import (
    EXIT_NOT_SCANNED,
    EXIT_OK,
    format_option,
    no_wait_option,
    workspace_option,
)
from scanner.collectors import collect as collect_entry
from scanner.collectors.forge import configure as configure_forges
from scanner.kernel.errors import InputError
from scanner.portfolio import load_portfolio


@click.command()
@click.argument("portfolio", type=click.Path(dir_okay=False, path_type=Path))
@workspace_option
@no_wait_option
@format_option
def collect(portfolio: Path, workspace: Path, no_wait: bool, output_format: str) -> None:
    """Clone or update every repository of PORTFOLIO in the workspace.

    Prints one line per repository (product, name, commit, path), or with `--format json` a
    list of `{product, repository, commit, path, error}`; a repository that cannot be
    collected is named with its error on stderr and makes the exit code 3.
    """
    if not portfolio.exists():
        raise InputError("no such portfolio file", source=str(portfolio))
    loaded = load_portfolio(portfolio)
    configure_forges(
        no_wait=no_wait, notify=lambda message: click.echo(f"os2scan: {message}", err=True)
    )
    failed = 0
    total = 0
    collected: list[dict[str, str | None]] = []
    for spec in loaded.specs:
        for checkout in collect_entry(spec, workspace):
            total += 1
            path = str(checkout.path) if checkout.path is not None else None
            collected.append(
                {
                    "product": spec.product,
                    "repository": checkout.name,
                    "commit": checkout.commit,
                    "path": path,
                    "error": checkout.error,
                }
            )
            if checkout.ok:
                if output_format == "text":
                    click.echo(f"{spec.product}\t{checkout.name}\t{checkout.commit}\t{path}")
            else:
                failed += 1
                click.echo(f"os2scan: {checkout.name}: {checkout.error}", err=True)
    if output_format == "json":
        click.echo(json.dumps(collected, indent=2, ensure_ascii=False))
    click.echo(f"{total - failed} of {total} repositories collected into {workspace}", err=True)
    raise SystemExit(EXIT_NOT_SCANNED if failed else EXIT_OK)
