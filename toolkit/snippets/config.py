"""Where the personal snippet libraries live: ``TOOLKIT_SNIPPET_PATH`` and the config file.

``TOOLKIT_SNIPPET_PATH`` (``os.pathsep``-separated) comes first, then ``snippet_paths = [...]``
from ``$XDG_CONFIG_HOME/compound-toolkit/config.toml`` (default ``~/.config``). The first personal
directory is where ``new``/``promote``/``harvest`` write.

Example:
    >>> import os
    >>> os.environ["TOOLKIT_SNIPPET_PATH"] = "/tmp/a" + os.pathsep + "/tmp/b"
    >>> [p.name for p in personal_dirs()][:2]
    ['a', 'b']
    >>> del os.environ["TOOLKIT_SNIPPET_PATH"]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from toolkit.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


def config_path() -> Path:
    """The toolkit's config file (it need not exist)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "compound-toolkit" / "config.toml"


def cache_dir() -> Path:
    """Directory for the snippet index cache (``$XDG_CACHE_HOME/compound-toolkit``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compound-toolkit"


def _config_paths(path: Path) -> list[Path]:
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: unreadable config file ({exc}); fix or remove it") from exc
    raw = data.get("snippet_paths", data.get("snippets", {}).get("paths", []))
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise UsageError(f"{path}: 'snippet_paths' must be a list of directory paths")
    return [Path(os.path.expandvars(p)).expanduser() for p in raw]


def personal_dirs() -> list[Path]:
    """Personal library directories, highest priority first (duplicates removed)."""
    found: list[Path] = []
    env = os.environ.get("TOOLKIT_SNIPPET_PATH", "")
    found += [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    found += _config_paths(config_path())
    unique: list[Path] = []
    for p in found:
        if p not in unique:
            unique.append(p)
    return unique


def writable_personal_dir() -> Path:
    """The personal directory new snippets are written to; error when none is configured."""
    dirs = personal_dirs()
    if not dirs:
        raise UsageError(
            "no personal snippet library configured: set TOOLKIT_SNIPPET_PATH or add "
            f'snippet_paths = ["~/snippets"] to {config_path()}'
        )
    return dirs[0]
