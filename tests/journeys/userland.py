"""What the journeys share. The toolkit as a user has it: one wheel built from this checkout and
one fresh virtualenv with ``compound-toolkit[all]`` installed from it (nothing reused from this
environment), made once per test session and shared by every journey (and every xdist worker,
through a file lock).

Each journey then works as a user does from a plain shell: it calls the installed ``toolkit`` by
path, and runs ``make``, ``git`` and ``pre-commit`` with a ``PATH`` that holds no virtualenv.
pip uses its ordinary cache (``~/.cache/pip`` or ``PIP_CACHE_DIR``), shared by all the installs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# What a project's `make test` may take here, on 2 shared cores, including its venv install.
MAKE_TIMEOUT = 1500


def plain_path() -> str:
    """``PATH`` without any virtualenv's bin directory: a shell where nothing is activated."""
    keep = []
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry and not (Path(entry).parent / "pyvenv.cfg").is_file():
            keep.append(entry)
    return os.pathsep.join(keep)


def user_environment(home: Path) -> dict[str, str]:
    """A plain shell's environment: no activated venv, no PYTHONPATH, a git identity."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTEST_XDIST_WORKER", "MAKEFLAGS", "MFLAGS"}
        and not k.startswith(("PYTEST_", "PRE_COMMIT", "TOOLKIT_", "XDG_"))
    }
    # pip's ordinary cache, shared by every install of the session (and kept between sessions).
    cache = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    (home / "home").mkdir(exist_ok=True)
    env.update(
        HOME=str(home / "home"),  # no personal config of the developer's leaks in
        PIP_CACHE_DIR=cache,
        PATH=plain_path(),
        PRE_COMMIT_HOME=str(home / "pre-commit"),
        GIT_AUTHOR_NAME="Journey User",
        GIT_AUTHOR_EMAIL="user@example.invalid",
        GIT_COMMITTER_NAME="Journey User",
        GIT_COMMITTER_EMAIL="user@example.invalid",
        MPLBACKEND="Agg",
    )
    return env


@dataclass(frozen=True)
class UserToolkit:
    """The fresh virtualenv holding the toolkit, and a plain shell to work in."""

    venv: Path
    wheel: Path
    env: dict[str, str]

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def toolkit(
        self, *args: str, cwd: Path, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """``toolkit ARGS`` as installed in the fresh virtualenv, called by its path."""
        return run([str(self.bin / "toolkit"), *args], cwd=cwd, env=self.env, check=check)


def run(
    command: Iterable[str],
    *,
    cwd: Path,
    env: dict[str, str],
    check: bool = True,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command as the user would; on an unexpected failure show the end of its output."""
    result = subprocess.run(
        list(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        output = (result.stdout + result.stderr)[-6000:]
        pytest.fail(f"{' '.join(command)} exited {result.returncode} in {cwd}:\n{output}")
    return result


def build_user_toolkit(root: Path, repo_root: Path) -> dict[str, str]:
    wheels = root / "wheel"
    wheels.mkdir()
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run([*build, "-w", str(wheels), str(repo_root)], check=True)
    (wheel,) = wheels.glob("compound_toolkit-*.whl")
    venv = root / "toolkit-venv"
    env = user_environment(root)
    # The interpreter this suite runs on, by its real path: not the venv it may be in.
    base = Path(getattr(sys, "_base_executable", sys.executable))
    run([str(base), "-m", "venv", str(venv)], cwd=root, env=env)
    # The hooks need pre-commit next to the toolkit, as the README says.
    run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[all]", "pre-commit"],
        cwd=root,
        env=env,
        timeout=MAKE_TIMEOUT,
    )
    return {"venv": str(venv), "wheel": str(wheel)}


def notebook(counts: list[int | None], *, error_in: int | None = None) -> str:
    """A notebook whose code cells ran with ``counts`` (each cell printing its count); the cell
    at ``error_in`` (0-based) holds a traceback instead."""
    cells = []
    for index, count in enumerate(counts):
        outputs: list[dict[str, Any]] = []
        if count is not None:
            outputs = [{"name": "stdout", "output_type": "stream", "text": [f"{count}\n"]}]
        if index == error_in:
            outputs = [
                {
                    "output_type": "error",
                    "ename": "ZeroDivisionError",
                    "evalue": "division by zero",
                    "traceback": ["ZeroDivisionError: division by zero"],
                }
            ]
        cells.append(
            {
                "cell_type": "code",
                "execution_count": count,
                "id": f"c{index}",
                "metadata": {},
                "outputs": outputs,
                "source": f"print({index})",
            }
        )
    document = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


def output(result: subprocess.CompletedProcess[str]) -> str:
    """Everything a command printed (git shows its hooks' output on stderr)."""
    return result.stdout + result.stderr


def commit(
    repo: Path, env: dict[str, str], path: str, message: str
) -> subprocess.CompletedProcess[str]:
    """``git add PATH && git commit -m MESSAGE`` as typed in a shell (hooks run; not checked)."""
    run(["git", "add", path], cwd=repo, env=env)
    return run(["git", "commit", "-m", message], cwd=repo, env=env, check=False)


def assert_hooks_guard_notebooks(repo: Path, env: dict[str, str], folder: str = "") -> None:
    """Through the repository's installed pre-commit hook, with real ``git commit``s: a notebook
    run out of order and one keeping a traceback are refused; one run top to bottom is
    accepted once its stripped form is added, and the commit holds no outputs."""
    base = repo / folder
    base.mkdir(parents=True, exist_ok=True)
    prefix = f"{folder}/" if folder else ""

    (base / "unordered.ipynb").write_text(notebook([5, 2, 9]), encoding="utf-8")
    refused = commit(repo, env, f"{prefix}unordered.ipynb", "run 5, 2, 9")
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "unordered.ipynb: cell 2 ran before cell 1" in refused.stdout + refused.stderr
    run(["git", "rm", "-qf", "--cached", f"{prefix}unordered.ipynb"], cwd=repo, env=env)
    (base / "unordered.ipynb").unlink()

    (base / "failing.ipynb").write_text(notebook([1, 2], error_in=1), encoding="utf-8")
    refused = commit(repo, env, f"{prefix}failing.ipynb", "a traceback")
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "ZeroDivisionError" in refused.stdout + refused.stderr
    run(["git", "rm", "-qf", "--cached", f"{prefix}failing.ipynb"], cwd=repo, env=env)
    (base / "failing.ipynb").unlink()

    (base / "good.ipynb").write_text(notebook([1, 2, 3]), encoding="utf-8")
    first = commit(repo, env, f"{prefix}good.ipynb", "a clean run")
    # The checks pass; stripping rewrote the file, so pre-commit asks for it to be added again.
    assert first.returncode != 0, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout + first.stderr
    accepted = commit(repo, env, f"{prefix}good.ipynb", "a clean run")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    committed = run(["git", "show", f"HEAD:{prefix}good.ipynb"], cwd=repo, env=env).stdout
    cells = json.loads(committed)["cells"]
    assert [c["execution_count"] for c in cells] == [None] * 3
    assert all(c["outputs"] == [] for c in cells)
