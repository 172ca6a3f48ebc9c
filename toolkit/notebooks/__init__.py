"""Notebook tools: format-preserving I/O, output stripping, checks, git filter, reports.

Light to import: the hot path uses only the standard library; ``report`` (nbconvert) loads
on first use.

Example:
    >>> from toolkit.notebooks import StripOptions
    >>> StripOptions().keep_id
    True
"""

from __future__ import annotations

import importlib
from typing import Any

from toolkit.notebooks.checks import error_output_problems, execution_order_problems
from toolkit.notebooks.io import read_notebook, write_notebook
from toolkit.notebooks.strip import StripOptions, strip_file, strip_files, strip_notebook

__all__ = [
    "StripOptions",
    "error_output_problems",
    "execution_order_problems",
    "read_notebook",
    "report",
    "strip_file",
    "strip_files",
    "strip_notebook",
    "write_notebook",
]


def __getattr__(name: str) -> Any:
    # `report` needs nbconvert/nbclient: load it only when asked for.
    if name == "report":
        return importlib.import_module("toolkit.notebooks.reporting").report
    raise AttributeError(f"module 'toolkit.notebooks' has no attribute {name!r}")
