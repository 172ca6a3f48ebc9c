"""Figures show where a notebook user looks: executed for real in an ipykernel with Jupyter's
default inline backend, each plotting cell's outputs carry a PNG; `toolkit report` keeps them.
And in a script, pyplot knows the figures (`plt.show()`, `plt.savefig`)."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

SETUP = """\
import numpy as np
import toolkit.plotting as tp
rng = np.random.default_rng(0)
y = rng.integers(0, 3, 300)
proba = rng.dirichlet([1, 1, 1], 300)
proba[np.arange(300), y] += 0.8
proba /= proba.sum(axis=1, keepdims=True)
"""
# One cell per function, each ending in the plot call, as a user writes them.
PLOT_CELLS = {
    "roc": 'tp.roc(y, proba, classes=["猫", "狗", "鸟"])',
    "confusion": 'tp.confusion_matrix(y, proba.argmax(axis=1), title="混淆矩阵")',
    "pr_binary": "tp.precision_recall(y == 2, proba[:, 2])",
    "calibration": "tp.calibration(y == 2, proba[:, 2])",  # returns a Figure
    "distribution": "ax = tp.distribution(rng.normal(size=500))\nax.set_title('分布')",
    "scatter_matrix": "tp.scatter_matrix(rng.normal(size=(200, 3)))",  # a Figure
}


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(SETUP)]
    nb.cells += [
        nbformat.v4.new_code_cell(src, metadata={"tags": [name]})
        for name, src in PLOT_CELLS.items()
    ]
    return nb


def _jupyter_env() -> dict[str, str]:
    """The environment Jupyter starts a kernel in: no MPLBACKEND forcing Agg (the test runner
    and CI may set it), so the kernel's default inline backend is in charge."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


@pytest.mark.slow
def test_plot_cells_show_a_png_in_an_executed_notebook(tmp_path: Path) -> None:
    from nbclient import NotebookClient

    nb = _notebook()
    client = NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=False)
    client.execute(env=_jupyter_env(), cwd=str(tmp_path))
    for cell in nb.cells[1:]:
        name = cell.metadata["tags"][0]
        shown = [o for o in cell.outputs if o.output_type == "display_data"]
        # The inline backend shows the figure once. (A Figure as the cell's value is also shown
        # as the value, by Jupyter itself, as for any pyplot figure; `toolkit report` drops it.)
        assert len(shown) == 1, (name, [o.get("output_type") for o in cell.outputs])
        data = base64.b64decode(shown[0]["data"]["image/png"])
        assert data.startswith(b"\x89PNG"), name
        assert len(data) > 5_000, name  # a real figure, not an empty canvas
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        stderr = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stderr")
        assert not errors and "missing from font" not in stderr, (name, stderr)


@pytest.mark.slow
def test_toolkit_report_keeps_every_figure(tmp_path: Path) -> None:
    source = tmp_path / "plots.ipynb"
    nbformat.write(_notebook(), source)
    run = subprocess.run(
        [sys.executable, "-m", "toolkit", "report", str(source), "--execute", "-o",
         str(tmp_path / "out"), "--quiet"],
        capture_output=True, text=True, env=_jupyter_env(), timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "out" / "plots.html").read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]*src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == len(PLOT_CELLS)
    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert "&lt;Axes" not in page and "<Axes:" not in page  # object reprs are not results


def test_script_figures_are_known_to_pyplot(tmp_path: Path) -> None:
    """`plt.savefig` (and so `plt.show()`) sees what the toolkit drew; an empty current figure
    made with `plt.figure(figsize=...)` is used; a second call gets its own figure."""
    code = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import toolkit.plotting as tp
fig = plt.figure(figsize=(3, 2))
ax = tp.roc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
assert ax.figure is fig and plt.gca() is ax
ax2 = tp.class_balance(["a", "b", "b"])
assert ax2.figure is not fig and plt.gcf() is ax2.figure
left, right = plt.subplots(1, 2)[1]
plt.sca(left)
assert tp.class_balance(["a"]) is left
plt.sca(right)
assert tp.roc([0, 1], [0.2, 0.9]) is right
f = tp.calibration([0, 1, 1], [0.2, 0.7, 0.9])
assert plt.gcf() is f and len(plt.get_fignums()) == 4
plt.savefig(OUT)
"""
    out = tmp_path / "last.png"
    subprocess.run(
        [sys.executable, "-c", code.replace("OUT", repr(str(out)))],
        check=True,
        env=_jupyter_env(),
    )
    assert out.read_bytes().startswith(b"\x89PNG")
