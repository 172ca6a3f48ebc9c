"""``toolkit snippet add``: copy a snippet into a project with stamp markers and a receipt.

As its own file (``--to`` a directory or a ``.py`` path) or as a block appended to an existing
file (``--into``). An existing file or block is never overwritten without ``force=True``.

Example:
    >>> import pathlib, tempfile
    >>> from toolkit.snippets.model import parse_snippet_text
    >>> s = parse_snippet_text("'''Say hi.'''\\nprint('hi')\\n", "utils/hi")
    >>> project = pathlib.Path(tempfile.mkdtemp())
    >>> add_snippet(s, to=project).name
    'hi.py'
"""

from __future__ import annotations

from pathlib import Path

from toolkit._io import file_state, locked
from toolkit.errors import ToolkitError, UsageError
from toolkit.snippets.model import Snippet
from toolkit.snippets.receipts import ReceiptStore
from toolkit.snippets.stamp import (
    find_blocks,
    read_source,
    render_block,
    replace_block,
    write_source,
)


def _target_file(snippet: Snippet, to: Path | None) -> Path:
    default_name = snippet.name.rsplit("/", 1)[-1].replace("-", "_") + ".py"
    if to is None:
        return Path.cwd() / default_name
    if to.is_dir() or (not to.suffix and not to.exists()):
        return to / default_name
    if to.suffix != ".py":
        raise UsageError(f"--to {to}: give a directory or a .py file path")
    return to


def add_snippet(
    snippet: Snippet, *, to: Path | None = None, into: Path | None = None, force: bool = False
) -> Path:
    """Copy ``snippet`` into the project; return the file written."""
    if into is None:
        return _add_snippet(snippet, to=to, into=into, force=force)
    # Concurrent adds into one file take turns (no block is lost); a save made meanwhile by
    # another program is not overwritten (the write's ``expect=``).
    with locked(into):
        return _add_snippet(snippet, to=to, into=into, force=force)


def _add_snippet(snippet: Snippet, *, to: Path | None, into: Path | None, force: bool) -> Path:
    if to is not None and into is not None:
        raise UsageError("use either --to (new file) or --into (existing file), not both")
    base = snippet.source if snippet.source.endswith("\n") else snippet.source + "\n"
    block = render_block(snippet.name, snippet.version, base)
    if into is not None:
        target = into
        if not target.is_file():
            raise UsageError(f"--into {target}: no such file (use --to to create a new file)")
        state = file_state(target)  # before reading: a change after it shows as a change
        text, newline = read_source(target)
        existing = [b for b in find_blocks(text, where=str(target)) if b.name == snippet.name]
        if existing and not force:
            raise ToolkitError(
                f"{target}:{existing[0].start + 1}: already has snippet {snippet.name!r} "
                "(use `toolkit snippet update` to sync it, or --force to replace it)"
            )
        if existing:
            new_text = replace_block(text, existing[0], block)
        else:
            sep = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
            if text.endswith("\n") and not text.endswith("\n\n"):
                sep = "\n\n"
            new_text = text + sep + block
    else:
        target = _target_file(snippet, to)
        if target.exists() and not force:
            raise ToolkitError(f"{target}: file exists (use --force to overwrite, or --into)")
        text, newline, state = "", "\n", None
        new_text = block
        target.parent.mkdir(parents=True, exist_ok=True)
    # Receipt first: a stamped copy without its base would lose the 3-way merge.
    ReceiptStore.for_path(target).save(snippet.name, base)
    write_source(target, new_text, newline, expect=state)
    return target
