"""The generated project's own `make test` (ruff, pre-commit hooks, pytest) passes offline.

Each project gets a fresh .venv as a user's would. Its third-party packages come from this
environment (SITE_PACKAGES, see the generated Makefile; compound-toolkit itself is hidden, see
conftest.py) and pip runs with no index, so nothing is downloaded; compound-toolkit is installed
by the project's own `pip install -e .[dev]` from a wheel of this checkout (PIP_FIND_LINKS), so the
notebook hook commands pre-commit runs are the ones this checkout ships.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.scaffold import create_project

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "context",
    [
        {},  # the defaults: scikit-learn, notebooks, GitHub Actions, MIT
        {"ml_framework": "PyTorch", "ci": "GitLab CI", "license": "Apache-2.0"},
        {"ml_framework": "none", "notebooks": "no", "ci": "none", "license": "none"},
    ],
    ids=["default-sklearn", "pytorch", "none"],
)
def test_generated_make_test_passes(
    tmp_path: Path, context: dict[str, str], toolkit_wheel_dir: Path, deps_site: Path
) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    if context.get("ml_framework") == "PyTorch":
        pytest.importorskip("torch")
    project = create_project(
        "ml-project",
        tmp_path,
        no_input=True,
        context={"project_name": "Gen Check", **context},
        git=True,
    )
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "PIP_NO_INDEX": "1",  # prove it is offline: every package must come from SITE_PACKAGES
        "PIP_FIND_LINKS": f"{toolkit_wheel_dir} {os.environ.get('PIP_FIND_LINKS', '')}".strip(),
    }
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [
            "make",
            "test",
            f"PYTHON={sys.executable}",
            f"SITE_PACKAGES={deps_site}",
            "PIP_ARGS=--no-build-isolation",
            # pip and setuptools from SITE_PACKAGES too: a 3.11 venv's own setuptools is older
            # than torch requires, and no index is allowed to upgrade it.
            "VENV_ARGS=--without-pip",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert " passed" in output
    # compound-toolkit and its hook commands were installed into the project's venv from the wheel.
    bin_dir = project / ".venv" / "bin"
    for script in ["toolkit", "toolkit-strip-notebook", "toolkit-forbid-data-files"]:
        assert (bin_dir / script).is_file(), script
    installed = list((project / ".venv").glob("lib/python*/site-packages/compound_toolkit-*"))
    assert installed, "compound-toolkit was not installed into the project venv"
    if context.get("notebooks", "yes") == "yes":
        assert "strip notebook outputs" in output
