"""Every parser of outside input, fuzzed: it returns data or raises os2scan's own input errors.

User files (portfolio, policy) may only raise `InputError` (and its `PortfolioError`); the
readers of files inside a scanned repository never raise at all, they record the problem.
Examples are few (tens) so the suite stays fast; hypothesis keeps the failing ones it finds.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hostile_helpers import FAKE_GITHUB_TOKEN, FAKE_GITLAB_TOKEN
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rules.policy import Policy, load_policy
from scanner.analysis import declared
from scanner.analysis.prefilter import find_notices, header_facts
from scanner.kernel import globs, licenses
from scanner.kernel.errors import InputError, PortfolioError
from scanner.kernel.models import DeclaredSource, Portfolio, RepoFacts
from scanner.kernel.redact import MASK, one_line, redact, strip_url_credentials
from scanner.portfolio import load_portfolio

pytestmark = pytest.mark.slow

#: OS2SCAN_FUZZ_EXAMPLES=2000 fuzzes longer, by hand; the suite keeps to a few dozen.
FUZZ = settings(
    max_examples=int(os.environ.get("OS2SCAN_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Words the parsers know, so generated documents reach past the first check.
WORDS = [
    "name", "products", "repositories", "path", "git", "github", "github_org", "gitlab",
    "gitlab_group", "ref", "exclude", "include", "api_url", "url", "forks", "archived",
    "extends", "severity", "licenses", "owners", "waivers", "rule", "repository", "reason",
    "expires", "approved_by", "decision", "declared_allowed", "denied", "denied_categories",
    "documentation_allowed", "expected", "license-file", "file-header", "error", "warning",
    "off", "os2", "MPL-2.0", "MIT OR Apache-2.0", "GPL-3.0+", ".", "..", "-x", "2030-01-01",
    "license", "legal", "annotations", "SPDX-License-Identifier", "**", "*", "~", "null",
]  # fmt: skip

def _pieces(pieces: list[str], max_size: int = 40) -> st.SearchStrategy[str]:
    """Texts made of these pieces (characters or whole words)."""
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


scalars = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.dates(),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(WORDS), children, max_size=5),
    ),
    max_leaves=25,
)
yaml_texts = st.one_of(
    documents.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    _pieces(list(":-[]{}!&*#|>'\"\n\t ,?%@`abc01") + WORDS + ["&a ", "*a", "<<: *a", "\n  "]),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return path


@FUZZ
@given(text=yaml_texts)
def test_portfolio_loader_returns_a_portfolio_or_raises_portfolio_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), "portfolio.yaml", text.encode("utf-8", "surrogatepass"))
        try:
            loaded = load_portfolio(path)
        except PortfolioError as exc:
            assert str(exc)  # noqa: PT017 - a value or this one error, either is fine
            assert "\n" not in exc.message  # noqa: PT017 - one line, whatever went wrong
        else:
            assert isinstance(loaded, Portfolio)


@FUZZ
@given(text=yaml_texts)
def test_policy_loader_returns_a_policy_or_raises_input_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), "policy.yaml", text.encode("utf-8", "surrogatepass"))
        try:
            loaded = load_policy(path)
        except InputError as exc:
            assert str(exc)  # noqa: PT017 - a value or this one error, either is fine
        else:
            assert isinstance(loaded, Policy)


json_texts = st.one_of(
    st.recursive(
        st.one_of(st.sampled_from(WORDS), st.integers(), st.none(), st.booleans()),
        lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.sampled_from(WORDS), c)),
        max_leaves=15,
    ).map(json.dumps),
    _pieces(list('{}[]":,\\ 0123-eE.truefalsn') + WORDS),
)
any_text = st.one_of(
    st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))
)

MANIFEST_TEXTS = {
    "package.json": json_texts,
    "composer.json": json_texts,
    "pyproject.toml": st.one_of(
        any_text,
        _pieces([*list('[]="\n .{},'), "project", "license", "tool", "poetry", "text", "MIT"]),
    ),
    "setup.cfg": st.one_of(any_text, st.just("[metadata]\nlicense = ").map(lambda s: s + "x")),
    "setup.py": st.one_of(any_text, st.just("setup(license=").map(lambda s: s + "1)")),
    "pom.xml": st.one_of(
        any_text,
        _pieces(["<", ">", "/", "project", "licenses", "license",
                                          "name", "MIT", "&", ";", "!", "--", " "]),
    ),
    "publiccode.yml": yaml_texts,
    "REUSE.toml": st.one_of(any_text, st.just('version = 1\n[[annotations]]\npath = "')),
    ".reuse/dep5": st.one_of(
        any_text,
        st.lists(st.sampled_from(["Files: *", "License: MIT", "Copyright: X", "", " x", "#"]))
        .map("\n".join),
    ),
    "App.csproj": any_text,
}


@FUZZ
@given(contents=st.fixed_dictionaries({}, optional=MANIFEST_TEXTS))
def test_declared_readers_never_raise_on_what_a_repository_contains(
    contents: dict[str, str],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in contents.items():
            _write(root, name, text.encode("utf-8", "surrogatepass"))
        facts = declared.read_facts(root, ())
    assert isinstance(facts, RepoFacts)
    for source in facts.declared_sources:
        assert isinstance(source, DeclaredSource)
        assert source.error is None or "\n" not in source.error
    if facts.declared_license is not None:
        assert licenses.normalise(facts.declared_license) is not None


@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=80),
        st.lists(
            st.sampled_from(["MIT", "mit", "Apache-2.0", "GPL-2.0+", "gpl-3.0-plus", "AND",
                             "OR", "WITH", "Classpath-exception-2.0", "(", ")", "LicenseRef-x",
                             "Apache License 2.0", "/", "and", "or", "::", "+", "  "]),
            max_size=8,
        ).map(" ".join),
    )
)
def test_licence_normalisation_returns_an_expression_or_none(text: str) -> None:
    result = licenses.normalise(text)
    assert result is None or isinstance(result, str)
    if result is not None:
        assert licenses.normalise(result) is not None  # a normalised expression stays valid
        assert isinstance(licenses.simplify(result), str)
    assert isinstance(licenses.validate(text), list)
    assert isinstance(licenses.license_keys(result), list)


@FUZZ
@given(text=st.text(max_size=400))
def test_header_and_notice_readers_accept_any_text(text: str) -> None:
    spdx, has_copyright = header_facts(text)
    assert spdx is None or isinstance(spdx, str)
    assert isinstance(has_copyright, bool)
    assert isinstance(find_notices(text), tuple)


separators = st.sampled_from([" ", "\n", "'", '"', "=", ":", "/", "(", "[", ",", "\t", "@"])


@FUZZ
@given(
    before=st.text(max_size=40),
    after=st.text(max_size=40),
    left=separators,
    right=separators,
    token=st.sampled_from([FAKE_GITHUB_TOKEN, FAKE_GITLAB_TOKEN]),
)
def test_redaction_removes_a_token_shaped_secret_from_any_text(
    before: str, after: str, left: str, right: str, token: str
) -> None:
    text = f"{before}{left}{token}{right}{after}"
    assert token not in redact(text)
    assert token not in one_line(text)
    url = f"https://x-access-token:{token}@127.0.0.1/{after}"
    assert token not in redact(url)
    assert token not in strip_url_credentials(url)


@FUZZ
@given(before=st.text(max_size=40), after=st.text(max_size=40), secret=st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=12, max_size=40))
def test_redaction_removes_the_value_of_a_token_variable_wherever_it_appears(
    before: str, after: str, secret: str
) -> None:
    assume(secret.strip() == secret)
    old = os.environ.get("GITLAB_TOKEN")
    os.environ["GITLAB_TOKEN"] = secret
    try:
        cleaned = redact(before + secret + after)
    finally:
        if old is None:
            os.environ.pop("GITLAB_TOKEN", None)
        else:
            os.environ["GITLAB_TOKEN"] = old
    assert secret not in cleaned
    assert MASK in cleaned


@FUZZ
@given(text=st.text(max_size=200))
def test_url_credential_stripping_never_raises(text: str) -> None:
    assert isinstance(strip_url_credentials(text), str)
    assert isinstance(redact(text), str)


@FUZZ
@given(
    glob=_pieces(["a", "b", "/", "*", "**", "?", "\\*", "\\\\", "."], max_size=10),
    path=_pieces(["a", "b", "/", "*", ".", "\\"], max_size=12),
)
def test_reuse_globs_with_many_wildcards_match_as_the_regular_expression_would(
    glob: str, path: str
) -> None:
    tokens = globs._glob_tokens(glob)
    regex = {globs._STAR: "[^/]*", globs._DSTAR: ".*"}
    pattern = "".join(re.escape(ch) if kind == globs._LITERAL else regex[kind]
                      for kind, ch in tokens)
    expected = re.match(pattern + r"\Z", path, re.DOTALL) is not None
    assert globs._glob_steps(tokens, path) is expected
    bare = path.removeprefix("./")
    assert globs.reuse_glob_match(glob, path) is (
        re.match(pattern + r"\Z", bare, re.DOTALL) is not None
    )
