"""Discover the repositories of GitHub organisations and GitLab groups and keep a portfolio current.

`discover_github_org` and `discover_gitlab_group` list what the forge holds, with the same
filters the collectors apply (forks, archived and empty repositories left out unless asked for),
and name each repository's product from its publiccode.yml (`applicationSuite`, else `name`,
read through the API) or, without one, after the organisation or group. `merge` folds the
result into an existing portfolio document: entries written by hand stay as they are, new
repositories are added to their product, and explicit entries of a searched organisation or
group that the forge no longer lists are dropped and reported.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml
from github import GithubException
from gitlab.exceptions import GitlabError

from scanner.collectors import forge, github, gitlab
from scanner.kernel.errors import CollectorError, PortfolioError
from scanner.kernel.models import RepositorySpec, SourceKind
from scanner.portfolio import load_portfolio

PUBLICCODE = "publiccode.yml"


@dataclass(frozen=True)
class Found:
    """A repository a forge listed, and the product it belongs to."""

    kind: SourceKind  # GITHUB or GITLAB
    full_name: str  # owner/name or group/subgroup/project
    product: str
    source: str  # the organisation or group it was found in
    api_url: str | None = None  # written into the portfolio only when given explicitly

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind.value, self.full_name.lower())


@dataclass(frozen=True)
class Merged:
    """A portfolio document after discovery, and what changed."""

    document: dict[str, Any]
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept: int = 0  # repositories the document already named


@dataclass(frozen=True)
class Filters:
    include_forks: bool = False
    include_archived: bool = False
    exclude: tuple[str, ...] = field(default_factory=tuple)

    def spec(self, kind: SourceKind, locator: str) -> RepositorySpec:
        return RepositorySpec(
            product="",
            kind=kind,
            locator=locator,
            exclude=self.exclude,
            include_forks=self.include_forks,
            include_archived=self.include_archived,
        )


def product_from_publiccode(text: str | bytes | None) -> str | None:
    """The product a publiccode.yml names: its `applicationSuite`, else its `name`."""
    if not text:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    for key in ("applicationSuite", "name"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def discover_github_org(
    org: str, *, api_url: str | None = None, filters: Filters = Filters()
) -> list[Found]:
    """The repositories of a GitHub organisation (or user) that a `github_org` entry would scan."""
    options = forge.current_options()
    spec = filters.spec(SourceKind.GITHUB_ORG, org)
    base = (api_url or github.api_url_for(spec)).rstrip("/")
    gh = github.client(base, forge.token_from("GITHUB_TOKEN"), options)
    found = []
    try:
        for repo in github.list_repositories(gh, org):
            if not forge.selected(spec, repo.full_name, fork=repo.fork, archived=repo.archived):
                continue
            if repo.size == 0 and _github_empty(repo):
                continue
            product = product_from_publiccode(_github_publiccode(repo)) or org
            found.append(Found(SourceKind.GITHUB, repo.full_name, product, org, api_url))
    except (GithubException, requests.RequestException) as exc:
        raise CollectorError(github.describe(exc, f"organisation {org}")) from None
    finally:
        gh.close()
    return found


def _github_empty(repo: Any) -> bool:
    try:
        repo.get_commit(repo.default_branch)
    except GithubException as exc:
        if exc.status == 409:
            return True
        raise
    return False


def _github_publiccode(repo: Any) -> bytes | None:
    try:
        content = repo.get_contents(PUBLICCODE, ref=repo.default_branch)
    except GithubException as exc:
        if exc.status == 404:
            return None
        raise
    if isinstance(content, list) or content.encoding != "base64":
        return None
    try:
        return base64.b64decode(content.content or "")
    except (binascii.Error, ValueError):
        return None


def discover_gitlab_group(
    group: str, *, url: str | None = None, filters: Filters = Filters()
) -> list[Found]:
    """The projects of a GitLab group and its subgroups that a `gitlab_group` entry would scan."""
    options = forge.current_options()
    spec = filters.spec(SourceKind.GITLAB_GROUP, group)
    base = (url or gitlab.url_for(spec)).rstrip("/")
    gl = gitlab.client(base, forge.token_from("GITLAB_TOKEN"), options)
    found = []
    try:
        listed = gl.groups.get(group, lazy=True).projects.list(
            iterator=True, include_subgroups=True, with_shared=False
        )
        for item in listed:
            attrs = item.attributes
            full_name = attrs["path_with_namespace"]
            fork = "forked_from_project" in attrs
            if not forge.selected(spec, full_name, fork=fork, archived=bool(attrs.get("archived"))):
                continue
            if attrs.get("empty_repo"):
                continue
            text = _gitlab_publiccode(gl, attrs["id"], attrs.get("default_branch") or "HEAD")
            product = product_from_publiccode(text) or group.rsplit("/", 1)[-1]
            found.append(Found(SourceKind.GITLAB, full_name, product, group, url))
    except (GitlabError, requests.RequestException) as exc:
        raise CollectorError(gitlab.describe(exc, f"group {group}")) from None
    finally:
        gl.session.close()
    return found


def _gitlab_publiccode(gl: Any, project_id: int, ref: str) -> bytes | None:
    try:
        project = gl.projects.get(project_id, lazy=True)
        raw = project.files.raw(file_path=PUBLICCODE, ref=ref)
    except GitlabError as exc:
        if getattr(exc, "response_code", None) == 404:
            return None
        raise
    return raw if isinstance(raw, bytes) else None


def read_document(path: Path) -> dict[str, Any] | None:
    """An existing portfolio file as plain data (validated first), or None if there is none."""
    if not path.exists():
        return None
    load_portfolio(path)  # a broken file fails here, with its line
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise PortfolioError("not a portfolio", str(path))
    return data


def _entry_key(entry: dict[str, Any]) -> tuple[str, str] | None:
    for kind in (SourceKind.GITHUB, SourceKind.GITLAB):
        value = entry.get(kind.value)
        if isinstance(value, str):
            return (kind.value, value.strip("/").lower())
    return None


def _covered_by(entry: dict[str, Any], found: Found) -> bool:
    """Whether a `github_org` or `gitlab_group` entry already stands for `found`."""
    if found.kind is SourceKind.GITHUB and isinstance(entry.get("github_org"), str):
        return found.full_name.lower().startswith(entry["github_org"].lower() + "/")
    if found.kind is SourceKind.GITLAB and isinstance(entry.get("gitlab_group"), str):
        return found.full_name.lower().startswith(entry["gitlab_group"].strip("/").lower() + "/")
    return False


def _searched(key: tuple[str, str], searched: Iterable[tuple[SourceKind, str]]) -> bool:
    """Whether an explicit entry belongs to an organisation or group that was just listed."""
    kind, name = key
    for searched_kind, owner in searched:
        owner = owner.strip("/").lower()
        if kind == SourceKind.GITHUB.value and searched_kind is SourceKind.GITHUB_ORG:
            found = name.rsplit("/", 1)[0] == owner
        elif kind == SourceKind.GITLAB.value and searched_kind is SourceKind.GITLAB_GROUP:
            found = name.startswith(owner + "/")
        else:
            found = False
        if found:
            return True
    return False


def new_entry(found: Found) -> dict[str, Any]:
    entry: dict[str, Any] = {found.kind.value: found.full_name}
    if found.api_url:
        entry["api_url" if found.kind is SourceKind.GITHUB else "url"] = found.api_url
    return entry


def merge(
    existing: dict[str, Any] | None,
    found: Sequence[Found],
    searched: Sequence[tuple[SourceKind, str]],
    *,
    name: str | None = None,
) -> Merged:
    """Fold discovered repositories into a portfolio document (a new one if `existing` is None).

    Every entry of `existing` is kept unchanged, except explicit `github`/`gitlab` entries of a
    searched organisation or group that `found` no longer holds: those are removed.
    """
    document: dict[str, Any] = dict(existing) if existing else {}
    document["name"] = name or document.get("name") or "Portfolio"
    products: list[dict[str, Any]] = [dict(p) for p in document.get("products") or []]
    present = {f.key for f in found}
    removed: list[str] = []
    covered: set[tuple[str, str]] = set()
    for product in products:
        kept_entries = []
        for entry in product.get("repositories") or []:
            key = _entry_key(entry) if isinstance(entry, dict) else None
            if key is not None and key not in present and _searched(key, searched):
                removed.append(key[1] if key[0] == "github" else f"{key[1]} (GitLab)")
                continue
            if key is not None:
                covered.add(key)
            kept_entries.append(entry)
        product["repositories"] = kept_entries
    entries = [e for p in products for e in p["repositories"] if isinstance(e, dict)]
    added: list[str] = []
    by_name = {p.get("name"): p for p in products}
    for item in sorted(found, key=lambda f: (f.product.lower(), f.full_name.lower())):
        if item.key in covered or any(_covered_by(e, item) for e in entries):
            continue
        target = by_name.get(item.product)
        if target is None:
            target = {"name": item.product, "repositories": []}
            products.append(target)
            by_name[item.product] = target
        target["repositories"].append(new_entry(item))
        covered.add(item.key)
        added.append(item.full_name)
    document["products"] = [p for p in products if p["repositories"]]
    kept = len(present) - len(added)
    return Merged(document=document, added=tuple(added), removed=tuple(removed), kept=kept)


HEADER = (
    "# os2scan portfolio. Written by `os2scan discover`; edit freely: a later discover keeps\n"
    "# your entries, adds new repositories and drops the ones the forge no longer lists.\n"
)


def render(document: dict[str, Any]) -> str:
    """The portfolio document as YAML, keys in the order people write them."""
    ordered = {"name": document.get("name")}
    ordered.update({k: v for k, v in document.items() if k not in ("name", "products")})
    ordered["products"] = document.get("products") or []
    body = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return HEADER + body
