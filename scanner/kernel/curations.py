"""Component curations: how people correct what component detection found.

The same list is read from a policy's `components:` key and from a repository's own
`.os2scan.yml`. Each entry names a glob on a component's root path, what to do, and why:

    components:
      - path: web/static/vendor/quillwork   # a glob; `*` and `**` match across folders
        name: Quillwork                      # name: set name, version or licence
        version: 2.1.0
        license: GPL-2.0-or-later
        reason: The editor's own LICENSE.md is a modified text scancode does not know
      - path: static/js/lib/*
        merge: js-libraries                  # merge: the matches become one component
        reason: One bundle, upgraded together
      - path: src/legacy/*
        ignore: true                         # ignore: not a component, first-party work
        reason: Written by us, only placed in a vendor folder by the build
      - path: src/radius
        declare: pyrad                       # declare: a component, detected or not
        license: BSD-3-Clause
        reason: A copied-in RADIUS library without its licence file

Every error names the file and line of the YAML node it is about.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from scanner.kernel import licenses
from scanner.kernel.errors import InputError
from scanner.kernel.models import ComponentCuration, CurationAction
from scanner.kernel.yamlfile import node_line

_KEYS = ("path", "reason", "name", "version", "license", "merge", "ignore", "declare")
_ACTIONS = ("name", "merge", "ignore", "declare")
_NULL_TAG = "tag:yaml.org,2002:null"


def _text(node: Node, what: str, source: str) -> str:
    if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG or not str(node.value).strip():
        raise InputError(f"'{what}' must be a non-empty text value", source, node_line(node))
    return str(node.value).strip()


def curations_from_node(node: Node, source: str) -> tuple[ComponentCuration, ...]:
    """The curations of a `components:` YAML node; InputError (file:line) when malformed."""
    if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
        return ()
    if not isinstance(node, SequenceNode):
        raise InputError("'components' must be a list of curations", source, node_line(node))
    return tuple(_curation(item, source) for item in node.value)


def _curation(node: Node, source: str) -> ComponentCuration:
    if not isinstance(node, MappingNode):
        raise InputError(
            "a component curation must be a mapping with path, reason and an action",
            source,
            node_line(node),
        )
    values: dict[str, Node] = {}
    for key, value in node.value:
        if not isinstance(key, ScalarNode) or key.value not in _KEYS:
            shown = key.value if isinstance(key, ScalarNode) else "?"
            raise InputError(
                f"unknown key '{shown}' in a component curation (expected one of: "
                f"{', '.join(_KEYS)})",
                source,
                node_line(key),
            )
        if key.value in values:
            raise InputError(f"the key '{key.value}' appears twice", source, node_line(key))
        values[key.value] = value
    for required in ("path", "reason"):
        if required not in values:
            raise InputError(f"a component curation needs a '{required}'", source, node_line(node))
    actions = [a for a in ("merge", "ignore", "declare") if a in values]
    if len(actions) > 1:
        raise InputError(
            f"a component curation takes one action, not {' and '.join(actions)}",
            source,
            node_line(node),
        )
    action = CurationAction(actions[0]) if actions else CurationAction.NAME
    name = _text(values["name"], "name", source) if "name" in values else None
    if action in (CurationAction.MERGE, CurationAction.DECLARE):
        value = values[action.value]
        if isinstance(value, ScalarNode) and value.tag.endswith(":str"):
            name = name or _text(value, action.value, source)
    elif action is CurationAction.IGNORE:
        flag = values["ignore"]
        if not (isinstance(flag, ScalarNode) and flag.value.lower() in ("true", "yes")):
            raise InputError("'ignore' must be true", source, node_line(flag))
    elif not ({"name", "version", "license"} & set(values)):
        raise InputError(
            "a component curation needs an action (merge, ignore, declare) or a name, version "
            "or license to set",
            source,
            node_line(node),
        )
    expression = None
    if "license" in values:
        text = _text(values["license"], "license", source)
        expression = licenses.normalise(text)
        if expression is None:
            raise InputError(
                f"'{text}' is not a licence expression os2scan knows",
                source,
                node_line(values["license"]),
            )
    path_node = values["path"]
    return ComponentCuration(
        action=action,
        path=_text(path_node, "path", source).strip("/") or ".",
        reason=_text(values["reason"], "reason", source),
        name=name,
        version=_text(values["version"], "version", source) if "version" in values else None,
        license=expression,
        origin=f"{source}:{node_line(path_node)}",
    )
