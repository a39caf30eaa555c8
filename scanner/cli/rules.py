"""`os2scan rules list | explain ID | validate POLICY`: the rules and the policy that tunes them."""

from __future__ import annotations

import json
import textwrap

import click

from rules.engine import RULES, rule_severity
from rules.policy import PolicyErrors, load_policy
from scanner.cli.common import EXIT_BAD_INPUT, format_option, policy_option
from scanner.kernel.errors import InputError
from scanner.kernel.models import Waiver
from scanner.kernel.redact import printable


@click.group()
def rules() -> None:
    """The compliance rules and policy files."""


@rules.command("list")
@policy_option
@format_option
def list_rules(policy: str | None, output_format: str) -> None:
    """Every rule id with the severity the policy gives it."""
    loaded = load_policy(policy)
    if output_format == "json":
        rows = []
        for rule_id, spec in RULES.items():
            severity = rule_severity(rule_id, loaded)
            rows.append({
                "id": rule_id,
                "severity": severity.value if severity else "off",
                "default_severity": spec.default_severity.value,
                "title": spec.title,
            })  # fmt: skip
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max(len(rule_id) for rule_id in RULES)
    click.echo(f"{'RULE':<{width}}  {'SEVERITY':<8}  TITLE")
    for rule_id, spec in RULES.items():
        severity = rule_severity(rule_id, loaded)
        shown = severity.value if severity else "off"
        click.echo(f"{rule_id:<{width}}  {shown:<8}  {spec.title}")


@rules.command()
@click.argument("rule_id")
@policy_option
@format_option
def explain(rule_id: str, policy: str | None, output_format: str) -> None:
    """What rule RULE_ID checks and how to fix a violation."""
    spec = RULES.get(rule_id)
    if spec is None:
        raise InputError(f"unknown rule id '{rule_id}' (see `os2scan rules list`)")
    loaded = load_policy(policy)
    severity = rule_severity(rule_id, loaded)
    waivers = [w for w in loaded.waivers if w.rule == rule_id]
    if output_format == "json":
        click.echo(json.dumps({
            "id": spec.id,
            "title": spec.title,
            "severity": severity.value if severity else "off",
            "default_severity": spec.default_severity.value,
            "description": spec.description,
            "how_to_fix": spec.how_to_fix,
            "waivers": [_describe_waiver(w) for w in waivers],
        }, indent=2, ensure_ascii=False))  # fmt: skip
        return
    click.echo(f"{spec.id}: {spec.title}")
    click.echo(
        f"Severity: {severity.value if severity else 'off'} under policy {loaded.name} "
        f"(default {spec.default_severity.value})"
    )
    click.echo("")
    click.echo(textwrap.fill(spec.description, width=88))
    click.echo("")
    click.echo(textwrap.fill(f"How to fix: {spec.how_to_fix}", width=88))
    if waivers:
        click.echo("")
        click.echo("Waivers:")
        for w in waivers:
            click.echo(f"  {_describe_waiver(w)}")


@rules.command()
@click.argument("policy_file")
@format_option
def validate(policy_file: str, output_format: str) -> None:
    """Check POLICY_FILE (or a built-in policy name); every problem is reported, one line each
    with file and line, and the exit code is 2 if there is any."""
    try:
        loaded = load_policy(policy_file)
    except PolicyErrors as exc:
        problems = [str(e) for e in exc.errors]
        if output_format == "json":
            click.echo(json.dumps({"valid": False, "errors": problems}, indent=2))
        else:
            for problem in problems:
                click.echo(f"os2scan: {printable(problem)}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    expired = [w for w in loaded.waivers if w.expired]
    if output_format == "json":
        click.echo(json.dumps({
            "valid": True, "name": loaded.name, "extends": list(loaded.extends),
            "waivers": len(loaded.waivers), "expired": [_describe_waiver(w) for w in expired],
        }, indent=2, ensure_ascii=False))  # fmt: skip
        return
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
