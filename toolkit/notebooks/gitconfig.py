"""Registering a git filter or merge driver: git config entries plus an attributes line.

``local`` scope writes the repository's git config and its ``.gitattributes``; ``global``
scope writes ``git config --global`` and the global attributes file (``core.attributesFile``,
set to git's default ``~/.config/git/attributes`` when unset), so every repository is covered
without touching any of them.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / ".gitattributes"
    >>> add_attribute(path, "*.ipynb filter=x"), add_attribute(path, "*.ipynb filter=x")
    (True, False)
    >>> remove_attribute(path, "*.ipynb filter=x"), path.read_text()
    (True, '')
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from toolkit._io import atomic_write_text, file_state
from toolkit.errors import UsageError


def git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run git, capturing its output (never raises for a git failure)."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def repo_root(path: Path) -> Path:
    """The work tree containing ``path``; a :class:`UsageError` (exit 2) outside one."""
    if not path.exists():
        raise UsageError(f"{path}: no such folder")
    result = git("rev-parse", "--show-toplevel", cwd=path)
    if result.returncode != 0:
        raise UsageError(f"{path}: not inside a git repository (or use --global)")
    return Path(result.stdout.strip())


def _scope_flag(scope: str) -> str:
    if scope not in ("local", "global"):
        raise UsageError(f"scope must be 'local' or 'global', not {scope!r}")
    return f"--{scope}"


def attributes_file(scope: str, path: Path) -> Path:
    """Where the attributes line goes: the repository's ``.gitattributes`` (``local``) or the
    global attributes file (``global``), which is recorded in ``core.attributesFile`` when
    git has none yet, so the line takes effect in every repository."""
    if _scope_flag(scope) == "--local":
        return repo_root(path) / ".gitattributes"
    configured = git("config", "--global", "--path", "core.attributesFile").stdout.strip()
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    default = Path(base) / "git" / "attributes"
    set_config("global", {"core.attributesFile": str(default)}, path)
    return default


def set_config(scope: str, entries: dict[str, str], path: Path) -> None:
    """``git config --<scope> KEY VALUE`` for every entry; one line naming git's complaint."""
    cwd = repo_root(path) if scope == "local" else None
    for key, value in entries.items():
        result = git("config", _scope_flag(scope), key, value, cwd=cwd)
        if result.returncode != 0:
            raise UsageError(f"git config {key} failed: {result.stderr.strip()}")


def remove_config_section(scope: str, section: str, path: Path) -> None:
    """``git config --<scope> --remove-section SECTION``; absent sections are fine."""
    cwd = repo_root(path) if scope == "local" else None
    git("config", _scope_flag(scope), "--remove-section", section, cwd=cwd)


def add_attribute(file: Path, line: str) -> bool:
    """Append ``line`` to the attributes ``file`` (atomically) unless present; True if added."""
    state = file_state(file)  # an edit saved meanwhile is not overwritten
    text = file.read_text(encoding="utf-8") if file.exists() else ""
    if line in text.splitlines():
        return False
    file.parent.mkdir(parents=True, exist_ok=True)
    prefix = "" if not text or text.endswith("\n") else "\n"
    atomic_write_text(file, f"{text}{prefix}{line}\n", expect=state)
    return True


def remove_attribute(file: Path, line: str) -> bool:
    """Remove ``line`` from the attributes ``file``; True if it was there."""
    if not file.exists():
        return False
    state = file_state(file)
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [existing for existing in lines if existing.strip() != line]
    if kept == lines:
        return False
    atomic_write_text(file, "".join(kept), expect=state)
    return True
