"""The portfolio file: what a valid one yields, and the file, line and sentence of each mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scanner.kernel.errors import InputError, PortfolioError
from scanner.kernel.models import SourceKind
from scanner.portfolio import load_portfolio


def write(tmp_path: Path, text: str, name: str = "portfolio.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def error_of(path: Path) -> PortfolioError:
    with pytest.raises(PortfolioError) as caught:
        load_portfolio(path)
    return caught.value


def assert_one_sentence(error: PortfolioError) -> None:
    assert "\n" not in str(error)
    assert "Traceback" not in str(error)


def test_valid_portfolio_with_all_six_source_kinds(tmp_path: Path) -> None:
    (tmp_path / "local" / "checkout").mkdir(parents=True)
    (tmp_path / "mirror").mkdir()
    path = write(
        tmp_path,
        """
        name: OS2
        products:
          - name: OS2mo
            repositories:
              - github_org: OS2mo            # every repository of the organisation
                exclude: ["*-archive"]
                include: ["os2mo*"]
                forks: true
                archived: false
              - github: OS2offdig/os2-docs-template
                api_url: https://ghe.example.org/api/v3/
              - gitlab_group: magenta/os2mo
                url: https://git.magenta.dk
                archived: true
              - gitlab: magenta/os2mo/core
                ref: v1.2
          - name: Other
            repositories:
              - git: https://example.org/x.git
                ref: main
              - path: local/checkout
              - git: mirror
        """,
    )
    portfolio = load_portfolio(path)

    assert portfolio.name == "OS2"
    assert portfolio.source == str(path)
    specs = portfolio.specs
    assert [s.kind for s in specs] == [
        SourceKind.GITHUB_ORG,
        SourceKind.GITHUB,
        SourceKind.GITLAB_GROUP,
        SourceKind.GITLAB,
        SourceKind.GIT,
        SourceKind.PATH,
        SourceKind.GIT,
    ]
    assert [s.product for s in specs] == ["OS2mo"] * 4 + ["Other"] * 3
    org, repo, group, project, git, local, mirror = specs

    assert org.locator == "OS2mo"
    assert org.exclude == ("*-archive",)
    assert org.include == ("os2mo*",)
    assert org.include_forks is True
    assert org.include_archived is False
    assert org.origin == f"{path}:5"

    assert repo.locator == "OS2offdig/os2-docs-template"
    assert repo.api_url == "https://ghe.example.org/api/v3"
    assert repo.name == "os2-docs-template"
    assert repo.origin == f"{path}:10"

    assert group.locator == "magenta/os2mo"
    assert group.api_url == "https://git.magenta.dk"
    assert group.include_archived is True
    assert group.include_forks is False

    assert project.locator == "magenta/os2mo/core"
    assert project.ref == "v1.2"
    assert project.api_url is None

    assert git.locator == "https://example.org/x.git"
    assert git.ref == "main"
    assert git.name == "x"

    assert local.locator == str((tmp_path / "local" / "checkout").resolve())
    assert Path(local.locator).is_absolute()
    assert local.ref is None
    assert local.origin == f"{path}:21"

    assert mirror.locator == str((tmp_path / "mirror").resolve())


def test_path_is_relative_to_the_portfolio_file_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "conf" / "repo").mkdir(parents=True)
    path = write(
        tmp_path / "conf",
        """
        products:
          - name: P
            repositories:
              - path: repo
        """,
    )
    monkeypatch.chdir(tmp_path)
    portfolio = load_portfolio(Path("conf/portfolio.yaml"))
    assert portfolio.specs[0].locator == str((tmp_path / "conf" / "repo").resolve())
    assert portfolio.name == "portfolio"  # no name: the file's stem
    assert portfolio.specs[0].origin == "conf/portfolio.yaml:4"
    assert path.exists()


def test_portfolio_error_is_an_input_error_with_exit_code_2() -> None:
    assert issubclass(PortfolioError, InputError)
    assert PortfolioError("x").exit_code == 2


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param(
            """
            name: OS2
            products:
              - name: [unclosed
            """,
            4,
            ["not valid YAML"],
            id="bad-yaml",
        ),
        pytest.param(
            """
            name: OS2
            products:
              - name: A
                repositories:
                  - github: a/b
                    reff: main
            """,
            6,
            ["unknown key 'reff'", "ref"],
            id="unknown-repository-key",
        ),
        pytest.param(
            """
            name: OS2
            owner: me
            products: []
            """,
            2,
            ["unknown key 'owner'"],
            id="unknown-top-key",
        ),
        pytest.param(
            """
            products:
              - name: A
                repos: []
            """,
            3,
            ["unknown key 'repos'"],
            id="unknown-product-key",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github: a/b
                    git: https://example.org/b.git
            """,
            5,
            ["two sources", "github", "git"],
            id="two-sources",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - ref: main
            """,
            4,
            ["no source"],
            id="no-source",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - path: ../does-not-exist
            """,
            4,
            ["does not exist", "../does-not-exist"],
            id="missing-path",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github_org: OS2mo
                    forks: "yes please"
            """,
            5,
            ["'forks'", "true or false"],
            id="wrong-type-bool",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github_org: OS2mo
                    exclude: "*-archive"
            """,
            5,
            ["'exclude'", "list"],
            id="wrong-type-list",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - git: https://example.org/x.git
                    ref: 1.0
            """,
            5,
            ["'ref'", "string"],
            id="wrong-type-ref",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - git: https://example.org/x.git
                    ref: --upload-pack=touch
            """,
            5,
            ["'ref'", "branch, tag or commit"],
            id="ref-that-looks-like-an-option",
        ),
        pytest.param(
            """
            products:
              name: A
            """,
            2,
            ["'products'", "list"],
            id="products-not-a-list",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github: os2mo
            """,
            4,
            ["'github'", "owner/name"],
            id="bad-github-format",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github: os2mo/a/b
            """,
            4,
            ["owner/name"],
            id="github-too-many-parts",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github_org: OS2mo/os2mo
            """,
            4,
            ["'github_org'", "without '/'"],
            id="bad-github-org-format",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - gitlab: justaproject
            """,
            4,
            ["'gitlab'", "group/project"],
            id="bad-gitlab-format",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - git: not a url
            """,
            4,
            ["'git'", "URL"],
            id="git-not-a-url",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - git: https://user:hunter2@example.org/x.git
            """,
            4,
            ["credentials"],
            id="git-url-with-credentials",
        ),
        pytest.param(
            """
            products:
              - repositories:
                  - github: a/b
            """,
            2,
            ["product has no 'name'"],
            id="product-without-name",
        ),
        pytest.param(
            """
            products:
              - name: ""
                repositories:
                  - github: a/b
            """,
            2,
            ["'name'", "empty"],
            id="product-with-empty-name",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github: OS2mo/core
              - name: B
                repositories:
                  - github: os2mo/Core
            """,
            7,
            ["listed twice", "line 4", "'A'"],
            id="duplicate-repository",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github: a/b
              - name: A
                repositories:
                  - github: a/c
            """,
            5,
            ["product 'A'", "twice"],
            id="duplicate-product",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github: a/b
                    exclude: ["x"]
            """,
            5,
            ["'exclude' does not apply", "github"],
            id="option-for-another-kind",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github: a/b
                    ref: main
                    ref: dev
            """,
            6,
            ["'ref'", "twice"],
            id="duplicate-key",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories:
                  - github: a/b
                    api_url: ftp://ghe.example.org
            """,
            5,
            ["'api_url'", "URL"],
            id="api-url-not-http",
        ),
        pytest.param(
            """
            products:
              - name: A
                repositories: []
            """,
            3,
            ["no repositories"],
            id="product-without-repositories",
        ),
        pytest.param(
            """
            name: OS2
            """,
            1,
            ["no 'products'"],
            id="no-products",
        ),
        pytest.param(
            """
            - a
            - b
            """,
            1,
            ["mapping"],
            id="top-level-list",
        ),
    ],
)
def test_each_mistake_names_the_file_and_line(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    path = write(tmp_path, text)
    error = error_of(path)
    assert error.source == str(path)
    assert error.line == line
    assert str(error).startswith(f"{path}:{line}: ")
    for word in words:
        assert word in error.message
    assert_one_sentence(error)


def test_path_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "README").write_text("x", encoding="utf-8")
    path = write(
        tmp_path,
        """
        products:
          - name: A
            repositories:
              - path: README
        """,
    )
    error = error_of(path)
    assert error.line == 4
    assert "not a directory" in error.message


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing here\n")
    error = error_of(path)
    assert (error.source, error.line) == (str(path), 1)
    assert "empty" in error.message


def test_missing_file(tmp_path: Path) -> None:
    error = error_of(tmp_path / "nope.yaml")
    assert error.source == str(tmp_path / "nope.yaml")
    assert "does not exist" in error.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.yaml"
    path.write_bytes(b"name: OS2\nproducts:\n  - name: \xff\xfe\n")
    error = error_of(path)
    assert error.line == 3
    assert "UTF-8" in error.message


def test_yaml_tags_are_never_constructed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        name: !!python/object/apply:os.system ["echo hacked"]
        products: []
        """,
    )
    error = error_of(path)
    assert error.line == 1
    assert_one_sentence(error)


def test_scp_like_and_file_urls_are_accepted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        products:
          - name: A
            repositories:
              - git: git@github.com:OS2mo/os2mo.git
              - git: ssh://git@example.org/x.git
              - git: file:///srv/git/x.git
              - git: http://example.org/y
        """,
    )
    locators = [s.locator for s in load_portfolio(path).specs]
    assert locators == [
        "git@github.com:OS2mo/os2mo.git",
        "ssh://git@example.org/x.git",
        "file:///srv/git/x.git",
        "http://example.org/y",
    ]


def test_same_url_with_different_refs_is_not_a_duplicate(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        products:
          - name: A
            repositories:
              - git: https://example.org/x.git
                ref: main
              - git: https://example.org/x.git
                ref: stable
        """,
    )
    assert [s.ref for s in load_portfolio(path).specs] == ["main", "stable"]
