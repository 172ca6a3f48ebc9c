"""Small notebook factories for the notebook tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def make_notebook(cells: list[dict[str, Any]] | None = None, **metadata: Any) -> dict[str, Any]:
    return {
        "cells": cells if cells is not None else [code_cell("print('你好')", count=1)],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}, **metadata},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def code_cell(
    source: str,
    *,
    count: int | None = None,
    outputs: list[Any] | None = None,
    tags: list[str] | None = None,
    cell_id: str = "abc",
    **metadata: Any,
) -> dict[str, Any]:
    meta: dict[str, Any] = dict(metadata)
    if tags is not None:
        meta["tags"] = tags
    return {
        "cell_type": "code",
        "execution_count": count,
        "id": cell_id,
        "metadata": meta,
        "outputs": outputs
        if outputs is not None
        else ([{"name": "stdout", "output_type": "stream", "text": ["你好\n"]}] if count else []),
        "source": source,
    }


@pytest.fixture
def write_nb(tmp_path: Path):
    def write(nb: dict[str, Any], name: str = "nb.ipynb", **dump: Any) -> Path:
        path = tmp_path / name
        options = {"indent": 1, "ensure_ascii": False, **dump}
        path.write_text(json.dumps(nb, **options) + "\n", encoding="utf-8")
        return path

    return write
