"""The built wheel carries the templates and snippets, and `toolkit new` works from it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(repo_root),
        ],
        check=True,
    )
    return next(out.glob("compound_toolkit-*.whl"))


def test_wheel_contains_templates_and_snippets(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "toolkit/_data/templates/ml-project/cookiecutter.json" in names
    assert any(
        n.startswith("toolkit/_data/templates/ml-project/{{cookiecutter.project_slug}}/")
        for n in names
    )
    assert "toolkit/_data/snippets/README.md" in names
    assert "toolkit/py.typed" in names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


def test_toolkit_new_from_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    """pip installs the wheel and its declared dependencies (from the configured index/mirror)
    into a fresh venv; a dependency missing from pyproject.toml would make this fail."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    install = subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    where = subprocess.run(
        [
            bin_dir / "python",
            "-c",
            "import toolkit, toolkit._resources as r; print(toolkit.__file__);"
            "print(r.data_dir('templates'))",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout.split()
    assert where[0].startswith(str(venv)), "toolkit imported from outside the fresh venv"
    assert where[1].endswith("site-packages/toolkit/_data/templates")
    # The console scripts the generated project's pre-commit hooks call are installed too.
    for script in ["toolkit", "toolkit-strip-notebook", "toolkit-forbid-data-files"]:
        assert (bin_dir / script).is_file(), script
    new_project = [bin_dir / "toolkit", "new", "--no-input", "project_name=From Wheel", "--json"]
    # The core install is the hooks' light environment: `new` says which extra it needs.
    core_only = subprocess.run(new_project, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert core_only.returncode == 2, core_only.stderr
    assert core_only.stderr.strip().splitlines() == [
        "toolkit: error: this command needs cookiecutter, from an extra: "
        'pip install "compound-toolkit[new]"'
    ]
    extra = subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "-q", f"{wheel}[new]"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert extra.returncode == 0, extra.stderr[-3000:]
    result = subprocess.run(new_project, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "from-wheel"
    assert (project / "src" / "from_wheel" / "models" / "train.py").is_file()
    assert (project / "notebooks" / "01-starter-baseline.ipynb").is_file()
    # Dot-files and empty-directory keepers survive the trip through the wheel.
    for kept in [".gitignore", ".pre-commit-config.yaml", ".github/workflows/ci.yml"]:
        assert (project / kept).is_file(), kept
    assert (project / "data" / "raw" / ".gitkeep").is_file()
    assert str(project) in result.stdout
