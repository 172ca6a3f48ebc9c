"""One notebook-reading rule: the hooks, the snippet commands, harvest and reports agree on
what a notebook is, and name a file they cannot read in the same one line (issue 13)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from toolkit.errors import InvalidNotebookError
from toolkit.notebooks.io import cell_source, load_notebook
from toolkit.notebooks.reporting.running import read_notebook as read_for_report
from toolkit.snippets.harvest import find_candidates

BAD = [
    (b"{not json", "invalid JSON"),
    (b"", "empty file"),
    (b"[1, 2]", "not a notebook"),
    (b'{"a": 1}', "not a notebook"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "cells": [1], "metadata": {}}', "malformed"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": [] }', "malformed"),
    (b'{"nbformat": 4, "cells": [], "metadata": {}, "x": NaN}', "not strict JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (b'{"nbformat": 5, "cells": [], "metadata": {}}', "unsupported nbformat 5"),
]


def _readers() -> dict[str, object]:
    return {
        "hooks": load_notebook,
        "report": lambda path: read_for_report(Path(path)),
        "harvest": lambda path: find_candidates(Path(path)),
    }


@pytest.mark.parametrize(("content", "reason"), BAD)
def test_every_reader_refuses_a_bad_file_with_the_same_line(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "数据 bad.ipynb"
    path.write_bytes(content)
    messages = {}
    for name, read in _readers().items():
        with pytest.raises(InvalidNotebookError) as info:
            read(path)  # type: ignore[operator]
        messages[name] = str(info.value)
    assert len(set(messages.values())) == 1, messages
    message = messages["hooks"]
    assert str(path) in message and reason in message and "\n" not in message
    assert path.read_bytes() == content


def test_missing_file_is_named_by_every_reader(tmp_path: Path) -> None:
    path = tmp_path / "missing.ipynb"
    for read in _readers().values():
        with pytest.raises(InvalidNotebookError, match=r"missing\.ipynb: cannot read"):
            read(path)  # type: ignore[operator]


def _v3_notebook(path: Path) -> None:
    v3 = nbformat.v3
    nb = v3.new_notebook(
        worksheets=[
            v3.new_worksheet(
                cells=[
                    v3.new_code_cell(input="import math"),
                    v3.new_code_cell(
                        input="# snippet: geo/circle\ndef circle(r):\n    return math.pi * r * r"
                    ),
                ]
            )
        ]
    )
    path.write_text(v3.writes_json(nb), encoding="utf-8")


def test_old_nbformat_is_read_by_commands_that_only_read_and_refused_by_hooks(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.ipynb"
    _v3_notebook(path)
    before = path.read_bytes()
    with pytest.raises(InvalidNotebookError, match="unsupported nbformat 3"):
        load_notebook(path)  # the hooks would write it back: refused, not converted
    nb = load_notebook(path, upgrade=True)
    assert nb["nbformat"] == 4 and cell_source(nb["cells"][0]) == "import math"
    assert read_for_report(path).cells[1].source.startswith("# snippet: geo/circle")
    [candidate] = find_candidates(path)
    assert candidate.name == "geo/circle" and "import math" in candidate.text
    assert path.read_bytes() == before


def test_line_lists_and_strings_read_alike(tmp_path: Path) -> None:
    """nbformat allows a source as a list of lines: harvest and reports read both forms."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# snippet: a/b\ndef b():\n    return 1\n")]
    as_lists = json.loads(nbformat.writes(nb))  # nbformat writes sources as line lists
    assert isinstance(as_lists["cells"][0]["source"], list)
    path = tmp_path / "lines.ipynb"
    path.write_text(json.dumps(as_lists), encoding="utf-8")
    [candidate] = find_candidates(path)
    assert candidate.name == "a/b" and "return 1" in candidate.text
    assert read_for_report(path).cells[0].source == nb.cells[0].source


def test_the_hook_path_does_not_import_nbformat(tmp_path: Path) -> None:
    path = tmp_path / "ok.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), path)
    code = (
        "import sys; from toolkit.notebooks.io import load_notebook; "
        f"load_notebook({str(path)!r}); "
        "assert 'nbformat' not in sys.modules, 'nbformat imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
