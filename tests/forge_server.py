"""A loopback GitHub and GitLab for the collector tests: a real HTTP server on 127.0.0.1.

It answers the GitHub REST v3 routes (under `/api/v3`, as GitHub Enterprise does) and the
GitLab v4 routes (under `/api/v4`) that os2scan's collectors use, with the response shapes,
pagination `Link` headers and rate-limit headers of the real services, and serves the
repositories themselves over git's smart HTTP protocol by running `git http-backend` as a CGI
program. Faults are injected on purpose (a rate-limited answer, a 500) so the tests can prove
the collectors survive them. Every request is recorded with its Authorization header.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

PUSHED_AT = "2026-11-01T10:00:00Z"


@dataclass
class Fault:
    """Answer the next `times` requests whose path matches `pattern` with a failure."""

    pattern: str
    kind: str  # "primary" (403, remaining 0, reset 1 s ahead), "secondary" (Retry-After), "500"
    times: int = 1
    seconds: int = 1  # how long a rate-limited answer asks the client to wait
    served: int = 0


@dataclass
class Seen:
    method: str
    path: str
    authorization: str | None
    private_token: str | None
    status: int = 0


@dataclass
class ForgeRepo:
    """A repository as both forges describe it; `bare` is the repository git serves."""

    platform: str  # github | gitlab
    full_name: str  # owner/name or group/subgroup/project
    bare: Path
    id: int
    fork: bool = False
    archived: bool = False
    empty: bool = False
    license: str | None = "MIT"
    topics: tuple[str, ...] = ()
    visibility: str = "public"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def owner(self) -> str:
        return self.full_name.rsplit("/", 1)[0]

    @property
    def name(self) -> str:
        return self.full_name.rsplit("/", 1)[1]


def _git(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return result.stdout.strip()


class ForgeServer:
    """The state behind the loopback forge. Start it with `start()`, stop with `stop()`."""

    def __init__(self, root: Path, *, page_size: int = 2, token: str | None = None) -> None:
        self.root = root
        self.git_root = root / "served"
        self.git_root.mkdir(parents=True, exist_ok=True)
        self.page_size = page_size  # the largest per_page the server honours: forces pages
        self.token = token  # when set, every route requires it (as for private repositories)
        self.repos: list[ForgeRepo] = []
        self.users: set[str] = set()  # GitHub logins that are users, not organisations
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.git_fetches: list[str] = []  # repositories whose packs were downloaded
        self.messages: list[str] = []  # what the collectors told the user (set by the fixture)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- setting up ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def github_api(self) -> str:
        return f"{self.url}/api/v3"

    @property
    def gitlab_url(self) -> str:
        return self.url

    def add_repo(
        self, platform: str, full_name: str, source: Path | None, **attributes: Any
    ) -> ForgeRepo:
        """Serve `source` (a git repository, or None for an empty one) as `full_name`."""
        bare = self.git_root / platform / f"{full_name}.git"
        bare.parent.mkdir(parents=True, exist_ok=True)
        if source is None:
            _git("init", "-q", "--bare", str(bare))
            attributes.setdefault("empty", True)
        else:
            _git("clone", "-q", "--bare", str(source), str(bare))
        _git("config", "http.receivepack", "false", cwd=bare)
        repo = ForgeRepo(
            platform=platform,
            full_name=full_name,
            bare=bare,
            id=1000 + len(self.repos),
            **attributes,
        )
        self.repos.append(repo)
        return repo

    def add_github_repo(self, full_name: str, source: Path | None, **attributes: Any) -> ForgeRepo:
        return self.add_repo("github", full_name, source, **attributes)

    def add_gitlab_project(
        self, full_name: str, source: Path | None, **attributes: Any
    ) -> ForgeRepo:
        return self.add_repo("gitlab", full_name, source, **attributes)

    def fail(self, pattern: str, kind: str, times: int = 1, seconds: int = 1) -> Fault:
        fault = Fault(pattern, kind, times, seconds)
        self.faults.append(fault)
        return fault

    def head(self, repo: ForgeRepo, ref: str = "main") -> str | None:
        try:
            return _git("rev-parse", f"refs/heads/{ref}", cwd=repo.bare)
        except subprocess.CalledProcessError:
            try:
                return _git("rev-parse", ref, cwd=repo.bare)
            except subprocess.CalledProcessError:
                return None

    def authorizations(self, prefix: str = "") -> list[str | None]:
        return [s.authorization for s in self.seen if s.path.startswith(prefix)]

    # -- running ---------------------------------------------------------------------------

    def start(self) -> ForgeServer:
        handler = type("Handler", (_Handler,), {"forge": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.served < fault.times and re.search(fault.pattern, path):
                    fault.served += 1
                    return fault
        return None

    # -- GitHub shapes ---------------------------------------------------------------------

    def github_repo_json(self, repo: ForgeRepo) -> dict[str, Any]:
        api = f"{self.github_api}/repos/{repo.full_name}"
        lic = None
        if repo.license:
            lic = {
                "key": repo.license.lower(),
                "name": repo.license,
                "spdx_id": repo.license,
                "url": f"{self.github_api}/licenses/{repo.license.lower()}",
                "node_id": "MDc6TGljZW5zZTEz",
            }
        owner = repo.owner
        return {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.visibility != "public",
            "owner": {
                "login": owner,
                "id": 1,
                "type": "User" if owner in self.users else "Organization",
                "url": f"{self.github_api}/users/{owner}",
                "html_url": f"{self.url}/{owner}",
            },
            "html_url": f"{self.url}/{repo.full_name}",
            "description": f"The {repo.name} repository",
            "fork": repo.fork,
            "url": api,
            "clone_url": f"{self.url}/git/github/{repo.full_name}.git",
            "git_url": f"git://127.0.0.1/{repo.full_name}.git",
            "ssh_url": f"git@127.0.0.1:{repo.full_name}.git",
            "created_at": "2020-01-01T00:00:00Z",
            "updated_at": PUSHED_AT,
            "pushed_at": PUSHED_AT,
            "size": 0 if repo.empty else 12,
            "language": "Python",
            "has_issues": True,
            "archived": repo.archived,
            "disabled": False,
            "license": lic,
            "topics": list(repo.topics),
            "visibility": repo.visibility,
            "default_branch": "main",
            "permissions": {"admin": False, "push": False, "pull": True},
        }

    def github_owner(self, login: str) -> dict[str, Any] | None:
        if not any(r.platform == "github" and r.owner == login for r in self.repos):
            return None
        kind = "User" if login in self.users else "Organization"
        return {
            "login": login,
            "id": 1,
            "type": kind,
            "url": f"{self.github_api}/{'users' if kind == 'User' else 'orgs'}/{login}",
            "repos_url": f"{self.github_api}/{'users' if kind == 'User' else 'orgs'}/{login}/repos",
            "html_url": f"{self.url}/{login}",
            "name": login,
        }

    def file_in(self, repo: ForgeRepo, path: str, ref: str | None) -> bytes | None:
        if repo.empty:
            return None
        try:
            out = subprocess.run(
                ["git", "show", f"{ref or 'HEAD'}:{path}"],
                cwd=repo.bare,
                check=True,
                capture_output=True,
            )
        except subprocess.CalledProcessError:
            return None
        return out.stdout

    # -- GitLab shapes ---------------------------------------------------------------------

    def gitlab_project_json(self, repo: ForgeRepo, with_license: bool) -> dict[str, Any]:
        namespace = repo.owner
        data: dict[str, Any] = {
            "id": repo.id,
            "description": f"The {repo.name} project",
            "name": repo.name,
            "name_with_namespace": repo.full_name.replace("/", " / "),
            "path": repo.name,
            "path_with_namespace": repo.full_name,
            "created_at": "2020-01-01T00:00:00.000Z",
            "default_branch": None if repo.empty else "main",
            "topics": list(repo.topics),
            "tag_list": list(repo.topics),
            "ssh_url_to_repo": f"git@127.0.0.1:{repo.full_name}.git",
            "http_url_to_repo": f"{self.url}/git/gitlab/{repo.full_name}.git",
            "web_url": f"{self.url}/{repo.full_name}",
            "readme_url": None,
            "namespace": {
                "id": 50 + len(namespace),
                "name": namespace.rsplit("/", 1)[-1],
                "path": namespace.rsplit("/", 1)[-1],
                "kind": "group",
                "full_path": namespace,
                "web_url": f"{self.url}/groups/{namespace}",
            },
            "last_activity_at": "2026-11-01T10:00:00.000Z",
            "empty_repo": repo.empty,
            "archived": repo.archived,
            "visibility": repo.visibility,
            "issues_enabled": True,
            "open_issues_count": 0,
            "_links": {"self": f"{self.url}/api/v4/projects/{repo.id}"},
        }
        if repo.fork:
            data["forked_from_project"] = {
                "id": 1,
                "path_with_namespace": "upstream/" + repo.name,
                "web_url": f"{self.url}/upstream/{repo.name}",
            }
        if with_license:
            data["license_url"] = None
            data["license"] = (
                {
                    "key": repo.license.lower(),
                    "name": repo.license,
                    "nickname": None,
                    "html_url": "",
                    "source_url": None,
                }
                if repo.license
                else None
            )
        return data

    def gitlab_project(self, ident: str) -> ForgeRepo | None:
        ident = unquote(ident)
        for repo in self.repos:
            if repo.platform == "gitlab" and ident in (str(repo.id), repo.full_name):
                return repo
        return None


def _true(value: str) -> bool:
    """A boolean query parameter as GitLab's API reads one."""
    return value.lower() in ("1", "on", "t", "true", "y", "yes")


class _Handler(BaseHTTPRequestHandler):
    forge: ForgeServer
    protocol_version = "HTTP/1.1"
    server_version = "forge/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the tests read `forge.seen` instead

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    # -- plumbing --------------------------------------------------------------------------

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        seen = Seen(
            self.command,
            path,
            self.headers.get("Authorization"),
            self.headers.get("PRIVATE-TOKEN"),
        )
        with self.forge._lock:
            self.forge.seen.append(seen)
        body = self._read_body()
        try:
            if path.startswith("/git/"):
                status = self._git(path[len("/git") :], parts.query, body)
            elif not self._authorised():
                status = self._json(401, {"message": "Bad credentials"})
            elif (fault := self.forge._take_fault(path)) is not None:
                status = self._fault(fault, path)
            elif path.startswith("/api/v3/"):
                status = self._github(path[len("/api/v3") :], query)
            elif path.startswith("/api/v4/"):
                status = self._gitlab(path[len("/api/v4") :], query)
            else:
                status = self._json(404, {"message": "Not Found"})
        except BrokenPipeError:
            status = 0
        seen.status = status

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _authorised(self) -> bool:
        token = self.forge.token
        if token is None:
            return True
        header = self.headers.get("Authorization", "")
        if header in (f"token {token}", f"Bearer {token}"):
            return True
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[6:]).decode()
            return decoded.partition(":")[2] == token
        return self.headers.get("PRIVATE-TOKEN") == token

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> int:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return status

    def _rate_headers(self, remaining: int = 4999, reset_in: int = 3600) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(time.time()) + reset_in),
            "X-RateLimit-Used": str(5000 - remaining),
            "X-RateLimit-Resource": "core",
        }

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> int:
        all_headers = {"Content-Type": "application/json; charset=utf-8", **self._rate_headers()}
        all_headers.update(headers or {})
        return self._send(status, json.dumps(data).encode(), all_headers)

    def _fault(self, fault: Fault, path: str) -> int:
        if fault.kind == "primary":
            message = "API rate limit exceeded for 127.0.0.1."
            status = 429 if path.startswith("/api/v4/") else 403
            return self._json(
                status,
                {"message": message, "documentation_url": "https://docs.github.com/rest"},
                {
                    **self._rate_headers(remaining=0, reset_in=fault.seconds),
                    "RateLimit-Reset": str(int(time.time()) + fault.seconds),
                },
            )
        if fault.kind == "secondary":
            status = 429 if path.startswith("/api/v4/") else 403
            return self._json(
                status,
                {"message": "You have exceeded a secondary rate limit. Please wait."},
                {"Retry-After": str(fault.seconds)},
            )
        return self._json(500, {"message": "Server Error"})

    def _paginate(self, items: list[Any], query: dict[str, list[str]], path: str) -> int:
        per_page = min(int(query.get("per_page", ["30"])[0]), self.forge.page_size)
        page = int(query.get("page", ["1"])[0])
        pages = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        other = {k: v[0] for k, v in query.items() if k not in ("page", "per_page")}
        extra = "".join(f"&{quote(k)}={quote(v)}" for k, v in sorted(other.items()))

        def link(n: int) -> str:
            return f"{self.forge.url}{path}?page={n}&per_page={per_page}{extra}"

        links = []
        if page < pages:
            links.append(f'<{link(page + 1)}>; rel="next"')
            links.append(f'<{link(pages)}>; rel="last"')
        if page > 1:
            links.append(f'<{link(1)}>; rel="first"')
            links.append(f'<{link(page - 1)}>; rel="prev"')
        headers = {
            "X-Page": str(page),
            "X-Per-Page": str(per_page),
            "X-Total": str(len(items)),
            "X-Total-Pages": str(pages),
            "X-Next-Page": str(page + 1) if page < pages else "",
            "X-Prev-Page": str(page - 1) if page > 1 else "",
        }
        if links:
            headers["Link"] = ", ".join(links)
        return self._json(200, chunk, headers)

    # -- GitHub REST v3 --------------------------------------------------------------------

    def _github(self, path: str, query: dict[str, list[str]]) -> int:
        forge = self.forge
        github = [r for r in forge.repos if r.platform == "github"]
        if m := re.fullmatch(r"/(orgs|users)/([^/]+)", path):
            owner = forge.github_owner(m.group(2))
            if owner is None or (m.group(1) == "orgs" and owner["type"] != "Organization"):
                return self._json(404, {"message": "Not Found"})
            return self._json(200, owner)
        if m := re.fullmatch(r"/(orgs|users)/([^/]+)/repos", path):
            owner = forge.github_owner(m.group(2))
            if owner is None or (m.group(1) == "orgs" and owner["type"] != "Organization"):
                return self._json(404, {"message": "Not Found"})
            items = [forge.github_repo_json(r) for r in github if r.owner == m.group(2)]
            return self._paginate(items, query, "/api/v3" + path)
        if m := re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)?", path):
            repo = next((r for r in github if r.full_name == m.group(1)), None)
            if repo is None:
                return self._json(404, {"message": "Not Found"})
            rest = m.group(2) or ""
            if not rest:
                return self._json(200, forge.github_repo_json(repo))
            if c := re.fullmatch(r"/(?:commits|branches)/(.+)", rest):
                if repo.empty:
                    return self._json(409, {"message": "Git Repository is empty."})
                sha = forge.head(repo, unquote(c.group(1)))
                if sha is None:
                    return self._json(404, {"message": "Branch not found"})
                if rest.startswith("/branches/"):
                    return self._json(200, {"name": c.group(1), "commit": {"sha": sha}})
                return self._json(200, {"sha": sha, "commit": {"message": "initial"}})
            if c := re.fullmatch(r"/contents/(.+)", rest):
                file_path = unquote(c.group(1))
                content = forge.file_in(repo, file_path, query.get("ref", [None])[0])
                if content is None:
                    return self._json(404, {"message": "Not Found"})
                return self._json(
                    200,
                    {
                        "type": "file",
                        "encoding": "base64",
                        "size": len(content),
                        "name": file_path.rsplit("/", 1)[-1],
                        "path": file_path,
                        "content": base64.encodebytes(content).decode(),
                        "sha": "0" * 40,
                        "url": f"{forge.github_api}/repos/{repo.full_name}/contents/{file_path}",
                    },
                )
        return self._json(404, {"message": "Not Found"})

    # -- GitLab v4 -------------------------------------------------------------------------

    def _gitlab(self, path: str, query: dict[str, list[str]]) -> int:
        forge = self.forge
        gitlab = [r for r in forge.repos if r.platform == "gitlab"]
        # Matched on the raw path: GitLab ids are numbers or URL-encoded full paths.
        raw = urlsplit(self.path).path[len("/api/v4") :]
        if m := re.fullmatch(r"/groups/([^/]+)", raw):
            group = unquote(m.group(1))
            if not any(r.owner == group or r.owner.startswith(group + "/") for r in gitlab):
                return self._json(404, {"message": "404 Group Not Found"})
            return self._json(
                200,
                {
                    "id": 77,
                    "name": group.rsplit("/", 1)[-1],
                    "path": group.rsplit("/", 1)[-1],
                    "full_path": group,
                    "full_name": group.replace("/", " / "),
                    "web_url": f"{forge.url}/groups/{group}",
                    "visibility": "public",
                },
            )
        if m := re.fullmatch(r"/groups/([^/]+)/projects", raw):
            group = unquote(m.group(1))
            subgroups = _true(query.get("include_subgroups", ["false"])[0])
            members = [
                r
                for r in gitlab
                if r.owner == group or (subgroups and r.owner.startswith(group + "/"))
            ]
            if not members and not any(r.owner.startswith(group) for r in gitlab):
                return self._json(404, {"message": "404 Group Not Found"})
            if query.get("archived", [""])[0].lower() in ("false", "0", "f", "no", "n"):
                members = [r for r in members if not r.archived]
            items = [forge.gitlab_project_json(r, False) for r in members]
            return self._paginate(items, query, "/api/v4" + m.group(0))
        if m := re.fullmatch(r"/projects/([^/]+)(/.*)?", raw):
            repo = forge.gitlab_project(m.group(1))
            if repo is None:
                return self._json(404, {"message": "404 Project Not Found"})
            rest = m.group(2) or ""
            if not rest:
                with_license = _true(query.get("license", ["false"])[0])
                return self._json(200, forge.gitlab_project_json(repo, with_license))
            if c := re.fullmatch(r"/repository/(?:commits|branches)/(.+)", rest):
                sha = None if repo.empty else forge.head(repo, unquote(c.group(1)))
                if sha is None:
                    return self._json(404, {"message": "404 Commit Not Found"})
                if "/branches/" in rest:
                    return self._json(200, {"name": unquote(c.group(1)), "commit": {"id": sha}})
                return self._json(200, {"id": sha, "short_id": sha[:8], "title": "initial"})
            if c := re.fullmatch(r"/repository/files/(.+)/raw", rest):
                content = forge.file_in(repo, unquote(c.group(1)), query.get("ref", [None])[0])
                if content is None:
                    return self._json(404, {"message": "404 File Not Found"})
                return self._send(200, content, {"Content-Type": "text/plain; charset=utf-8"})
        return self._json(404, {"message": "404 Not Found"})

    # -- git smart HTTP --------------------------------------------------------------------

    def _git(self, path_info: str, query: str, body: bytes) -> int:
        if not self._authorised():
            return self._send(401, b"Unauthorized\n", {"WWW-Authenticate": 'Basic realm="forge"'})
        if path_info.endswith("/git-upload-pack") and b"want " in body:
            with self.forge._lock:  # a fetch that downloads objects, not a listing of refs
                self.forge.git_fetches.append(path_info.split(".git/")[0].lstrip("/"))
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": str(self.forge.git_root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "GATEWAY_INTERFACE": "CGI/1.1",
        }
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
            env["HTTP_GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        result = subprocess.run(
            ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
        )
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = result.stdout.partition(b"\n\n")
        status = 200
        headers: dict[str, str] = {}
        for line in head.decode("latin-1").splitlines():
            key, _, value = line.partition(":")
            if key.lower() == "status":
                status = int(value.strip().split()[0])
            elif key:
                headers[key.strip()] = value.strip()
        return self._send(status, payload, headers)


@pytest.fixture(name="forge")
def forge_fixture(tmp_path: Path) -> Iterator[ForgeServer]:
    """A loopback GitHub + GitLab with git over HTTP, stopped after the test.

    The collectors' retry backoff is made short and their waiting messages are kept in
    `forge.messages`, so tests stay fast and can assert what a user would have seen.
    """
    from scanner.collectors import forge as forge_options

    saved = forge_options.current_options()
    server = ForgeServer(tmp_path / "forge").start()
    server.messages = []
    forge_options.configure(backoff=0.05, notify=server.messages.append, no_wait=False)
    try:
        yield server
    finally:
        server.stop()
        forge_options.configure(**{f: getattr(saved, f) for f in saved.__dataclass_fields__})
