"""Discover the built-in snippets and read their metadata independently of the engine.

Kept separate from ``toolkit.snippets`` on purpose: these tests pin the file-format contract
(summary line, ``tags:``, ``requires:``, ``version:``), and the engine's parser is checked to
agree with it in ``test_snippets_meta.py``.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

SNIPPETS_DIR = Path(__file__).resolve().parents[2] / "snippets"

# pip distribution name -> top-level import names it provides.
IMPORT_NAMES: dict[str, tuple[str, ...]] = {
    "numpy": ("numpy",),
    "pandas": ("pandas",),
    "scikit-learn": ("sklearn",),
    "scipy": ("scipy",),
    "matplotlib": ("matplotlib", "mpl_toolkits"),
    "seaborn": ("seaborn",),
    "torch": ("torch",),
    "pillow": ("PIL",),
    "polars": ("polars",),
    "pyarrow": ("pyarrow",),
}

_META = re.compile(r"^\s*(tags|requires|version)\s*:\s*(.*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SnippetMeta:
    name: str
    path: Path
    summary: str
    tags: tuple[str, ...]
    requires: tuple[str, ...]
    version: str
    docstring: str

    @property
    def import_names(self) -> tuple[str, ...]:
        return tuple(n for dist in self.requires for n in IMPORT_NAMES.get(dist, ()))


def _split(value: str) -> tuple[str, ...]:
    items = tuple(v for v in re.split(r"[,\s]+", value) if v)
    return () if items in {("none",), ()} else items


def read_meta(path: Path) -> SnippetMeta:
    source = path.read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source), clean=True) or ""
    lines = doc.splitlines()
    meta: dict[str, str] = {}
    for line in lines[1:]:
        match = _META.match(line)
        if match and match.group(1).lower() not in meta:
            meta[match.group(1).lower()] = match.group(2)
    return SnippetMeta(
        name=path.relative_to(SNIPPETS_DIR).with_suffix("").as_posix(),
        path=path,
        summary=lines[0].strip() if lines else "",
        tags=tuple(t.lower() for t in _split(meta.get("tags", ""))),
        requires=_split(meta.get("requires", "")) if "requires" in meta else ("<missing>",),
        version=meta.get("version", ""),
        docstring=doc,
    )


def all_snippets() -> list[SnippetMeta]:
    return [read_meta(p) for p in sorted(SNIPPETS_DIR.rglob("*.py"))]


def load_module(name: str) -> ModuleType:
    """Import snippet ``name`` (e.g. ``cv/nms``) in-process, for correctness tests."""
    path = SNIPPETS_DIR / f"{name}.py"
    module_name = "snippet_" + name.replace("/", "__")
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module
