"""What a run records about its surroundings: code version, data files, environment.

Data-file hashing is fast for large files: a file up to ``FULL_HASH_LIMIT`` (64 MiB) is hashed
whole with BLAKE2b; a larger file is fingerprinted by its size plus BLAKE2b over its first and
last MiB and 32 evenly spaced 64 KiB blocks (about 4 MiB read, whatever the size), which catches
appends, truncations, rewrites and edits anywhere except an in-place edit that changes no size
and falls between the sampled blocks. ``full=True`` (``start(..., full_hash=True)``) hashes
everything. A folder (a Parquet dataset) hashes its files' relative names and fingerprints.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"; _ = p.write_text("a,b\\n1,2\\n")
    >>> fingerprint(p)["method"]
    'blake2b'
"""

from __future__ import annotations

import getpass
import hashlib
import os
import platform
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError

FULL_HASH_LIMIT = 64 * 1024 * 1024
_EDGE = 1024 * 1024
_BLOCK = 64 * 1024
_BLOCKS = 32
_CHUNK = 1024 * 1024
# Versions worth knowing when a result cannot be reproduced; only installed ones are recorded.
KEY_PACKAGES = (
    "numpy",
    "pandas",
    "polars",
    "scipy",
    "scikit-learn",
    "torch",
    "tensorflow",
    "keras",
    "jax",
    "xgboost",
    "lightgbm",
    "catboost",
    "transformers",
    "pyspark",
    "compound-toolkit",
)


def _hash_file(path: Path, size: int, full: bool) -> tuple[str, str]:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        if full or size <= FULL_HASH_LIMIT:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
            return "blake2b", digest.hexdigest()
        digest.update(str(size).encode())
        offsets = [0, size - _EDGE]
        offsets += [(size - _BLOCK) * i // (_BLOCKS + 1) for i in range(1, _BLOCKS + 1)]
        for offset in offsets:
            handle.seek(offset)
            digest.update(handle.read(_EDGE if offset in (0, size - _EDGE) else _BLOCK))
    return "blake2b-sampled", digest.hexdigest()


def fingerprint(path: str | os.PathLike[str], *, full: bool = False) -> dict[str, Any]:
    """Size, modification time and content hash of a data file or folder (see module doc)."""
    p = Path(path)
    if p.is_file():
        stat = p.stat()
        method, digest = _hash_file(p, stat.st_size, full)
        return {"size": stat.st_size, "mtime": stat.st_mtime, "method": method, "hash": digest}
    if p.is_dir():
        folder_digest = hashlib.blake2b(digest_size=16)
        total, count, methods = 0, 0, set()
        for file in sorted(f for f in p.rglob("*") if f.is_file()):
            part = fingerprint(file, full=full)
            folder_digest.update(f"{file.relative_to(p).as_posix()}\0{part['hash']}\n".encode())
            total += part["size"]
            count += 1
            methods.add(part["method"])
        method = "blake2b-sampled" if "blake2b-sampled" in methods else "blake2b"
        return {
            "size": total,
            "files": count,
            "method": f"folder/{method}",
            "hash": folder_digest.hexdigest(),
        }
    raise UsageError(f"data: {p}: no such file or folder")


def _git(args: list[str], cwd: Path) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def git_state(cwd: str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """Commit, branch, and a hash of the uncommitted changes (tracked diff plus untracked,
    not ignored files), or None outside a git work tree.

    ``diff_hash`` is None when the work tree is clean, so two runs with equal ``commit`` and
    ``diff_hash`` ran the same code.
    """
    where = Path(cwd or os.getcwd())
    top = _git(["rev-parse", "--show-toplevel"], where)
    if top is None:
        return None
    root = Path(top.decode().strip())
    commit = _git(["rev-parse", "HEAD"], root)
    branch = _git(["rev-parse", "--abbrev-ref", "HEAD"], root)
    diff = _git(["diff", "HEAD", "--binary"], root) if commit else _git(["diff", "--binary"], root)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root) or b""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(diff or b"")
    names = [n for n in untracked.decode("utf-8", "replace").split("\0") if n]
    for name in sorted(names):
        try:
            part = fingerprint(root / name)["hash"]
        except (UsageError, OSError):
            part = "unreadable"
        digest.update(f"\0{name}\0{part}".encode())
    dirty = bool(diff) or bool(names)
    return {
        "commit": commit.decode().strip() if commit else None,
        "branch": branch.decode().strip() if branch else None,
        "dirty": dirty,
        "diff_hash": digest.hexdigest() if dirty else None,
        "untracked": len(names),
    }


def _normal(name: str) -> str:
    """A distribution name as PEP 503 compares them (``scikit_learn`` is ``scikit-learn``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def package_versions() -> dict[str, str]:
    """Installed versions of the packages in ``KEY_PACKAGES`` (missing ones are left out).

    Read from the ``NAME-VERSION.dist-info`` folder names on ``sys.path`` (one listing per
    folder; the version is in the name, as the wheel spec writes it), which is ~10x faster
    than asking ``importlib.metadata`` for each package; other installs (``.egg-info``) ask it.
    """
    wanted = {_normal(name): name for name in KEY_PACKAGES}
    found: dict[str, str] = {}
    ask: set[str] = set()
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            stem, dot, kind = entry.rpartition(".")
            if kind not in {"dist-info", "egg-info"} or not dot:
                continue
            dist, _, version = stem.partition("-")
            name = wanted.get(_normal(dist))
            if name is None or name in found:
                continue
            if kind == "dist-info" and version:
                found[name] = version
            else:
                ask.add(name)
    if ask - found.keys():
        from importlib import metadata

        for name in ask - found.keys():
            try:
                found[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
    return {name: found[name] for name in KEY_PACKAGES if name in found}


def environment() -> dict[str, Any]:
    """Host, user, Python, platform, command line and working folder of this process."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = None
    return {
        "host": socket.gethostname(),
        "user": user,
        "pid": os.getpid(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "command": list(sys.argv),
        "cwd": os.getcwd(),
    }
