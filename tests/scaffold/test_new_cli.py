"""`toolkit new`: options, refusal before writing, --force, --git, --list."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]  # the run_toolkit fixture


def test_list_templates_human_and_json(run_toolkit: Runner, tmp_path: Path) -> None:
    human = run_toolkit("new", "--list", cwd=tmp_path)
    assert human.returncode == 0 and "ml-project" in human.stdout
    listed = json.loads(run_toolkit("new", "--list", "--json", cwd=tmp_path).stdout)
    assert [t["name"] for t in listed] == ["ml-project"]


def test_no_input_creates_project_and_json_reports_it(run_toolkit: Runner, tmp_path: Path) -> None:
    result = run_toolkit("new", "--no-input", "--json", "project_name=Churn Model", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = Path(json.loads(result.stdout)["project"])
    assert project == (tmp_path / "churn-model").resolve()
    assert (project / "src" / "churn_model" / "models" / "train.py").is_file()


@pytest.mark.parametrize(
    ("assignment", "needle"),
    [
        ("project_name=json", "standard-library"),
        ("project_name=!!!", "empty"),
        ("project_name=class", "keyword"),
        ("ml_framework=tensorflow", "not one of the choices"),
        ("colour=blue", "unknown template variable"),
        ("no-equals-sign", "expected key=value"),
    ],
)
def test_bad_input_is_refused_before_anything_is_written(
    run_toolkit: Runner, tmp_path: Path, assignment: str, needle: str
) -> None:
    result = run_toolkit("new", "ml-project", "--no-input", assignment, cwd=tmp_path)
    assert result.returncode == 2
    assert needle in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_existing_non_empty_directory_needs_force(run_toolkit: Runner, tmp_path: Path) -> None:
    target = tmp_path / "demo"
    target.mkdir()
    (target / "precious.txt").write_text("keep me")
    refused = run_toolkit("new", "--no-input", "project_name=demo", cwd=tmp_path)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert sorted(p.name for p in target.iterdir()) == ["precious.txt"]
    forced = run_toolkit("new", "--no-input", "--force", "project_name=demo", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (target / "precious.txt").read_text() == "keep me"
    assert (target / "pyproject.toml").is_file()


def test_existing_empty_directory_is_used(run_toolkit: Runner, tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    result = run_toolkit("new", "--no-input", "project_name=demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_git_makes_a_first_commit(run_toolkit: Runner, tmp_path: Path) -> None:
    result = run_toolkit(
        "new", "--no-input", "--git", "project_name=gitted", "-o", "out", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    log = subprocess.run(
        ["git", "log", "--oneline"], cwd=tmp_path / "out" / "gitted", capture_output=True, text=True
    )
    assert "Initial project" in log.stdout
    status = subprocess.run(
        ["git", "status", "--porcelain"],
        cwd=tmp_path / "out" / "gitted",
        capture_output=True,
        text=True,
    )
    assert status.stdout == ""


def test_unknown_template_suggests(run_toolkit: Runner, tmp_path: Path) -> None:
    result = run_toolkit("new", "ml-projet", "--no-input", cwd=tmp_path)
    assert result.returncode == 2 and "did you mean 'ml-project'" in result.stderr


def test_plain_cookiecutter_is_protected_by_the_pre_gen_hook(
    tmp_path: Path, repo_root: Path
) -> None:
    from cookiecutter.exceptions import FailedHookException
    from cookiecutter.main import cookiecutter

    with pytest.raises(FailedHookException):
        cookiecutter(
            str(repo_root / "templates" / "ml-project"),
            no_input=True,
            extra_context={"project_name": "json"},
            output_dir=str(tmp_path),
        )
    assert list(tmp_path.iterdir()) == []


def test_interactive_answers_are_checked_before_writing(
    run_toolkit: Runner, tmp_path: Path
) -> None:
    # Answer "json" to the first prompt and accept every other default.
    answers = "json\n" + "\n" * 12
    refused = run_toolkit("new", cwd=tmp_path, input=answers)
    assert refused.returncode == 2, refused.stderr
    assert "standard-library" in refused.stderr and "json_project" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert list(tmp_path.iterdir()) == []
    # Answers pick choices too: 2 -> PyTorch at the framework prompt (the 8th).
    answers = "Good Name\n" + "\n" * 6 + "2\n" + "\n" * 4
    made = run_toolkit("new", cwd=tmp_path, input=answers)
    assert made.returncode == 0, made.stderr
    assert "torch" in (tmp_path / "good-name" / "pyproject.toml").read_text()


def test_interactive_bad_name_is_asked_again_at_its_prompt(
    run_toolkit: Runner, tmp_path: Path
) -> None:
    # Name "json", keep the slug, refuse the derived package "json" right at its prompt, then
    # accept "json_tools" typed at the repeated prompt; every later prompt takes its default.
    answers = "json\n\n\njson_tools\n" + "\n" * 8
    made = run_toolkit("new", cwd=tmp_path, input=answers)
    assert made.returncode == 0, made.stderr
    refusals = [line for line in made.stderr.splitlines() if "is not usable" in line]
    assert len(refusals) == 1 and "package_name='json'" in refusals[0]
    assert (tmp_path / "json" / "src" / "json_tools" / "__init__.py").is_file()


@pytest.mark.parametrize(
    ("assignment", "start"),
    [
        ("project_slug=Bad_Slug", "project_slug='Bad_Slug' is not usable"),
        ("project_slug=json", "project_slug='json' gives package name 'json'"),
        ("package_name=class", "package_name='class' is not usable"),
    ],
)
def test_a_bad_name_is_one_line_blaming_that_answer(
    run_toolkit: Runner, tmp_path: Path, assignment: str, start: str
) -> None:
    result = run_toolkit("new", "--no-input", "project_name=Good", assignment, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"toolkit: error: {result.stderr[16:].strip()}"]
    assert result.stderr.startswith(f"toolkit: error: {start}"), result.stderr
    assert "Hook script failed" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_python_version_this_machine_lacks_is_refused(
    run_toolkit: Runner, tmp_path: Path
) -> None:
    # A PATH with only this interpreter, as python3: a newer python_version cannot be built here.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    (bin_dir / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    newer = f"3.{sys.version_info.minor + 1}"
    env = {**os.environ, "PATH": str(bin_dir)}
    result = run_toolkit(
        "new",
        "--no-input",
        "project_name=Py",
        cwd=tmp_path,
        env={**env, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    if newer not in {"3.11", "3.12", "3.13", "3.10"} or result.returncode != 0:
        pytest.skip(f"template offers no python_version newer than {sys.version_info[:2]}")
    newer_answer = f"python_version={newer}"
    refused = run_toolkit(
        "new",
        "--no-input",
        "project_name=Py2",
        newer_answer,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert f"no Python {newer} on this machine" in refused.stderr
    assert not (tmp_path / "py2").exists()
