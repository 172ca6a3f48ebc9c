"""What several test packages need alike: git with a fixed author, and the toolkit run as a user
runs it (a subprocess), so no test file keeps its own copy.

Importable from every test module: ``tests/`` is on ``sys.path`` (pytest's rootdir conftest),
as ``journeys.userland`` is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Commits in a test repository must not depend on the machine's git config.
_AUTHOR = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@x",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@x",
}


def git(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """``git ARGS`` in ``cwd`` (``env`` or this process's environment, plus a fixed author)."""
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**(os.environ if env is None else env), **_AUTHOR},
        check=check,
    )


def toolkit_cli(
    *args: str | Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    script: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``python -m toolkit ARGS`` (with ``script``, the installed ``toolkit`` console script) in
    a subprocess: exit code, stdout and stderr as a user sees them."""
    command = (
        [str(Path(sys.executable).parent / "toolkit")]
        if script
        else [sys.executable, "-m", "toolkit"]
    )
    return subprocess.run(
        [*command, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=None if env is None else dict(env),
        timeout=timeout,
        check=False,
    )
