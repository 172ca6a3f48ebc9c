"""A generated project's `models/train.py` records every training as a run (toolkit.runs);
`toolkit runs compare` and the starter notebook show them. The starter notebook runs top to
bottom (as `toolkit report` runs it) and makes a figure and tables: on the framework-free variant
with no run recorded yet, and on the scikit-learn variant after two recorded trainings.

The project's code runs here with this environment's toolkit (PYTHONPATH=src); the journey in
tests/journeys does the same through `make train` / `make report` in the project's own venv.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from toolkit.cli.main import cli
from toolkit.runs import RunStore
from toolkit.scaffold import create_project

pytestmark = pytest.mark.slow


def render(where: Path, framework: str) -> Path:
    project = create_project(
        "ml-project",
        where,
        no_input=True,
        context={"project_name": f"Runs {framework}", "ml_framework": framework},
        check_python=False,
    )
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "new"]):
        subprocess.run(command, cwd=project, env=env, check=True)
    return project


def python(project: Path, *args: str) -> str:
    """``python ARGS`` in the project, as `make` runs it (the package importable from src/)."""
    env = {**os.environ, "PYTHONPATH": str(project / "src"), "MPLBACKEND": "Agg"}
    env.pop("TOOLKIT_RUNS_DIR", None)
    done = subprocess.run(
        [sys.executable, *args], cwd=project, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stderr, done.stderr
    return done.stdout


def train(project: Path, *, data_file: bool = True) -> str:
    """What `make train` runs (with `make data`'s CSV, or the built-in starter data)."""
    package = project.name.replace("-", "_")
    args = ["-m", f"{package}.models.train", "--config", "configs/default.toml"]
    data = "data/raw/starter.csv"
    if data_file:
        if not (project / data).exists():
            python(project, "-m", f"{package}.data", "--output", data)
        args += ["--data", data]
    return python(project, *args)


def compare(project: Path, *args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["runs", "--dir", str(project / "runs"), "compare", *args])
    return result.exit_code, result.output


def assert_ran_with_figure_and_tables(notebook: nbformat.NotebookNode) -> None:
    """No error; a figure; the data summary and the metrics table."""
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    assert any("image/png" in out.get("data", {}) for out in outputs), "no figure"
    tables = [out for out in outputs if "<table" in out.get("data", {}).get("text/html", "")]
    assert len(tables) >= 2, "expected the data summary and the metrics table"
    metrics = next(t for t in tables if "balanced_accuracy" in t["data"]["text/html"])
    assert "accuracy" in metrics["data"]["text/html"]


def execute_starter_notebook(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> nbformat.NotebookNode:
    """The starter notebook executed in memory, as `toolkit report --execute` runs it."""
    from nbclient import NotebookClient

    path = project / "notebooks" / "01-starter-baseline.ipynb"
    notebook = nbformat.read(path, as_version=4)
    # The kernel inherits this environment; the project's package is importable via src/.
    monkeypatch.setenv("PYTHONPATH", str(project / "src"))
    # As in a test or CI shell; the notebook itself asks for inline figures.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("TOOLKIT_RUNS_DIR", raising=False)
    resources = {"metadata": {"path": str(path.parent)}}
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources=resources).execute()
    assert_ran_with_figure_and_tables(notebook)
    # Executing it in memory did not touch the file: it stays output-free on disk.
    on_disk = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in on_disk.cells if c.cell_type == "code")
    return notebook


def compare_cell(notebook: nbformat.NotebookNode) -> tuple[str, list[str]]:
    """What the "Compare runs" cell printed, and the HTML tables it showed."""
    (cell,) = [c for c in notebook.cells if "RunStore" in c.source]
    assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
    printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    tables = [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]
    return printed, tables


def test_starter_notebook_executes_before_any_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = create_project(
        "ml-project",
        tmp_path,
        no_input=True,
        context={"project_name": "Nb Run", "ml_framework": "none"},
    )
    printed, tables = compare_cell(execute_starter_notebook(project, monkeypatch))
    assert "0 recent run(s)" in printed and not tables  # no run yet: it says so, no table


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scikit-learn project trained twice, with a changed config the second time."""
    project = render(tmp_path_factory.mktemp("two-runs"), "scikit-learn")
    train(project)
    config = project / "configs" / "default.toml"
    config.write_text(
        config.read_text().replace("regularization_c = 1.0", "regularization_c = 0.01")
    )
    train(project)
    return project


def test_each_training_is_one_finished_run_with_what_it_depended_on(two_runs: Path) -> None:
    runs = RunStore(two_runs / "runs").load().runs
    assert [r.name for r in runs] == ["train", "train"]
    assert [r.status for r in runs] == ["finished", "finished"]
    assert [r.params["regularization_c"] for r in runs] == [1.0, 0.01]
    first = runs[0].meta
    assert first["params"]["config"] == "configs/default.toml"
    assert first["data"]["data/raw/starter.csv"]["method"] == "blake2b"
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=two_runs, capture_output=True, text=True, check=True
    )
    assert first["git"]["commit"] == head.stdout.strip() and not first["git"]["dirty"]
    assert runs[1].meta["git"]["dirty"]  # the second ran with the edited config
    assert {Path(a["path"]).name for a in first["artifacts"]} == {"model.bin", "confusion.png"}
    summary = runs[0].summary()
    assert set(summary) == {"accuracy", "balanced_accuracy", "test/accuracy"}
    assert summary["accuracy"]["last"] == summary["test/accuracy"]["last"] > 0.9
    assert [e["test_set"] for e in first["evaluations"]] == ["test"]
    # The runs folder is ignored by the project's git: the work tree shows only the config edit.
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=two_runs, capture_output=True, text=True, check=True
    )
    assert status.stdout == " M configs/default.toml\n"


def test_compare_shows_the_changed_parameter_and_writes_the_report(two_runs: Path) -> None:
    html = two_runs / "reports" / "runs.html"
    code, output = compare(two_runs, "--last", "5", "--html", str(html))
    assert code == 0, output
    assert "regularization_c" in output and "accuracy" in output
    page = html.read_text(encoding="utf-8")
    assert "Parameters that differ" in page and "regularization_c" in page


def test_starter_notebook_compares_the_recorded_runs(
    two_runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed, tables = compare_cell(execute_starter_notebook(two_runs, monkeypatch))
    assert "2 recent run(s)" in printed
    (table,) = tables
    assert "regularization_c" in table and "balanced_accuracy" in table
    assert table.count("train (") == 2  # one row per run


def test_pytorch_training_logs_its_loss_curve_and_one_run_compares(tmp_path: Path) -> None:
    """One run alone: `compare` shows it as it is (its parameters, its metrics), exit 0."""
    pytest.importorskip("torch")
    project = render(tmp_path, "PyTorch")
    train(project, data_file=False)
    (run,) = RunStore(project / "runs").load().runs
    epochs = run.params["epochs"]
    loss = [p for p in run.points() if p.metric == "loss"]
    assert [p.step for p in loss] == list(range(epochs))
    assert loss[-1].value < loss[0].value
    html = project / "reports" / "runs.html"
    code, output = compare(project, "--last", "5", "--html", str(html), "--json")
    assert code == 0, output
    assert json.loads(output)["metrics"]["loss"]["best"] is None  # nothing to be better than
    page = html.read_text(encoding="utf-8")
    assert "One run so far" in page and "hidden_size" in page
    assert "<svg" in page  # the loss curve
