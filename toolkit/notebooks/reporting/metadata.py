"""What a report's header says about its run: notebook, parameters, date, duration, git commit,
Python and the versions of the packages that matter for reading ML results.

Example:
    >>> rows = header_rows(Path("nb.ipynb"), {}, executed=False, duration=0.0,
    ...                    when=dt.datetime(2026, 1, 2, 3, 4, 5))
    >>> rows[0], rows[1]
    (('Notebook', 'nb.ipynb'), ('Parameters', '(not executed)'))
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import platform
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["KEY_PACKAGES", "header_rows"]

# Packages whose versions matter for reading ML results; only those installed are listed.
KEY_PACKAGES = (
    "numpy",
    "pandas",
    "polars",
    "scikit-learn",
    "matplotlib",
    "torch",
    "compound-toolkit",
)


def header_rows(
    source: Path,
    parameters: Mapping[str, Any],
    *,
    executed: bool,
    duration: float,
    when: dt.datetime,
) -> list[tuple[str, str]]:
    """The (label, value) rows of the report header, in display order."""
    params = ", ".join(f"{k} = {v!r}" for k, v in parameters.items()) or "(defaults)"
    if executed:
        run = f"executed by toolkit report in {duration:.1f} s"
    else:
        run = "not executed (outputs as saved in the notebook)"
    return [
        ("Notebook", str(source)),
        ("Parameters", params if executed else "(not executed)"),
        ("Date", when.strftime("%Y-%m-%d %H:%M:%S %Z").strip()),
        ("Run", run),
        ("Git commit", git_commit(source)),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("Packages", versions()),
    ]


def versions() -> str:
    """``numpy 2.1.0, pandas 2.2.3, ...`` for the installed :data:`KEY_PACKAGES`."""
    found = []
    for name in KEY_PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found.append(f"{name} {importlib.metadata.version(name)}")
    return ", ".join(found)


def git_commit(where: Path) -> str:
    """The short commit of the repository holding ``where``, noting uncommitted changes to it."""
    folder = str(where.resolve().parent)
    try:
        run = subprocess.run(
            ["git", "-C", folder, "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown (git not available)"
    if run.returncode != 0:
        return "not a git repository"
    commit = run.stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", folder, "status", "--porcelain", "--", where.name],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return commit + (" (notebook has uncommitted changes)" if dirty.stdout.strip() else "")
