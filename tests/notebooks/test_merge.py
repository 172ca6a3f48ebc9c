"""The notebook merge driver: cells matched by id, never dropped; conflicts inside sources.

Unit cases for each rule, real `git merge` runs in a temporary repository (on the largest
corpus notebook when ../shared is present, else on a generated one), and a property test.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from _helpers import git, toolkit_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.notebooks.merge import merge_notebooks

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "notebooks"


def cell(cell_id: str | None, source: str, **extra: Any) -> dict[str, Any]:
    made = {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}],
        "source": source,
        **extra,
    }
    if cell_id is not None:
        made["id"] = cell_id
    return made


def notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def sources(nb: dict[str, Any]) -> list[str]:
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in nb["cells"]
    ]


BASE = notebook(cell("a", "a = 1\n"), cell("b", "b = 2\n"), cell("c", "c = 3\n"))


def test_one_side_add_is_kept_and_unchanged_delete_applied() -> None:
    ours = copy.deepcopy(BASE)
    ours["cells"].insert(1, cell("new", "new = 0\n"))
    theirs = copy.deepcopy(BASE)
    del theirs["cells"][2]  # c deleted; unchanged on our side
    merged, conflicts = merge_notebooks(BASE, ours, theirs)
    assert sources(merged) == ["a = 1\n", "new = 0\n", "b = 2\n"] and conflicts == 0


def test_edit_delete_is_a_conflict_inside_the_cell() -> None:
    ours = copy.deepcopy(BASE)
    ours["cells"][1]["source"] = "b = 20\n"
    theirs = copy.deepcopy(BASE)
    del theirs["cells"][1]
    merged, conflicts = merge_notebooks(BASE, ours, theirs)
    assert conflicts == 1 and len(merged["cells"]) == 3
    assert "<<<<<<< ours\nb = 20\n" in merged["cells"][1]["source"]


def test_overlapping_edits_conflict_and_separate_lines_merge() -> None:
    base = notebook(cell("a", "x = 1\ny = 2\nz = 3\n"))
    ours = notebook(cell("a", "x = 10\ny = 2\nz = 3\n"))
    theirs = notebook(cell("a", "x = 1\ny = 2\nz = 30\n"))
    merged, conflicts = merge_notebooks(base, ours, theirs)
    assert sources(merged) == ["x = 10\ny = 2\nz = 30\n"] and conflicts == 0
    clash = notebook(cell("a", "x = 99\ny = 2\nz = 3\n"))
    merged, conflicts = merge_notebooks(base, ours, clash)
    assert conflicts == 1
    assert "<<<<<<< ours\nx = 10\n" in sources(merged)[0] and ">>>>>>> theirs" in sources(merged)[0]


def test_outputs_policy_and_metadata_key_by_key() -> None:
    base = notebook(cell("a", "a\n", metadata={"k": 1, "j": 1}))
    ours = notebook(cell("a", "a\n", metadata={"k": 2, "j": 1}, outputs=[{"output_type": "o"}]))
    theirs = notebook(cell("a", "a\n", metadata={"k": 1, "j": 3}, outputs=[{"output_type": "t"}]))
    for policy, expected in [
        ("strip", []),
        ("ours", [{"output_type": "o"}]),
        ("theirs", [{"output_type": "t"}]),
    ]:
        merged, conflicts = merge_notebooks(base, ours, theirs, outputs=policy)
        assert merged["cells"][0]["outputs"] == expected and conflicts == 0
        assert merged["cells"][0]["metadata"] == {"k": 2, "j": 3}


def test_cells_without_ids_are_matched_by_similarity() -> None:
    base = notebook(cell(None, "import numpy as np\n"), cell(None, "print('hello world')\n"))
    ours = notebook(cell(None, "import numpy as np\n"), cell(None, "print('hello, world')\n"))
    theirs = notebook(
        cell(None, "import numpy as np\nimport pandas as pd\n"),
        cell(None, "print('hello world')\n"),
    )
    merged, conflicts = merge_notebooks(base, ours, theirs)
    assert sources(merged) == [
        "import numpy as np\nimport pandas as pd\n",
        "print('hello, world')\n",
    ]
    assert conflicts == 0


def test_id_less_cells_edited_beyond_similarity_are_matched_by_place() -> None:
    """Both sides rewrote the first line of a short id-less cell (too little text left in
    common to match by similarity): it is the same cell by place, so a conflict, not two
    cells and a silently deleted one."""
    around = [cell(None, "# Lists\n", cell_type="markdown"), cell(None, "import numpy\n")]
    base = notebook(around[0], cell(None, "L = list(range(10))\nL"), around[1])
    ours = notebook(around[0], cell(None, "x = 2  # main\nL"), around[1])
    theirs = notebook(around[0], cell(None, "x = 1  # b1\nL"), around[1])
    merged, conflicts = merge_notebooks(base, ours, theirs)
    assert conflicts == 1 and len(merged["cells"]) == 3
    assert sources(merged)[1].startswith("<<<<<<< ours\nx = 2  # main\n=======\nx = 1  # b1\n")
    # Edited on one side only: that edit, in place.
    merged, conflicts = merge_notebooks(base, ours, base)
    assert sources(merged) == sources(ours) and conflicts == 0
    # Deleted on one side and edited on the other: a conflict, as with ids.
    merged, conflicts = merge_notebooks(base, notebook(*around), theirs)
    assert conflicts == 1 and len(merged["cells"]) == 3


# --- real git merges ---------------------------------------------------------------------


def _start_notebook() -> dict[str, Any]:
    if CORPUS.is_dir():
        largest = max(CORPUS.glob("*.ipynb"), key=lambda p: p.stat().st_size)
        nb = json.loads(largest.read_text(encoding="utf-8"))
        if len(nb["cells"]) >= 8:
            for index, c in enumerate(nb["cells"]):  # corpus notebooks predate cell ids
                c.setdefault("id", f"cell-{index}")
            nb["nbformat_minor"] = max(nb.get("nbformat_minor", 0), 5)
            return nb
    return notebook(*(cell(f"g{i}", f"step_{i} = {i}\nprint(step_{i})\n") for i in range(12)))


def _edit(nb: dict[str, Any], index: int, line: str) -> None:
    c = nb["cells"][index]
    text = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
    c["source"] = line + text


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    git("init", "-q", "-b", "main", cwd=tmp_path)
    installed = toolkit_cli("nb", "install-merge-driver", "--outputs", "ours", cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    nb = _start_notebook()
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    git("add", ".", cwd=tmp_path)
    git("commit", "-qm", "base", cwd=tmp_path)
    return tmp_path, nb


def _commit_on(path: Path, branch: str, nb: dict[str, Any], start: str = "main") -> None:
    git("checkout", "-q", "-b", branch, start, cwd=path)
    (path / "nb.ipynb").write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    git("commit", "-qam", branch, cwd=path)


def test_git_merge_of_two_branches_keeps_every_change(repo: tuple[Path, dict[str, Any]]) -> None:
    path, base = repo
    ours = copy.deepcopy(base)
    _edit(ours, 1, "# ours edited this cell\n")
    ours["cells"].insert(3, cell("ours-new", "added_by_ours = 1\n"))
    theirs = copy.deepcopy(base)
    _edit(theirs, 5, "# theirs edited this cell\n")
    deleted_id = theirs["cells"][7]["id"]
    del theirs["cells"][7]
    _commit_on(path, "theirs", theirs)
    _commit_on(path, "ours", ours)
    merged = git("merge", "-q", "theirs", "-m", "merge", cwd=path, check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    result = json.loads((path / "nb.ipynb").read_text(encoding="utf-8"))
    text = sources(result)
    assert "# ours edited this cell\n" in text[1] and "added_by_ours = 1\n" in text
    assert any(s.startswith("# theirs edited this cell\n") for s in text)
    assert deleted_id not in [c.get("id") for c in result["cells"]]
    assert len(result["cells"]) == len(base["cells"])  # one added, one deleted


def test_git_merge_conflict_stays_valid_json_and_is_reported(
    repo: tuple[Path, dict[str, Any]],
) -> None:
    path, base = repo
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    _edit(ours, 2, "ours_line = 1\n")
    _edit(theirs, 2, "theirs_line = 2\n")
    _commit_on(path, "theirs", theirs)
    _commit_on(path, "ours", ours)
    merged = git("merge", "-q", "theirs", "-m", "merge", cwd=path, check=False)
    assert merged.returncode == 1
    assert "nb.ipynb" in git("diff", "--name-only", "--diff-filter=U", cwd=path).stdout
    result = json.loads((path / "nb.ipynb").read_text(encoding="utf-8"))  # still valid JSON
    assert len(result["cells"]) == len(base["cells"])
    conflicted = sources(result)[2]
    assert "<<<<<<< ours\nours_line = 1\n=======\ntheirs_line = 2\n>>>>>>> theirs" in conflicted


# --- property: a cell both sides kept and one side left alone is never dropped ------------

ops = st.lists(
    st.tuples(
        st.sampled_from(["edit", "delete", "insert"]),
        st.integers(0, 20),
        st.text("xy\n", max_size=6),
    ),
    max_size=6,
)


def _apply(base: dict[str, Any], changes: list[tuple[str, int, str]], side: str) -> dict[str, Any]:
    nb = copy.deepcopy(base)
    for number, (op, where, text) in enumerate(changes):
        cells = nb["cells"]
        if op == "insert" or not cells:
            cells.insert(where % (len(cells) + 1), cell(f"{side}{number}", f"{side} {text}\n"))
        elif op == "edit":
            cells[where % len(cells)]["source"] += f"{side} {text}\n"
        else:
            del cells[where % len(cells)]
    return nb


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 8), ops, ops, st.sampled_from(["strip", "ours", "theirs"]))
def test_no_cell_both_sides_kept_and_one_left_unchanged_is_dropped(
    size: int, ours_ops: list, theirs_ops: list, policy: str
) -> None:
    base = notebook(*(cell(f"b{i}", f"line {i}\n") for i in range(size)))
    ours, theirs = _apply(base, ours_ops, "o"), _apply(base, theirs_ops, "t")
    merged, _ = merge_notebooks(base, ours, theirs, outputs=policy)
    json.loads(json.dumps(merged))  # serialisable: the driver writes it as JSON
    result_ids = [c.get("id") for c in merged["cells"]]
    base_src = {c["id"]: c["source"] for c in base["cells"]}
    ours_src = {c["id"]: c["source"] for c in ours["cells"]}
    theirs_src = {c["id"]: c["source"] for c in theirs["cells"]}
    for cell_id in set(ours_src) & set(theirs_src):
        if cell_id in base_src and base_src[cell_id] in (ours_src[cell_id], theirs_src[cell_id]):
            assert cell_id in result_ids, cell_id
    for cell_id in set(ours_src) ^ set(theirs_src):  # added on one side: kept
        if cell_id not in base_src:
            assert cell_id in result_ids
    assert len(result_ids) == len(set(result_ids)), "no cell twice"


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 8), ops, ops)
def test_id_less_notebooks_lose_no_kept_cell_and_no_added_one(
    size: int, ours_ops: list, theirs_ops: list
) -> None:
    """The same edits on notebooks without cell ids (nbformat 4.4, most of the corpus): a
    cell both sides left unchanged is in the result, and so is every added cell's text."""
    base = notebook(*(cell(f"b{i}", f"line {i}\n") for i in range(size)))
    ours, theirs = _apply(base, ours_ops, "o"), _apply(base, theirs_ops, "t")
    both_kept = [
        c["source"]
        for c in base["cells"]
        if c in ours["cells"] and c in theirs["cells"]  # present and unchanged on both
    ]
    added = {c["source"] for side in (ours, theirs) for c in side["cells"]} - {
        c["source"] for c in base["cells"]
    }
    for nb in (base, ours, theirs):
        for c in nb["cells"]:
            del c["id"]
    merged, _ = merge_notebooks(base, ours, theirs)
    text = "".join(sources(merged))
    for source in both_kept:
        assert source in sources(merged), source
    for source in added:  # kept, perhaps merged with the other side's edit or in a conflict
        assert all(line in text for line in source.splitlines()), source
