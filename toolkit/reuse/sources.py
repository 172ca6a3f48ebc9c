"""Find the code to compare: ``.py`` files and notebook code cells, and say what was skipped.

A scan only reads. Under each path it lists files the way the user's repository sees them:
inside a git work tree, the files git tracks plus untracked ones it does not ignore (so
``.gitignore`` is honoured by git itself); elsewhere a walk that skips virtualenvs, build output
and caches. Symlinked folders are never followed (no loops) and symlinked files are skipped, as
are files over the size limit, binary or non-UTF-8 files and invalid notebooks: each is counted
with its reason, never a crash.

A *unit* is what a clone may not span: a whole ``.py`` file, or one code cell of a notebook.

Example:
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "a.py").write_text("x = 1\\n")
    >>> (root / "link.py").symlink_to(root / "a.py")
    >>> found = discover([root])
    >>> [f.relpath for f in found.files], dict(found.skipped)
    (['a.py'], {'symlink': 1})
    >>> read_units(found.files[0], b"\\x00\\x01")
    ([], 'binary or not UTF-8')
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 2 * 1024 * 1024
_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        "build",
        "dist",
        "node_modules",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
        ".eggs",
        ".toolkit",
        "site-packages",
    }
)
_PROJECT_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")
SUFFIXES = (".py", ".ipynb")
Signature = tuple[int, int, int]  # size, modification time (ns), inode: "unchanged" without reading


@dataclass(frozen=True)
class SourceFile:
    """A file to index: where it is, which scanned root and project it belongs to."""

    path: Path
    root: Path
    project: str
    signature: Signature | None = field(default=None, compare=False)

    @property
    def relpath(self) -> str:
        """The path as shown to the user: relative to its scan root."""
        return self.path.relative_to(self.root).as_posix()


@dataclass
class Discovery:
    """The files found under the scanned paths and the count of skipped ones by reason."""

    files: list[SourceFile] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Unit:
    """A stretch of code a clone stays inside: a file, or one notebook cell (``cell`` >= 0)."""

    file: SourceFile
    cell: int
    text: str


def _git_files(root: Path) -> list[Path] | None:
    """Files git tracks or would track under ``root``; None when ``root`` is not in a work tree."""
    try:
        out = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    names = sorted({n for n in out.decode("utf-8", "surrogateescape").split("\0") if n})
    return [root / n for n in names]


def _is_venv(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file() or path.name.endswith(".egg-info")


def _walk_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):  # followlinks=False: no symlink loops
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not _is_venv(here / d))
        found += [here / f for f in sorted(filenames)]
    return found


def _project_of(path: Path, root: Path, cache: dict[Path, str]) -> str:
    """The nearest folder at or below ``root`` that looks like a project (git, pyproject…)."""
    folder = path.parent
    trail: list[Path] = []
    name = root.name or str(root)
    while True:
        if folder in cache:
            name = cache[folder]
            break
        trail.append(folder)
        if any((folder / m).exists() for m in _PROJECT_MARKERS):
            name = folder.name or str(folder)
            break
        if folder == root or folder.parent == folder:
            break
        folder = folder.parent
    for f in trail:
        cache[f] = name
    return name


def discover(paths: list[Path]) -> Discovery:
    """Every ``.py``/``.ipynb`` file under ``paths``, with the reasons others were skipped."""
    found = Discovery()
    projects: dict[Path, str] = {}
    seen: set[Path] = set()
    for given in paths:
        root = given.resolve()
        if root.is_file():
            candidates, root = [root], root.parent
        elif root.is_dir():
            git = _git_files(root)
            candidates = git if git is not None else _walk_files(root)
            if git is not None:
                # git lists virtualenvs nobody ignored too; they are still not the user's code.
                candidates = [p for p in candidates if not _in_skipped_dir(p, root)]
        else:
            found.skipped["no such path"] += 1
            continue
        for path in candidates:
            if not path.name.endswith(SUFFIXES) or path in seen:
                continue
            seen.add(path)
            reason, signature = _checked(path)
            if reason:
                found.skipped[reason] += 1
                continue
            project = _project_of(path, root, projects)
            found.files.append(SourceFile(path, root, project, signature))
    return found


def _in_skipped_dir(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts[:-1]
    return any(p in _SKIP_DIRS for p in parts)


def file_signature(path: Path) -> Signature | None:
    """``(size, mtime_ns, inode)`` of a file, or None when it cannot be stat'ed."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def _checked(path: Path) -> tuple[str | None, Signature | None]:
    """Why ``path`` is skipped (or None), and its signature, from one ``lstat``."""
    try:
        st = path.lstat()
    except OSError:
        return "unreadable", None
    if stat.S_ISLNK(st.st_mode):
        return "symlink", None
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file", None
    if st.st_size > MAX_BYTES:
        return f"over {MAX_BYTES // (1024 * 1024)} MiB", None
    return None, (st.st_size, st.st_mtime_ns, st.st_ino)


def read_units(source: SourceFile, data: bytes) -> tuple[list[Unit], str | None]:
    """The units of one file's bytes, or ``([], reason)`` when it cannot be read as code."""
    if b"\0" in data:
        return [], "binary or not UTF-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], "binary or not UTF-8"
    if source.path.suffix == ".py":
        return [Unit(source, -1, text.replace("\r\n", "\n"))], None
    return _notebook_units(source, text)


def _notebook_units(source: SourceFile, text: str) -> tuple[list[Unit], str | None]:
    try:
        nb = json.loads(text)
        cells = nb["cells"]
        if not isinstance(cells, list):
            raise TypeError
    except (ValueError, KeyError, TypeError, RecursionError):
        return [], "invalid notebook"
    units: list[Unit] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        if isinstance(src, list):
            src = "".join(s for s in src if isinstance(s, str))
        if isinstance(src, str) and src.strip():
            units.append(Unit(source, index, src.replace("\r\n", "\n")))
    return units, None


class UnitTexts:
    """Unit texts read back from disk on demand, each file once: for the few units a scan must
    show or re-parse (stamped copies, the copies in a report), never for the whole index.

    Example:
        >>> import pathlib, tempfile
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (root / "a.py").write_text("x = 1\\ny = 2\\n")
        >>> texts = UnitTexts()
        >>> texts.lines(SourceFile(root / "a.py", root, "p"), -1)
        ['x = 1', 'y = 2', '']
    """

    def __init__(self) -> None:
        self._texts: dict[Path, dict[int, str]] = {}
        self._lines: dict[tuple[Path, int], list[str]] = {}

    def text(self, file: SourceFile, cell: int) -> str:
        """The text of ``file``'s unit ``cell`` (-1 for a ``.py`` file); "" when it is gone."""
        if file.path not in self._texts:
            try:
                units, _ = read_units(file, file.path.read_bytes())
            except OSError:
                units = []
            self._texts[file.path] = {u.cell: u.text for u in units}
        return self._texts[file.path].get(cell, "")

    def lines(self, file: SourceFile, cell: int) -> list[str]:
        """The unit's text split into lines (line ``n`` is ``lines[n - 1]``)."""
        key = (file.path, cell)
        if key not in self._lines:
            self._lines[key] = self.text(file, cell).split("\n")
        return self._lines[key]
