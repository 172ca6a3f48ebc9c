"""``toolkit report`` with real ipykernel executions.

Kernel start-up costs seconds, so each executed report is built once per module (fixtures) and
several tests read it.
"""

from __future__ import annotations

import base64
import json
import platform
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest
from click.testing import CliRunner

from toolkit.cli.main import cli
from toolkit.errors import InvalidNotebookError, ToolkitError, UsageError
from toolkit.notebooks.reporting import parse_parameter, report

PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "some-other-kernel",
        "display_name": "x",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 模型报告 Model report\n\nIntro."),
        nbformat.v4.new_code_cell(
            "alpha = 1\nlabel = 'base'\nthreshold = 5", metadata={"tags": ["parameters"]}
        ),
        nbformat.v4.new_markdown_cell("## Results"),
        nbformat.v4.new_code_cell("print('ALPHA_IS', alpha * 10, type(alpha).__name__, label)"),
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1, alpha])"
        ),
        nbformat.v4.new_code_cell("print('SECRET_OUTPUT')", metadata={"tags": ["hide-output"]}),
        nbformat.v4.new_code_cell("print('HIDDEN_CELL_OUTPUT')", metadata={"tags": ["hide-cell"]}),
        nbformat.v4.new_code_cell(
            "visible_code_marker = 1\nprint('TAGGED_SHOWN')", metadata={"tags": ["show-code"]}
        ),
        nbformat.v4.new_markdown_cell("### Checks"),
        nbformat.v4.new_code_cell(
            "if alpha > threshold:\n    raise ValueError(f'alpha {alpha} over threshold')"
        ),
        nbformat.v4.new_code_cell("print('AFTER_THE_CHECK')"),
    ]
    return nb


def _git(cwd: Path, *args: str) -> str:
    run = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding the committed test notebook."""
    root = tmp_path_factory.mktemp("proj")
    nbformat.write(_notebook(), root / "analysis.ipynb")
    if shutil.which("git"):
        _git(root, "init", "-q")
        _git(root, "add", "analysis.ipynb")
        _git(root, "commit", "-q", "-m", "nb")
    return root


@pytest.fixture(scope="module")
def failing_run(project: Path) -> tuple[Any, str, dict[str, Any]]:
    """Executed with alpha=7 (> threshold): cell 9 fails. Code hidden (the default)."""
    before = (project / "analysis.ipynb").read_bytes()
    out = project / "fail"
    res = _run(
        ["report", str(project / "analysis.ipynb"), "--execute", "-p", "alpha=7",
         "-p", "label=run one", "-o", str(out), "--json"]
    )  # fmt: skip
    assert (project / "analysis.ipynb").read_bytes() == before, "source notebook changed"
    return res, (out / "analysis.html").read_text(encoding="utf-8"), json.loads(res.stdout)


@pytest.fixture(scope="module")
def ok_run(project: Path) -> tuple[Any, str]:
    """Executed with alpha=2 and --show-code: every cell runs."""
    out = project / "ok"
    res = _run(
        ["report", str(project / "analysis.ipynb"), "--execute", "-p", "alpha=2",
         "--show-code", "-o", str(out), "--quiet"]
    )  # fmt: skip
    return res, (out / "analysis.html").read_text(encoding="utf-8")


def _visible_text(page: str) -> str:
    body = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", "", body)


@pytest.mark.slow
def test_parameters_injected_and_used(failing_run: Any, ok_run: Any) -> None:
    _, page, payload = failing_run
    # 7 parsed as an int literal (7 * 10 = 70); "run one" is not a literal so stays a string.
    assert "ALPHA_IS 70 int run one" in page
    assert payload["reports"][0]["parameters"] == {"alpha": 7, "label": "run one"}
    assert "ALPHA_IS 20 int base" in ok_run[1]
    # With code shown the injected cell is visible, after the parameters cell.
    text = _visible_text(ok_run[1])
    assert text.index("threshold") < text.index("Parameters injected by")


@pytest.mark.slow
def test_figure_embedded_as_png(failing_run: Any) -> None:
    page = failing_run[1]
    images = re.findall(r'<img[^>]*src="data:image/png;base64,([^"]+)"', page)
    assert images, "no embedded figure"
    assert base64.b64decode(images[0]).startswith(b"\x89PNG")
    # Self-contained: nothing loaded from elsewhere (no external img/script src).
    assert not re.search(r'<(img|script)[^>]+src="(?!data:)', page)


@pytest.mark.slow
def test_code_hidden_by_default_and_tags(failing_run: Any) -> None:
    text = _visible_text(failing_run[1])
    assert "fig, ax = plt.subplots()" not in text  # code hidden
    assert "print('ALPHA_IS'" not in text
    assert "visible_code_marker = 1" in text  # show-code tag
    assert "TAGGED_SHOWN" in text
    assert "SECRET_OUTPUT" not in text  # hide-output (and its hidden code) gone
    assert "HIDDEN_CELL_OUTPUT" not in text  # hide-cell gone entirely
    assert "Line2D at 0x" not in text  # object reprs are noise in a results report
    assert "Parameters injected by" not in text


@pytest.mark.slow
def test_show_code_shows_everything_but_hidden_cells(ok_run: Any) -> None:
    res, page = ok_run
    assert res.exit_code == 0, res.output
    text = _visible_text(page)
    assert "fig, ax = plt.subplots()" in text
    assert "print('ALPHA_IS'" in text
    assert "HIDDEN_CELL_OUTPUT" not in text
    assert "SECRET_OUTPUT" not in text.replace("print('SECRET_OUTPUT')", "")
    assert "AFTER_THE_CHECK" in text


@pytest.mark.slow
def test_failing_cell_reported_and_shown_in_place(failing_run: Any) -> None:
    res, page, payload = failing_run
    assert res.exit_code == 1
    failure = payload["reports"][0]["failures"][0]
    assert failure["index"] == 9  # index in the source notebook, not shifted by the injection
    assert failure["first_line"] == "if alpha > threshold:"
    assert failure["ename"] == "ValueError"
    assert "cell 9 (`if alpha > threshold:`)" in res.stderr
    text = _visible_text(page)
    assert "alpha 7 over threshold" in text
    assert "if alpha &gt; threshold:" in text or "if alpha > threshold:" in text
    assert "AFTER_THE_CHECK" not in text  # execution stopped; no stale output
    assert "did not run" in text


@pytest.mark.slow
def test_metadata_header_and_toc(project: Path, failing_run: Any) -> None:
    page = failing_run[1]
    header = page[page.index('id="toolkit-report-header"') :]
    header = _visible_text(header[: header.index("</header>")])
    assert "analysis.ipynb" in header
    assert "alpha = 7, label = 'run one'" in header
    assert platform.python_version() in header
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", header)
    assert re.search(r"executed by toolkit report in \d+\.\d s", header)
    assert "numpy " in header and "scikit-learn " in header
    assert "FAILED at cell 9" in header
    if shutil.which("git"):
        commit = _git(project, "rev-parse", "--short=12", "HEAD")
        assert commit in header
        assert "uncommitted" not in header  # the notebook is committed and untouched
    toc = page[page.index('class="tk-toc"') :]
    toc = toc[: toc.index("</nav>")]
    for heading, anchor in [("模型报告 Model report", "#"), ("Results", "#Results")]:
        assert heading in toc and anchor in toc
    # Every TOC link points to an anchor that exists.
    for target in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{target}"' in page


def test_invalid_notebook_named_others_processed(tmp_path: Path) -> None:
    good = tmp_path / "good.ipynb"
    nb = nbformat.v4.new_notebook()
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "dot.png").write_bytes(base64.b64decode(PNG_1PX))
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\n![dot](img/dot.png) costs $5 or $6"),
        nbformat.v4.new_code_cell(
            "plot()",
            outputs=[nbformat.v4.new_output("display_data", data={"image/png": PNG_1PX})],
        ),
    ]
    nbformat.write(nb, good)
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")
    out = tmp_path / "out"
    res = _run(["report", str(bad), str(good), "-o", str(out)])
    assert res.exit_code == 2  # a malformed notebook is bad input; the good one is reported
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "bad.ipynb" in lines[0] and "invalid JSON" in lines[0]
    assert sorted(p.name for p in out.iterdir()) == ["good.html", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="good.html"' in index and "bad.ipynb" not in index
    assert bad.read_text(encoding="utf-8") == '{"cells": ['
    page = (out / "good.html").read_text(encoding="utf-8")
    # Both the output figure and the markdown image are embedded; no MathJax for "$5 or $6".
    assert page.count(f"data:image/png;base64,{PNG_1PX}") == 2
    assert "img/dot.png" not in page
    assert "mathjax" not in page.lower()
    assert "not executed" in page


def test_schema_slip_nbconvert_rejects_is_one_line_before_any_work(tmp_path: Path) -> None:
    """A kernelspec without display_name passes nbformat.reads but fails nbconvert's
    exporter: it must be named up front, not as a traceback after executing."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('你好')")]
    nb.metadata["kernelspec"] = {"name": "python3"}
    path = tmp_path / "数据分析.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    before = path.read_bytes()
    res = _run(["report", str(path), "-o", str(tmp_path / "out")])
    assert res.exit_code == 2  # not a notebook nbconvert can render: bad input
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "metadata.kernelspec" in lines[0] and "display_name" in lines[0]
    assert "Traceback" not in res.stderr and path.read_bytes() == before


def test_markdown_format_writes_figures_beside(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "plot()",
            outputs=[nbformat.v4.new_output("display_data", data={"image/png": PNG_1PX})],
        )
    ]
    nbformat.write(nb, tmp_path / "m.ipynb")
    result = report(tmp_path / "m.ipynb", tmp_path / "out", fmt="markdown")
    text = result.output.read_text(encoding="utf-8")
    assert text.startswith("# m\n") and "**Status:** not executed" in text
    assert "plot()" not in text
    figures = list((tmp_path / "out" / "m_files").iterdir())
    assert len(figures) == 1 and figures[0].name in text
    assert figures[0].read_bytes() == base64.b64decode(PNG_1PX)


def test_parse_parameter() -> None:
    assert parse_parameter("a=1") == ("a", 1)
    assert parse_parameter("a=[1, 2]") == ("a", [1, 2])
    assert parse_parameter("a='x'") == ("a", "x")
    assert parse_parameter("path=data/train.csv") == ("path", "data/train.csv")
    assert parse_parameter("flag=True") == ("flag", True)
    assert parse_parameter("a=") == ("a", "")
    for bad in ["noequals", "1a=2", "=3"]:
        with pytest.raises(UsageError, match="NAME=VALUE"):
            parse_parameter(bad)


def test_usage_errors(tmp_path: Path) -> None:
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "e.ipynb")
    res = CliRunner().invoke(cli, ["report", str(tmp_path / "e.ipynb"), "-p", "a=1"])
    assert res.exit_code == 2 and "--execute" in res.stderr and not list(tmp_path.glob("*.html"))
    (tmp_path / "sub").mkdir()
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "sub" / "e.ipynb")
    res = CliRunner().invoke(
        cli, ["report", str(tmp_path / "e.ipynb"), str(tmp_path / "sub" / "e.ipynb"), "-o", "x"]
    )
    assert res.exit_code == 2 and "e.html" in res.stderr
    with pytest.raises(InvalidNotebookError, match=r"missing\.ipynb"):
        report(tmp_path / "missing.ipynb")
    r_nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}}
    )
    nbformat.write(r_nb, tmp_path / "r.ipynb")
    with pytest.raises(ToolkitError, match=r"r\.ipynb: a R notebook"):
        report(tmp_path / "r.ipynb", execute=True)
    with pytest.raises(UsageError, match="format"):
        report(tmp_path / "e.ipynb", fmt="pdf")
    assert not list(tmp_path.glob("*.html"))


@pytest.mark.slow
def test_timeout_interrupts_cell(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("print('START')"),
        nbformat.v4.new_code_cell("import time\ntime.sleep(60)"),
    ]
    nbformat.write(nb, tmp_path / "slow.ipynb")
    result = report(tmp_path / "slow.ipynb", tmp_path, execute=True, timeout=2)
    assert result.failed and result.failures[0].index == 1
    assert result.duration < 30
    assert "START" in result.output.read_text(encoding="utf-8")


@pytest.mark.slow
def test_dead_kernel_reported_on_its_cell(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Crash"),
        nbformat.v4.new_code_cell("print('BEFORE')"),
        nbformat.v4.new_code_cell("import os\nos._exit(1)"),
        nbformat.v4.new_code_cell("print('NEVER')"),
    ]
    nbformat.write(nb, tmp_path / "crash.ipynb")
    result = report(tmp_path / "crash.ipynb", tmp_path / "out", execute=True, timeout=60)
    assert [f.index for f in result.failures] == [2]
    assert result.failures[0].ename == "DeadKernelError"
    text = result.output.read_text(encoding="utf-8")
    assert "BEFORE" in text and "NEVER" not in text.replace("print('NEVER')", "")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_renders_in_headless_chromium(project: Path, failing_run: Any, tmp_path: Path) -> None:
    """The report opens offline in a real browser and draws the header, figure and error."""
    shot = tmp_path / "shot.png"
    cmd = [
        "chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
        "--window-size=1280,1600", (project / "fail" / "analysis.html").as_uri(),
    ]  # fmt: skip
    subprocess.run(cmd, capture_output=True, timeout=120, check=True)
    matplotlib = pytest.importorskip("matplotlib.image")
    pixels = matplotlib.imread(shot)
    assert pixels.shape[:2] == (1600, 1280)
    rgb = pixels[..., :3]
    # Not a blank page: a real share of non-white pixels, and the error box's red tint.
    assert (rgb.mean(axis=2) < 0.9).mean() > 0.01
    reddish = (rgb[..., 0] > 0.95) & (rgb[..., 1] < 0.9) & (rgb[..., 2] < 0.9)
    assert reddish.mean() > 0.001


@pytest.mark.slow
def test_shared_corpus_renders_with_every_figure_embedded(
    shared_notebooks: Path, tmp_path: Path
) -> None:
    """Every real notebook renders (no execution); each PNG output appears as a data: image."""
    sources = sorted(shared_notebooks.glob("*.ipynb"))
    for source in sources:
        before = source.read_bytes()
        result = report(source, tmp_path)
        page = result.output.read_text(encoding="utf-8")
        assert source.read_bytes() == before
        nb = nbformat.reads(before.decode("utf-8"), as_version=4)
        pngs = [
            out["data"]["image/png"]
            for cell in nb.cells
            if cell.cell_type == "code"
            for out in cell.get("outputs", [])
            if "image/png" in out.get("data", {})
        ]
        for png in pngs:
            assert "data:image/png;base64," + png.replace("\n", "") in page, source.name
        assert 'id="toolkit-report-header"' in page and source.name in page
        assert not re.search(r'<img[^>]+src="https?:', page), source.name
