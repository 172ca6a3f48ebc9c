"""`toolkit report` with hostile and careless input: links out of the folder, cells that ignore
the interrupt, keywords and misspelt parameters, stripped notebooks, repeated runs into one -o."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from _helpers import toolkit_cli

from toolkit.errors import UsageError
from toolkit.notebooks.reporting import NothingToReportError, parse_parameter, report

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _toolkit(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return toolkit_cli(*args, timeout=timeout)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _saved(tmp_path: Path, name: str, *cells: nbformat.NotebookNode) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def _with_output(source: str = "plot()") -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(
        source,
        outputs=[nbformat.v4.new_output("stream", name="stdout", text="RESULT\n")],
        execution_count=1,
    )


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_symlinked_image_outside_the_folder_is_not_embedded(tmp_path: Path) -> None:
    secret = tmp_path / "home" / ".ssh" / "id_rsa"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\nSECRETKEYBYTES\n")
    repo = tmp_path / "repo"
    (repo / "img").mkdir(parents=True)
    (repo / "chart.png").symlink_to(secret)
    (repo / "img" / "dot.png").write_bytes(PNG_1PX)
    (repo / "inside.png").symlink_to(repo / "img" / "dot.png")  # a link within: fine
    md = (
        "# Results\n\n![leak](chart.png) ![ok](img/dot.png) ![also ok](inside.png)\n\n"
        '<img src="chart.png"> ![up](../home/.ssh/id_rsa)'
    )
    source = _saved(repo, "nb.ipynb", nbformat.v4.new_markdown_cell(md), _with_output())
    run = _toolkit("report", source, "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "out" / "nb.html").read_text(encoding="utf-8")
    key = base64.b64encode(secret.read_bytes()).decode()
    assert "SECRETKEYBYTES" not in page and key not in page and key[:40] not in page
    assert page.count(base64.b64encode(PNG_1PX).decode()) == 2  # the two safe images embedded
    warnings = _lines(run.stderr)
    assert len(warnings) == 2, warnings  # one line per refused image, each named
    assert all(w.startswith("toolkit: warning:") and "outside the notebook" in w for w in warnings)
    assert "'chart.png'" in warnings[0] and "id_rsa" in warnings[1]


@pytest.mark.slow
def test_timeout_kills_a_cell_that_ignores_the_interrupt(tmp_path: Path) -> None:
    source = _saved(
        tmp_path,
        "stubborn.ipynb",
        nbformat.v4.new_code_cell("print('START')"),
        nbformat.v4.new_code_cell(
            "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(120)"
        ),
        nbformat.v4.new_code_cell("print('NEVER')"),
    )
    started = time.monotonic()
    run = _toolkit("report", source, "--execute", "--timeout", "3", "-o", tmp_path, "--json")
    assert time.monotonic() - started < 90
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    failure = json.loads(run.stdout)["reports"][0]["failures"][0]
    assert failure["index"] == 1 and failure["ename"] == "TimeoutError"
    assert "--timeout 3" in failure["evalue"] and "killed" in failure["evalue"]
    page = (tmp_path / "stubborn.html").read_text(encoding="utf-8")
    assert "START" in page and "NEVER" not in page.replace("print('NEVER')", "")


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_sigterm_during_a_run_is_one_line(tmp_path: Path) -> None:
    source = _saved(
        tmp_path, "long.ipynb", nbformat.v4.new_code_cell("import time\ntime.sleep(120)")
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "report", str(source), "--execute", "-o", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(8)  # the kernel is up and running the cell
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "Traceback" not in err and len(_lines(err)) == 1, err
    assert not (tmp_path / "long.html").exists()


def test_keyword_parameter_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="'class' is a Python keyword"):
        parse_parameter("class=1")
    source = _saved(tmp_path, "k.ipynb", nbformat.v4.new_code_cell("x = 1"))
    run = _toolkit("report", source, "--execute", "-p", "class=1")
    assert run.returncode == 2
    assert _lines(run.stderr) == [
        "toolkit: error: parameter 'class=1': 'class' is a Python keyword and cannot be a "
        "variable; rename the parameter in the notebook (e.g. class_)"
    ]


@pytest.mark.slow
def test_unknown_parameter_is_refused_before_anything_runs(tmp_path: Path) -> None:
    params = nbformat.v4.new_code_cell(
        "alpha = 1\n%matplotlib inline\nlabel: str = 'a'", metadata={"tags": ["parameters"]}
    )
    first = _saved(tmp_path, "a.ipynb", params, nbformat.v4.new_code_cell("print(alpha, label)"))
    second = _saved(tmp_path, "b.ipynb", params, nbformat.v4.new_code_cell("print(alpha)"))
    out = tmp_path / "out"
    run = _toolkit("report", first, second, "--execute", "-p", "alpah=2", "-o", out)
    assert run.returncode == 2
    (line,) = _lines(run.stderr)
    assert "'alpah'" in line and "a.ipynb" in line and "alpha, label" in line
    assert "--allow-undeclared" in line
    assert not out.exists()  # nothing ran, nothing written
    no_cell = _saved(tmp_path, "c.ipynb", nbformat.v4.new_code_cell("print(globals().get('z'))"))
    run = _toolkit("report", no_cell, "--execute", "-p", "z=5", "-o", out)
    assert run.returncode == 2 and "no cell tagged `parameters`" in run.stderr
    run = _toolkit(
        "report", no_cell, "--execute", "-p", "z=5", "--allow-undeclared", "-o", out, "--quiet"
    )
    assert run.returncode == 0, run.stderr
    assert ">5" in (out / "c.html").read_text(encoding="utf-8").replace("\n", "")


def test_stripped_notebook_without_execute_says_what_to_do(tmp_path: Path) -> None:
    stripped = _saved(
        tmp_path,
        "stripped.ipynb",
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("print(1)"),
    )
    with pytest.raises(NothingToReportError, match="add --execute"):
        report(stripped, tmp_path / "lib")
    good = _saved(tmp_path, "good.ipynb", _with_output())
    run = _toolkit("report", stripped, good, "-o", tmp_path / "out")
    assert run.returncode == 2
    (line,) = _lines(run.stderr)
    assert "stripped.ipynb" in line and "no saved outputs" in line and "--execute" in line
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good.html", "index.html"]
    assert "stripped.html" not in run.stdout  # no "ok" line for it


def _index_rows(index: Path) -> list[dict[str, object]]:
    text = index.read_text(encoding="utf-8")
    data = re.search(r'id="toolkit-report-index">(.*?)</script>', text, re.S)
    assert data, "the index keeps its rows as JSON"
    return list(json.loads(data.group(1)))


def test_index_merges_with_reports_already_there(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    a = _saved(tmp_path, "a.ipynb", _with_output())
    b = _saved(tmp_path, "b_<x>.ipynb", _with_output())
    assert _toolkit("report", a, "-o", out).returncode == 0
    assert _toolkit("report", b, "-o", out).returncode == 0
    index = out / "index.html"
    rows = _index_rows(index)
    assert [r["link"] for r in rows] == ["a.html", "b_<x>.html"]
    page = index.read_text(encoding="utf-8")
    assert 'href="a.html"' in page and "b_&lt;x&gt;.html" in page and '<x>.html"' not in page
    # Re-reporting a replaces its row; a report deleted since is dropped.
    assert _toolkit("report", a, "-o", out).returncode == 0
    assert [r["link"] for r in _index_rows(index)] == ["a.html", "b_<x>.html"]
    (out / "b_<x>.html").unlink()
    assert _toolkit("report", a, "-o", out).returncode == 0
    assert [r["link"] for r in _index_rows(index)] == ["a.html"]


def test_foreign_index_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<h1>My site</h1>", encoding="utf-8")
    run = _toolkit("report", _saved(tmp_path, "a.ipynb", _with_output()), "-o", out)
    assert run.returncode == 0
    assert (out / "index.html").read_text(encoding="utf-8") == "<h1>My site</h1>"
    assert (out / "a.html").exists()
    (line,) = _lines(run.stderr)
    assert line.startswith("toolkit: warning:") and "index.html" in line
    assert "index " not in run.stdout


def test_messages_read_right() -> None:
    """Issue 14's message slips: a doubled "at" in JSON errors, and a count of "1" (a string)
    reported as "execution count 1, expected 1"."""
    from toolkit.errors import InvalidNotebookError
    from toolkit.notebooks.checks import execution_order_problems
    from toolkit.notebooks.io import loads_notebook

    with pytest.raises(InvalidNotebookError) as err:
        loads_notebook('{"cells": ["abc', "x.ipynb")
    assert "at at" not in str(err.value)
    assert str(err.value).startswith("x.ipynb: invalid JSON") and "line 1" in str(err.value)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("a = 1"), nbformat.v4.new_code_cell("b = 2")]
    nb.cells[0]["execution_count"] = "1"
    nb.cells[1]["execution_count"] = 2
    messages = [p.message for p in execution_order_problems(nb)]  # no TypeError on "1" < 2
    assert messages == [
        "cell 1 has an invalid execution count '1' (expected a whole number or null): re-run "
        "the notebook top to bottom",
        "cell 2 has execution count 2, expected 1: cells were re-run or run elsewhere; re-run "
        "the notebook top to bottom",
    ]
