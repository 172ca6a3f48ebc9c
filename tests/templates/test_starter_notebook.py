"""The starter notebook runs top to bottom and makes a figure and a table (as `toolkit report`
would run it), on the default (scikit-learn) and the framework-free variants."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from toolkit.scaffold import create_project

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("framework", ["scikit-learn", "none"])
def test_starter_notebook_executes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, framework: str
) -> None:
    from nbclient import NotebookClient

    project = create_project(
        "ml-project",
        tmp_path,
        no_input=True,
        context={"project_name": "Nb Run", "ml_framework": framework},
    )
    path = project / "notebooks" / "01-starter-baseline.ipynb"
    notebook = nbformat.read(path, as_version=4)
    # The kernel inherits this environment; the project's package is importable via src/.
    monkeypatch.setenv("PYTHONPATH", str(project / "src"))
    # As in a test or CI shell; the notebook itself asks for inline figures.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()

    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    assert any("image/png" in out.get("data", {}) for out in outputs), "no figure"
    tables = [out for out in outputs if "<table" in out.get("data", {}).get("text/html", "")]
    assert len(tables) >= 2, "expected the data summary and the metrics table"
    metrics = next(t for t in tables if "balanced_accuracy" in t["data"]["text/html"])
    assert "accuracy" in metrics["data"]["text/html"]
    # Executing it in memory did not touch the file: it stays output-free on disk.
    on_disk = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in on_disk.cells if c.cell_type == "code")
