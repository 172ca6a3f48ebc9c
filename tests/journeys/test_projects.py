"""A new user's day with projects made by ``toolkit new``, from a plain shell.

The toolkit is the wheel installed in a fresh virtualenv (conftest.py). Each project's own
``make test`` builds the project's .venv from nothing (pip's cache only), so this also proves
what the project's CI runs on a clean clone.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from filelock import FileLock

from journeys.userland import (
    MAKE_TIMEOUT,
    UserToolkit,
    assert_hooks_guard_notebooks,
    run,
)

pytestmark = pytest.mark.slow


def new_project(user: UserToolkit, where: Path, *assignments: str) -> Path:
    result = user.toolkit("new", "--no-input", "--git", "--json", *assignments, cwd=where)
    return Path(json.loads(result.stdout)["project"])


def make(user: UserToolkit, project: Path, target: str, **env: str) -> str:
    result = run(["make", target], cwd=project, env={**user.env, **env}, timeout=MAKE_TIMEOUT)
    return result.stdout + result.stderr


def assert_vendored_wheel(user: UserToolkit, project: Path) -> None:
    """The project installs the toolkit from the wheel it keeps in .toolkit/, committed to git
    (a clean clone, as CI makes, has it), never from an index that does not have it."""
    pyproject = (project / "pyproject.toml").read_text()
    assert f'"compound-toolkit[all] @ {{root:uri}}/.toolkit/{user.wheel.name}"' in pyproject
    tracked = run(["git", "ls-files", ".toolkit"], cwd=project, env=user.env).stdout.split()
    assert f".toolkit/{user.wheel.name}" in tracked, tracked
    assert (project / ".toolkit" / user.wheel.name).read_bytes() == user.wheel.read_bytes()


def pytest_summary(output: str) -> str:
    lines = [line for line in output.splitlines() if re.search(r"\d+ passed", line)]
    assert lines, output[-3000:]
    return lines[-1]


@pytest.fixture
def churn(user_toolkit: UserToolkit, tmp_path_factory: pytest.TempPathFactory):
    """The scikit-learn project, made once per session and shared by the tests below (and by
    xdist workers): each test holds the project's lock while it works in it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    with FileLock(str(shared / "churn-project.lock")):
        done = shared / "churn-project.json"
        if not done.exists():
            where = shared / "day-one"
            where.mkdir()
            project = new_project(user_toolkit, where, "project_name=Churn model")
            # Day one: `make test` on a fresh machine (ruff, pre-commit hooks, pytest).
            output = make(user_toolkit, project, "test")
            done.write_text(json.dumps([str(project), output]))
        project_dir, output = json.loads(done.read_text())
        yield Path(project_dir), output


def restore(user: UserToolkit, project: Path) -> None:
    """Put the project back to its last commit: untracked files under src/, notebooks/, tests/
    and .toolkit/ (where `snippet add` keeps its receipts) too."""
    run(["git", "checkout", "-q", "--", "."], cwd=project, env=user.env)
    touched = ["src", "notebooks", "tests", ".toolkit"]
    run(["git", "clean", "-fdq", *touched], cwd=project, env=user.env)


def test_day_one_make_test_passes_with_the_vendored_toolkit(
    user_toolkit: UserToolkit, churn
) -> None:
    project, output = churn
    assert project.name == "churn-model"
    assert_vendored_wheel(user_toolkit, project)
    # Dot-files and empty-directory keepers survive the trip through the wheel.
    for kept in [".gitignore", ".pre-commit-config.yaml", ".github/workflows/ci.yml"]:
        assert (project / kept).is_file(), kept
    assert (project / "data" / "raw" / ".gitkeep").is_file()
    assert "warnings summary" not in output and " warning" not in pytest_summary(output)
    assert "strip notebook outputs" in output and "notebooks ran top to bottom" in output
    # `make setup` installed the git hook with the project's own pre-commit.
    assert "pre-commit" in (project / ".git" / "hooks" / "pre-commit").read_text()


def test_notebooks_go_through_the_hooks_from_a_plain_shell(
    user_toolkit: UserToolkit, churn
) -> None:
    project, _ = churn
    assert ".venv" not in user_toolkit.env["PATH"]
    assert_hooks_guard_notebooks(project, user_toolkit.env, "notebooks")


def recorded_runs(user: UserToolkit, project: Path) -> list[dict[str, object]]:
    """`toolkit runs list --json` in the project, with the project's own toolkit."""
    toolkit = str(project / ".venv" / "bin" / "toolkit")
    listed = run([toolkit, "runs", "list", "--json"], cwd=project, env=user.env).stdout
    runs: list[dict[str, object]] = json.loads(listed)["runs"]
    return runs


def test_data_train_report_loop(user_toolkit: UserToolkit, churn) -> None:
    """`make train`, a config change, `make report` (data -> train -> runs comparison -> the
    notebook report): two runs recorded and compared; outputs and runs stay out of git."""
    project, _ = churn
    before = len(recorded_runs(user_toolkit, project))
    config = project / "configs" / "default.toml"
    try:
        make(user_toolkit, project, "train")
        config.write_text(
            config.read_text().replace("regularization_c = 1.0", "regularization_c = 0.1")
        )
        output = make(user_toolkit, project, "report")
        status = run(["git", "status", "--porcelain"], cwd=project, env=user_toolkit.env).stdout
    finally:
        restore(user_toolkit, project)
    assert status == " M configs/default.toml\n", status  # runs/, reports/, models/ ignored
    metrics = json.loads((project / "reports" / "metrics.json").read_text())
    assert metrics["balanced_accuracy"] > 0.9
    assert (project / "reports" / "figures" / "confusion.png").stat().st_size > 0
    assert (project / "models" / "model.bin").is_file()
    assert (project / "data" / "raw" / "starter.csv").is_file()
    report = project / "reports" / "notebooks" / "01-starter-baseline.html"
    assert "data:image/png;base64," in report.read_text(encoding="utf-8")
    # The two trainings are two finished runs; compare shows the changed parameter.
    runs = recorded_runs(user_toolkit, project)
    assert len(runs) == before + 2
    first, second = runs[-2:]
    assert (first["name"], first["status"]) == ("train", "finished")
    assert (
        first["params"]["regularization_c"] == 1.0 and second["params"]["regularization_c"] == 0.1
    )
    assert "regularization_c" in output and "test/accuracy" in output  # make report's table
    compared = user_toolkit.toolkit("runs", "compare", "--last", "2", "--json", cwd=project)
    differing = json.loads(compared.stdout)["differing_params"]
    assert list(differing["regularization_c"].values()) == [1.0, 0.1]
    page = (project / "reports" / "runs.html").read_text(encoding="utf-8")
    assert first["id"] in page and second["id"] in page and "regularization_c" in page


ROC_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "roc",
            "metadata": {},
            "outputs": [],
            "source": "from toolkit import plotting as tp\n\n"
            "tp.roc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])",
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_a_toolkit_plotting_figure_is_in_the_report(user_toolkit: UserToolkit, churn) -> None:
    """A cell whose last line is ``tp.roc(...)``: its figure is in the executed report."""
    project, _ = churn
    notebook = project / "notebooks" / "02-roc.ipynb"
    notebook.write_text(json.dumps(ROC_NOTEBOOK, indent=1) + "\n")
    try:
        venv_toolkit = str(project / ".venv" / "bin" / "toolkit")
        run(
            [venv_toolkit, "report", "--execute", str(notebook), "-o", "reports/roc"],
            cwd=project,
            env=user_toolkit.env,
        )
        html = (project / "reports" / "roc" / "02-roc.html").read_text(encoding="utf-8")
        assert "data:image/png;base64," in html
    finally:
        restore(user_toolkit, project)


def add_snippet_and_make_test(user: UserToolkit, project: Path, *args: str) -> str:
    """``toolkit snippet add ARGS`` with the project's toolkit, then the project's make test."""
    run(
        [str(project / ".venv" / "bin" / "toolkit"), "snippet", "add", *args],
        cwd=project,
        env=user.env,
    )
    return make(user, project, "test")


def test_snippet_added_as_a_new_file_keeps_make_test_green(
    user_toolkit: UserToolkit, churn
) -> None:
    project, _ = churn
    try:
        add_snippet_and_make_test(
            user_toolkit, project, "evaluation/proportion_ci", "--to", "src/churn_model/"
        )
        assert (project / "src" / "churn_model" / "proportion_ci.py").is_file()
    finally:
        restore(user_toolkit, project)


def test_snippet_added_into_a_module_keeps_make_test_green(
    user_toolkit: UserToolkit, churn
) -> None:
    project, _ = churn
    try:
        add_snippet_and_make_test(
            user_toolkit,
            project,
            "preprocessing/missing_summary",
            "--into",
            "src/churn_model/features.py",
        )
        assert (
            "snippet preprocessing/missing_summary"
            in (project / "src" / "churn_model" / "features.py").read_text()
        )
    finally:
        restore(user_toolkit, project)


def test_a_promoted_copy_survives_when_the_personal_library_is_not_set(
    user_toolkit: UserToolkit, churn, tmp_path: Path
) -> None:
    project, _ = churn
    toolkit = str(project / ".venv" / "bin" / "toolkit")
    copy = project / "src" / "churn_model" / "proportion_ci.py"
    library = tmp_path / "my-snippets"
    library.mkdir()
    with_library = {**user_toolkit.env, "TOOLKIT_SNIPPET_PATH": str(library)}
    try:
        run(
            [toolkit, "snippet", "add", "evaluation/proportion_ci", "--to", str(copy.parent)],
            cwd=project,
            env=with_library,
        )
        text = copy.read_text()
        edited = text.replace(
            "    return math.ceil(", "    # our team's improvement\n    return math.ceil("
        )
        assert edited != text
        copy.write_text(edited)
        run(
            [toolkit, "snippet", "promote", str(copy), "--to", str(library)],
            cwd=project,
            env=with_library,
        )
        # A teammate's shell, or CI: no personal library configured.
        status = run([toolkit, "snippet", "status"], cwd=project, env=user_toolkit.env).stdout
        assert "outdated" not in status, status
        run([toolkit, "snippet", "update", "--all"], cwd=project, env=user_toolkit.env, check=False)
        assert "our team's improvement" in copy.read_text()
    finally:
        restore(user_toolkit, project)


def test_pytorch_project_first_make_test_is_clean(
    user_toolkit: UserToolkit, tmp_path: Path
) -> None:
    """Item 7: no warnings on the first run. torch is the CPU build this machine keeps on disk
    (pinned as a user pins torch in a constraints or lock file)."""
    user = user_toolkit
    project = new_project(
        user, tmp_path, "project_name=Vision net", "ml_framework=PyTorch", "ci=GitLab CI"
    )
    assert_vendored_wheel(user, project)
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("torch==2.13.0\n")
    output = make(user, project, "test", PIP_CONSTRAINT=str(constraints))
    summary = pytest_summary(output)
    assert "warnings summary" not in output and "warning" not in summary, output[-3000:]
    assert "torch" in (project / "pyproject.toml").read_text()


def test_framework_free_project_without_notebooks(
    user_toolkit: UserToolkit, tmp_path: Path
) -> None:
    user = user_toolkit
    project = new_project(
        user,
        tmp_path,
        "project_name=Plain stats",
        "ml_framework=none",
        "notebooks=no",
        "ci=none",
        "license=none",
    )
    output = make(user, project, "test")
    assert "warnings summary" not in output
    assert "strip notebook outputs" not in output
    # `make report` in a fresh project: one run recorded, shown as it is (nothing to compare).
    output = make(user, project, "report")
    assert json.loads((project / "reports" / "metrics.json").read_text())["accuracy"] > 0.8
    assert "nothing to compare it with yet" in output
    page = (project / "reports" / "runs.html").read_text(encoding="utf-8")
    assert "One run so far" in page and "random_state" in page
