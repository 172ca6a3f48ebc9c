"""`toolkit new` with hostile values and targets: text stays text, refusals leave nothing behind."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Runner = Callable[..., subprocess.CompletedProcess[str]]  # the run_toolkit fixture


@pytest.mark.parametrize(
    "value", ["{{ cookiecutter.__class__.__mro__ }}", "{{ unclosed", "{% if %}", "{# x"]
)
def test_values_are_text_never_jinja(run_toolkit: Runner, tmp_path: Path, value: str) -> None:
    result = run_toolkit(
        "new", "--no-input", "project_name=demo", f"description={value}", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    pyproject = tomllib.loads((tmp_path / "demo" / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == value  # the text itself, not evaluated
    assert "<class" not in (tmp_path / "demo" / "README.md").read_text(encoding="utf-8")


def test_slug_with_a_slash_is_refused_and_leaves_nothing(
    run_toolkit: Runner, tmp_path: Path
) -> None:
    result = run_toolkit("new", "--no-input", "project_name=demo", "project_slug=a/b", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("force", [False, True])
def test_existing_file_at_the_target_is_named(
    run_toolkit: Runner, tmp_path: Path, force: bool
) -> None:
    (tmp_path / "demo").write_text("precious")
    args = ["--force"] if force else []
    result = run_toolkit("new", "--no-input", *args, "project_name=demo", cwd=tmp_path)
    assert result.returncode == 2  # bad input (issue 12 item 9), not a finding
    assert "exists and is not a directory" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert (tmp_path / "demo").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
