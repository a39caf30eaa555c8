"""`os2scan rules list | explain ID | validate POLICY`: the rules and the policy that tunes them."""

from __future__ import annotations

import textwrap

import click

from rules.engine import RULES, rule_severity
from rules.policy import load_policy
from scanner.cli.common import policy_option
from scanner.kernel.errors import InputError
from scanner.kernel.models import Waiver


@click.group()
def rules() -> None:
    """The compliance rules and policy files."""


@rules.command("list")
@policy_option
def list_rules(policy: str | None) -> None:
    """Every rule id with the severity the policy gives it."""
    loaded = load_policy(policy)
    width = max(len(rule_id) for rule_id in RULES)
    click.echo(f"{'RULE':<{width}}  {'SEVERITY':<8}  TITLE")
    for rule_id, spec in RULES.items():
        severity = rule_severity(rule_id, loaded)
        shown = severity.value if severity else "off"
        click.echo(f"{rule_id:<{width}}  {shown:<8}  {spec.title}")


@rules.command()
@click.argument("rule_id")
@policy_option
def explain(rule_id: str, policy: str | None) -> None:
    """What rule RULE_ID checks and how to fix a violation."""
    spec = RULES.get(rule_id)
    if spec is None:
        raise InputError(f"unknown rule id '{rule_id}' (see `os2scan rules list`)")
    loaded = load_policy(policy)
    severity = rule_severity(rule_id, loaded)
    click.echo(f"{spec.id}: {spec.title}")
    click.echo(
        f"Severity: {severity.value if severity else 'off'} under policy {loaded.name} "
        f"(default {spec.default_severity.value})"
    )
    click.echo("")
    click.echo(textwrap.fill(spec.description, width=88))
    click.echo("")
    click.echo(textwrap.fill(f"How to fix: {spec.how_to_fix}", width=88))
    waivers = [w for w in loaded.waivers if w.rule == rule_id]
    if waivers:
        click.echo("")
        click.echo("Waivers:")
        for w in waivers:
            click.echo(f"  {_describe_waiver(w)}")


@rules.command()
@click.argument("policy_file")
def validate(policy_file: str) -> None:
    """Check POLICY_FILE (or a built-in policy name); exit 2 with file and line if it is wrong."""
    loaded = load_policy(policy_file)
    expired = [w for w in loaded.waivers if w.expired]
    base = f", extends {' < '.join(loaded.extends)}" if loaded.extends else ""
    click.echo(
        f"{policy_file}: valid policy '{loaded.name}'{base}; {len(loaded.waivers)} waiver(s), "
        f"{len(expired)} expired"
    )
    for w in expired:
        click.echo(f"  expired: {_describe_waiver(w)}")


def _describe_waiver(w: Waiver) -> str:
    where = w.repository + (f":{w.path}" if w.path else "")
    until = f"until {w.expires}" if w.expires else "no end date"
    state = " (expired)" if w.expired else ""
    return f"{w.rule} {where} {until}{state}: {w.reason}"
