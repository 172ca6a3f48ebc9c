"""Typed experiment configs with dataclasses: defaults, JSON files and ``key=value`` overrides.

Nested dataclasses become nested JSON objects. ``apply_overrides(cfg, ["optim.lr=0.01"])`` parses
values with the field's type (bool accepts true/false/1/0), so a command line or notebook can
change any field without a config framework. Unknown keys raise instead of being ignored.

tags: utils, config, dataclass, experiments, cli
requires: none
version: 2

Example:
    >>> from dataclasses import dataclass, field
    >>> @dataclass
    ... class Optim:
    ...     lr: float = 1e-3
    ...     nesterov: bool = False
    >>> @dataclass
    ... class Config:
    ...     name: str = "baseline"
    ...     epochs: int = 10
    ...     optim: Optim = field(default_factory=Optim)
    >>> cfg = apply_overrides(Config(), ["epochs=20", "optim.lr=0.01", "optim.nesterov=true"])
    >>> cfg
    Config(name='baseline', epochs=20, optim=Optim(lr=0.01, nesterov=True))
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "config.json"
    >>> save_config(cfg, path)
    >>> load_config(Config, path) == cfg
    True
    >>> apply_overrides(Config(), ["optim.momentum=0.9"])
    Traceback (most recent call last):
    ...
    KeyError: "unknown config key 'optim.momentum'"
"""

import dataclasses
import json
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

# A TypeVar, not PEP 695 `def f[T]`, so the snippet runs on Python 3.10 (hence the noqa UP047).
T = TypeVar("T")


def _field_types(cls: type) -> dict[str, Any]:
    # get_type_hints also resolves string annotations (`from __future__ import annotations`).
    # This module itself avoids that import so classes defined in doctests resolve too.
    return typing.get_type_hints(cls)


def from_dict(cls: type[T], data: dict[str, Any]) -> T:  # noqa: UP047
    """Build dataclass ``cls`` from a (nested) dict; unknown keys raise KeyError."""
    types = _field_types(cls)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in types:
            raise KeyError(f"unknown config key {key!r} for {cls.__name__}")
        kind = types[key]
        is_nested = dataclasses.is_dataclass(kind) and isinstance(value, dict)
        kwargs[key] = from_dict(kind, value) if is_nested else value
    return cls(**kwargs)


def _parse(text: str, kind: Any) -> Any:
    if kind is bool:
        lowered = text.strip().lower()
        if lowered not in {"true", "false", "1", "0", "yes", "no"}:
            raise ValueError(f"not a boolean: {text!r}")
        return lowered in {"true", "1", "yes"}
    if kind in (int, float, str):
        return kind(text)
    return json.loads(text)  # lists, dicts, Optional[...] and friends


def apply_overrides(cfg: T, overrides: Iterable[str]) -> T:  # noqa: UP047
    """Return a copy of ``cfg`` with ``dotted.key=value`` overrides applied."""
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep:
            raise ValueError(f"override {item!r} must look like key=value")
        cfg = _set(cfg, key.strip().split("."), raw, key.strip())
    return cfg


def _set(obj: Any, parts: list[str], raw: str, full: str) -> Any:
    types = _field_types(type(obj))
    head = parts[0]
    if head not in types:
        raise KeyError(f"unknown config key {full!r}")
    if len(parts) == 1:
        value = _parse(raw, types[head])
    else:
        value = _set(getattr(obj, head), parts[1:], raw, full)
    return dataclasses.replace(obj, **{head: value})


def save_config(cfg: Any, path: str | Path) -> None:
    """Write ``cfg`` as indented UTF-8 JSON (non-ASCII kept readable)."""
    text = json.dumps(dataclasses.asdict(cfg), indent=2, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def load_config(cls: type[T], path: str | Path) -> T:  # noqa: UP047
    """Read a JSON file written by :func:`save_config` into dataclass ``cls``."""
    return from_dict(cls, json.loads(Path(path).read_text(encoding="utf-8")))
