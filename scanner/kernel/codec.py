"""Turn the frozen dataclasses of `scanner.kernel.models` into JSON-ready dicts and back.

The store keeps nested records (detections, facts, metadata) as JSON columns; doing the
conversion generically from the type hints keeps one place that knows how, instead of a
hand-written to/from pair per class that drifts as fields are added.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def to_data(value: Any) -> Any:
    """A dataclass (or anything inside one) as plain JSON-compatible data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def dumps(value: Any) -> str:
    return json.dumps(to_data(value), ensure_ascii=False, sort_keys=True)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild an instance of `cls` (a dataclass or a typing annotation) from plain data."""
    return typing.cast(T, _convert(cls, data))


def loads(cls: type[T], text: str | None) -> T | None:
    if text is None:
        return None
    return from_data(cls, json.loads(text))


def _convert(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in data)
        return tuple(_convert(a, v) for a, v in zip(args, data, strict=False))
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [_convert(arg, v) for v in data]
    if origin is dict:
        return dict(data)
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            known = {f.name for f in dataclasses.fields(tp)}
            return tp(**{k: _convert(hints[k], v) for k, v in data.items() if k in known})
        if issubclass(tp, enum.Enum):
            return tp(data)
        if tp is Path:
            return Path(data)
    return data
