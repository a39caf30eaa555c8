"""Read and validate a portfolio file: which products exist and where their repositories live.

The file is composed into PyYAML's node tree (safe loader only) so that every value keeps the
line it was written on; each problem is reported as a PortfolioError naming the file, the line
and what is wrong, in one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import Node, ScalarNode, SequenceNode

from scanner.kernel.errors import InputError, PortfolioError
from scanner.kernel.inputs import refuse_scan_root, refuse_special
from scanner.kernel.models import Portfolio, RepositorySpec, SourceKind
from scanner.kernel.yamlfile import YamlReader, read_yaml_file

_TOP_KEYS = ("name", "discover", "products")
_PRODUCT_KEYS = ("name", "repositories")
_SOURCE_KEYS = tuple(kind.value for kind in SourceKind)

# Which options apply to which source kind.
_OPTIONS: dict[SourceKind, tuple[str, ...]] = {
    SourceKind.PATH: (),
    SourceKind.GIT: ("ref",),
    SourceKind.GITHUB: ("ref", "api_url", "status"),
    SourceKind.GITHUB_ORG: ("ref", "api_url", "exclude", "include", "forks", "archived", "status"),
    SourceKind.GITLAB: ("ref", "url", "status"),
    SourceKind.GITLAB_GROUP: ("ref", "url", "exclude", "include", "forks", "archived", "status"),
}
_ALL_OPTIONS = ("ref", "exclude", "include", "api_url", "url", "forks", "archived", "status")
#: what `os2scan discover` found an entry to be; a vanished entry is kept but not scanned
STATUSES = ("archived", "vanished")
VANISHED = "vanished"

_GITHUB_OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"
_GITHUB_REPO = r"(?!\.\.?$)[A-Za-z0-9._-]{1,100}"
_GITHUB_RE = re.compile(rf"{_GITHUB_OWNER}/{_GITHUB_REPO}")
_GITHUB_ORG_RE = re.compile(_GITHUB_OWNER)
_GITLAB_SEGMENT = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?"
_GITLAB_GROUP_RE = re.compile(rf"{_GITLAB_SEGMENT}(?:/{_GITLAB_SEGMENT})*")
_GITLAB_PROJECT_RE = re.compile(rf"{_GITLAB_SEGMENT}(?:/{_GITLAB_SEGMENT})+")
_GIT_URL_RE = re.compile(r"(?:https?|ssh|file)://\S+")
_SCP_LIKE_RE = re.compile(r"[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s:]\S*")
_REF_RE = re.compile(r"(?!-)(?!.*\.\.)[^\s~^:?*\[\\]+")
_HTTP_URL_RE = re.compile(r"https?://[^\s/@]+(?:/\S*)?")


def load_portfolio(path: Path | str) -> Portfolio:
    """Read, validate and return the portfolio at `path`; raise PortfolioError if it is invalid."""
    return _Reader(Path(path)).read()


@dataclass
class _Entry:
    spec: RepositorySpec
    line: int


class _Reader(YamlReader):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path), PortfolioError)
        self.path = path
        self.base = path.parent
        self.seen: dict[tuple[SourceKind, str, str | None], _Entry] = {}

    # -- errors and YAML -------------------------------------------------------------------------

    def error(
        self, message: str, node: Node | None = None, line: int | None = None
    ) -> PortfolioError:
        error = self.fail(node, message, line)
        assert isinstance(error, PortfolioError)
        return error

    def compose(self) -> Node | None:
        try:
            refuse_special(self.path, "portfolio file")
        except InputError as exc:
            raise self.error(exc.message) from None
        return read_yaml_file(self.path, "the portfolio file", self.source, PortfolioError)

    def scalar(self, node: Node, what: str, kind: type | tuple[type, ...], expect: str) -> Any:
        """The Python value of a scalar node, checked against `kind`."""
        if not isinstance(node, ScalarNode):
            raise self.error(f"{what} must be {expect}", node)
        try:
            value = SafeConstructor().construct_object(node, deep=True)
        except ConstructorError as exc:
            raise self.error(f"{what} is not a valid value: {exc.problem}", node) from None
        # bool is an int subclass: only accept it where a bool is expected, and vice versa.
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise self.error(f"{what} must be {expect}", node)
        return value

    def text(self, node: Node, what: str) -> str:
        value = self.scalar(node, what, str, "a string")
        if not value.strip():
            raise self.error(f"{what} must not be empty", node)
        if value != value.strip():
            raise self.error(f"{what} must not start or end with spaces", node)
        return str(value)

    # -- the document ----------------------------------------------------------------------------

    def read(self) -> Portfolio:
        root = self.compose()
        if root is None:
            raise self.error("the portfolio file is empty", line=1)
        top = self.mapping(root, "the portfolio", _TOP_KEYS)
        name = self.path.stem
        if "name" in top:
            name = self.text(top["name"][1], "the portfolio 'name'")
        discover = self.discover(top["discover"][1]) if "discover" in top else ()
        if "products" not in top:
            raise self.error("the portfolio has no 'products' list", root)
        products = self.sequence(top["products"][1], "'products'")
        if not products:
            raise self.error("'products' is empty; list at least one product", top["products"][1])
        specs: list[RepositorySpec] = []
        product_lines: dict[str, int] = {}
        for product_node in products:
            product_name, product_specs = self.product(product_node)
            line = product_node.start_mark.line + 1
            if product_name in product_lines:
                raise self.error(
                    f"product '{product_name}' is listed twice (first on line "
                    f"{product_lines[product_name]})",
                    product_node,
                )
            product_lines[product_name] = line
            specs.extend(product_specs)
        return Portfolio(name=name, specs=tuple(specs), source=self.source, discover=discover)

    def discover(self, node: Node) -> tuple[RepositorySpec, ...]:
        """The organisations and groups `os2scan discover --update` lists again."""
        sources = []
        checker = _Reader(self.path)  # a source may also be an entry of a product
        for item in self.sequence(node, "'discover'"):
            spec = checker.repository("discover", item)
            if spec is None or spec.kind not in (SourceKind.GITHUB_ORG, SourceKind.GITLAB_GROUP):
                raise self.error("each 'discover' entry is a github_org or a gitlab_group", item)
            sources.append(spec)
        return tuple(sources)

    def product(self, node: Node) -> tuple[str, list[RepositorySpec]]:
        items = self.mapping(node, "a product", _PRODUCT_KEYS)
        if "name" not in items:
            raise self.error("a product has no 'name'", node)
        name = self.text(items["name"][1], "a product's 'name'")
        if "repositories" not in items:
            raise self.error(f"product '{name}' has no 'repositories' list", node)
        repo_nodes = self.sequence(items["repositories"][1], f"the repositories of '{name}'")
        if not repo_nodes:
            raise self.error(f"product '{name}' has no repositories", items["repositories"][1])
        specs = [self.repository(name, repo_node) for repo_node in repo_nodes]
        return name, [spec for spec in specs if spec is not None]

    def repository(self, product: str, node: Node) -> RepositorySpec | None:
        """The entry's spec, or None for an entry `discover` marked as vanished."""
        what = f"a repository of '{product}'"
        items = self.mapping(node, what, _SOURCE_KEYS + _ALL_OPTIONS)
        sources = [key for key in items if key in _SOURCE_KEYS]
        if not sources:
            raise self.error(f"{what} has no source; give one of: {', '.join(_SOURCE_KEYS)}", node)
        if len(sources) > 1:
            raise self.error(
                f"{what} has two sources ('{sources[0]}' and '{sources[1]}'); give exactly one",
                items[sources[1]][0],
            )
        kind = SourceKind(sources[0])
        for key, (key_node, _) in items.items():
            if key in _ALL_OPTIONS and key not in _OPTIONS[kind]:
                raise self.error(f"'{key}' does not apply to a '{kind.value}' entry", key_node)
        value_node = items[kind.value][1]
        locator = _LOCATORS[kind](self, value_node)
        options = {key: value for key, (_, value) in items.items() if key in _ALL_OPTIONS}
        ref = self.text(options["ref"], "'ref'") if "ref" in options else None
        if ref is not None and not _REF_RE.fullmatch(ref):
            raise self.error(
                f"'ref' must be a branch, tag or commit name, not '{ref}'", options["ref"]
            )
        api_url = None
        for key in ("api_url", "url"):
            if key in options:
                api_url = self.text(options[key], f"'{key}'")
                if not _HTTP_URL_RE.fullmatch(api_url):
                    raise self.error(
                        f"'{key}' must be an http(s) URL without credentials", options[key]
                    )
        line = node.start_mark.line + 1
        spec = RepositorySpec(
            product=product,
            kind=kind,
            locator=locator,
            ref=ref,
            exclude=self.globs(options, "exclude"),
            include=self.globs(options, "include"),
            api_url=api_url.rstrip("/") if api_url else None,
            include_forks=self.flag(options, "forks"),
            include_archived=self.flag(options, "archived"),
            origin=f"{self.source}:{line}",
            entry=self.text(value_node, f"'{kind.value}'"),
        )
        self.check_duplicate(spec, line, value_node)
        if "status" in options:
            status = self.text(options["status"], "'status'")
            if status not in STATUSES:
                raise self.error(
                    f"'status' must be one of: {', '.join(STATUSES)}, not '{status}'",
                    options["status"],
                )
            if status == VANISHED:
                return None
        return spec

    def globs(self, options: dict[str, Node], key: str) -> tuple[str, ...]:
        if key not in options:
            return ()
        what = f"'{key}'"
        node = options[key]
        if not isinstance(node, SequenceNode):
            raise self.error(f"{what} must be a list of glob patterns", node)
        return tuple(self.text(item, f"each pattern of {what}") for item in node.value)

    def flag(self, options: dict[str, Node], key: str) -> bool:
        if key not in options:
            return False
        return bool(self.scalar(options[key], f"'{key}'", bool, "true or false"))

    def check_duplicate(self, spec: RepositorySpec, line: int, node: Node) -> None:
        locator = spec.locator
        if spec.kind not in (SourceKind.PATH, SourceKind.GIT):
            locator = locator.lower()
        elif spec.kind is SourceKind.GIT:
            locator = locator.rstrip("/").removesuffix(".git")
        key = (spec.kind, f"{spec.api_url or ''} {locator}", spec.ref)
        first = self.seen.get(key)
        if first is not None:
            raise self.error(
                f"{spec.kind.value} '{spec.locator}' is listed twice (first on line {first.line}, "
                f"product '{first.spec.product}')",
                node,
            )
        self.seen[key] = _Entry(spec, line)

    # -- locators, one per source kind -----------------------------------------------------------

    def local_path(self, node: Node) -> str:
        raw = self.text(node, "'path'")
        resolved = (self.base / Path(raw).expanduser()).resolve()
        try:
            refuse_scan_root(resolved, f"path '{raw}'")
        except InputError as exc:
            raise self.error(exc.message, node) from None
        if not resolved.exists():
            raise self.error(f"path '{raw}' does not exist (looked for {resolved})", node)
        if not resolved.is_dir():
            raise self.error(f"path '{raw}' is not a directory", node)
        return str(resolved)

    def git_url(self, node: Node) -> str:
        raw = self.text(node, "'git'")
        if _GIT_URL_RE.fullmatch(raw) or _SCP_LIKE_RE.fullmatch(raw):
            if re.match(r"https?://[^/\s]*@", raw) or re.match(r"[a-z]+://[^/\s@]*:[^/\s@]*@", raw):
                raise self.error(
                    "the git URL contains credentials; remove them and use a credential helper "
                    "or the GITHUB_TOKEN/GITLAB_TOKEN variables",
                    node,
                )
            return raw
        if raw.startswith("-"):
            raise self.error(f"'git' value '{raw}' is not a URL or a path", node)
        resolved = (self.base / Path(raw).expanduser()).resolve()
        if resolved.is_dir():
            return str(resolved)
        raise self.error(
            f"'git' value '{raw}' is neither a URL (https://, http://, ssh://, git@host:path, "
            "file://) nor an existing directory",
            node,
        )

    def github(self, node: Node) -> str:
        value = self.text(node, "'github'")
        if not _GITHUB_RE.fullmatch(value):
            raise self.error(f"'github' must be 'owner/name', not '{value}'", node)
        return value

    def github_org(self, node: Node) -> str:
        value = self.text(node, "'github_org'")
        if not _GITHUB_ORG_RE.fullmatch(value):
            raise self.error(
                f"'github_org' must be an organisation name without '/', not '{value}'", node
            )
        return value

    def gitlab(self, node: Node) -> str:
        value = self.text(node, "'gitlab'").strip("/")
        if not _GITLAB_PROJECT_RE.fullmatch(value):
            raise self.error(
                f"'gitlab' must be 'group/project' (subgroups allowed), not '{value}'", node
            )
        return value

    def gitlab_group(self, node: Node) -> str:
        value = self.text(node, "'gitlab_group'").strip("/")
        if not _GITLAB_GROUP_RE.fullmatch(value):
            raise self.error(
                f"'gitlab_group' must be a group path such as 'group/subgroup', not '{value}'", node
            )
        return value


_LOCATORS: dict[SourceKind, Callable[[_Reader, Node], str]] = {
    SourceKind.PATH: _Reader.local_path,
    SourceKind.GIT: _Reader.git_url,
    SourceKind.GITHUB: _Reader.github,
    SourceKind.GITHUB_ORG: _Reader.github_org,
    SourceKind.GITLAB: _Reader.gitlab,
    SourceKind.GITLAB_GROUP: _Reader.gitlab_group,
}
