"""``toolkit snippet diff``: three unified diffs for a stamped copy.

1. *your edits*: base (what was copied) → your copy;
2. *upstream changes*: base → the library's current version;
3. *copy vs library*: your copy → the library's current version.

Example:
    >>> views = three_way_views("a\\n", "b\\n", "a\\n", label="x.py")
    >>> [v.title for v in views]
    ['your edits', 'upstream changes', 'copy vs library']
    >>> views[1].diff
    ''
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from toolkit.snippets.stamp import same_code
from toolkit.snippets.status import CopyStatus


@dataclass(frozen=True)
class DiffView:
    """One titled unified diff (empty string when the two sides are equal)."""

    title: str
    diff: str


def _udiff(a: str, b: str, a_label: str, b_label: str) -> str:
    return "".join(
        difflib.unified_diff(
            a.splitlines(keepends=True),
            b.splitlines(keepends=True),
            fromfile=a_label,
            tofile=b_label,
        )
    )


def three_way_views(
    base: str | None, copy: str, library: str | None, *, label: str
) -> list[DiffView]:
    """The three views; a missing base or library gives a view explaining why it is empty."""
    missing = "(unavailable: {})"
    views = [
        DiffView(
            "your edits",
            _udiff(base, copy, "base", label)
            if base is not None
            else missing.format("no receipt in .toolkit/"),
        ),
        DiffView(
            "upstream changes",
            _udiff(base, library, "base", "library")
            if base is not None and library is not None
            else missing.format("no receipt or no library version"),
        ),
        DiffView(
            "copy vs library",
            _udiff(copy, library, label, "library")
            if library is not None
            else missing.format("snippet not in the library"),
        ),
    ]
    return views


def views_for(copy: CopyStatus) -> list[DiffView]:
    """The three views for one stamped copy."""
    # Compare like with like: a hoisted copy holds only the code, so its base and the
    # library version are shown the same way.
    library = copy.view(copy.library.source) if copy.library is not None else None
    base = copy.view(copy.base) if copy.base is not None else None
    label = copy.where
    views = three_way_views(base, copy.block.code, library, label=label)
    pairs = [(base, copy.block.code), (base, library), (copy.block.code, library)]
    # Say when a textual difference is formatting only (status ignores those).
    return [
        DiffView(f"{v.title} (formatting only)", v.diff)
        if v.diff and a is not None and b is not None and same_code(a, b)
        else v
        for v, (a, b) in zip(views, pairs, strict=True)
    ]
