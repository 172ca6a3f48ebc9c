"""Search ranking, typo tolerance, and the CLI's cached index staying in step with edits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.snippets.library import Library, default_roots, load_library
from toolkit.snippets.search import SearchIndex, index_for_roots, words


@pytest.fixture
def index(env, write_snippet) -> SearchIndex:
    root = env["builtin"]
    write_snippet(root, "cv/nms", "Non-maximum suppression for boxes.", "def nms(): pass\n",
                  tags="cv, detection")  # fmt: skip
    write_snippet(root, "cv/iou", "Intersection over union of boxes.", "def iou(): pass\n",
                  tags="cv, detection")  # fmt: skip
    write_snippet(root, "torch/early_stopping", "Stop training when validation stalls.",
                  "class EarlyStopping:\n    patience = 3\n", tags="torch, training")  # fmt: skip
    write_snippet(root, "utils/timer", "Time a block of code.",
                  "import time\n\ndef suppression_free(): return time.perf_counter()\n",
                  tags="utils")  # fmt: skip
    return SearchIndex.build(load_library())


def names(index: SearchIndex, query: str) -> list[str]:
    return [h.name for h in index.search(query)]


def test_words_split_identifiers() -> None:
    assert words("EarlyStopping early_stopping 2x") == [
        "early",
        "stopping",
        "early",
        "stopping",
        "2",
        "x",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nms", "cv/nms"),
        ("nsm", "cv/nms"),  # swapped letters
        ("suppresion", "cv/nms"),  # missing letter
        ("intersection union", "cv/iou"),
        ("erly stoping", "torch/early_stopping"),
        ("patience", "torch/early_stopping"),  # code
        ("training", "torch/early_stopping"),  # tag
        ("tim", "utils/timer"),  # prefix
    ],
)
def test_best_hit(index: SearchIndex, query: str, expected: str) -> None:
    assert names(index, query)[0] == expected


def test_name_and_summary_outrank_code(index: SearchIndex) -> None:
    ranked = names(index, "suppression")
    assert ranked.index("cv/nms") < ranked.index("utils/timer")


def test_all_terms_beat_some_terms(index: SearchIndex) -> None:
    assert names(index, "boxes detection suppression")[0] == "cv/nms"


def test_nonsense_and_empty_queries(index: SearchIndex) -> None:
    assert names(index, "qqqzzzxx") == []
    assert names(index, "  ") == []


def test_cli_index_cache_follows_edits(env, write_snippet) -> None:
    path = write_snippet(env["builtin"], "cv/nms", "Non-maximum suppression.", "x = 1\n")
    index, malformed = index_for_roots(default_roots())
    assert [h.name for h in index.search("suppression")] == ["cv/nms"]
    assert malformed == []
    again, _ = index_for_roots(default_roots())  # served from the cache
    assert again.docs == index.docs
    path.write_text(path.read_text().replace("Non-maximum suppression.", "Box filtering."))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    write_snippet(env["personal"], "cv/broken", "x", "def (:\n")
    fresh, malformed = index_for_roots(default_roots())
    assert [h.name for h in fresh.search("filtering")] == ["cv/nms"]
    assert len(malformed) == 1 and "broken.py" in malformed[0]


def test_builtin_library_is_searchable(repo_root: Path) -> None:
    lib = Library.from_roots([(repo_root / "snippets", "built-in")], use_cache=False)
    index = SearchIndex.build(lib)
    for snippet in lib:
        # Every snippet is found by its own name's last part.
        query = snippet.name.rsplit("/", 1)[-1].replace("_", " ")
        assert snippet.name in [h.name for h in index.search(query, limit=10)], query
