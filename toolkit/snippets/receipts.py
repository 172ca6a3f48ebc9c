"""The project's receipt store: the exact text of every snippet version that was copied in.

Receipts live in ``<project>/.toolkit/snippets/<name>/<hash>.py`` where the project root is the
nearest ancestor with ``.toolkit/``, ``.git``, ``pyproject.toml`` or ``setup.cfg``. Because the
base text is kept in the project, ``status``/``diff``/``update`` work even when the library no
longer has that version. Commit ``.toolkit/`` with the project.

Example:
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> store = ReceiptStore(root)
    >>> store.save("cv/nms", "x = 1\\n")
    '9e26bf369911c45c'
    >>> store.load("cv/nms", "9e26bf369911c45c")
    'x = 1\\n'
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from toolkit._io import atomic_write_text
from toolkit.errors import UsageError
from toolkit.snippets.model import Snippet, validate_name
from toolkit.snippets.stamp import content_hash

_ROOT_MARKERS = (".toolkit", ".git", "pyproject.toml", "setup.cfg")


def find_project_root(start: Path) -> Path:
    """The nearest ancestor of ``start`` that looks like a project root (else ``start``'s dir).

    Symbolic links are not resolved: a link inside the project belongs to the project (whose
    files must then really live inside it; see ``project_for``).
    """
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for candidate in (here, *here.parents):
        if any((candidate / marker).exists() for marker in _ROOT_MARKERS):
            return candidate
    return here


def inside(path: Path, root: Path) -> bool:
    """True when ``path`` really (links resolved) lies inside ``root``."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def project_for(target: Path, *, option: str = "--to") -> Path:
    """The project a copy written to ``target`` belongs to; UsageError when it escapes it.

    The project of the current directory when ``target`` is (as written) inside it, else the
    target's own. A path that a symbolic link takes outside its project is refused: the copy
    would live in another repository, away from the receipt and from ``status``.
    """
    absolute = Path(os.path.abspath(target))
    here = find_project_root(Path.cwd())
    root = here if absolute == here or here in absolute.parents else find_project_root(absolute)
    probe = absolute
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent  # the part that exists decides where the new file really goes
    # (Outside any project the root is the target's own missing folder: nothing to escape.)
    lexically_inside = probe == root or root in probe.parents
    if lexically_inside and not inside(probe, root):
        raise UsageError(
            f"{option} {target}: resolves to {os.path.realpath(probe)}, outside the project "
            f"{root} (a symbolic link?); copy it from inside the project it belongs to"
        )
    return root


def provenance(snippet: Snippet) -> dict[str, object]:
    """Where ``snippet`` came from: its version, origin and library folder (``~`` for home)."""
    library = "built-in"
    if snippet.origin != "built-in" and snippet.path is not None:
        root = snippet.path.parents[snippet.name.count("/")]
        home = str(Path.home())
        library = str(root)
        if library == home or library.startswith(home + os.sep):
            library = "~" + library[len(home) :]
    return {
        "name": snippet.name,
        "version": snippet.version,
        "origin": snippet.origin,
        "library": library,
    }


class ReceiptStore:
    """Content-addressed store of base texts under ``<root>/.toolkit/snippets``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.directory = root / ".toolkit" / "snippets"

    @classmethod
    def for_path(cls, path: Path) -> ReceiptStore:
        """The store of the project containing ``path``."""
        return cls(find_project_root(path))

    def _path(self, name: str, digest: str) -> Path:
        return self.directory.joinpath(*validate_name(name).split("/"), f"{digest}.py")

    def save(self, name: str, text: str, *, source: Snippet | None = None) -> str:
        """Store ``text`` as a base of ``name``; return its hash (idempotent).

        ``source`` (the library snippet it was copied from) is recorded beside it, so status
        can say which library a copy came from even when that library is not configured.
        """
        digest = content_hash(text)
        path = self._path(name, digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, text)
        meta = path.with_suffix(".json")
        if source is not None and not meta.exists():
            atomic_write_text(meta, json.dumps(provenance(source), indent=2) + "\n")
        return digest

    def origin(self, name: str, digest: str) -> dict[str, object] | None:
        """The recorded provenance of base ``digest`` of ``name`` (None when not recorded)."""
        try:
            data = json.loads(self._path(name, digest).with_suffix(".json").read_text("utf-8"))
        except (OSError, ValueError, UsageError):
            return None
        return data if isinstance(data, dict) else None

    def load(self, name: str, digest: str) -> str | None:
        """The base text of ``name`` with ``digest``, or None when the receipt is missing."""
        path = self._path(name, digest)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
