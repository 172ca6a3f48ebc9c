"""IPython integration: ``%load_ext toolkit`` then ``%snippet NAME`` fills the next cell.

The cell is a stamped copy, like ``toolkit snippet add``: its receipt goes into the project of
the notebook's working directory, so ``toolkit snippet status`` lists notebook copies too.

Example:
    In [1]: %load_ext toolkit
    In [2]: %snippet cv/nms
"""

from __future__ import annotations

from typing import Any


def snippet_magic(line: str, ipython: Any) -> None:
    """Put the source of snippet ``line`` into the next input cell (or print the error)."""
    from pathlib import Path

    from toolkit.errors import ToolkitError
    from toolkit.snippets.library import load_library
    from toolkit.snippets.receipts import ReceiptStore, find_project_root
    from toolkit.snippets.stamp import render_block

    name = line.strip()
    if not name:
        print("usage: %snippet NAME   (see `toolkit snippet list`)")
        return
    try:
        snippet = load_library().get(name)
        base = snippet.source if snippet.source.endswith("\n") else snippet.source + "\n"
        ReceiptStore(find_project_root(Path.cwd())).save(snippet.name, base, source=snippet)
    except ToolkitError as exc:
        print(f"toolkit: error: {exc}")
        return
    block = render_block(snippet.name, snippet.version, base)
    ipython.set_next_input(block.rstrip("\n"), replace=False)


def load_ipython_extension(ipython: Any) -> None:
    """Register the ``%snippet`` line magic on ``ipython`` (called by ``%load_ext toolkit``)."""

    def _snippet(line: str) -> None:
        snippet_magic(line, ipython)

    _snippet.__doc__ = "%snippet NAME: insert a snippet from the toolkit library in the next cell."
    ipython.register_magic_function(_snippet, magic_kind="line", magic_name="snippet")
