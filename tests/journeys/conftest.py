"""Session fixture: the toolkit installed from a wheel in a fresh virtualenv (see userland.py)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from journeys.userland import UserToolkit, build_user_toolkit, user_environment


@pytest.fixture(scope="session")
def user_toolkit(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> UserToolkit:
    """Built once per session; xdist workers share it (the first one builds, the others wait)."""
    if shutil.which("make") is None or shutil.which("git") is None:
        pytest.skip("the journeys need make and git")
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    root = shared / "journeys-toolkit"
    with FileLock(str(shared / "journeys-toolkit.lock")):
        done = shared / "journeys-toolkit.json"
        if not done.exists():
            if root.exists():
                shutil.rmtree(root)
            root.mkdir()
            done.write_text(json.dumps(build_user_toolkit(root, repo_root)))
        built: dict[str, Any] = json.loads(done.read_text())
    return UserToolkit(Path(built["venv"]), Path(built["wheel"]), user_environment(root))
