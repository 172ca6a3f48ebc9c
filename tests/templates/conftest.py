"""Session fixtures for running generated projects offline against this checkout.

``toolkit_wheel_dir``: a wheel of this checkout, built once per test session (per xdist worker),
offered to the generated project's pip with ``PIP_FIND_LINKS``.

``deps_site``: this environment's site-packages *without* compound-toolkit (a directory of
symlinks), so a generated project's venv reuses numpy, torch, ruff, ... with no download, yet has
to install compound-toolkit itself - from the wheel, console scripts included - as a user's would.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

# What the editable install of this checkout put into site-packages; hidden from generated projects.
_OWN_ENTRIES = ("compound_toolkit-", "_editable_impl_compound_toolkit", "_compound_toolkit")


@pytest.fixture(scope="session")
def toolkit_wheel_dir(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    out = tmp_path_factory.mktemp("toolkit-wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run([*command, "-w", str(out), str(repo_root)], check=True)
    assert list(out.glob("compound_toolkit-*.whl")), "pip wheel built no compound_toolkit wheel"
    return out


@pytest.fixture(scope="session")
def deps_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = Path(sysconfig.get_path("purelib"))
    overlay = tmp_path_factory.mktemp("deps-site")
    for entry in source.iterdir():
        if entry.name.startswith(_OWN_ENTRIES) or entry.name == "toolkit":
            continue
        (overlay / entry.name).symlink_to(entry)
    # `python -m ruff` looks for its binary in <site>/bin, among other places.
    (overlay / "bin").symlink_to(Path(sys.executable).parent)
    return overlay
