"""``toolkit snippet update``: bring stamped copies up to the library version by 3-way merge.

For each outdated block: copies identical to their base are replaced by the library version;
all others (even ones only reformatted, so the formatting survives) are merged (base, your copy,
library) block by block. Conflicts are written as diff3 markers and counted; the stamp then
records the new library version so, once resolved, the copy is "modified" against the new base.
Diverged copies are skipped. Each file is written atomically.

Example:
    >>> import pathlib, tempfile
    >>> from toolkit.snippets.library import Library
    >>> from toolkit.snippets.insert import add_snippet
    >>> lib_root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (lib_root / "hi.py").write_text("'''Say hi.'''\\nprint('hi')\\n")
    >>> copy = add_snippet(Library.from_roots([(lib_root, "p")], use_cache=False).get("hi"),
    ...                    to=pathlib.Path(tempfile.mkdtemp()))
    >>> _ = (lib_root / "hi.py").write_text("'''Say hi.\\n\\nversion: 2\\n'''\\nprint('hello')\\n")
    >>> new_lib = Library.from_roots([(lib_root, "p")], use_cache=False)
    >>> [r.action for r in update_path(copy, new_lib)]
    ['updated']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit._io import file_state
from toolkit.errors import ToolkitError
from toolkit.snippets.library import Library
from toolkit.snippets.merge import merge_text
from toolkit.snippets.receipts import ReceiptStore
from toolkit.snippets.stamp import (
    content_hash,
    find_blocks,
    read_source,
    render_block,
    replace_block,
    start_marker,
    write_source,
)
from toolkit.snippets.status import classify, iter_python_files


@dataclass(frozen=True)
class UpdateResult:
    """One block's outcome: ``updated``/``merged``/``conflict``/``skipped``/``current``."""

    path: Path
    name: str
    action: str
    detail: str = ""
    conflicts: int = 0


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def update_file(
    path: Path, library: Library, *, names: set[str] | None = None
) -> list[UpdateResult]:
    """Update every (or every named) stamped block in ``path``; write once, atomically."""
    state = file_state(path)  # an edit saved while we merge is not overwritten
    text, newline = read_source(path)
    store = ReceiptStore.for_path(path)
    results: list[UpdateResult] = []
    # Bottom-up so earlier blocks' line numbers stay valid while we replace later ones.
    for block in reversed(find_blocks(text, where=str(path))):
        if names is not None and block.name not in names:
            continue
        copy = classify(path, block, library, store)
        if copy.state in {"untouched", "modified"}:
            results.append(UpdateResult(path, block.name, "current"))
            continue
        if copy.state in {"diverged", "conflict", "orphan", "orphan-modified", "no-receipt"}:
            why = {
                "diverged": "marked as diverged",
                "conflict": "resolve the conflict markers first",
                "orphan": "no longer in the library",
                "orphan-modified": "no longer in the library",
                "no-receipt": f"base {block.digest} missing from {store.directory}",
            }[copy.state]
            results.append(UpdateResult(path, block.name, "skipped", why))
            continue
        assert copy.library is not None and copy.base is not None
        upstream = _with_newline(copy.library.source)
        new_version = copy.library.version
        if copy.state == "outdated" and block.body == copy.base:
            merged, conflicts, action = upstream, 0, "updated"
        else:
            result = merge_text(
                copy.base,
                block.body,
                upstream,
                mine_label="your copy",
                base_label=f"base v{block.version}",
                theirs_label=f"library v{new_version}",
            )
            merged, conflicts = result.text, result.conflicts
            action = "conflict" if conflicts else "merged"
        store.save(block.name, upstream)
        # The stamp's hash names the new base (the library text), not the merged copy.
        new_block = render_block(block.name, new_version, merged, digest=content_hash(upstream))
        text = replace_block(text, block, new_block)
        detail = f"v{block.version} -> v{new_version}"
        results.append(UpdateResult(path, block.name, action, detail, conflicts))
    if any(r.action in {"updated", "merged", "conflict"} for r in results):
        write_source(path, text, newline, expect=state)
    return list(reversed(results))


def update_path(
    path: Path, library: Library, *, names: set[str] | None = None
) -> list[UpdateResult]:
    """Update stamped copies in ``path`` (a file, or every ``.py`` file below a directory)."""
    results: list[UpdateResult] = []
    for file in iter_python_files(path):
        try:
            text, _ = read_source(file)
        except ToolkitError:
            continue
        if "# >>> snippet " in text:
            results += update_file(file, library, names=names)
    return results


def set_diverged(path: Path, *, name: str | None = None, diverged: bool = True) -> list[str]:
    """Mark (or unmark) stamped blocks in ``path`` as intentionally diverged; return their names."""
    state = file_state(path)
    text, newline = read_source(path)
    blocks = [b for b in find_blocks(text, where=str(path)) if name is None or b.name == name]
    if not blocks:
        what = f"snippet {name!r}" if name else "stamped snippet"
        raise ToolkitError(f"{path}: no {what} found")
    lines = text.split("\n")
    for block in blocks:
        lines[block.start] = start_marker(
            block.name, block.version, block.digest, diverged=diverged
        )
    write_source(path, "\n".join(lines), newline, expect=state)
    return [b.name for b in blocks]
