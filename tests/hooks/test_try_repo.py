"""Every exported hook works through `pre-commit try-repo` on this checkout, offline.

try-repo clones the repository at HEAD, so this tests committed code; pre-commit installs the
package into its own environment with pip, from the configured package index (no GitHub).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("user-repo")
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 2,
                "id": "a",
                "metadata": {},
                "outputs": [{"output_type": "error", "ename": "E", "evalue": "x", "traceback": []}],
                "source": "1/0",
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (path / "nb.ipynb").write_text(json.dumps(nb, indent=1))
    (path / "train.parquet").write_bytes(b"0" * 300_000)
    subprocess.run(["git", "add", "."], cwd=path, check=True)
    return path


HOOKS = {
    "strip-notebook-outputs": "stripped nb.ipynb",
    "check-notebook-order": "expected 1",
    "check-notebook-errors": "error output",
    "forbid-data-files": "train.parquet",
}


def test_try_repo_runs_every_hook(repo: Path, repo_root: Path, tmp_path: Path) -> None:
    """One try-repo call (one hook environment build) runs all hooks; each must fail here."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(repo_root), "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for hook_id, needle in HOOKS.items():
        assert f"- hook id: {hook_id}" in output, output
        assert needle in output, (hook_id, output)


def test_hook_environment_is_as_light_as_nbstripouts(
    repo: Path, repo_root: Path, tmp_path: Path
) -> None:
    """What a user's first `pre-commit run` installs for our hooks (a fresh PRE_COMMIT_HOME,
    this checkout's HEAD as `repo:`; try-repo deletes its store, so it cannot be measured)."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo_root, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = tmp_path / "config.yaml"
    config.write_text(
        f"repos:\n- repo: {repo_root}\n  rev: {head}\n  hooks:\n  - id: strip-notebook-outputs\n"
    )
    home = tmp_path / "pre-commit-home"
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "-c", str(config)],
        cwd=repo,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "strip notebook outputs" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert_light_environment(home)


# nbstripout's hook environment, built the same way (fresh PRE_COMMIT_HOME, first run), is
# 19 MB; `benchmarks/strip_vs_nbstripout.py` measures both side by side.
NBSTRIPOUT_ENV_MB = 19.0
HEAVY = ("cookiecutter", "nbconvert", "nbformat", "ipykernel", "rich", "jinja2", "pre_commit")


def assert_light_environment(home: Path) -> None:
    """The environment pre-commit built holds the core install only, no larger than
    nbstripout's: the heavy parts are extras the hooks never need."""
    envs = [p for p in home.glob("repo*/py_env-*") if p.is_dir()]
    assert len(envs) == 1, envs
    size_mb = sum(f.stat().st_size for f in envs[0].rglob("*") if f.is_file()) / 1e6
    site = next(envs[0].glob("lib/python*/site-packages"))
    installed = {p.name.lower() for p in site.iterdir()}
    assert not [name for name in HEAVY if name in installed], sorted(installed)
    assert size_mb <= NBSTRIPOUT_ENV_MB, f"hook environment is {size_mb:.1f} MB"
