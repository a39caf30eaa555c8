"""Discover the repositories of GitHub organisations and GitLab groups and keep a portfolio current.

`discover_github_org` and `discover_gitlab_group` list what the forge holds, with the same
filters the collectors apply (forks, archived and empty repositories left out unless asked for),
and name each repository's product from its publiccode.yml (`applicationSuite`, else `name`,
read through the API) or, without one, after the organisation or group. `check_entry` asks the
forge about one entry of a portfolio (is it still there, is it archived).

`merge` folds the result into a portfolio document read with ruamel.yaml's round-trip loader,
so comments, anchors, key order and hand edits survive: new repositories are added to their
product, and an entry the forge no longer has, or has archived, is marked with `status:
vanished` or `status: archived` and a dated comment instead of being deleted (a vanished entry
stays in the file as a record and is not scanned; the mark goes when the repository is back).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml
from github import GithubException
from gitlab.exceptions import GitlabError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from scanner.collectors import forge, github, gitlab
from scanner.kernel.errors import CollectorError, PortfolioError
from scanner.kernel.models import RepositorySpec, SourceKind
from scanner.portfolio import STATUSES, load_portfolio

PUBLICCODE = "publiccode.yml"


@dataclass(frozen=True)
class Found:
    """A repository a forge listed, and the product it belongs to."""

    kind: SourceKind  # GITHUB or GITLAB
    full_name: str  # owner/name or group/subgroup/project
    product: str
    source: str  # the organisation or group it was found in
    api_url: str | None = None  # written into the portfolio only when given explicitly
    archived: bool = False  # listed, but archived: not added, and marked where it is listed

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind.value, self.full_name.lower())


@dataclass(frozen=True)
class Merged:
    """A portfolio document after discovery, and what changed."""

    document: CommentedMap
    added: tuple[str, ...] = ()
    marked: tuple[tuple[str, str], ...] = ()  # (entry, "vanished" | "archived")
    kept: int = 0  # repositories the document already named


@dataclass(frozen=True)
class Filters:
    include_forks: bool = False
    include_archived: bool = False
    exclude: tuple[str, ...] = field(default_factory=tuple)
    include: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, spec: RepositorySpec) -> Filters:
        """The filters a portfolio's `github_org`/`gitlab_group` entry is written with."""
        return cls(spec.include_forks, spec.include_archived, spec.exclude, spec.include)

    def spec(self, kind: SourceKind, locator: str) -> RepositorySpec:
        return RepositorySpec(
            product="",
            kind=kind,
            locator=locator,
            exclude=self.exclude,
            include=self.include,
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
                if repo.archived and forge.selected(
                    spec, repo.full_name, fork=repo.fork, archived=False
                ):
                    found.append(Found(SourceKind.GITHUB, repo.full_name, org, org, api_url, True))
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
            archived = bool(attrs.get("archived"))
            if not forge.selected(spec, full_name, fork=fork, archived=archived):
                if archived and forge.selected(spec, full_name, fork=fork, archived=False):
                    owner = group.rsplit("/", 1)[-1]
                    found.append(Found(SourceKind.GITLAB, full_name, owner, group, url, True))
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


def check_entry(kind: SourceKind, locator: str, api_url: str | None = None) -> str | None:
    """What the forge says about one portfolio entry: None (it is there), "archived" or
    "vanished" (the forge answers 404 for it)."""
    options = forge.current_options()
    spec = RepositorySpec(product="", kind=kind, locator=locator, api_url=api_url)
    if kind in (SourceKind.GITHUB, SourceKind.GITHUB_ORG):
        gh = github.client(github.api_url_for(spec), forge.token_from("GITHUB_TOKEN"), options)
        try:
            if kind is SourceKind.GITHUB:
                return "archived" if gh.get_repo(locator).archived else None
            try:
                gh.get_organization(locator)
            except GithubException as exc:
                if exc.status != 404:
                    raise
                gh.get_user(locator)
            return None
        except GithubException as exc:
            if exc.status == 404:
                return "vanished"
            raise CollectorError(github.describe(exc, f"{kind.value} {locator}")) from None
        except requests.RequestException as exc:
            raise CollectorError(github.describe(exc, f"{kind.value} {locator}")) from None
        finally:
            gh.close()
    gl = gitlab.client(gitlab.url_for(spec), forge.token_from("GITLAB_TOKEN"), options)
    try:
        if kind is SourceKind.GITLAB:
            return "archived" if gl.projects.get(locator).attributes.get("archived") else None
        gl.groups.get(locator)
        return None
    except GitlabError as exc:
        if getattr(exc, "response_code", None) == 404:
            return "vanished"
        raise CollectorError(gitlab.describe(exc, f"{kind.value} {locator}")) from None
    except requests.RequestException as exc:
        raise CollectorError(gitlab.describe(exc, f"{kind.value} {locator}")) from None
    finally:
        gl.session.close()


def _yaml() -> YAML:
    """ruamel.yaml's round-trip mode: comments, anchors, flow lists and key order survive."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 100
    return rt


def read_document(path: Path) -> CommentedMap | None:
    """An existing portfolio file (validated first) as a round-trip document, or None."""
    if not path.exists():
        return None
    load_portfolio(path)  # a broken file fails here, with its line
    data = _yaml().load(path.read_text(encoding="utf-8"))
    if not isinstance(data, CommentedMap):
        raise PortfolioError("not a portfolio", str(path))
    return data


def entry_key(entry: Any) -> tuple[SourceKind, str, str | None] | None:
    """The forge, name and API base of a `github`/`gitlab`/`github_org`/`gitlab_group` entry."""
    if not isinstance(entry, dict):
        return None
    for kind, url_key in (
        (SourceKind.GITHUB, "api_url"),
        (SourceKind.GITHUB_ORG, "api_url"),
        (SourceKind.GITLAB, "url"),
        (SourceKind.GITLAB_GROUP, "url"),
    ):
        value = entry.get(kind.value)
        if isinstance(value, str):
            url = entry.get(url_key)
            return kind, value.strip("/"), url if isinstance(url, str) else None
    return None


def _repository_key(entry: Any) -> tuple[str, str] | None:
    key = entry_key(entry)
    if key is None or key[0] not in (SourceKind.GITHUB, SourceKind.GITLAB):
        return None
    return (key[0].value, key[1].lower())


def _covered_by(entry: Any, found: Found) -> bool:
    """Whether a `github_org` or `gitlab_group` entry already stands for `found`."""
    key = entry_key(entry)
    if key is None:
        return False
    kind, owner, _ = key
    if found.kind is SourceKind.GITHUB and kind is SourceKind.GITHUB_ORG:
        return found.full_name.lower().startswith(owner.lower() + "/")
    if found.kind is SourceKind.GITLAB and kind is SourceKind.GITLAB_GROUP:
        return found.full_name.lower().startswith(owner.lower() + "/")
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


def new_entry(found: Found) -> CommentedMap:
    entry = CommentedMap({found.kind.value: found.full_name})
    if found.api_url:
        entry["api_url" if found.kind is SourceKind.GITHUB else "url"] = found.api_url
    return entry


def _detach_following_lines(entry: CommentedMap, key: Any) -> str:
    """Take the full-line comments that follow an entry off its key `key` and return them.

    ruamel.yaml hangs the comment lines after a mapping on the end-of-line comment of its
    last key; a key added after it, or the removal of that key, would move or drop them.
    """
    slot = entry.ca.items.get(key)
    if not slot or len(slot) < 3 or slot[2] is None:
        return ""
    token = slot[2]
    head, newline, rest = token.value.partition("\n")
    if not newline or not rest:
        return ""
    if head.strip():
        token.value = head + "\n"
    else:
        slot[2] = None
    return str(rest)


def _attach_following_lines(entry: CommentedMap, key: Any, lines: str) -> None:
    if not lines:
        return
    slot = entry.ca.items.setdefault(key, [None, None, None, None])
    if slot[2] is None:
        slot[2] = CommentToken("\n" + lines, CommentMark(0), None)
    else:
        value = slot[2].value
        slot[2].value = (value if value.endswith("\n") else value + "\n") + lines


def mark(entry: CommentedMap, status: str | None, today: str) -> bool:
    """Set (or clear, with None) an entry's `status` and its dated comment; whether it changed.

    Comments around the entry stay where they were written."""
    if status is None:
        if "status" not in entry:
            return False
        following = _detach_following_lines(entry, "status")
        del entry["status"]
        _attach_following_lines(entry, list(entry)[-1], following)
        return True
    if entry.get("status") == status:
        return False
    assert status in STATUSES
    following = _detach_following_lines(entry, list(entry)[-1])
    entry["status"] = status
    reason = "no longer on the forge" if status == "vanished" else "archived on the forge"
    entry.ca.items.pop("status", None)
    entry.yaml_add_eol_comment(f"os2scan discover {today}: {reason}", "status")
    _attach_following_lines(entry, "status", following)
    return True


def _entries(document: CommentedMap) -> Iterator[CommentedMap]:
    for product in document.get("products") or []:
        for entry in product.get("repositories") or []:
            if isinstance(entry, CommentedMap):
                yield entry


def merge(
    existing: CommentedMap | None,
    found: Sequence[Found],
    searched: Sequence[tuple[SourceKind, str]],
    *,
    name: str | None = None,
    checked: dict[tuple[SourceKind, str, str | None], str | None] | None = None,
    today: str = "",
) -> Merged:
    """Fold discovered repositories into a portfolio document (a new one if `existing` is None).

    Entries of `existing` are kept as written. An explicit `github`/`gitlab` entry of a
    searched organisation or group that `found` no longer holds is marked vanished (archived,
    if the forge lists it as archived); `checked` holds what the forge said about other
    entries (from `check_entry`), which are marked the same way. New repositories are added
    to the product their publiccode.yml names.
    """
    checked = checked or {}
    today = today or dt.date.today().isoformat()
    document = existing if existing is not None else CommentedMap()
    if name or "name" not in document:
        if "name" in document:
            document["name"] = name
        else:
            document.insert(0, "name", name or "Portfolio")
    if "products" not in document or document["products"] is None:
        document["products"] = CommentedSeq()
    products: CommentedSeq = document["products"]
    listed = {f.key: f for f in found}
    marked: list[tuple[str, str]] = []
    covered: set[tuple[str, str]] = set()
    for entry in _entries(document):
        key, full = _repository_key(entry), entry_key(entry)
        status: str | None
        if key is not None and _searched(key, searched):
            item = listed.get(key)
            status = "vanished" if item is None else ("archived" if item.archived else None)
        elif full is not None and full in checked:
            status = checked[full]
        else:
            continue
        if mark(entry, status, today) and status is not None:
            marked.append((full[1] if full else "?", status))
        if key is not None:
            covered.add(key)
    entries = list(_entries(document))
    added: list[str] = []
    by_name = {p.get("name"): p for p in products}
    for item in sorted(found, key=lambda f: (f.product.lower(), f.full_name.lower())):
        if item.archived or item.key in covered or any(_covered_by(e, item) for e in entries):
            continue
        target = by_name.get(item.product)
        if target is None:
            target = CommentedMap({"name": item.product, "repositories": CommentedSeq()})
            products.append(target)
            by_name[item.product] = target
        target["repositories"].append(new_entry(item))
        covered.add(item.key)
        added.append(item.full_name)
    kept = len([f for f in found if not f.archived]) - len(added)
    return Merged(document=document, added=tuple(added), marked=tuple(marked), kept=kept)


def source_entry(kind: SourceKind, locator: str, url: str | None, filters: Filters) -> CommentedMap:
    """A `discover` entry for an organisation or group given on the command line."""
    entry = CommentedMap({kind.value: locator})
    if url:
        entry["api_url" if kind is SourceKind.GITHUB_ORG else "url"] = url
    for key, values in (("exclude", filters.exclude), ("include", filters.include)):
        if values:
            entry[key] = CommentedSeq(values)
            entry[key].fa.set_flow_style()
    if filters.include_forks:
        entry["forks"] = True
    if filters.include_archived:
        entry["archived"] = True
    return entry


def remember_sources(document: CommentedMap, sources: Sequence[CommentedMap]) -> None:
    """Add the organisations and groups just listed to the document's `discover` list, so that
    `os2scan discover --update FILE` lists them again without being told."""
    if not sources:
        return
    known = document.get("discover")
    if not isinstance(known, CommentedSeq):
        known = CommentedSeq()
        position = list(document).index("products") if "products" in document else len(document)
        document.insert(position, "discover", known)
    keys = {entry_key(e) for e in known}
    for source in sources:
        if entry_key(source) not in keys:
            known.append(source)
            keys.add(entry_key(source))


HEADER = (
    "# os2scan portfolio. Written by `os2scan discover`; edit freely: `os2scan discover\n"
    "# --update` keeps your entries and comments, adds new repositories and marks the ones\n"
    "# the forge no longer has (status: vanished) or has archived (status: archived).\n"
)


def render(document: CommentedMap, *, new: bool = False) -> str:
    """The portfolio document as YAML; a new file starts with a comment saying how it was made."""
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return (HEADER if new else "") + stream.getvalue()
