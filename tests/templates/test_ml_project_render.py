"""Render templates/ml-project over a covering set of options and check what comes out.

All 4 x 4 x 3 x 2 x 3 = 288 combinations would take minutes. The options touch mostly
separate files: licence -> LICENSE; CI -> .github/ or .gitlab-ci.yml; notebooks -> notebooks/
and two hooks; framework -> src/, tests/, pyproject; Python version -> pyproject, config.py,
CI image. The interactions that share a file are framework x Python version (imports in
config.py and train.py) and framework x notebooks (the notebook imports the package), so the
covering set is the full framework x Python product (12 renders), with licence, CI and notebooks
cycling so that every value of every option and every framework x notebooks pair appears.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from toolkit.scaffold import create_project

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FRAMEWORKS = ["scikit-learn", "PyTorch", "none"]
PYTHONS = ["3.11", "3.12", "3.13", "3.10"]
LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "none"]
CIS = ["GitHub Actions", "GitLab CI", "none"]
LICENCE_MARKERS = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License, Version 2.0",
    "BSD-3-Clause": "BSD 3-Clause License",
}


def covering_set() -> list[dict[str, str]]:
    rows = []
    for index, (framework, python) in enumerate(itertools.product(FRAMEWORKS, PYTHONS)):
        rows.append(
            {
                "project_name": f"Case {index} {framework}",
                "ml_framework": framework,
                "python_version": python,
                "license": LICENSES[index % 4],
                "ci": CIS[index % 3],
                "notebooks": ["yes", "no"][index % 2],
            }
        )
    return rows


CASES = covering_set()
REPO_URI = Path(__file__).resolve().parents[2].as_uri()


def test_covering_set_covers_every_value_and_pair() -> None:
    for key, values in [
        ("ml_framework", FRAMEWORKS),
        ("python_version", PYTHONS),
        ("license", LICENSES),
        ("ci", CIS),
        ("notebooks", ["yes", "no"]),
    ]:
        assert {case[key] for case in CASES} == set(values)
    assert {(c["ml_framework"], c["notebooks"]) for c in CASES} == set(
        itertools.product(FRAMEWORKS, ["yes", "no"])
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dict[str, str], Path]]:
    out = tmp_path_factory.mktemp("rendered")
    return [
        (case, create_project("ml-project", out, no_input=True, context=case, check_python=False))
        for case in CASES
    ]


def test_layout(rendered: list[tuple[dict[str, str], Path]]) -> None:
    for case, project in rendered:
        package = project.name.replace("-", "_")
        src = project / "src" / package
        for module in ["config", "data", "features", "predict", "plots", "models/train"]:
            assert (src / f"{module}.py").is_file(), (case, module)
        for keep in [
            "data/raw",
            "data/interim",
            "data/processed",
            "data/external",
            "models",
            "reports/figures",
        ]:
            assert (project / keep / ".gitkeep").is_file()
        for name in [
            "pyproject.toml",
            "README.md",
            "Makefile",
            ".gitignore",
            ".pre-commit-config.yaml",
            "configs/default.toml",
        ]:
            assert (project / name).is_file()
        assert not list(project.rglob("*{{*")), "unrendered template names"


def test_options_shape_the_files(rendered: list[tuple[dict[str, str], Path]]) -> None:
    for case, project in rendered:
        licence = project / "LICENSE"
        if case["license"] == "none":
            assert not licence.exists()
        else:
            assert LICENCE_MARKERS[case["license"]] in licence.read_text()
        assert (project / ".github/workflows/ci.yml").exists() == (case["ci"] == "GitHub Actions")
        assert (project / ".gitlab-ci.yml").exists() == (case["ci"] == "GitLab CI")
        assert (project / "notebooks").exists() == (case["notebooks"] == "yes")
        hooks = (project / ".pre-commit-config.yaml").read_text()
        assert ("toolkit-strip-notebook" in hooks) == (case["notebooks"] == "yes")
        assert "toolkit-forbid-data-files" in hooks and "repo: local" in hooks
        pyproject = tomllib.loads((project / "pyproject.toml").read_text())
        deps = " ".join(pyproject["project"]["dependencies"])
        assert ("torch" in deps) == (case["ml_framework"] == "PyTorch")
        assert "scikit-learn" in deps  # metrics and the toolkit's split, in every variant
        assert pyproject["project"]["requires-python"] == f">={case['python_version']}"
        # Rendered from this checkout's editable install: the project installs the checkout.
        toolkit_dep = pyproject["project"]["dependencies"][0]
        assert toolkit_dep == f"compound-toolkit[all] @ {REPO_URI}", toolkit_dep
        assert pyproject["tool"]["hatch"]["metadata"]["allow-direct-references"] is True
        ignore = (project / ".gitignore").read_text()
        for pattern in ["mlruns/", "wandb/", "*.ckpt", ".ipynb_checkpoints/", "data/**"]:
            assert pattern in ignore


def test_generated_code_is_clean(rendered: list[tuple[dict[str, str], Path]]) -> None:
    ruff = Path(sys.executable).parent / "ruff"
    projects = [str(project) for _, project in rendered]
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        result = subprocess.run([str(ruff), *args, *projects], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    for _, project in rendered:
        for source in project.rglob("*.py"):
            compile(source.read_text(), str(source), "exec")


def test_starter_notebook_is_valid_stripped_and_parameterised(
    rendered: list[tuple[dict[str, str], Path]],
) -> None:
    for case, project in rendered:
        if case["notebooks"] != "yes":
            continue
        path = project / "notebooks" / "01-starter-baseline.ipynb"
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
        assert any("parameters" in cell.metadata.get("tags", []) for cell in code)
        package = project.name.replace("-", "_")
        assert f"from {package}.models.train import train" in "".join(c.source for c in code)
        assert json.loads(path.read_text())["nbformat"] == 4


# The generated projects' own pytest suites run in test_generated_make_test.py (with ruff and
# pre-commit, as `make test`), for the scikit-learn, PyTorch and framework-free variants.
