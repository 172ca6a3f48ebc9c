"""Hostile file-system states met by real processes: the hooks as pre-commit runs them, a FIFO
named like a notebook, file names that look like options, concurrent ``snippet add --into``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed beside {sys.executable}")
    return str(path)


def notebook_with_output() -> str:
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "id": "c1",
        "metadata": {},
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi\n"}],
        "source": "print('hi')",
    }
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1) + "\n"


@pytest.mark.parametrize(
    "command",
    [["toolkit-strip-notebook", "x.ipynb"], ["toolkit", "nb", "strip", "."]],
    ids=["hook", "toolkit nb strip DIR"],
)
def test_fifo_named_like_a_notebook_does_not_block(tmp_path: Path, command: list[str]) -> None:
    os.mkfifo(tmp_path / "x.ipynb")
    (tmp_path / "y.ipynb").write_text(notebook_with_output())
    argv = [tool(command[0]), *command[1:]]
    result = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "x.ipynb: a FIFO, not a regular file; skipped" in result.stderr, result.stderr
    assert result.returncode == 2  # an unreadable file is bad input; it wins over y's strip (1)
    assert "Traceback" not in result.stderr
    if command[0] == "toolkit":  # the folder walk carried on with the real notebook
        assert '"outputs": []' in (tmp_path / "y.ipynb").read_text()


def test_other_notebook_hooks_skip_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.ipynb")
    for hook in ("toolkit-check-notebook-order", "toolkit-check-notebook-errors"):
        result = subprocess.run(
            [tool(hook), "x.ipynb"], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert "not a regular file" in result.stderr and result.returncode == 2, result.stderr


def test_option_like_file_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.hooks import data_files, strip

    monkeypatch.chdir(tmp_path)
    Path("-draft.ipynb").write_text(notebook_with_output())
    Path("--keep").write_text(notebook_with_output())  # not --keep-output (no abbreviations)
    Path("-data.csv.gz").write_bytes(b"\0" * 200_000)
    assert strip.main(["-draft.ipynb", "--keep"]) == 1
    assert '"outputs": []' in Path("-draft.ipynb").read_text()
    assert '"outputs": []' in Path("--keep").read_text()
    assert strip.main(["--check", "--", "-draft.ipynb"]) == 0
    assert data_files.main(["-draft.ipynb", "-data.csv.gz"]) == 1
    assert data_files.main(["--max-data-kb", "500", "--", "-data.csv.gz"]) == 0
    from toolkit.hooks import errors, order

    assert order.main(["-draft.ipynb"]) == 0 and errors.main(["--", "-draft.ipynb"]) == 0
    with pytest.raises(SystemExit) as exc:  # an unknown option that is no file is still wrong
        strip.main(["--chekc", "-draft.ipynb"])
    assert exc.value.code == 2


def test_pre_commit_checks_every_file_of_a_commit_with_a_dash_file(tmp_path: Path) -> None:
    """The user's journey: `-draft.ipynb` at the root and a compressed table, one commit."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tool("toolkit-strip-notebook")
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / ".pre-commit-config.yaml").write_text(
        textwrap.dedent(
            """\
            repos:
              - repo: local
                hooks:
                  - id: strip-notebook-outputs
                    name: strip notebook outputs
                    entry: toolkit-strip-notebook
                    language: system
                    types: [jupyter]
                  - id: forbid-data-files
                    name: no data or model files
                    entry: toolkit-forbid-data-files
                    language: system
            """
        )
    )
    (repo / "-draft.ipynb").write_text(notebook_with_output())
    (repo / "b.ipynb").write_text(notebook_with_output())
    (repo / "-train.csv.gz").write_bytes(os.urandom(300_000))
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "unrecognized arguments" not in output, output
    for name in ("-draft.ipynb", "b.ipynb"):
        assert '"outputs": []' in (repo / name).read_text(), (name, output)
    assert "-train.csv.gz (293 KB): data file over 100 KB" in output, output


def test_concurrent_snippet_adds_into_one_file_keep_every_block(tmp_path: Path) -> None:
    """Eight real `toolkit snippet add --into` processes at once: all succeed, all eight kept."""
    library, project = tmp_path / "library", tmp_path / "project"
    library.mkdir()
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    target = project / "helpers.py"
    target.write_text("import os\n")
    n = 8
    for i in range(n):
        (library / f"s{i}.py").write_text(
            f'"""Snippet {i}.\n\ntags: demo\nrequires: none\nversion: 1\n"""\n\nVALUE_{i} = {i}\n'
        )
    env = {
        **os.environ,
        "TOOLKIT_SNIPPET_PATH": str(library),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    # Build the snippet index once first, so the eight runs race on the file, not the cache.
    subprocess.run([tool("toolkit"), "snippet", "list"], env=env, cwd=project, check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    runs = [
        subprocess.Popen(
            [tool("toolkit"), "snippet", "add", f"s{i}", "--into", "helpers.py"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(n)
    ]
    outcomes = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    assert all(code == 0 for code, _, _ in outcomes), outcomes
    text = target.read_text()
    assert text.startswith("import os\n")
    kept = sorted(int(line.split("=")[1]) for line in text.splitlines() if line.startswith("VALUE"))
    assert kept == list(range(n)), text
