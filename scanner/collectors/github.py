"""The `github` and `github_org` sources, read through the GitHub REST API with PyGithub.

`github_org` lists every repository of an organisation (or of a user), page by page, and keeps
those that pass the entry's filters: forks, archived and empty repositories are left out unless
asked for. Each repository is cloned shallowly at its default branch (or the entry's `ref`),
and what GitHub says about it (licence, topics, archived, last push) travels as ForgeMetadata.

The API base is the entry's `api_url`, else GITHUB_API_URL (as GitHub Actions sets it), else
https://api.github.com; the token is GITHUB_TOKEN, and without one the anonymous rate limit
applies. PyGithub's own urllib3 retry does the retrying; `_Retry` adds the visible waiting
message and `--no-wait`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests
from github import Auth, Github, GithubException, UnknownObjectException
from github.GithubRetry import GithubRetry
from github.Repository import Repository
from urllib3 import Retry

from scanner.collectors import forge
from scanner.kernel.errors import CollectorError
from scanner.kernel.models import Checkout, ForgeMetadata, RepositorySpec, SourceKind

DEFAULT_API_URL = "https://api.github.com"
PLATFORM = "GitHub"


def api_url_for(spec: RepositorySpec) -> str:
    """The API base for `spec`: its `api_url`, else GITHUB_API_URL, else github.com's."""
    return (spec.api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")


class _Retry(GithubRetry):
    """GithubRetry that announces rate-limit waits and can refuse them (`no_wait`)."""

    def __init__(self, *, options: forge.ForgeOptions | None = None, **kwargs: Any) -> None:
        self.options = options or forge.ForgeOptions()
        self.wait_for: float | None = None
        kwargs.setdefault("status_forcelist", [*range(500, 600), 429])
        super().__init__(**kwargs)

    def new(self, **kwargs: Any) -> _Retry:
        kwargs["options"] = self.options
        return super().new(**kwargs)

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Retry:
        wait = forge.rate_limit_wait(response.status, response.headers) if response else None
        if wait is None:
            if response is not None and response.status >= 500:
                forge.log.info("%s answered %s; retrying", PLATFORM, response.status)
            return super().increment(method, url, response, error, _pool, _stacktrace)
        forge.check_wait(PLATFORM, wait, self.options)
        retry = Retry.increment(self, method, url, response, error, _pool, _stacktrace)
        retry.wait_for = wait
        return retry

    def sleep(self, response: Any = None) -> None:
        if self.wait_for is not None:
            time.sleep(self.wait_for)
            return
        super().sleep(response)


def client(api_url: str, token: str | None, options: forge.ForgeOptions) -> Github:
    """A PyGithub client with bounded retries, backoff and rate-limit handling."""
    retry = _Retry(options=options, total=options.max_retries, backoff_factor=options.backoff)
    return Github(
        base_url=api_url,
        auth=Auth.Token(token) if token else None,
        retry=retry,
        per_page=options.per_page,
        timeout=int(options.timeout),
        seconds_between_requests=None,
    )


def describe(error: Exception, what: str) -> str:
    """One line for a failed API call, without the request's headers or the token."""
    if isinstance(error, GithubException):
        message = error.data.get("message") if isinstance(error.data, dict) else None
        if error.status == 404:
            return f"{what} not found on {PLATFORM} (or not visible with this token)"
        if error.status == 401:
            return f"{PLATFORM} rejected the token (401 {message or 'Bad credentials'})"
        return f"{PLATFORM} answered {error.status} for {what}: {message or 'no message'}"
    if isinstance(error, requests.RequestException):
        return forge.network_failure(PLATFORM, error, what)
    return f"{what}: {error}"


def metadata(repo: Repository) -> ForgeMetadata:
    license_info = repo.license
    pushed = repo.pushed_at
    return ForgeMetadata(
        platform="github",
        web_url=repo.html_url,
        platform_license=license_info.spdx_id if license_info is not None else None,
        topics=tuple(repo.topics or ()),
        archived=bool(repo.archived),
        fork=bool(repo.fork),
        default_branch=repo.default_branch,
        last_push=pushed.isoformat() if pushed is not None else None,
        has_issues=repo.has_issues,
        visibility=repo.visibility,
    )


def list_repositories(gh: Github, owner: str) -> Iterator[Repository]:
    """Every repository of an organisation, or of a user when `owner` is not one."""
    try:
        org = gh.get_organization(owner)
    except UnknownObjectException:
        yield from gh.get_user(owner).get_repos(type="owner")
        return
    yield from org.get_repos(type="all")


class GithubCollector:
    """Collects `github` and `github_org` entries."""

    def collect(self, spec: RepositorySpec, workspace: Path) -> list[Checkout]:
        options = forge.current_options()
        token = forge.token_from("GITHUB_TOKEN")
        gh = client(api_url_for(spec), token, options)
        try:
            if spec.kind is SourceKind.GITHUB_ORG:
                try:
                    repos = list(list_repositories(gh, spec.locator))
                except (GithubException, requests.RequestException) as exc:
                    raise CollectorError(describe(exc, f"organisation {spec.locator}")) from None
                kept = [
                    r
                    for r in repos
                    if forge.selected(spec, r.full_name, fork=r.fork, archived=r.archived)
                ]
                checkouts = []
                for repo in kept:
                    one = forge.expand(spec, SourceKind.GITHUB, repo.full_name)
                    checkout = self._collect_one(one, repo, workspace, token, skip_empty=True)
                    if checkout is not None:
                        checkouts.append(checkout)
                return checkouts
            try:
                repo = gh.get_repo(spec.locator)
            except (GithubException, requests.RequestException) as exc:
                raise CollectorError(describe(exc, f"repository {spec.locator}")) from None
            checkout = self._collect_one(spec, repo, workspace, token, skip_empty=False)
            assert checkout is not None
            return [checkout]
        finally:
            gh.close()

    def _collect_one(
        self,
        spec: RepositorySpec,
        repo: Repository,
        workspace: Path,
        token: str | None,
        *,
        skip_empty: bool,
    ) -> Checkout | None:
        name = repo.full_name
        meta: ForgeMetadata | None = None
        try:
            meta = metadata(repo)
            ref = spec.ref or repo.default_branch
            try:
                sha = repo.get_commit(ref).sha
            except GithubException as exc:
                if exc.status == 409:  # "Git Repository is empty."
                    if skip_empty:
                        forge.log.info("%s: empty repository skipped", name)
                        return None
                    return forge.failure(spec, name, "the repository is empty", meta)
                raise
            return forge.clone(
                spec,
                name,
                repo.clone_url,
                ref,
                sha,
                workspace,
                user="x-access-token",
                token=token,
                metadata=meta,
            )
        except CollectorError as exc:
            return forge.failure(spec, name, exc.message, meta)
        except (GithubException, requests.RequestException) as exc:
            return forge.failure(spec, name, describe(exc, f"repository {name}"), meta)


COLLECTORS = {SourceKind.GITHUB: GithubCollector(), SourceKind.GITHUB_ORG: GithubCollector()}
