"""Discover the cookiecutter templates shipped with the toolkit.

A template is a directory under ``templates/`` holding a ``cookiecutter.json``; its description
is the ``_description`` key of that file.

Example:
    >>> [t.name for t in list_templates()]
    ['ml-project']
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from toolkit._resources import data_dir
from toolkit.errors import UsageError

DEFAULT_TEMPLATE = "ml-project"


@dataclass(frozen=True)
class TemplateInfo:
    """A template's name, directory and one-line description."""

    name: str
    path: Path
    description: str

    def to_dict(self) -> dict[str, str]:
        """JSON-friendly form, for ``toolkit new --list --json``."""
        return {"name": self.name, "path": str(self.path), "description": self.description}


def list_templates(root: Path | None = None) -> list[TemplateInfo]:
    """All templates under ``root`` (default: the built-in ``templates/``), sorted by name."""
    root = data_dir("templates") if root is None else root
    found = []
    for config in sorted(root.glob("*/cookiecutter.json")):
        try:
            description = str(
                json.loads(config.read_text(encoding="utf-8")).get("_description", "")
            )
        except (OSError, ValueError):
            description = "(unreadable cookiecutter.json)"
        found.append(TemplateInfo(config.parent.name, config.parent, description))
    return found


def find_template(name: str = DEFAULT_TEMPLATE, root: Path | None = None) -> TemplateInfo:
    """The template called ``name``, or a directory path holding a ``cookiecutter.json``."""
    as_path = Path(name).expanduser()
    if (as_path / "cookiecutter.json").is_file():
        return TemplateInfo(as_path.name, as_path.resolve(), "")
    templates = {t.name: t for t in list_templates(root)}
    if name in templates:
        return templates[name]
    close = difflib.get_close_matches(name, list(templates), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise UsageError(
        f"unknown template {name!r}{hint} (available: {', '.join(sorted(templates)) or 'none'})"
    )
