"""Fixtures for the scaffold tests: the CLI run as a user runs it (no stdin, own process)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_toolkit() -> Runner:
    """``run_toolkit("update", "--check", cwd=project)`` -> the finished process; ``input=``
    is typed at the prompts (else no stdin), ``env=`` replaces the environment."""

    def run(
        *args: str, cwd: Path, input: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "toolkit", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            input=input,
            stdin=subprocess.DEVNULL if input is None else None,
            env=env,
        )

    return run
