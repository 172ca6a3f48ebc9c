"""The splicing path: the reference result, with Jupyter's exact bytes on json.dumps layouts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import InvalidNotebookError
from toolkit.notebooks.io import dumps_notebook, loads_notebook
from toolkit.notebooks.jsonspans import NotSpliceable, array_items, object_members, rebuild
from toolkit.notebooks.splice import strip_bytes, strip_text
from toolkit.notebooks.strip import StripOptions, strip_file, strip_notebook


def strip_parsed(text: str, options: StripOptions, name: str) -> tuple[str, int]:
    """What parsing and rewriting the whole file in its style gives: the oracle for files
    written by json.dumps (the hooks never write this way)."""
    nb, style = loads_notebook(text, name)
    return dumps_notebook(strip_notebook(nb, options), style), 0


def _cell(**extra: object) -> dict:
    cell = {
        "cell_type": "code",
        "execution_count": 3,
        "id": "a1",
        "metadata": {"scrolled": True, "tags": ["t"]},
        "outputs": [{"output_type": "execute_result", "execution_count": 3, "data": {}}],
        "source": ["x = 1\n", "x"],
    }
    return {**cell, **extra}


def _notebook(*cells: dict, **metadata: object) -> dict:
    return {"cells": list(cells), "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def _check_same_as_reference(text: str, options: StripOptions = StripOptions()) -> str:
    """strip_bytes parses to what the reference produces; bytes equal for json.dumps layouts."""
    stripped, _ = strip_bytes(text.encode("utf-8"), options)
    assert json.loads(stripped) == strip_notebook(json.loads(text), options)
    return stripped.decode("utf-8")


# --- jsonspans -----------------------------------------------------------------------------


@pytest.mark.parametrize("indent", [None, 1, 2, "\t"])
@pytest.mark.parametrize("keep", [[], [0], [1], [2], [0, 2], [1, 2], [0, 1, 2]])
def test_rebuild_equals_json_dumps_of_the_edited_object(
    indent: int | str | None, keep: list
) -> None:
    obj = {"a": 1, "b": [1, {"c": None}], "d": "é"}
    text = json.dumps(obj, indent=indent, ensure_ascii=False)
    members, end = object_members(text, 0)
    assert end == len(text) and [m.key for m in members] == ["a", "b", "d"]
    kept = {key: obj[key] for index, key in enumerate(obj) if index in keep}
    expected = json.dumps(kept, indent=indent, ensure_ascii=False)
    assert rebuild(text, 0, end, members, keep, {}) == expected


def test_array_items_and_replaced_values() -> None:
    text = '[1,  "two" , {"x": []}]'
    items, end = array_items(text, 0)
    assert [text[i.start : i.end] for i in items] == ["1", '"two"', '{"x": []}'] and end == len(
        text
    )
    assert rebuild(text, 0, end, items, [0, 2], {2: "null"}) == "[1,  null]"


@pytest.mark.parametrize("bad", ['{"a": 1,}', '{"a" 1}', '{"a": 1} x', "[1 2]", '{"a": tru}', "{"])
def test_malformed_text_raises_not_spliceable(bad: str) -> None:
    with pytest.raises(NotSpliceable):
        walk = array_items if bad.startswith("[") else object_members
        _, end = walk(bad, 0)
        if bad[end:].strip():
            raise NotSpliceable("extra data")


# --- layouts the splicing path handles itself ----------------------------------------------


@pytest.mark.parametrize("indent", [1, 2, 4, "\t", None])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_json_dumps_layouts_give_the_reference_bytes(
    indent: int | str | None, newline: str
) -> None:
    nb = _notebook(_cell(), _cell(id="b2", cell_type="markdown"), widgets={"state": {}}, k=1)
    del nb["cells"][1]["outputs"], nb["cells"][1]["execution_count"]
    text = json.dumps(nb, indent=indent, ensure_ascii=False).replace("\n", newline) + newline
    stripped = _check_same_as_reference(text)
    assert stripped == strip_parsed(text, StripOptions(), "x")[0]


def test_hand_formatted_file_keeps_its_formatting_outside_the_edits() -> None:
    text = (
        '{"nbformat": 4, "nbformat_minor": 5,\n'
        '  "metadata": {"kernelspec": {"name": "python3"}},   "cells": [\n'
        '    {"cell_type": "code", "id": "x",  "metadata": {"collapsed": false, "keep": 1},\n'
        '     "execution_count": 12, "source": "print(\\"\\u4e2d\\")",\n'
        '     "outputs": [{"output_type": "stream", "name": "stdout", "text": "\u4e2d"}]}]}'
    )
    stripped = _check_same_as_reference(text)
    assert stripped == (
        '{"nbformat": 4, "nbformat_minor": 5,\n'
        '  "metadata": {"kernelspec": {"name": "python3"}},   "cells": [\n'
        '    {"cell_type": "code", "id": "x",  "metadata": {"keep": 1},\n'
        '     "execution_count": null, "source": "print(\\"\\u4e2d\\")",\n'
        '     "outputs": []}]}'
    ), "escapes, spacing and key order outside the edited values are untouched"


def test_lookalike_keys_nested_in_metadata_are_not_edited() -> None:
    """A metadata member named like a cell member, ordered first: verification catches the
    wrong place and the file still comes out right."""
    cell = {"metadata": {"execution_count": 3, "outputs": [1]}, **_cell()}
    cell["metadata"] = {"execution_count": 3, "outputs": [1]}
    text = json.dumps(_notebook(cell), indent=1)
    stripped = json.loads(_check_same_as_reference(text))
    assert stripped["cells"][0]["metadata"] == {"execution_count": 3, "outputs": [1]}


@pytest.mark.parametrize(
    ("options", "check"),
    [
        (StripOptions(keep_id=False), lambda nb: [c["id"] for c in nb["cells"]] == ["0", "1"]),
        (StripOptions(keep_count=True), lambda nb: nb["cells"][0]["execution_count"] == 3),
        (StripOptions(drop_tagged_cells=("t",)), lambda nb: nb["cells"] == []),
        (StripOptions(extra_keys=("cell.id",)), lambda nb: "id" not in nb["cells"][0]),
        (StripOptions(keep_metadata=("scrolled",)), lambda nb: nb["cells"][0]["metadata"]),
        (StripOptions(keep_output=True), lambda nb: nb["cells"][0]["outputs"]),
    ],
)
def test_options(options: StripOptions, check: object) -> None:
    text = json.dumps(_notebook(_cell(), _cell(id="b")), indent=1) + "\n"
    stripped = json.loads(_check_same_as_reference(text, options))
    assert check(stripped)  # type: ignore[operator]


def test_already_clean_text_is_returned_as_is() -> None:
    clean = json.dumps(_notebook(_cell(execution_count=None, outputs=[], metadata={})), indent=1)
    result = strip_text(clean)
    assert result[0] is clean and result[1] == 0


def test_nan_and_infinity_are_refused_as_not_strict_json() -> None:
    """json.loads accepts NaN; strict readers do not, so the hook writes nothing."""
    text = (
        '{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {"x": NaN},'
        ' "y": -Infinity}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    with pytest.raises(InvalidNotebookError, match="not strict JSON"):
        strip_text(text, name="x.ipynb")


def test_duplicate_keys_mean_the_last_and_dead_ones_are_dropped_where_edited() -> None:
    text = (
        '{"cells": [], "cells": [{"cell_type": "code", "execution_count": 2, "outputs": [],'
        ' "execution_count": 5, "source": ""}], "metadata": {}, "nbformat": 4,'
        ' "nbformat_minor": 5}'
    )
    stripped, _ = strip_text(text)
    assert stripped == (
        '{"cells": [{"cell_type": "code", "outputs": [], "execution_count": null, "source": ""}],'
        ' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )


# --- bad input: same one-line errors as before, file untouched -----------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xef\xbb\xbf{}", "not a notebook"),
        (b'{"cells": [{"cell_type": "code", "outputs": [1, 2,]}]', "invalid JSON"),
        (b'{"cells": [], "nbformat": 3}', "unsupported nbformat"),
        (b'{"cells": [1], "metadata": {}, "nbformat": 4}', "malformed notebook"),
        (b"\xff\xfe", "not UTF-8"),
        (b"", "empty file"),
        (b"  \n", "empty file"),
    ],
)
def test_invalid_files_are_reported_and_untouched(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_bytes(content)
    result = strip_file(path)
    assert result.error and str(path) in result.error and reason in result.error
    assert path.read_bytes() == content
    with pytest.raises(InvalidNotebookError):
        strip_bytes(content, name="bad.ipynb")


# --- property: any layout, any options ------------------------------------------------------

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
_json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_text, inner, max_size=3)),
    max_leaves=8,
)
_meta_keys = st.sampled_from(
    ["scrolled", "collapsed", "ExecuteTime", "execution", "tags", "outputs", "execution_count"]
)
_cells = st.lists(
    st.fixed_dictionaries(
        {
            "cell_type": st.sampled_from(["code", "markdown"]),
            "execution_count": st.one_of(st.none(), st.integers(0, 99)),
            "metadata": st.dictionaries(_meta_keys, _json_value, max_size=3),
            "outputs": st.lists(
                st.fixed_dictionaries(
                    {"output_type": st.just("execute_result"), "execution_count": st.integers()}
                ),
                max_size=2,
            ),
            "source": st.one_of(_text, st.lists(_text, max_size=3)),
        },
        optional={"id": st.text("abc123", min_size=1, max_size=4), "attachments": _json_value},
    ),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(
    cells=_cells,
    notebook_metadata=st.dictionaries(
        st.sampled_from(["widgets", "kernelspec", "signature"]), _json_value
    ),
    indent=st.sampled_from([None, 1, 2, "\t"]),
    ensure_ascii=st.booleans(),
    shuffle=st.randoms(use_true_random=False),
    options=st.builds(
        StripOptions,
        keep_count=st.booleans(),
        keep_id=st.booleans(),
        drop_empty_cells=st.booleans(),
        extra_keys=st.sampled_from([(), ("cell.attachments", "metadata.kernelspec")]),
        keep_metadata=st.sampled_from([(), ("tags", "ExecuteTime")]),
    ),
)
def test_splicing_matches_the_reference_on_any_layout(
    cells: list,
    notebook_metadata: dict,
    indent: object,
    ensure_ascii: bool,
    shuffle: object,
    options: StripOptions,
) -> None:
    for cell in cells:  # members in any order, as a hand-edited or foreign-tool file may have
        keys = list(cell)
        shuffle.shuffle(keys)  # type: ignore[attr-defined]
        cell_items = [(key, cell[key]) for key in keys]
        cell.clear()
        cell.update(cell_items)
    nb = _notebook(*cells, **notebook_metadata)
    text = json.dumps(nb, indent=indent, ensure_ascii=ensure_ascii)  # type: ignore[arg-type]
    stripped = _check_same_as_reference(text, options)
    assert strip_bytes(stripped.encode(), options)[0] == stripped.encode(), "idempotent"
    if isinstance(indent, int) and all(
        list(c)[:2] == ["cell_type", "execution_count"] for c in cells
    ):
        assert stripped == strip_parsed(text, options, "x")[0]
