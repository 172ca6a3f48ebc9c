"""Is there a Python for the project's ``python_version`` on this machine?

The generated Makefile builds ``.venv`` with ``python<version>``, else ``python3`` when that is
the version or newer. ``toolkit new`` asks the same question first, so a project that could
not run ``make test`` here is refused with one line instead of a resolver error later.

Example:
    >>> import sys
    >>> find_python(f"{sys.version_info.major}.{sys.version_info.minor}") is not None
    True
"""

from __future__ import annotations

import shutil
import subprocess


def _version_of(command: str) -> tuple[int, int] | None:
    path = shutil.which(command)
    if path is None:
        return None
    try:  # a pyenv shim exists on PATH even when that version is not installed, so run it
        result = subprocess.run(
            [path, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    major, minor = result.stdout.split()
    return int(major), int(minor)


def find_python(version: str) -> str | None:
    """The command the generated Makefile would use for ``version`` (``"3.12"``), or ``None``."""
    wanted = tuple(int(part) for part in version.split("."))
    if _version_of(f"python{version}") is not None:
        return f"python{version}"
    found = _version_of("python3")
    return "python3" if found is not None and found >= wanted else None


def python_problem(version: str) -> str | None:
    """Why ``make test`` could not build the project's venv here, or ``None`` when it can."""
    if find_python(version) is not None:
        return None
    found = _version_of("python3")
    have = f"python3 is {found[0]}.{found[1]}" if found else "no python3 on PATH"
    return (
        f"python_version={version}: no Python {version} on this machine ({have}); install it, "
        f"or choose python_version={found[0]}.{found[1]}"
        if found
        else f"python_version={version}: no Python {version} on this machine ({have}); install it"
    )
