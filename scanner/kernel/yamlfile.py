"""The one YAML reader of the files people write for os2scan (portfolios and policies).

Both are read the same way: bytes decoded as UTF-8 with or without a byte-order mark, composed
into YAML nodes (never constructed into arbitrary objects), and walked by a `YamlReader` that
knows the line of every node. Every problem becomes one error naming the file, the line and
one sentence, so a typo in either file reads the same.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from scanner.kernel.errors import InputError

NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"


def node_line(node: Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def read_yaml_file(
    path: Path, what: str, source: str | None = None, error: type[InputError] = InputError
) -> Node | None:
    """The YAML nodes of the file at `path` (None when it holds no document).

    `what` names the file in messages ("the portfolio file"); `source` is how errors name it
    (default: the path as given).
    """
    source = source or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{what} does not exist", source) from None
    except IsADirectoryError:
        raise error(f"{what} is a directory, not a file", source) from None
    except OSError as exc:
        raise error(f"{what} cannot be read: {exc.strerror}", source) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{what} is not UTF-8 text", source, line) from None
    return compose_yaml(text, what, source, error)


def compose_yaml(
    text: str, what: str, source: str, error: type[InputError] = InputError
) -> Node | None:
    """The YAML nodes of `text`; a syntax error names its line."""
    try:
        node: Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "unreadable YAML"
        if exc.context and problem.startswith("but "):
            problem = f"{exc.context}, {problem}"
        line = mark.line + 1 if mark else None
        raise error(f"{what} is not valid YAML: {problem}", source, line) from None
    except yaml.YAMLError as exc:
        raise error(f"{what} is not valid YAML: {' '.join(str(exc).split())}", source) from None
    except RecursionError:
        raise error(f"{what} is nested too deeply", source) from None
    return node


class YamlReader:
    """Walks YAML nodes, raising `error` at the line of the node that does not validate."""

    def __init__(self, source: str, error: type[InputError] = InputError) -> None:
        self.source = source
        self.error_type = error

    def fail(self, node: Node | None, message: str, line: int | None = None) -> InputError:
        """The error to raise for `node` (or for `line` when there is no node)."""
        line = node_line(node) if node is not None else line
        return self.error_type(message, self.source, line)

    def mapping(
        self, node: Node, what: str, allowed: tuple[str, ...]
    ) -> dict[str, tuple[Node, Node]]:
        """A mapping's keys with their key and value nodes; any other key, a key that is not a
        plain name, or a repeated key fails."""
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        items: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != STR_TAG:
                raise self.fail(key_node, f"{what} has a key that is not a plain name")
            key = str(key_node.value)
            if key in items:
                raise self.fail(key_node, f"the key '{key}' appears twice in {what}")
            if key not in allowed:
                raise self.fail(
                    key_node,
                    f"unknown key '{key}' in {what} (expected one of: {', '.join(allowed)})",
                )
            items[key] = (key_node, value_node)
        return items

    def sequence(self, node: Node, what: str, *, null_is_empty: bool = False) -> list[Node]:
        """A list's item nodes (an empty value is an empty list when `null_is_empty`)."""
        if null_is_empty and is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)


def is_null(node: Node) -> bool:
    """An empty value (`key:` or `key: null`)."""
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG
