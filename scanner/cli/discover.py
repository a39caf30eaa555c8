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
    no_wait: bool,
) -> None:
    """List repositories and write a portfolio grouped into products.

    A repository's product is its publiccode.yml `applicationSuite` (else `name`), else its
    organisation or group. An existing OUTPUT file keeps its entries: new repositories are
    added, and those the forge no longer lists are dropped and reported on stderr.
    """
    if not github_orgs and not gitlab_groups:
        raise click.UsageError("give at least one --github-org or --gitlab-group")
    # Imported here: the forge clients take a few hundred milliseconds to import, which every
    # other command would pay at start-up.
    from scanner.discover import (
        Filters,
        Found,
        discover_github_org,
        discover_gitlab_group,
        merge,
        read_document,
        render,
    )

    configure_forges(
        no_wait=no_wait, notify=lambda message: click.echo(f"os2scan: {message}", err=True)
    )
    existing = read_document(output) if output is not None else None
    filters = Filters(include_forks=forks, include_archived=archived, exclude=exclude)
    found: list[Found] = []
    for org in github_orgs:
        found += discover_github_org(org, api_url=github_api_url, filters=filters)
    for group in gitlab_groups:
        found += discover_gitlab_group(group.strip("/"), url=gitlab_url, filters=filters)
    searched = [(SourceKind.GITHUB_ORG, o) for o in github_orgs]
    searched += [(SourceKind.GITLAB_GROUP, g.strip("/")) for g in gitlab_groups]
    merged = merge(existing, found, searched, name=name)
    text = render(merged.document)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    for full_name in merged.removed:
        click.echo(f"os2scan: removed {full_name}: no longer listed by the forge", err=True)
    click.echo(
        f"{len(found)} repositories found: {len(merged.added)} added, "
        f"{len(merged.removed)} removed, {merged.kept} already in the portfolio"
        + (f"; written to {output}" if output is not None else ""),
        err=True,
    )
