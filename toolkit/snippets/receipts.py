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

from pathlib import Path

from toolkit._io import atomic_write_text
from toolkit.snippets.model import validate_name
from toolkit.snippets.stamp import content_hash

_ROOT_MARKERS = (".toolkit", ".git", "pyproject.toml", "setup.cfg")


def find_project_root(start: Path) -> Path:
    """The nearest ancestor of ``start`` that looks like a project root (else ``start``'s dir)."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for candidate in (here, *here.parents):
        if any((candidate / marker).exists() for marker in _ROOT_MARKERS):
            return candidate
    return here


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

    def save(self, name: str, text: str) -> str:
        """Store ``text`` as a base of ``name``; return its hash (idempotent)."""
        digest = content_hash(text)
        path = self._path(name, digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, text)
        return digest

    def load(self, name: str, digest: str) -> str | None:
        """The base text of ``name`` with ``digest``, or None when the receipt is missing."""
        path = self._path(name, digest)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
