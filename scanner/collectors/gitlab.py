"""The `gitlab` and `gitlab_group` sources, read through the GitLab v4 API with python-gitlab.

`gitlab_group` lists every project of a group and of its subgroups, page by page, and keeps
those that pass the entry's filters (forks, archived and empty projects are left out unless
asked for). Each project is cloned shallowly at its default branch (or the entry's `ref`), with
GitLab's view of it (licence, topics, archived, last activity) as ForgeMetadata.

The instance is the entry's `url`, else GITLAB_URL, else https://gitlab.com; the token is
GITLAB_TOKEN, sent as a Bearer token (GitLab accepts personal, group and project access tokens
that way). python-gitlab retries 429s and 5xx itself; a response hook on its session announces
rate-limit waits and refuses them under `--no-wait`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import gitlab
import requests
from gitlab.exceptions import GitlabError
from gitlab.v4.objects import Project

from scanner.collectors import forge
from scanner.kernel.errors import CollectorError
from scanner.kernel.models import Checkout, ForgeMetadata, RepositorySpec, SourceKind

DEFAULT_URL = "https://gitlab.com"
PLATFORM = "GitLab"


def url_for(spec: RepositorySpec) -> str:
    """The instance for `spec`: its `url`, else GITLAB_URL, else gitlab.com."""
    return (spec.api_url or os.environ.get("GITLAB_URL") or DEFAULT_URL).rstrip("/")


def client(url: str, token: str | None, options: forge.ForgeOptions) -> gitlab.Gitlab:
    """A python-gitlab client whose session reports (or refuses) rate-limit waits."""
    session = requests.Session()

    def on_response(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.status_code == 429:
            wait = forge.rate_limit_wait(429, response.headers) or 0.0
            forge.check_wait(PLATFORM, wait, options)
        elif response.status_code >= 500:
            forge.log.info("%s answered %s; retrying", PLATFORM, response.status_code)

    session.hooks["response"].append(on_response)
    return gitlab.Gitlab(
        url,
        oauth_token=token,
        per_page=options.per_page,
        timeout=options.timeout,
        retry_transient_errors=True,
        session=session,
    )


def describe(error: Exception, what: str) -> str:
    """One line for a failed API call, without the request's headers or the token."""
    if isinstance(error, GitlabError):
        code = getattr(error, "response_code", None)
        if code == 404:
            return f"{what} not found on {PLATFORM} (or not visible with this token)"
        if code == 401:
            return f"{PLATFORM} rejected the token (401)"
        return f"{PLATFORM} answered {code or 'an error'} for {what}: {error.error_message}"
    if isinstance(error, requests.RequestException):
        return forge.network_failure(PLATFORM, error, what)
    return f"{what}: {error}"


def metadata(project: Project) -> ForgeMetadata:
    attrs = project.attributes
    license_info = attrs.get("license") or {}
    return ForgeMetadata(
        platform="gitlab",
        web_url=attrs.get("web_url", ""),
        platform_license=license_info.get("key") if isinstance(license_info, dict) else None,
        topics=tuple(attrs.get("topics") or attrs.get("tag_list") or ()),
        archived=bool(attrs.get("archived")),
        fork="forked_from_project" in attrs,
        default_branch=attrs.get("default_branch"),
        last_push=attrs.get("last_activity_at"),
        has_issues=attrs.get("issues_enabled"),
        visibility=attrs.get("visibility"),
    )


class GitlabCollector:
    """Collects `gitlab` and `gitlab_group` entries."""

    def collect(self, spec: RepositorySpec, workspace: Path) -> list[Checkout]:
        options = forge.current_options()
        token = forge.token_from("GITLAB_TOKEN")
        gl = client(url_for(spec), token, options)
        retries: dict[str, Any] = {"max_retries": options.max_retries}
        try:
            if spec.kind is SourceKind.GITLAB_GROUP:
                try:
                    group = gl.groups.get(spec.locator, lazy=True)
                    listed = list(
                        group.projects.list(
                            iterator=True, include_subgroups=True, with_shared=False, **retries
                        )
                    )
                except (GitlabError, requests.RequestException) as exc:
                    raise CollectorError(describe(exc, f"group {spec.locator}")) from None
                checkouts = []
                for item in listed:
                    attrs = item.attributes
                    full_name = attrs["path_with_namespace"]
                    fork = "forked_from_project" in attrs
                    if not forge.selected(
                        spec, full_name, fork=fork, archived=bool(attrs.get("archived"))
                    ):
                        continue
                    if attrs.get("empty_repo"):
                        forge.log.info("%s: empty project skipped", full_name)
                        continue
                    one = forge.expand(spec, SourceKind.GITLAB, full_name)
                    checkouts.append(self._collect_one(gl, one, attrs["id"], workspace, token))
                return checkouts
            return [self._collect_one(gl, spec, spec.locator, workspace, token)]
        finally:
            gl.session.close()

    def _collect_one(
        self,
        gl: gitlab.Gitlab,
        spec: RepositorySpec,
        ident: int | str,
        workspace: Path,
        token: str | None,
    ) -> Checkout:
        name = spec.locator
        meta: ForgeMetadata | None = None
        retries: dict[str, Any] = {"max_retries": forge.current_options().max_retries}
        try:
            project = gl.projects.get(ident, license=True, **retries)
            name = project.attributes.get("path_with_namespace", name)
            meta = metadata(project)
            if project.attributes.get("empty_repo"):
                return forge.failure(spec, name, "the repository is empty", meta)
            ref = spec.ref or project.attributes.get("default_branch") or "HEAD"
            sha = project.commits.get(ref, **retries).id
            return forge.clone(
                spec,
                name,
                project.attributes["http_url_to_repo"],
                ref,
                sha,
                workspace,
                user="oauth2",
                token=token,
                metadata=meta,
            )
        except CollectorError as exc:
            return forge.failure(spec, name, exc.message, meta)
        except (GitlabError, requests.RequestException) as exc:
            return forge.failure(spec, name, describe(exc, f"project {name}"), meta)


COLLECTORS = {SourceKind.GITLAB: GitlabCollector(), SourceKind.GITLAB_GROUP: GitlabCollector()}
