"""`os2scan discover`: list the repositories of GitHub organisations and GitLab groups and write
(or update) a portfolio file that groups them into products."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.cli.common import no_wait_option
from scanner.collectors.forge import configure as configure_forges
from scanner.kernel.models import SourceKind


@click.command()
@click.option(
    "--github-org",
    "github_orgs",
    multiple=True,
    metavar="ORG",
    help="A GitHub organisation (or user) to list; repeatable.",
)
@click.option(
    "--gitlab-group",
    "gitlab_groups",
    multiple=True,
    metavar="GROUP",
    help="A GitLab group to list, subgroups included; repeatable.",
)
@click.option(
    "--github-api-url",
    default=None,
    metavar="URL",
    help="GitHub API base (default: GITHUB_API_URL, else https://api.github.com); "
    "written into the new entries.",
)
@click.option(
    "--gitlab-url",
    default=None,
    metavar="URL",
    help="GitLab instance (default: GITLAB_URL, else https://gitlab.com); "
    "written into the new entries.",
)
@click.option("--forks", is_flag=True, help="Include forks.")
@click.option("--archived", is_flag=True, help="Include archived repositories.")
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Leave out repositories whose name or full path matches; repeatable.",
)
@click.option("--name", default=None, help="The portfolio's name (default: kept, or 'Portfolio').")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The portfolio file to write or update (default: print it).",
)
@click.option(
    "--update",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Update this portfolio file: list its `discover` sources again, ask the forge about "
    "each of its entries, keep its comments.",
)
@no_wait_option
def discover(
    github_orgs: tuple[str, ...],
    gitlab_groups: tuple[str, ...],
    github_api_url: str | None,
    gitlab_url: str | None,
    forks: bool,
    archived: bool,
    exclude: tuple[str, ...],
    name: str | None,
    output: Path | None,
    update: Path | None,
    no_wait: bool,
) -> None:
    """List repositories and write a portfolio grouped into products.

    A repository's product is its publiccode.yml `applicationSuite` (else `name`), else its
    organisation or group. An existing OUTPUT file keeps its entries and comments: new
    repositories are added, and those the forge no longer has (or has archived) are marked
    `status: vanished` (or `status: archived`) and named on stderr. With --update FILE, the
    organisations and groups the file remembers under `discover` are listed again and every
    entry of the file is looked up on its forge.
    """
    if update is not None and output is not None:
        raise click.UsageError("give --update FILE or --output FILE, not both")
    if update is not None and not update.is_file():
        raise click.UsageError(f"--update: {update} is not a portfolio file")
    if update is None and not github_orgs and not gitlab_groups:
        raise click.UsageError("give at least one --github-org or --gitlab-group, or --update")
    # Imported here: the forge clients take a few hundred milliseconds to import, which every
    # other command would pay at start-up.
    from scanner.discover import (
        Filters,
        Found,
        check_entry,
        discover_github_org,
        discover_gitlab_group,
        entry_key,
        merge,
        read_document,
        remember_sources,
        render,
        source_entry,
    )
    from scanner.portfolio import load_portfolio

    configure_forges(
        no_wait=no_wait, notify=lambda message: click.echo(f"os2scan: {message}", err=True)
    )
    target = update or output
    existing = read_document(target) if target is not None else None
    filters = Filters(include_forks=forks, include_archived=archived, exclude=exclude)
    sources = [(SourceKind.GITHUB_ORG, org, github_api_url, filters) for org in github_orgs] + [
        (SourceKind.GITLAB_GROUP, g.strip("/"), gitlab_url, filters) for g in gitlab_groups
    ]
    new_sources = [source_entry(kind, name_, url, f) for kind, name_, url, f in sources]
    if update is not None:
        sources += [
            (s.kind, s.locator, s.api_url, Filters.of(s)) for s in load_portfolio(update).discover
        ]
    found: list[Found] = []
    searched: list[tuple[SourceKind, str]] = []
    for kind, locator, url, source_filters in dict.fromkeys(sources):
        if kind is SourceKind.GITHUB_ORG:
            found += discover_github_org(locator, api_url=url, filters=source_filters)
        else:
            found += discover_gitlab_group(locator, url=url, filters=source_filters)
        searched.append((kind, locator))
    checked: dict[tuple[SourceKind, str, str | None], str | None] = {}
    if update is not None and existing is not None:
        for product in existing.get("products") or []:
            for entry in product.get("repositories") or []:
                key = entry_key(entry)
                if key is not None and key not in checked:
                    checked[key] = check_entry(*key)
    merged = merge(existing, found, searched, name=name, checked=checked)
    remember_sources(merged.document, new_sources)
    text = render(merged.document, new=existing is None)
    if target is None:
        click.echo(text, nl=False)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for entry, status in merged.marked:
        reason = "no longer on the forge" if status == "vanished" else "archived on the forge"
        click.echo(f"os2scan: marked {entry} {status}: {reason}", err=True)
    listed = [f for f in found if not f.archived]
    vanished = sum(1 for _, status in merged.marked if status == "vanished")
    click.echo(
        f"{len(listed)} repositories found: {len(merged.added)} added, {vanished} vanished, "
        f"{len(merged.marked) - vanished} archived, {merged.kept} already in the portfolio"
        + (f"; written to {target}" if target is not None else ""),
        err=True,
    )
