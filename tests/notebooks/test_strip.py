"""Stripping: what is removed, what is kept exactly, formatting, bad input, idempotence."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import code_cell, make_notebook

from toolkit.notebooks.io import detect_style, dumps_notebook, loads_notebook
from toolkit.notebooks.strip import StripOptions, strip_file, strip_files, strip_notebook


def test_removes_outputs_counts_and_volatile_metadata() -> None:
    cell = code_cell(
        "x = 1",
        count=4,
        cell_id="keep-me",
        scrolled=True,
        collapsed=False,
        ExecuteTime={"end_time": "2024"},
        execution={"iopub": 1},
        custom="kept",
    )
    nb = make_notebook([cell], widgets={"state": {}}, signature="hex")
    stripped = strip_notebook(nb)
    out = stripped["cells"][0]
    assert out["outputs"] == [] and out["execution_count"] is None
    assert out["metadata"] == {"custom": "kept"}
    assert out["id"] == "keep-me"  # ids are kept (nbstripout renumbers them)
    assert "widgets" not in stripped["metadata"] and "signature" not in stripped["metadata"]
    assert nb["cells"][0]["outputs"], "the input is not modified"


def test_keep_output_tag_metadata_and_notebook_level() -> None:
    tagged = code_cell("a", count=1, tags=["keep_output"])
    plain = code_cell("b", count=2, cell_id="b")
    stripped = strip_notebook(make_notebook([tagged, plain]))
    assert stripped["cells"][0]["outputs"] and not stripped["cells"][1]["outputs"]
    assert stripped["cells"][0]["execution_count"] is None
    whole = strip_notebook(make_notebook([plain], keep_output=True))
    assert whole["cells"][0]["outputs"]


def test_options_keep_count_extra_keys_keep_metadata() -> None:
    nb = make_notebook([code_cell("a", count=3, scrolled=True, mine=1)], team="x")
    kept = strip_notebook(
        nb,
        StripOptions(
            keep_count=True,
            keep_metadata=("scrolled",),
            extra_keys=("metadata.team", "cell.metadata.mine"),
        ),
    )
    cell = kept["cells"][0]
    assert cell["execution_count"] == 3 and cell["metadata"] == {"scrolled": True}
    assert "team" not in kept["metadata"]


def test_drop_tagged_cells_honours_every_tag_and_drop_empty() -> None:
    cells = [
        code_cell("a", tags=["scratch"], cell_id="1"),
        code_cell("b", tags=["debug"], cell_id="2"),
        code_cell("c", cell_id="3"),
        code_cell("  \n", cell_id="4"),
    ]
    stripped = strip_notebook(
        make_notebook(cells),
        StripOptions(drop_tagged_cells=("scratch", "debug"), drop_empty_cells=True),
    )
    assert [c["id"] for c in stripped["cells"]] == ["3"]


def test_renumber_ids_like_nbstripout() -> None:
    cells = [code_cell("a", cell_id="x"), code_cell("b", cell_id="y")]
    stripped = strip_notebook(make_notebook(cells), StripOptions(keep_id=False))
    assert [c["id"] for c in stripped["cells"]] == ["0", "1"]


@pytest.mark.parametrize(
    ("dump", "newline"),
    [
        ({"indent": 1}, "\n"),
        ({"indent": 2}, "\n"),
        ({"indent": 4, "ensure_ascii": True}, "\n"),
        ({"indent": 1}, "\r\n"),
        ({"indent": None, "separators": (",", ":")}, "\n"),
    ],
)
def test_format_is_preserved(tmp_path: Path, dump: dict, newline: str) -> None:
    nb = make_notebook([code_cell("print('中文')", count=1)], language_info={"name": "python"})
    text = json.dumps(nb, **{"ensure_ascii": False, **dump}).replace("\n", newline)
    path = tmp_path / "nb.ipynb"
    path.write_bytes(text.encode())
    assert strip_file(path).changed
    expected = json.dumps(strip_notebook(nb), **{"ensure_ascii": False, **dump}).replace(
        "\n", newline
    )
    assert path.read_bytes().decode() == expected


def test_clean_notebook_is_not_rewritten(write_nb) -> None:
    path = write_nb(make_notebook([code_cell("x")]))
    before = path.read_bytes()
    os.utime(path, (1_000_000, 1_000_000))
    result = strip_file(path)
    assert not result.changed and result.error is None
    assert path.read_bytes() == before and path.stat().st_mtime == 1_000_000


def test_check_mode_writes_nothing(write_nb) -> None:
    path = write_nb(make_notebook())
    before = path.read_bytes()
    assert strip_file(path, check=True).changed
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "invalid JSON"),
        (b"[1, 2]", "not a notebook"),
        (b'{"a": 1}', "not a notebook"),
        (b'{"nbformat": 3, "worksheets": []}', "unsupported nbformat 3"),
        (b'{"nbformat": 4, "cells": [1]}', "malformed"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_input_reported_by_name_and_untouched(
    tmp_path: Path, write_nb, content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.ipynb"
    bad.write_bytes(content)
    good = write_nb(make_notebook(), "good.ipynb")
    results = strip_files([bad, good])
    assert results[0].error is not None and reason in results[0].error
    assert str(bad) in results[0].error and "\n" not in results[0].error
    assert bad.read_bytes() == content
    assert results[1].changed, "other files are still processed"


def test_style_detection() -> None:
    assert detect_style('{\n  "a": 1\n}').indent == 2
    assert detect_style('{\n\t"a": 1\n}').indent == "\t"
    assert detect_style('{"a":"\\u4e2d"}').ensure_ascii
    assert not detect_style('{"a":"中"}').ensure_ascii
    nb, style = loads_notebook(json.dumps(make_notebook(), indent=1))
    assert dumps_notebook(nb, style) == json.dumps(make_notebook(), indent=1)


def test_input_never_modified_even_with_nested_extra_keys() -> None:
    """strip_notebook copies only what it changes; the caller's notebook stays intact."""
    import copy

    cell = code_cell("a", count=2, scrolled=True, deep={"x": {"y": 1}})
    cell["attachments"] = {"img.png": {"image/png": "AAAA"}}
    cell["outputs"] = [
        {"output_type": "execute_result", "execution_count": 2, "data": {}, "metadata": {}}
    ]
    nb = make_notebook([cell], widgets={"s": 1}, extra={"a": {"b": 1}})
    before = copy.deepcopy(nb)
    options = StripOptions(
        extra_keys=("metadata.extra.a.b", "cell.metadata.deep.x.y", "cell.attachments.img.png")
    )
    stripped = strip_notebook(nb, options)
    assert nb == before
    assert stripped["metadata"]["extra"] == {"a": {}}
    assert stripped["cells"][0]["metadata"]["deep"] == {"x": {}}
    kept = strip_notebook(nb, StripOptions(keep_output=True))
    assert kept["cells"][0]["outputs"][0]["execution_count"] is None
    assert nb == before


def test_detect_style_crlf_tabs_and_escaped_cjk() -> None:
    text = json.dumps(make_notebook(), indent="\t", ensure_ascii=True).replace("\n", "\r\n")
    style = detect_style(text)
    assert (style.indent, style.newline, style.ensure_ascii) == ("\t", "\r\n", True)
    nb, style = loads_notebook(text)
    assert dumps_notebook(nb, style) == text


def test_result_message_counts_cells_in_words() -> None:
    from toolkit.notebooks.strip import StripResult

    assert StripResult("a.ipynb", True, cleared_cells=1).message() == (
        "stripped a.ipynb (outputs of 1 cell)"
    )
    assert StripResult("a.ipynb", True, cleared_cells=3).message(check=True) == (
        "would strip a.ipynb (outputs of 3 cells)"
    )
    assert StripResult("a.ipynb", True).message() == "stripped a.ipynb (counts/metadata only)"
