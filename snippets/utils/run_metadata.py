"""Collect run metadata (git commit, dirty flag, package versions, seed, platform) as a dict.

Save it next to every model or metrics file so a result can be traced to the exact code and
environment. Every field degrades gracefully: outside a git checkout ``git`` is ``None``.

tags: utils, reproducibility, metadata, git, experiments
requires: none
version: 2

Example:
    >>> import json, tempfile, pathlib
    >>> meta = run_metadata(seed=42, packages=["pip", "surely-not-installed-pkg"])
    >>> meta["seed"], meta["packages"]["surely-not-installed-pkg"]
    (42, None)
    >>> sorted(meta)
    ['argv', 'git', 'hostname', 'packages', 'platform', 'python', 'seed', 'started_at']
    >>> git_info(tempfile.mkdtemp()) is None
    True
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "meta.json"
    >>> save_run_metadata(path, seed=1)["seed"] == json.loads(path.read_text())["seed"]
    True
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import socket
import subprocess
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

# datetime.UTC exists from Python 3.11 only; this is the same zone on every version.
_UTC = dt.timezone(dt.timedelta(0))

DEFAULT_PACKAGES = ("numpy", "pandas", "scikit-learn", "torch", "matplotlib")


def _git(args: list[str], cwd: str | Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def git_info(cwd: str | Path = ".") -> dict[str, Any] | None:
    """Commit, branch and dirty flag of the repository containing ``cwd`` (None if not a repo)."""
    commit = _git(["rev-parse", "HEAD"], cwd)
    if not commit:
        return None
    status = _git(["status", "--porcelain", "--untracked-files=no"], cwd)
    return {
        "commit": commit,
        "branch": _git(["rev-parse", "--abbrev-ref", "HEAD"], cwd),
        "dirty": bool(status),
    }


def package_versions(names: Iterable[str] = DEFAULT_PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution, None when it is not installed."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def run_metadata(
    seed: int | None = None, packages: Iterable[str] = DEFAULT_PACKAGES, cwd: str | Path = "."
) -> dict[str, Any]:
    """Everything needed to trace a result back to its code and environment."""
    return {
        "started_at": dt.datetime.now(_UTC).isoformat(timespec="seconds"),
        "seed": seed,
        "git": git_info(cwd),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "hostname": socket.gethostname(),
        "argv": list(sys.argv),
        "packages": package_versions(packages),
    }


def save_run_metadata(path: str | Path, **kwargs: Any) -> dict[str, Any]:
    """Write :func:`run_metadata` as UTF-8 JSON to ``path`` and return it."""
    meta = run_metadata(**kwargs)
    Path(path).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta
