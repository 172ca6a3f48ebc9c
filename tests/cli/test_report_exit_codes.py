"""``toolkit report --execute`` on a notebook of another language is bad input: exit 2."""

from __future__ import annotations

from pathlib import Path

import nbformat
from click.testing import CliRunner

from toolkit.cli.main import cli


def test_report_execute_on_an_r_notebook_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}},
        cells=[nbformat.v4.new_code_cell("x <- 1")],
    )
    path = tmp_path / "analysis.ipynb"
    nbformat.write(nb, str(path))
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["report", str(path), "--execute", "-q"])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"{path}: a R notebook; --execute runs Python only" in result.stderr
    assert path.read_bytes() == before and sorted(tmp_path.iterdir()) == [path]
