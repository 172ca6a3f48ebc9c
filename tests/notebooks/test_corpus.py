"""The real notebooks in ../shared/notebooks: same result as nbstripout, nothing lost."""

from __future__ import annotations

import copy
import json
import shutil
import warnings
from pathlib import Path

import pytest
from notebook_rule import assert_stripped_per_rule

from toolkit.notebooks.io import dumps_notebook, loads_notebook, read_notebook
from toolkit.notebooks.splice import strip_bytes
from toolkit.notebooks.strip import DEFAULT_EXTRA_KEYS, StripOptions, strip_file, strip_notebook


def _join_sources(nb: dict) -> dict:
    """nbformat writes multi-line strings as line lists; we keep what the file had."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return nb


def _nbstripout(path: Path, keep_id: bool) -> dict:
    import nbformat
    from nbstripout._utils import strip_output

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        stripped = strip_output(
            nb,
            keep_output=None,
            keep_count=False,
            keep_id=keep_id,
            extra_keys=list(DEFAULT_EXTRA_KEYS),
        )
        return json.loads(nbformat.writes(stripped))


def test_equal_to_nbstripout_on_every_corpus_notebook(shared_notebooks: Path) -> None:
    """What the hook writes (the splicing path) parses to what nbstripout writes."""
    pytest.importorskip("nbstripout")
    files = sorted(shared_notebooks.glob("*.ipynb"))
    for path in files:
        ours, _ = strip_bytes(path.read_bytes(), name=str(path))
        expected = _join_sources(_nbstripout(path, keep_id=True))
        assert _join_sources(json.loads(ours)) == expected, path.name


OPTION_SETS = [
    StripOptions(),
    StripOptions(keep_id=False),
    StripOptions(keep_count=True),
    StripOptions(keep_output=True),
    StripOptions(drop_empty_cells=True, drop_tagged_cells=("hide",)),
    StripOptions(extra_keys=("cell.metadata.tags", "metadata.kernelspec", "cell.id")),
    StripOptions(keep_metadata=("collapsed", "ExecuteTime")),
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=repr)
def test_splicing_equals_a_jupyter_rewrite_byte_for_byte(
    shared_notebooks: Path, options: StripOptions
) -> None:
    """On files written by Jupyter, the spliced edits give exactly the bytes json.dumps writes
    for the stripped notebook in the file's style, and the rule holds."""
    for path in sorted(shared_notebooks.glob("*.ipynb")):
        data = path.read_bytes()
        nb, style = loads_notebook(data.decode("utf-8"), path.name)
        stripped, _ = strip_bytes(data, options)
        assert stripped == dumps_notebook(strip_notebook(nb, options), style).encode(), path.name
        assert_stripped_per_rule(data, stripped, options)


def test_intended_difference_cell_ids(tmp_path: Path) -> None:
    """nbstripout renumbers ids ("0", "1", …); we keep them, so an inserted cell is one change."""
    pytest.importorskip("nbstripout")
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "id": cell_id,
                "metadata": {},
                "execution_count": 1,
                "outputs": [],
                "source": "x = 1",
            }
            for cell_id in ["f3a1", "9bc2", "77de"]
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "ids.ipynb"
    path.write_text(json.dumps(nb, indent=1))
    theirs = _nbstripout(path, keep_id=False)
    assert [c["id"] for c in theirs["cells"]] == ["0", "1", "2"]
    ours = strip_notebook(read_notebook(path)[0])
    assert [c["id"] for c in ours["cells"]] == ["f3a1", "9bc2", "77de"]
    assert _join_sources(ours) == _join_sources(_nbstripout(path, keep_id=True))


def test_corpus_round_trips_byte_for_byte_and_loses_no_source(
    shared_notebooks: Path, tmp_path: Path
) -> None:
    for source in sorted(shared_notebooks.glob("*.ipynb")):
        nb, style = read_notebook(source)
        assert dumps_notebook(nb, style) == source.read_text(encoding="utf-8"), source.name
        copy_path = tmp_path / source.name
        shutil.copyfile(source, copy_path)
        strip_file(copy_path)
        after = json.loads(copy_path.read_text(encoding="utf-8"))
        assert [c["source"] for c in after["cells"]] == [c["source"] for c in nb["cells"]]
        assert after["metadata"] == {
            k: v for k, v in nb["metadata"].items() if k not in {"signature", "widgets"}
        }
        second = copy_path.read_bytes()
        strip_file(copy_path)
        assert copy_path.read_bytes() == second, "idempotent"


def test_intended_difference_drop_tagged_cells_honours_every_tag() -> None:
    """nbstripout 0.9.1's lambda closes over the loop variable: only the last tag is dropped."""
    pytest.importorskip("nbstripout")
    import nbformat
    from nbstripout._utils import strip_output

    def cell(tag: str) -> dict:
        return {
            "cell_type": "code",
            "id": tag,
            "metadata": {"tags": [tag]},
            "execution_count": None,
            "outputs": [],
            "source": tag,
        }

    raw = {
        "cells": [cell("scratch"), cell("debug"), cell("keep")],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    theirs = strip_output(
        nbformat.from_dict(copy.deepcopy(raw)),
        keep_output=None,
        keep_count=False,
        keep_id=True,
        drop_tagged_cells=["scratch", "debug"],
    )
    assert [c["id"] for c in theirs["cells"]] == ["scratch", "keep"]
    ours = strip_notebook(raw, StripOptions(drop_tagged_cells=("scratch", "debug")))
    assert [c["id"] for c in ours["cells"]] == ["keep"]
