"""Where this compound-toolkit came from, so a new project installs it the same way.

``toolkit new`` writes the result into the project's ``pyproject.toml``: a project made on a
machine where the toolkit came from a checkout, a wheel or a git commit must not ask a package
index for it (no index has it). The installed distribution's ``direct_url.json`` (PEP 610) says
which of these it was; without one, it came from an index.

Example:
    >>> requirement_from_direct_url(None, "0.3.1").requirement
    'compound-toolkit[all]>=0.3.1'
    >>> requirement_from_direct_url(
    ...     {"url": "file:///src/compound-toolkit", "dir_info": {"editable": True}}, "0.3.1"
    ... ).requirement
    'compound-toolkit[all] @ file:///src/compound-toolkit'
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

DISTRIBUTION = "compound-toolkit"
# Everything a generated project uses: plotting, splits and checks, reports, `toolkit update`.
EXTRAS = "all"
# A local wheel or sdist is copied here inside the project, so a clean clone (CI) still has it.
VENDOR_DIR = ".toolkit"


@dataclass(frozen=True)
class ToolkitSource:
    """A PEP 508 requirement for the toolkit, and the local archive to copy into the project.

    ``requirement`` may contain hatchling's ``{root:uri}`` (the project directory), used with
    ``archive``: the file that must be copied to ``VENDOR_DIR`` under the project.
    """

    requirement: str
    kind: str  # "index", "directory", "archive", "vcs" or "url"
    archive: Path | None = None

    def vendor(self, project: Path) -> Path | None:
        """Copy ``archive`` into ``project/.toolkit/`` (when there is one); return the copy."""
        if self.archive is None:
            return None
        target = project / VENDOR_DIR / self.archive.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.archive, target)
        return target


def _local_path(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def requirement_from_direct_url(direct_url: dict[str, Any] | None, version: str) -> ToolkitSource:
    """The requirement for an installation described by ``direct_url`` (``None``: an index).

    A checkout (editable or not) gives a ``file://`` reference to it; a local wheel or sdist is
    copied into the project and referenced from there; a git install is pinned to its commit.
    """
    name = f"{DISTRIBUTION}[{EXTRAS}]"
    if not direct_url or "url" not in direct_url:
        return ToolkitSource(f"{name}>={version}", "index")
    url = str(direct_url["url"])
    if "vcs_info" in direct_url:
        info = direct_url["vcs_info"]
        pinned = f"{info['vcs']}+{url}@{info['commit_id']}"
        if direct_url.get("subdirectory"):
            pinned += f"#subdirectory={direct_url['subdirectory']}"
        return ToolkitSource(f"{name} @ {pinned}", "vcs")
    if "dir_info" in direct_url:
        return ToolkitSource(f"{name} @ {url}", "directory")
    path = _local_path(url)
    if path is None:  # an archive on a web server: it stays reachable at its URL
        return ToolkitSource(f"{name} @ {url}", "url")
    if not path.is_file():  # e.g. a wheel in a temporary folder that has been cleaned since
        return ToolkitSource(f"{name}>={version}", "index")
    return ToolkitSource(f"{name} @ {{root:uri}}/{VENDOR_DIR}/{path.name}", "archive", path)


def installed_requirement() -> ToolkitSource:
    """How the running toolkit was installed, read from its distribution metadata."""
    from toolkit import __version__

    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return requirement_from_direct_url(None, __version__)
    text = dist.read_text("direct_url.json")
    try:
        direct_url = json.loads(text) if text else None
    except ValueError:
        direct_url = None
    return requirement_from_direct_url(direct_url, dist.version)
