"""The fast path (msgspec) gives exactly the standard path's result, or declines to it.

Each file the fast path takes must come out byte-for-byte as the standard (stdlib) splice
writes it; each file it declines (BOM, duplicate or escaped keys, lone surrogates, invalid
UTF-8, numbers msgspec will not read, malformed notebooks) must still be handled through
``strip_bytes`` exactly as before: stripped per the rule, or refused with the same one line.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from notebook_rule import assert_stripped_per_rule
from test_cases import CASES

from toolkit.errors import InvalidNotebookError
from toolkit.notebooks import splice, strip
from toolkit.notebooks.fastsplice import strip_fast
from toolkit.notebooks.splice import strip_bytes
from toolkit.notebooks.strip import StripOptions

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "notebooks"
STREAM = {"output_type": "stream", "name": "stdout", "text": ["hi\n"]}


def _cell(**extra: Any) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": 3,
        "id": "c1",
        "metadata": {"scrolled": True, "tags": ["t"]},
        "outputs": [STREAM],
        "source": "print('hi')",
        **extra,
    }


def _notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    return {
        "cells": list(cells) or [_cell()],
        "metadata": {"kernelspec": {"name": "python3"}, "widgets": {"state": {}}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _standard(data: bytes, options: StripOptions) -> tuple[bytes, int] | str:
    try:
        return strip_bytes(data, options, "nb.ipynb", fast=False)
    except InvalidNotebookError as exc:
        return str(exc)


def _through_fast(data: bytes, options: StripOptions) -> tuple[bytes, int] | str:
    try:
        return strip_bytes(data, options, "nb.ipynb", fast=True)
    except InvalidNotebookError as exc:
        return str(exc)


def assert_same_as_standard(data: bytes, options: StripOptions = StripOptions()) -> bool:
    """The fast path equals the standard one where it takes the file; returns whether it did."""
    fast = strip_fast(data, options)
    if fast is not None:
        assert fast == _standard(data, options)
    assert _through_fast(data, options) == _standard(data, options)
    return fast is not None


ALL_OPTIONS = [
    StripOptions(),
    StripOptions(keep_count=True),
    StripOptions(keep_id=False, drop_empty_cells=True, drop_tagged_cells=("t",)),
    StripOptions(extra_keys=("cell.metadata.tags", "metadata.kernelspec.name", "cell.id")),
    StripOptions(keep_metadata=("scrolled", "metadata.widgets")),
]


@pytest.mark.parametrize("options", ALL_OPTIONS, ids=range(len(ALL_OPTIONS)))
@pytest.mark.parametrize(
    "layout",
    [
        {"indent": 1},
        {"indent": 4},
        {"indent": "\t"},
        {},
        {"separators": (",", ":")},
        {"indent": 2, "ensure_ascii": True},
    ],
    ids=["jupyter", "indent4", "tabs", "one-line", "compact", "ascii"],
)
def test_layouts_are_taken_and_equal_the_standard_path(
    layout: dict[str, Any], options: StripOptions
) -> None:
    nb = _notebook(_cell(), _cell(id="c2", source="", outputs=[]), {**_cell(), "id": "中"})
    data = (json.dumps(nb, **{"ensure_ascii": False, **layout}) + "\n").encode()
    assert assert_same_as_standard(data, options)


def test_cells_in_another_layout_are_walked_and_equal_the_standard_path() -> None:
    """Cells are joined in the file's layout (read off the first edited cell) once the join
    equals their bytes; a cell in a layout of its own is joined in that one, a cell with uneven
    separators is walked, a key spelled with an escape or a hidden duplicate key declines; the
    file always comes out as the standard path writes it."""
    cells = [json.dumps(_cell(id=f"c{n}"), indent=1) for n in range(5)]
    cells[1] = json.dumps(_cell(id="c1"))  # one line
    cells[4] = json.dumps(_cell(id="c4")).replace(', "id"', ',   "id"')  # uneven
    cells[2] = cells[2].replace('"source"', '"sour\\u0063e"')  # an escaped key
    cells[3] = cells[3].replace('"metadata": {', '"metadata": {"tags": ["x"]}, "metadata": {')
    top = json.dumps(_notebook(), indent=1)
    head, _, tail = top.partition('"cells": [')
    tail = tail[tail.index("\n ],") :]
    ordinary = [cells[0], cells[1], cells[4]]
    for chosen, taken in ((ordinary, True), (cells[:3], False), ([*ordinary, cells[3]], False)):
        data = (head + '"cells": [\n' + ",\n".join(chosen) + tail).encode()
        assert json.loads(data)["cells"][-1]["metadata"] == {"scrolled": True, "tags": ["t"]}
        assert assert_same_as_standard(data) is taken  # an escape or a duplicate: declined


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace('": ', '" :\t '),  # whitespace before and after colons
        lambda t: t.replace("\n", "\r\n"),  # CRLF
        lambda t: t.replace("\n", "\r"),  # lone CR
        lambda t: t.replace(",\n", " ,\n\n"),  # odd whitespace around separators
        lambda t: "\n \t" + t + "\n\n  ",  # whitespace before and after the notebook
        lambda t: t.replace('"hi\\n"', '"h\\u0069\\/\\n"').replace('"t"', '"\\u00e9"'),
        lambda t: t.replace('"nbformat_minor": 5', '"nbformat_minor": 5.0E0'),
        lambda t: t.replace('"execution_count": 3', '"execution_count": 1000000000000000000000'),
    ],
    ids=["colons", "crlf", "cr", "separators", "around", "escapes", "numbers", "big-int"],
)
def test_odd_whitespace_line_ends_and_escapes_are_kept(edit: Any) -> None:
    data = edit(json.dumps(_notebook(), indent=1)).encode()
    assert assert_same_as_standard(data)
    stripped, cleared = strip_fast(data, StripOptions()) or (b"", 0)
    assert cleared == 1
    assert_stripped_per_rule(data, stripped, StripOptions())


DECLINED = {
    "bom": b"\xef\xbb\xbf" + json.dumps(_notebook(), indent=1).encode(),
    "duplicate top key": json.dumps(_notebook(), indent=1)
    .replace('"nbformat": 4', '"nbformat": 3, "nbformat": 4')
    .encode(),
    "duplicate cell key": json.dumps(_notebook(), indent=1)
    .replace('"source": "print', '"outputs": [{"output_type": "x"}], "source": "print')
    .encode(),
    "duplicate outputs hiding data": json.dumps(_notebook(), indent=1)
    .replace('"id": "c1"', '"outputs": [{"output_type": "stream", "text": "secret"}], "id": "c1"')
    .encode(),
    "escaped key": json.dumps(_notebook(), indent=1).replace('"source"', '"sour\\u0063e"').encode(),
    "lone surrogate in source": json.dumps(_notebook(_cell(source="s = '\ud800'"))).encode(
        "utf-8", "surrogatepass"
    ),
    "lone surrogate in outputs": json.dumps(
        _notebook(_cell(outputs=[{**STREAM, "text": "\udfff"}]))
    ).encode(),
    "invalid UTF-8 in outputs": json.dumps(_notebook()).encode().replace(b"hi\\n", b"h\xff"),
    "1e400 in metadata": json.dumps(_notebook()).replace('"tags"', '"x": 1e400, "tags"').encode(),
    "kept outputs with counts": json.dumps(
        _notebook(
            _cell(
                metadata={"tags": ["keep_output"]},
                outputs=[{"output_type": "execute_result", "execution_count": 3, "data": {}}],
            )
        )
    ).encode(),
    "outputs not a list of objects": json.dumps(_notebook(_cell(outputs=[1, 2]))).encode(),
    "not a notebook": b'{"cells": [], "nbformat": 3}',
    "not JSON": b'{"cells": [',
}


@pytest.mark.parametrize("name", DECLINED)
def test_unusual_files_are_declined_and_the_standard_path_decides(name: str) -> None:
    data = DECLINED[name]
    assert strip_fast(data, StripOptions()) is None
    assert not assert_same_as_standard(data)


def test_hidden_duplicate_outputs_never_survive() -> None:
    stripped, _ = strip_bytes(DECLINED["duplicate outputs hiding data"], fast=True)
    assert b"secret" not in stripped


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_damaging_case_is_handled_as_by_the_standard_path(name: str) -> None:
    data = CASES[name].encode("utf-8", "surrogatepass")
    for options in ALL_OPTIONS:
        assert_same_as_standard(data, options)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus {CORPUS} is not here")
def test_the_real_corpus_is_taken_and_equals_the_standard_path() -> None:
    taken = [assert_same_as_standard(path.read_bytes()) for path in sorted(CORPUS.glob("*.ipynb"))]
    assert taken and all(taken)


def test_the_path_is_chosen_by_size_and_by_what_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "toolkit.notebooks.fastsplice", raising=False)
    assert not splice.use_fast_path(splice.FAST_PATH_MIN_BYTES - 1)
    assert "toolkit.notebooks.fastsplice" not in sys.modules  # msgspec not imported for it
    assert splice.use_fast_path(splice.FAST_PATH_MIN_BYTES)
    assert splice.use_fast_path(10)  # loaded: every later file of the batch takes it


def test_a_batch_holds_a_bounded_number_of_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """strip_files never holds more than IN_FLIGHT_BYTES of files at once (one larger file
    goes alone), and still strips every file, in order."""
    data = json.dumps(_notebook(), indent=1).encode()
    paths = []
    for index in range(12):
        path = tmp_path / f"nb{index:02d}.ipynb"
        path.write_bytes(data if index != 5 else data + b" " * 5000)
        paths.append(path)
    monkeypatch.setattr(strip, "IN_FLIGHT_BYTES", len(data) * 2)
    held, peak = [0], [0]
    real, lock = strip.strip_file, threading.Lock()

    def counting(path: Path, *args: Any, **kwargs: Any) -> strip.StripResult:
        size = path.stat().st_size
        with lock:
            held[0] += size
            peak[0] = max(peak[0], held[0])
        try:
            return real(path, *args, **kwargs)
        finally:
            with lock:
                held[0] -= size

    monkeypatch.setattr(strip, "strip_file", counting)
    results = strip.strip_files(paths)
    assert [r.path for r in results] == paths and all(r.changed for r in results)
    assert peak[0] <= max(len(data) * 2, len(data) + 5000)
    assert all(strip_fast(p.read_bytes(), StripOptions()) == (p.read_bytes(), 0) for p in paths)
