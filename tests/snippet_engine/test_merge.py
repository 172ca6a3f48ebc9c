"""Property tests of the diff3 merge: no edits on one side = the other side; no local loss."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.snippets.merge import merge3, merge_text

LINES = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n", "e\n", "  f\n"]), max_size=14)


@settings(max_examples=300, deadline=None)
@given(base=LINES, theirs=LINES)
def test_no_local_edits_gives_library(base: list[str], theirs: list[str]) -> None:
    result = merge3(base, list(base), theirs)
    assert result.conflicts == 0
    assert result.lines == theirs


@settings(max_examples=300, deadline=None)
@given(base=LINES, mine=LINES)
def test_no_upstream_edits_keeps_copy(base: list[str], mine: list[str]) -> None:
    result = merge3(base, mine, list(base))
    assert result.conflicts == 0
    assert result.lines == mine


@settings(max_examples=300, deadline=None)
@given(base=LINES, same=LINES)
def test_identical_edits_merge_cleanly(base: list[str], same: list[str]) -> None:
    result = merge3(base, same, list(same))
    assert result.conflicts == 0
    assert result.lines == same


@settings(max_examples=500, deadline=None)
@given(base=LINES, mine=LINES, theirs=LINES)
def test_local_lines_are_never_lost(base: list[str], mine: list[str], theirs: list[str]) -> None:
    result = merge3(base, mine, theirs)
    local_only = Counter(mine) - Counter(base)
    assert not local_only - Counter(result.lines)
    if result.conflicts == 0:
        upstream_only = Counter(theirs) - Counter(base)
        assert not upstream_only - Counter(result.lines)


def test_conflict_markers_show_all_three() -> None:
    result = merge_text("x = 1\n", "x = 2\n", "x = 3\n", base_label="base v1")
    assert result.conflicts == 1
    assert result.text == (
        "<<<<<<< your copy\nx = 2\n||||||| base v1\nx = 1\n=======\nx = 3\n>>>>>>> library\n"
    )


def test_missing_final_newline_is_kept_readable() -> None:
    result = merge_text("a\nb", "a\nB", "a\nb\nc")
    assert result.conflicts == 1
    assert all(line.endswith("\n") for line in result.lines)
