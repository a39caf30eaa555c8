"""Secrets: tokens in the environment never reach anything os2scan prints, logs, stores or writes.

A full scan (a path, a git file:// URL, a GitHub and a GitLab repository on a loopback forge
that demands the tokens, and entries that fail) runs as a real process with fake tokens set,
debug logs on and every report written; then every byte it wrote is searched for the tokens,
in plain text and in the Basic authorisation form git sends them in.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from forge_server import ForgeServer
from hostile_helpers import (
    FAKE_GITHUB_TOKEN,
    FAKE_GITLAB_TOKEN,
    bytes_under,
    child_env,
    make_repo,
    mpl_files,
    run_subprocess,
)

from scanner.gitutil import run_git
from scanner.kernel.errors import CollectorError
from scanner.kernel.redact import redact

pytestmark = pytest.mark.security


def _needles(*tokens: str) -> list[bytes]:
    found = []
    for token in tokens:
        found.append(token.encode())
        for user in ("x-access-token", "oauth2", "gitlab-ci-token", ""):
            found.append(base64.b64encode(f"{user}:{token}".encode()))
    return found


def _portfolio(tmp_path: Path, github: ForgeServer, gitlab: ForgeServer) -> Path:
    local = make_repo(tmp_path / "local", mpl_files("local"))
    remote = make_repo(tmp_path / "remote", mpl_files("remote"))
    text = f"""name: Secrets
products:
  - name: Everything
    repositories:
      - path: {local}
      - git: {remote.as_uri()}
      - github: acme/widget
        api_url: {github.github_api}
      - gitlab: magenta/os2/core
        url: {gitlab.gitlab_url}
      - github: acme/does-not-exist
        api_url: {github.github_api}
      - git: {github.url}/git/github/acme/missing.git
"""
    path = tmp_path / "portfolio.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.scancode
def test_a_full_scan_with_tokens_set_writes_them_nowhere(tmp_path: Path) -> None:
    source = make_repo(tmp_path / "forge-source", mpl_files("forged"))
    github = ForgeServer(tmp_path / "github", token=FAKE_GITHUB_TOKEN).start()
    gitlab = ForgeServer(tmp_path / "gitlab", token=FAKE_GITLAB_TOKEN).start()
    try:
        github.add_github_repo("acme/widget", source, license="MPL-2.0")
        gitlab.add_gitlab_project("magenta/os2/core", source, license="MPL-2.0")
        portfolio = _portfolio(tmp_path, github, gitlab)
        env = child_env(GITHUB_TOKEN=FAKE_GITHUB_TOKEN, GITLAB_TOKEN=FAKE_GITLAB_TOKEN,
                        HOME=str(tmp_path / "home"))
        (tmp_path / "home").mkdir()
        out = tmp_path / "reports"

        done = run_subprocess(
            "-vv", "scan", str(portfolio), "--db", str(tmp_path / "db" / "os2scan.sqlite"),
            "--workspace", str(tmp_path / "workspace"), "--out", str(out), "--jobs", "1",
            "--no-wait", env=env, cwd=tmp_path,
        )
    finally:
        github.stop()
        gitlab.stop()

    assert done.returncode == 3, done.stderr.decode()[-2000:]  # two entries cannot be collected
    assert b"Traceback" not in done.stderr
    assert b"DEBUG" in done.stderr  # the debug log was on
    # The forges were reached with the tokens: the GitHub and GitLab repositories were scanned.
    assert f"token {FAKE_GITHUB_TOKEN}" in github.authorizations("/api/v3/")
    assert (out / "report.json").is_file()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    errors = {r["name"]: r["error"] for r in report["repositories"]}
    assert errors["acme/widget"] is None, errors
    assert errors["magenta/os2/core"] is None, errors
    assert sum(e is not None for e in errors.values()) == 2, errors
    written = [("stdout", done.stdout), ("stderr", done.stderr)]
    written += [(str(p.relative_to(tmp_path)), data) for p, data in bytes_under([tmp_path])]
    assert any(name.endswith(".git/config") for name, _ in written)
    assert any("os2scan.sqlite" in name for name, _ in written)
    for needle in _needles(FAKE_GITHUB_TOKEN, FAKE_GITLAB_TOKEN):
        leaks = [name for name, data in written if needle in data]
        assert not leaks, f"a token was written to {leaks}"


def test_a_git_error_naming_a_secret_comes_out_redacted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", "plain-secret-value-42")
    for url in (
        f"https://x-access-token:{FAKE_GITHUB_TOKEN}@127.0.0.1:9/acme/x.git",
        f"{(tmp_path / FAKE_GITHUB_TOKEN).as_uri()}",
        f"{(tmp_path / 'plain-secret-value-42').as_uri()}",
        f"https://oauth2:{FAKE_GITLAB_TOKEN}@127.0.0.1:9/g/p.git",
    ):
        with pytest.raises(CollectorError) as failure:
            run_git(["ls-remote", url], cwd=tmp_path, timeout=30, allow_file_protocol=True)
        message = str(failure.value)
        assert "\n" not in message
        for secret in (FAKE_GITHUB_TOKEN, FAKE_GITLAB_TOKEN, "plain-secret-value-42"):
            assert secret not in message, message


def test_redaction_covers_the_forms_secrets_take_in_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "an-unusual-secret-0000")
    texts = [
        f"fatal: unable to access 'https://user:{FAKE_GITHUB_TOKEN}@github.com/a/b.git/'",
        f"Authorization: Bearer {FAKE_GITHUB_TOKEN}",
        f"PRIVATE-TOKEN: {FAKE_GITLAB_TOKEN}",
        f'{{"message": "Bad credentials", "token": "{FAKE_GITHUB_TOKEN}"}}',
        "request to https://api.example.org/?token=an-unusual-secret-0000 failed",
        f"http.https://github.com/.extraheader=AUTHORIZATION: basic {FAKE_GITHUB_TOKEN}",
    ]
    for text in texts:
        cleaned = redact(text)
        assert FAKE_GITHUB_TOKEN not in cleaned, cleaned
        assert FAKE_GITLAB_TOKEN not in cleaned, cleaned
        assert "an-unusual-secret-0000" not in cleaned
    assert os.environ["GITHUB_TOKEN"] == "an-unusual-secret-0000"
