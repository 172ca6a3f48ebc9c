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
    venv = tmp_path / "venv"
    # A fresh environment; its dependencies come from this one (no download), the toolkit from
    # the wheel only: the checkout is not on its path.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(purelib)
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (Path(purelib) / "_deps.pth").write_text("\n".join(deps) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [
            python,
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
    assert where[0].startswith(purelib) and where[1] == f"{purelib}/toolkit/_data/templates"
    result = subprocess.run(
        [python, "-m", "toolkit", "new", "--no-input", "project_name=From Wheel"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-wheel" / "src" / "from_wheel" / "models" / "train.py").is_file()
