"""The generated project's own `make test` (ruff, pre-commit hooks, pytest) passes offline.

Each project gets a fresh .venv as a user's would, but reuses this environment's packages
(SITE_PACKAGES, see the generated Makefile) so nothing is downloaded and the compound-toolkit
it sees, including the notebook hook commands, is this checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
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
def test_generated_make_test_passes(tmp_path: Path, context: dict[str, str]) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    if context.get("ml_framework") == "PyTorch":
        pytest.importorskip("torch")
    project = create_project(
        "ml-project", tmp_path, no_input=True, context={"project_name": "Gen Check", **context},
        git=True,
    )
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "PIP_NO_INDEX": "1",  # prove it is offline: every package must come from SITE_PACKAGES
    }
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [
            "make",
            "test",
            f"PYTHON={sys.executable}",
            f"SITE_PACKAGES={sysconfig.get_path('purelib')}",
            "PIP_ARGS=--no-build-isolation",
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
    if context.get("notebooks", "yes") == "yes":
        assert "strip notebook outputs" in output
