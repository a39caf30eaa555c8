"""A repository's own os2scan settings: `.os2scan.yml` (or `.os2scan.yaml`) at its root.

It holds what the people who know the repository say about it, today its component
curations (see scanner/curations.py):

    components:
      - path: web/static/vendor/quillwork
        name: Quillwork
        reason: ...

A file that is not valid is an InputError naming the file and line (exit 2 in `check`); in a
portfolio scan the repository is recorded as failed with that message.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode

from scanner.kernel.curations import curations_from_node
from scanner.kernel.errors import InputError
from scanner.kernel.models import ComponentCuration
from scanner.kernel.yamlfile import compose_yaml, node_line

CONFIG_NAMES = (".os2scan.yml", ".os2scan.yaml")
MAX_CONFIG_BYTES = 1_000_000
_KEYS = ("components",)


def repository_config(root: Path) -> Path | None:
    """The settings file of the checkout at `root`, if it has one."""
    for name in CONFIG_NAMES:
        path = Path(root) / name
        if path.is_file() and not path.is_symlink():
            return path
    return None


def read_repository_curations(root: Path) -> tuple[ComponentCuration, ...]:
    """The component curations of the repository at `root` (none without a settings file)."""
    path = repository_config(root)
    if path is None:
        return ()
    source = path.name
    try:
        data = path.read_bytes()[: MAX_CONFIG_BYTES + 1]
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", source) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise InputError(f"larger than {MAX_CONFIG_BYTES} bytes", source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source) from None
    node = compose_yaml(text, "the file", source)
    if node is None:
        return ()
    if not isinstance(node, MappingNode):
        raise InputError("must be a mapping (components: [...])", source, node_line(node))
    curations: tuple[ComponentCuration, ...] = ()
    for key, value in node.value:
        if not isinstance(key, ScalarNode) or key.value not in _KEYS:
            shown = key.value if isinstance(key, ScalarNode) else "?"
            raise InputError(
                f"unknown key '{shown}' (expected one of: {', '.join(_KEYS)})",
                source,
                node_line(key),
            )
        curations = curations_from_node(value, source)
    return curations
